"""`--format concise`: one line per finding, as ruff's concise output, then the summary.

    drafts/a.md:3:14: error [cure-claim] “cures arthritis” claims the product cures...

Easy to grep, and what editors' "quickfix" lists read (`path:line:col: ...`).
"""

from __future__ import annotations

from linter.core.model import Finding
from linter.run.report import Report
from linter.formats.text_format import summary_line


def line(finding: Finding) -> str:
    message = " ".join(finding.message.split())  # one finding, one line
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.label} [{finding.rule}] {message}"


def render(report: Report, **_: object) -> str:
    return "".join(line(finding) + "\n" for finding in report.findings) + summary_line(report) + "\n"
