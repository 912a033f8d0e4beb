"""Default text output: one header line per finding, the source line with the
match underlined, the suggestion, and a summary line (like ruff's full output).

Colour is applied by the caller's `style` function, so this module stays pure
and the CLI decides whether the terminal gets colour.
"""

from __future__ import annotations

import unicodedata
from typing import Callable

from ..model import SEVERITY_NAMES, Finding, Severity
from ..report import Report

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


def _window(length: int, start: int, end: int) -> tuple[int, int]:
    """The part [first, last) of a line of `length` characters to show for a
    match over [start, end)."""
    if length <= MAX_SHOWN:
        return 0, length
    first = max(0, start - CONTEXT)
    last = min(length, max(end, start + 1) + CONTEXT, first + MAX_SHOWN)
    return first, last


def render_finding(finding: Finding, line_text: str | None, style: Style = _plain) -> str:
    header = (
        f"{style(f'{finding.path}:{finding.line}:{finding.column}', bold=True)}: "
        f"{style(finding.severity.label, fg=SEVERITY_COLOURS[finding.severity], bold=True)} "
        f"[{finding.rule}] {finding.message}"
    )
    lines = [header]
    if line_text is not None:
        # Underline to the end of the match, or to the end of the line when
        # the match spans lines.
        end = finding.end_column if finding.end_line == finding.line else len(line_text) + 1
        gutter = f"{finding.line:>4} | "
        first, last = _window(len(line_text), finding.column - 1, end - 1)
        display = line_text[first:last].expandtabs(1)
        before = ELLIPSIS if first else ""
        display = before + display + (ELLIPSIS if last < len(line_text) else "")
        column = finding.column - 1 - first + len(before)
        lead = _display_width(display[:column])
        width = max(_display_width(display[column : column + min(end, last + 1) - finding.column]), 1)
        lines.append(f"{gutter}{display}")
        lines.append(" " * (len(gutter) - 2) + "| " + " " * lead + style("^" * width, fg=SEVERITY_COLOURS[finding.severity]))
    if finding.suggestion:
        lines.append(f"  = suggestion: {' '.join(finding.suggestion.split())}")
    lines.append(f"  = source: {finding.source}")
    return "\n".join(lines)


def render(report: Report, style: Style = _plain, suppressions: bool = False, **_: object) -> str:
    out = [render_finding(f, report.line_text(f), style) + "\n" for f in report.findings]
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


def summary_line(report: Report) -> str:
    s = report.summary()
    files = f"{s['files']} file" + ("" if s["files"] == 1 else "s")
    hidden = []
    if report.suppressed:
        hidden.append(f"{report.suppressed} suppressed")
    if report.baselined:
        hidden.append(f"{report.baselined} in the baseline")
    if not s["findings"]:
        return f"No claims found in {files}" + (f" ({', '.join(hidden)})." if hidden else ".")
    counts = ", ".join(f"{s[k]} {k}" + ("" if s[k] == 1 or k == "info" else "s") for k in SEVERITY_NAMES)
    more = f"; {', '.join(hidden)}" if hidden else ""
    return f"Found {s['findings']} finding" + ("" if s["findings"] == 1 else "s") + f" in {files} ({counts}){more}."
