"""What the HTML review report shows, worked out before any markup: each
document cut into lines and each line into segments at every finding's
start and end, so that a highlight holds exactly the finding's text even
where findings overlap; plus the summary counts and the run's record.

Pure data (frozen dataclasses), so the template only lays it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from linter.core.model import CATEGORIES, Finding
from linter.read.offsets import LineIndex
from linter.run.report import Report, RunInfo, SourceText
from linter.core.model import SEVERITY_NAMES

if TYPE_CHECKING:
    from linter.review.suppressions import Suppression

# Open findings by severity, then accepted (suppressed) ones: the order of
# the columns, and which highlight colour wins where findings overlap.
KINDS = (*SEVERITY_NAMES, "accepted")
# Colour is never the only signal: each kind has an icon and a word.
ICONS = {"error": "✖", "warning": "▲", "info": "●", "accepted": "✓"}
WORDS = {"error": "error", "warning": "warning", "info": "info", "accepted": "accepted"}


@dataclass(frozen=True)
class Mark:
    """One finding as the report shows it."""

    number: int  # 1-based, across the whole report, in report order
    finding: Finding
    pack: str
    suppression: "Suppression | None" = None  # set: accepted, with its reason

    @property
    def kind(self) -> str:
        return "accepted" if self.suppression else self.finding.severity.label

    @property
    def state(self) -> str:
        return "accepted" if self.suppression else "open"

    @property
    def anchor(self) -> str:
        return line_anchor(self.finding.path, self.finding.line)

    @property
    def href(self) -> str:
        return anchor_href(self.anchor)


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...]  # the findings covering this text, strongest first
    ends: tuple[Mark, ...]  # findings whose highlight ends here (their badge follows)

    @property
    def kind(self) -> str | None:
        return self.marks[0].kind if self.marks else None

    @property
    def numbers(self) -> str:
        return " ".join(str(mark.number) for mark in self.marks)


@dataclass(frozen=True)
class Line:
    number: int
    anchor: str
    segments: tuple[Segment, ...]
    notes: tuple[Mark, ...]  # findings that end on this line, explained under it


@dataclass(frozen=True)
class SuppressionView:
    record: "Suppression"
    marks: tuple[Mark, ...]  # what it hid

    @property
    def href(self) -> str:
        return anchor_href(line_anchor(self.record.path, self.record.line))


@dataclass(frozen=True)
class DocumentView:
    path: str
    anchor: str
    sha256: str
    packs: tuple[str, ...]
    lines: tuple[Line, ...]
    marks: tuple[Mark, ...]  # every finding in it, open and accepted
    missing: tuple[Mark, ...]  # missing-disclaimer findings, open ones
    suppressions: tuple[SuppressionView, ...]
    counts: dict[str, int]  # by kind

    @property
    def open(self) -> int:
        return sum(self.counts[kind] for kind in KINDS[:3])


@dataclass(frozen=True)
class ReportView:
    run: RunInfo
    documents: tuple[DocumentView, ...]
    ranked: tuple[DocumentView, ...]  # most open findings first
    marks: tuple[Mark, ...]
    by_category: tuple[tuple[str, dict[str, int]], ...]
    totals: dict[str, int]
    categories: tuple[str, ...]
    packs: tuple[str, ...]
    errors: tuple[str, ...]  # files that could not be linted, as one line each


def line_anchor(path: str, line: int) -> str:
    """The element id of a line, `path:line` (ids may hold any character but space)."""
    return f"{'%20'.join(path.split(' '))}:{line}"


def anchor_href(anchor: str) -> str:
    return "#" + quote(anchor, safe="/:@!$&'()*+,;=-._~%")


def build(report: Report, run: RunInfo) -> ReportView:
    marks = _marks(report)
    by_path: dict[str, list[Mark]] = {}
    for mark in marks:
        by_path.setdefault(mark.finding.path, []).append(mark)
    suppressions: dict[str, list["Suppression"]] = {}
    for record in report.suppressions:
        suppressions.setdefault(record.path, []).append(record)
    numbers = {id(mark.finding): mark for mark in marks}
    documents = []
    for path in report.paths:
        source = report.sources.get(path) or SourceText(path, "", "")
        documents.append(_document(source, by_path.get(path, []), suppressions.get(path, []), numbers))
    totals = Counter(mark.kind for mark in marks)
    by_category: dict[str, Counter[str]] = {}
    for mark in marks:
        by_category.setdefault(mark.finding.category, Counter())[mark.kind] += 1
    order = {name: index for index, name in enumerate(CATEGORIES)}
    return ReportView(
        run=run,
        documents=tuple(documents),
        ranked=tuple(sorted(documents, key=lambda d: (-d.open, -d.counts["accepted"], d.path))),
        marks=marks,
        by_category=tuple((name, {k: counts[k] for k in KINDS}) for name, counts
                          in sorted(by_category.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))),
        totals={**{k: totals[k] for k in KINDS}, "open": sum(totals[k] for k in KINDS[:3]), "files": len(documents)},
        categories=tuple(name for name, _ in sorted(by_category.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))),
        packs=tuple(sorted({mark.pack for mark in marks})),
        errors=tuple(str(error) for error in report.errors),
    )


def _marks(report: Report) -> tuple[Mark, ...]:
    """Open findings and the findings suppressions hid, in one numbering,
    ordered by place in the report."""
    pack = {rule_id: info.pack for rule_id, info in report.rules.items()}
    pairs: list[tuple[Finding, Suppression | None]] = [(f, None) for f in report.findings]
    pairs += [(f, record) for record in report.suppressions for f in record.suppressed]
    pairs.sort(key=lambda pair: (*pair[0].sort_key(), pair[1] is not None))
    return tuple(Mark(n, finding, pack.get(finding.rule, "?"), record) for n, (finding, record) in enumerate(pairs, 1))


def _strength(mark: Mark) -> tuple[int, int]:
    return (KINDS.index(mark.kind), mark.number)


def _document(source: SourceText, marks: list[Mark], records: list["Suppression"], numbers: dict[int, Mark]) -> DocumentView:
    text = source.text
    index = LineIndex(text)
    # A final line break ends the last line; it does not start an empty one.
    line_count = index.position(len(text))[0] - (1 if text.endswith(("\n", "\r")) or not text else 0)
    on_line: dict[int, list[Mark]] = {}
    for mark in marks:
        for number in range(mark.finding.line, mark.finding.end_line + 1):
            on_line.setdefault(number, []).append(mark)
    lines = []
    for number in range(1, line_count + 1):
        start, next_start = index.line_bounds(number)
        end = len(text) if next_start < 0 else next_start
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        here = on_line.get(number, [])
        lines.append(Line(number, line_anchor(source.path, number), _segments(text, start, end, here),
                          tuple(m for m in here if m.finding.end_line == number)))
    counts = Counter(mark.kind for mark in marks)
    return DocumentView(
        path=source.path,
        anchor=f"doc:{'%20'.join(source.path.split(' '))}",
        sha256=source.sha256,
        packs=source.packs,
        lines=tuple(lines),
        marks=tuple(marks),
        missing=tuple(m for m in marks if m.finding.requires and not m.suppression),
        suppressions=tuple(SuppressionView(r, tuple(numbers[id(f)] for f in r.suppressed if id(f) in numbers)) for r in records),
        counts={k: counts[k] for k in KINDS},
    )


def _segments(text: str, start: int, end: int, marks: list[Mark]) -> tuple[Segment, ...]:
    """The line text[start:end] cut at every finding boundary inside it."""
    if not marks:
        return (Segment(text[start:end], (), ()),) if end > start else ()
    cuts = {start, end}
    for mark in marks:
        cuts.update(min(max(offset, start), end) for offset in (mark.finding.start_offset, mark.finding.end_offset))
    points = sorted(cuts)
    pieces = []
    for left, right in zip(points, points[1:]):
        covering = sorted((m for m in marks if m.finding.start_offset <= left and right <= m.finding.end_offset), key=_strength)
        ending = tuple(m for m in covering if m.finding.end_offset == right)
        pieces.append(Segment(text[left:right], tuple(covering), ending))
    return tuple(pieces)
