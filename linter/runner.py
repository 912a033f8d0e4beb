"""Read each target, lint it, apply its suppressions, and collect one Report.

A file that cannot be read is recorded as an error and the run goes on: one
bad file never hides the findings in the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Sequence

from .discovery import Target
from .errors import InputError
from .metarules import META_RULES, MetaPolicy
from .readers import read_document
from .report import Report
from .ruleinfo import RuleInfo
from .suppressions import apply_suppressions

if TYPE_CHECKING:
    from .document import Document
    from .engine import Engine
    from .model import Finding


@dataclass(frozen=True)
class LintSettings:
    """How the run treats each document beyond the engine itself."""

    # The engine for a document (e.g. packs chosen by its front matter);
    # None: the engine given to lint_targets, for every document.
    choose: Callable[["Document"], "Engine"] | None = None
    # Every rule id a suppression may name; None: the rules of the engine.
    known_rules: frozenset[str] | None = None
    meta: MetaPolicy = MetaPolicy()


def read_target(target: Target, read_stdin: Callable[[], bytes], format: str | None = None) -> "Document":
    if target.path is None:
        data = read_stdin()
    else:
        try:
            data = target.path.read_bytes()
        except IsADirectoryError:
            raise InputError(target.display, "is a directory") from None
        except FileNotFoundError:
            raise InputError(target.display, "file not found (deleted or a broken link?)") from None
        except PermissionError:
            raise InputError(target.display, "permission denied") from None
        except OSError as exc:
            raise InputError(target.display, f"cannot read: {exc.strerror or exc}") from None
    return read_document(target.display, data, format)


def lint_targets(
    engine: "Engine",
    targets: Sequence[Target],
    read_stdin: Callable[[], bytes],
    stdin_format: str | None = None,
    settings: LintSettings = LintSettings(),
) -> Report:
    findings: list["Finding"] = []
    errors = []
    suppressions = []
    paths = []
    rules: dict[str, RuleInfo] = {}
    lines: dict[tuple[str, int], str] = {}
    for target in targets:
        try:
            document = read_target(target, read_stdin, stdin_format if target.path is None else None)
            chosen = settings.choose(document) if settings.choose else engine
        except InputError as error:
            errors.append(error)
            continue
        paths.append(document.path)
        active = frozenset(chosen.rules)
        for rule in chosen.rules.values():
            rules.setdefault(rule.id, RuleInfo.from_rule(rule))
        known = settings.known_rules if settings.known_rules is not None else active
        outcome = apply_suppressions(document, chosen.lint(document), known | active, active, settings.meta)
        findings.extend(outcome.findings)
        suppressions.extend(outcome.suppressions)
        shown = [*outcome.findings, *(f for s in outcome.suppressions for f in s.suppressed)]
        for finding in shown:
            for number in range(finding.line, finding.end_line + 1):
                lines.setdefault((finding.path, number), document.line_text(number))
    rules.update(META_RULES)
    findings.sort(key=lambda f: f.sort_key())
    return Report(
        tuple(findings),
        tuple(errors),
        len(targets),
        lines,
        suppressions=tuple(suppressions),
        paths=tuple(paths),
        rules=MappingProxyType(dict(sorted(rules.items()))),
    )
