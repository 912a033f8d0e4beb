"""Default text output: one header line per finding, the source line with the
match underlined, the suggestion, and a summary line (like ruff's full output).

Colour is applied by the caller's `style` function, so this module stays pure
and the CLI decides whether the terminal gets colour.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Callable, Sequence

from linter.packs.doc_links import RuleDocs
from linter.core.model import Finding, Severity
from linter.run.report import Report
from linter.formats.span_groups import span_groups
from linter.core.model import SEVERITY_NAMES

Style = Callable[..., str]

SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _plain(text: str, **_: object) -> str:
    return text


def _display_width(text: str) -> int:
    """Terminal cells taken by text: wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A long line (a minified page, a 100 KB paragraph on one line) is shown as a
# window around the match, so the output grows with the findings, not with
# findings times line length.
MAX_SHOWN = 200  # characters of a line shown in full
CONTEXT = 60  # characters shown on each side of the match in a window
ELLIPSIS = "…"
MAX_SPAN_LINES = 6  # lines of a multi-line finding shown


def _window(length: int, start: int, end: int) -> tuple[int, int]:
    """The part [first, last) of a line of `length` characters to show for a
    match over [start, end)."""
    if length <= MAX_SHOWN:
        return 0, length
    first = max(0, start - CONTEXT)
    last = min(length, max(end, start + 1) + CONTEXT, first + MAX_SHOWN)
    return first, last


def _underlined(line_text: str, number: int, start: int, end: int, colour: str, style: Style) -> list[str]:
    """One source line with its gutter, and the carets under [start, end)
    (0-based columns; `end` past the line: to its end)."""
    gutter = f"{number:>4} | "
    end = min(end, len(line_text))
    first, last = _window(len(line_text), start, end)
    display = line_text[first:last].expandtabs(1)
    before = ELLIPSIS if first else ""
    display = before + display + (ELLIPSIS if last < len(line_text) else "")
    column = start - first + len(before)
    lead = _display_width(display[:column])
    width = max(_display_width(display[column : column + min(end, last) - start]), 1)
    return [f"{gutter}{display}", " " * (len(gutter) - 2) + "| " + " " * lead + style("^" * width, fg=colour)]


def _snippet(span: Finding, line_of: Callable[[int], str | None], style: Style) -> list[str]:
    """Every line of the span, each underlined where the span covers it (as
    ruff shows a multi-line diagnostic); a line the report does not hold
    ends the snippet. A span over more than MAX_SPAN_LINES lines (a long
    hard-wrapped sentence) shows its first lines and its last one, so the
    output stays bounded."""
    colour = SEVERITY_COLOURS[span.severity]
    numbers = list(range(span.line, span.end_line + 1))
    skipped = 0
    if len(numbers) > MAX_SPAN_LINES:
        skipped = len(numbers) - MAX_SPAN_LINES
        numbers = numbers[: MAX_SPAN_LINES - 1] + numbers[-1:]
    out: list[str] = []
    for number in numbers:
        text = line_of(number)
        if text is None:
            break
        if skipped and number == span.end_line:
            out.append(f"{'':>4} | … {skipped} more line{'s' if skipped > 1 else ''}")
        start = span.column - 1 if number == span.line else len(text) - len(text.lstrip())
        end = span.end_column - 1 if number == span.end_line else len(text)
        if number not in (span.line, span.end_line) and not text.strip():
            continue  # a blank line inside the span has nothing to underline
        out.extend(_underlined(text, number, start, max(end, start + 1), colour, style))
    return out


def render_finding(finding: Finding, line_of: Callable[[int], str | None], style: Style = _plain, url: str | None = None) -> str:
    """One finding: header, every source line of its span underlined, suggestion, source.
    `line_of` gives the text of a line by number (None: not held)."""
    header = (
        f"{style(f'{finding.path}:{finding.line}:{finding.column}', bold=True)}: "
        f"{style(finding.severity.label, fg=SEVERITY_COLOURS[finding.severity], bold=True)} "
        f"[{finding.rule}] {finding.message}"
    )
    lines = [header, *_snippet(finding, line_of, style)]
    lines.extend(_details(finding, url=url))
    return "\n".join(lines)


def _details(finding: Finding, indent: str = "  = ", url: str | None = None) -> list[str]:
    lines = []
    if finding.suggestion:
        lines.append(f"{indent}suggestion: {' '.join(finding.suggestion.split())}")
    if finding.replacement is not None:
        lines.append(f"{indent}replace with: “{finding.replacement}” (for “{' '.join(finding.text.split())}”; not applied)")
    lines.append(f"{indent}source: {finding.source}")
    if url:
        lines.append(f"{indent}docs: {url}")
    return lines


def render_group(group: Sequence[Finding], line_of: Callable[[int], str | None], style: Style = _plain,
                 docs: RuleDocs | None = None) -> str:
    """Findings on the same words, shown once: the words underlined, then
    every rule with its category, message, suggestion and source."""
    if len(group) == 1:
        return render_finding(group[0], line_of, style, docs.url(group[0].rule) if docs else None)
    first = group[0]
    last = max(group, key=lambda f: (f.end_line, f.end_column))
    worst = max(f.severity for f in group)
    span = replace(first, end_line=last.end_line, end_column=last.end_column, severity=worst)
    rules = ", ".join(dict.fromkeys(f.rule for f in group))
    categories = ", ".join(dict.fromkeys(f.category for f in group))
    header = (
        f"{style(f'{first.path}:{first.line}:{first.column}', bold=True)}: "
        f"{style(worst.label, fg=SEVERITY_COLOURS[worst], bold=True)} "
        f"[{rules}] {len(group)} findings on the same words ({categories})"
    )
    lines = [header, *_snippet(span, line_of, style)]
    for finding in group:
        where = "" if (finding.line, finding.column) == (first.line, first.column) else f" at {finding.line}:{finding.column}"
        lines.append(f"  = {finding.severity.label} [{finding.rule}] ({finding.category}){where}: {finding.message}")
        lines.extend(_details(finding, indent="    ", url=docs.url(finding.rule) if docs else None))
    return "\n".join(lines)


def render(report: Report, style: Style = _plain, suppressions: bool = False, docs: RuleDocs | None = None,
           **_: object) -> str:
    def line_of(path: str) -> Callable[[int], str | None]:
        return lambda number: report.lines.get((path, number))

    out = [render_group(group, line_of(group[0].path), style, docs) + "\n" for group in span_groups(report.findings)]
    if suppressions:
        out.append(render_suppressions(report) + "\n")
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


def render_suppressions(report: Report) -> str:
    """Every suppression: where, what, why, and what it hid (for `--report-suppressions`)."""
    count = len(report.suppressions)
    lines = [f"Suppressions ({count}):" if count else "Suppressions: none."]
    for record in report.suppressions:
        reason = f"“{record.reason}”" if record.reason else "(no reason given)"
        lines.append(f"{record.path}:{record.line}:{record.column}: {record.kind} {','.join(record.rules)} -- {reason}")
        for finding in record.suppressed:
            lines.append(f"  suppressed {finding.path}:{finding.line}:{finding.column}: {finding.severity.label} [{finding.rule}] “{' '.join(finding.text.split())}”")
        if not record.suppressed:
            lines.append("  suppressed nothing")
    return "\n".join(lines)


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def summary_line(report: Report) -> str:
    s = report.summary()
    files = _files(s["files"])
    hidden = []
    if report.suppressed:
        hidden.append(f"{report.suppressed} suppressed")
    if report.baselined:
        hidden.append(f"{report.baselined} in the baseline")
    # Files that could not be linted are said in the summary too, so that it
    # never reads as a clean pass over files nobody checked.
    unread = f"; {_files(s['not_linted'])} could not be linted" if s["not_linted"] else ""
    if not s["files"]:
        return f"No file linted{unread}." if unread else "No files to lint."
    if not s["findings"]:
        return f"No claims found in {files}" + (f" ({', '.join(hidden)})" if hidden else "") + f"{unread}."
    counts = ", ".join(f"{s[k]} {k}" + ("" if s[k] == 1 or k == "info" else "s") for k in SEVERITY_NAMES)
    more = f"; {', '.join(hidden)}" if hidden else ""
    return f"Found {s['findings']} finding" + ("" if s["findings"] == 1 else "s") + f" in {files} ({counts}){more}{unread}."
