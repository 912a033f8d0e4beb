"""Read each target, lint it, apply its suppressions, and collect one Report.

A file that cannot be read is recorded as an error and the run goes on: one
bad file never hides the findings in the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .discovery import Target
from . import parallel
from .errors import InputError, ModelError
from .fileio import ReadError, check_size, read_regular_file
from .limits import MAX_INPUT_BYTES
from .metarules import META_RULES, MetaPolicy
from .readers import read_document
from .report import Report, SourceText
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
    # Keep each document's full text and SHA-256 in the report (the HTML
    # report shows the whole copy); off by default, to keep reports small.
    keep_sources: bool = False


def read_bytes(target: Target, read_stdin: Callable[[], bytes]) -> bytes:
    try:
        if target.path is None:
            data = read_stdin()
            check_size(len(data), MAX_INPUT_BYTES)
        else:
            data = read_regular_file(target.path, MAX_INPUT_BYTES)
    except ReadError as error:
        raise InputError(target.display, str(error)) from None
    return data


def internal_error(display: str, exc: Exception) -> InputError:
    """A bug met on one file, reported like an unreadable file so that the
    other files keep their findings (and the run still exits 2)."""
    detail = " ".join(str(exc).split())[:200]
    return InputError(display, f"internal error, not linted ({type(exc).__name__}{': ' + detail if detail else ''}); please report it")


@dataclass(frozen=True)
class FileOutcome:
    """Everything one file contributes to the report (picklable, so a worker
    process can send it back)."""

    path: str | None = None  # None: the file could not be linted
    findings: tuple["Finding", ...] = ()
    suppressions: tuple = ()
    lines: tuple[tuple[tuple[str, int], str], ...] = ()
    rules: tuple[tuple[str, RuleInfo], ...] = ()
    error: tuple[str, str, int | None] | None = None  # InputError's path, reason, line
    source: SourceText | None = None  # only with LintSettings.keep_sources
    words: int = 0
    parsed_words: int = 0


def lint_one(
    engine: "Engine",
    target: Target,
    read_stdin: Callable[[], bytes],
    stdin_format: str | None,
    settings: LintSettings,
) -> FileOutcome:
    try:
        data = read_bytes(target, read_stdin)
        document = read_document(target.display, data, stdin_format if target.path is None else None)
        chosen = settings.choose(document) if settings.choose else engine
        before = (chosen.stats.words, chosen.stats.parsed_words)
        found = chosen.lint(document)
    except InputError as error:
        return FileOutcome(error=(error.path, error.reason, error.line))
    except ModelError:
        raise  # no pipeline: the whole run stops with exit 2
    except Exception as exc:  # noqa: BLE001 - one file's bug must not lose the others' findings
        error = internal_error(target.display, exc)
        return FileOutcome(error=(error.path, error.reason, error.line))
    active = frozenset(chosen.rules)
    known = settings.known_rules if settings.known_rules is not None else active
    outcome = apply_suppressions(document, found, known | active, active, settings.meta)
    lines: dict[tuple[str, int], str] = {}
    shown = [*outcome.findings, *(f for s in outcome.suppressions for f in s.suppressed)]
    for finding in shown:
        for number in range(finding.line, finding.end_line + 1):
            lines.setdefault((finding.path, number), document.line_text(number))
    source = None
    if settings.keep_sources:
        packs = tuple(sorted({rule.pack for rule in chosen.rules.values()}))
        source = SourceText(document.path, document.source, hashlib.sha256(data).hexdigest(), packs)
    return FileOutcome(
        path=document.path,
        findings=tuple(outcome.findings),
        suppressions=tuple(outcome.suppressions),
        lines=tuple(lines.items()),
        rules=tuple((rule.id, RuleInfo.from_rule(rule)) for rule in chosen.rules.values()),
        words=chosen.stats.words - before[0],
        parsed_words=chosen.stats.parsed_words - before[1],
        source=source,
    )


def lint_targets(
    engine: "Engine",
    targets: Sequence[Target],
    read_stdin: Callable[[], bytes],
    stdin_format: str | None = None,
    settings: LintSettings = LintSettings(),
    jobs: int | None = 1,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Lint every target, in worker processes when `jobs` > 1, or when
    `jobs` is None (automatic) and the run is large enough to pay for them
    (`parallel.decide_workers`); the report is the same either way."""
    workers = parallel.worker_count(targets, jobs)
    if workers > 1:
        outcomes = parallel.lint_all(engine, targets, settings, workers)
    else:
        outcomes = (lint_one(engine, t, read_stdin, stdin_format, settings) for t in targets)
    return collect(outcomes, len(targets), progress)


def collect(outcomes: Iterable[FileOutcome], files: int, progress: Callable[[int], None] | None = None) -> Report:
    findings: list["Finding"] = []
    errors: list[InputError] = []
    suppressions = []
    paths = []
    rules: dict[str, RuleInfo] = {}
    lines: dict[tuple[str, int], str] = {}
    sources: dict[str, SourceText] = {}
    words = parsed = 0
    for outcome in outcomes:
        if progress:
            progress(1)
        if outcome.error is not None:
            errors.append(InputError(*outcome.error))
            continue
        paths.append(outcome.path)
        findings.extend(outcome.findings)
        suppressions.extend(outcome.suppressions)
        for rule_id, info in outcome.rules:
            rules.setdefault(rule_id, info)
        for key, text in outcome.lines:
            lines.setdefault(key, text)
        if outcome.source is not None:
            sources[outcome.path] = outcome.source
        words += outcome.words
        parsed += outcome.parsed_words
    rules.update(META_RULES)
    findings.sort(key=lambda f: f.sort_key())
    return Report(
        tuple(findings),
        tuple(errors),
        files,
        lines,
        suppressions=tuple(suppressions),
        paths=tuple(paths),
        rules=MappingProxyType(dict(sorted(rules.items()))),
        words=words,
        parsed_words=parsed,
        sources=MappingProxyType(sources),
    )
