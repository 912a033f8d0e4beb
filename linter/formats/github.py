"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=drafts/a.md,line=3,col=20,endLine=3,endColumn=35,title=overclaim cure-claim::message

Severities map to `error`, `warning` and `notice`. Values are escaped as the
workflow-command rules require: in the message `%`, CR and LF become `%25`,
`%0D`, `%0A`; in property values `:` and `,` also become `%3A` and `%2C`.
`endColumn` is exclusive, as everywhere in overclaim.
"""

from __future__ import annotations

import posixpath

from linter.core.model import Finding, Severity
from linter.run.report import Report
from linter.formats.text_format import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_path(display: str) -> str:
    """Paths as the runner resolves them against the workspace: POSIX, no './'."""
    if display == "-":
        return display
    return posixpath.normpath(display.replace("\\", "/"))


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    properties = {
        "file": workflow_path(finding.path),
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"overclaim {finding.rule}",
    }
    message = finding.message
    if finding.suggestion:
        message += f"\nSuggestion: {' '.join(finding.suggestion.split())}"
    message += f"\nSource: {finding.source}"
    return command(COMMANDS[finding.severity], properties, message)


def render(report: Report, suppressions: bool = False, **_: object) -> str:
    lines = [annotation(finding) for finding in report.findings]
    if suppressions:
        for record in report.suppressions:
            properties = {"file": workflow_path(record.path), "line": record.line, "col": record.column,
                          "title": "overclaim suppression"}
            reason = record.reason or "(no reason given)"
            message = f"{record.kind} {','.join(record.rules)}: {reason} ({len(record.suppressed)} suppressed)"
            lines.append(command("notice", properties, message))
    for error in report.errors:
        properties = {"file": workflow_path(error.path), **({"line": error.line} if error.line else {}),
                      "title": "overclaim: file not linted"}
        lines.append(command("error", properties, error.reason))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
