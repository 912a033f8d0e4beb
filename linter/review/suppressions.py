"""The suppression stage: apply a document's directives to the engine's findings.

Runs after the engine, on its findings and the document's directives (the
engine itself knows nothing of suppressions). It returns the findings that
remain, the meta findings about the directives themselves (no reason given,
suppresses nothing, unknown rule, not understood) and one record per
suppression for `--report-suppressions`.

Where a directive applies:

- `disable-next-line`: the next line with text that is not itself only
  directives (blank lines and stacked directives are skipped);
- `disable-line`: the line(s) the directive is on;
- `disable` ... `enable`: from the end of the `disable` comment to the start
  of the matching `enable` (or the end of the file);
- `disable-file`: the whole file, wherever the directive is.

A finding is suppressed when its rule is named (or `all` is) and it starts
inside a range, or touches the line of a line directive. Every directive that
covers a finding is credited with it, so overlapping directives are not
reported as unused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from linter.review import directives as kinds
from linter.review.directives import Request, parse
from linter.core.meta_rule_table import INVALID, META_RULES, UNKNOWN_RULE, UNUSED, WITHOUT_REASON
from linter.review.meta_rules import MetaPolicy, meta_finding
from linter.core.model import Finding
from linter.core.yaml_shapes import hint

if TYPE_CHECKING:
    from linter.read.document import Document


@dataclass(frozen=True)
class Suppression:
    """One suppression as a reviewer sees it: where, what, why, and what it hid."""

    path: str
    line: int
    column: int
    kind: str
    rules: tuple[str, ...]  # ("all",) for every rule
    reason: str  # '' when none was given
    suppressed: tuple[Finding, ...]


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...]  # kept findings and meta findings, sorted
    suppressions: tuple[Suppression, ...]


@dataclass(frozen=True)
class _Scope:
    request: int  # index into the requests
    rule: str | None  # None: every rule
    lines: tuple[int, int] | None = None  # inclusive line range
    offsets: tuple[int, int] | None = None  # [start, end) source offsets

    def covers(self, finding: Finding) -> bool:
        if self.rule is not None and self.rule != finding.rule:
            return False
        if self.lines is not None:
            return finding.line <= self.lines[1] and finding.end_line >= self.lines[0]
        assert self.offsets is not None
        return self.offsets[0] <= finding.start_offset < self.offsets[1]


def apply_suppressions(
    document: "Document",
    findings: Iterable[Finding],
    known_rules: frozenset[str],
    active_rules: frozenset[str],
    policy: MetaPolicy = MetaPolicy(),  # noqa: B008 (frozen: one shared default is safe)
) -> Outcome:
    """Suppress findings covered by the document's directives and report on the directives.

    `known_rules`: every rule id any available pack defines (others are
    unknown). `active_rules`: the rules that ran on this document; a known
    rule that did not run cannot be called unused.
    """
    findings = list(findings)
    requests = [parse(d) for d in sorted(document.directives, key=lambda d: d.start)]
    problems: dict[int, list[str]] = {i: [r.problem] for i, r in enumerate(requests) if r.problem}
    scopes = _scopes(document, requests, problems)
    credited: dict[int, list[Finding]] = {i: [] for i in range(len(requests))}
    kept = []
    for finding in findings:
        covering = {scope.request for scope in scopes if scope.covers(finding)}
        for index in covering:
            credited[index].append(finding)
        if not covering:
            kept.append(finding)
    meta: list[Finding] = []

    def report(rule_id: str, request: Request, message: str) -> None:
        if policy.enabled(rule_id):
            directive = request.directive
            meta.append(meta_finding(document, rule_id, directive.start, directive.end, message, policy))

    records = []
    for index, request in enumerate(requests):
        if index in problems:
            report(INVALID, request, "; ".join(problems[index]))
        if request.problem or request.kind == kinds.RANGE_END:
            continue
        named = list(dict.fromkeys(request.rules))
        for rule in named:
            if rule in META_RULES:
                report(INVALID, request, f"'{rule}' is a meta rule: it cannot be suppressed inline (set it in config)")
        unknown = [rule for rule in named if rule not in META_RULES and rule not in known_rules]
        if len(unknown) == 1:
            report(UNKNOWN_RULE, request, f"unknown rule '{unknown[0]}' in {request.label}{hint(unknown[0], sorted(known_rules))}")
        elif unknown:
            # One finding per directive, however many ids it names.
            report(UNKNOWN_RULE, request, f"{len(unknown)} unknown rules in {request.label}: {_some(unknown)}")
        if not request.reason:
            report(WITHOUT_REASON, request, f"{request.label} gives no reason: add ' -- ' and why this claim is acceptable")
        used = {finding.rule for finding in credited[index]}
        if request.all_rules:
            if not used and active_rules:
                report(UNUSED, request, f"{request.label} suppresses nothing: remove it")
        else:
            unused = [r for r in dict.fromkeys(request.rules) if r in active_rules and r not in used]
            if unused:
                names = _some(unused)
                verb = "reports" if len(unused) == 1 else "report"
                report(UNUSED, request, f"{request.label}: {names} {verb} nothing here; remove {'it' if len(unused) == 1 else 'them'}")
        line, column = document.position(request.directive.start)
        rules = (kinds.ALL,) if request.all_rules else request.rules
        records.append(
            Suppression(document.path, line, column, request.kind, rules, request.reason, tuple(credited[index]))
        )
    return Outcome(tuple(sorted(kept + meta, key=Finding.sort_key)), tuple(records))


def _scopes(document: "Document", requests: list[Request], problems: dict[int, list[str]]) -> list[_Scope]:
    scopes: list[_Scope] = []
    open_ranges: list[_Open] = []
    only_directives = _directive_only_lines(document)
    last_line = document.position(len(document.source))[0]
    for index, request in enumerate(requests):
        if request.problem:
            continue
        directive = request.directive
        first = document.position(directive.start)[0]
        last = document.position(max(directive.end - 1, directive.start))[0]
        rules: tuple[str | None, ...] = (None,) if request.all_rules else request.rules
        if request.kind == kinds.NEXT_LINE:
            target = _next_text_line(document, last + 1, last_line, only_directives)
            if target is not None:
                scopes.extend(_Scope(index, rule, lines=(target, target)) for rule in rules)
        elif request.kind == kinds.LINE:
            scopes.extend(_Scope(index, rule, lines=(first, last)) for rule in rules)
        elif request.kind == kinds.FILE:
            scopes.extend(_Scope(index, rule, offsets=(0, len(document.source) + 1)) for rule in rules)
        elif request.kind == kinds.RANGE_START:
            open_ranges.extend((index, rule, directive.end) for rule in rules)
        else:  # enable
            open_ranges, closed, messages = _close(open_ranges, request)
            scopes.extend(_Scope(i, rule, offsets=(start, directive.start)) for i, rule, start in closed)
            if messages:
                problems.setdefault(index, []).extend(messages)
    scopes.extend(_Scope(i, rule, offsets=(start, len(document.source) + 1)) for i, rule, start in open_ranges)
    return scopes


_Open = tuple[int, str | None, int]  # (request index, rule or None for all, start offset)


def _close(open_ranges: list[_Open], request: Request) -> tuple[list[_Open], list[_Open], list[str]]:
    """Close the ranges an `enable` ends: all of them, or the latest one per named rule.

    Returns the ranges still open, the ranges closed, and problems to report.
    """
    if request.all_rules:
        if not open_ranges:
            return [], [], [f"'{request.directive.name}' has nothing to enable: no 'overclaim-disable' is open"]
        return [], open_ranges, []
    remaining = list(open_ranges)
    closed = []
    messages = []
    for rule in request.rules:
        match = next((entry for entry in reversed(remaining) if entry[1] == rule), None)
        if match is not None:
            remaining.remove(match)
            closed.append(match)
        elif any(entry[1] is None for entry in remaining):
            messages.append(f"'{rule}' is disabled by 'overclaim-disable all', which only 'overclaim-enable' (all) ends")
        else:
            messages.append(f"'{request.directive.name} {rule}' has nothing to enable: '{rule}' is not disabled here")
    return remaining, closed, messages


def _directive_only_lines(document: "Document") -> set[int]:
    """Lines whose only text is directives (so `disable-next-line` looks past them)."""
    touched: dict[int, list[tuple[int, int]]] = {}
    for directive in document.directives:
        first = document.position(directive.start)[0]
        last = document.position(max(directive.end - 1, directive.start))[0]
        for line in range(first, last + 1):
            touched.setdefault(line, []).append((directive.start, directive.end))
    lines = set()
    for line, spans in touched.items():
        start, _ = document.lines.line_bounds(line)
        text = list(document.line_text(line))
        for span_start, span_end in spans:
            for offset in range(max(span_start, start), min(span_end, start + len(text))):
                text[offset - start] = " "
        if not "".join(text).strip():
            lines.add(line)
    return lines


def _next_text_line(document: "Document", line: int, last_line: int, skip: set[int]) -> int | None:
    while line <= last_line:
        if line not in skip and document.line_text(line).strip():
            return line
        line += 1
    return None


NAMES_SHOWN = 5


def _some(names: list[str]) -> str:
    """The first few names, quoted, and how many more (a message stays one short line)."""
    shown = ", ".join(f"'{name[:80]}'" for name in names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")
