"""Findings and problems as LSP diagnostics.

A finding's diagnostic carries the rule id as `code`, a link to where the
rule is defined (its YAML entry holds the message, source, suggestion and
examples: the rule's documentation) as `codeDescription`, and the suggestion
and regulatory source in the message, so every client shows them without
having to hover.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from lsprotocol import types as lsp

from linter.core.model import Severity
from linter.lsp.positions import UTF16, LineStarts

if TYPE_CHECKING:
    from linter.core.errors import InputError, Problem
    from linter.core.model import Finding, Rule

SOURCE = "overclaim"
NOT_LINTED = "not-linted"
CONFIG_PROBLEM = "config-problem"

SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def lsp_range(lines: LineStarts, start: int, end: int, encoding: str = UTF16) -> lsp.Range:
    (line, character), (end_line, end_character) = lines.position(start, encoding), lines.position(end, encoding)
    return lsp.Range(lsp.Position(line, character), lsp.Position(end_line, end_character))


def rule_link(rule: "Rule | None") -> lsp.CodeDescription | None:
    """The rule's definition (file and line) as a link; None for meta rules."""
    if rule is None:
        return None
    where = rule.defined_at
    return lsp.CodeDescription(href=f"{Path(where.path).resolve().as_uri()}#L{where.line}")


def finding_message(finding: "Finding") -> str:
    parts = [finding.message]
    if finding.suggestion:
        parts.append(f"Suggestion: {' '.join(finding.suggestion.split())}")
    if finding.source:
        parts.append(f"Source: {' '.join(finding.source.split())}")
    return "\n".join(parts)


def finding_diagnostics(
    findings: Iterable["Finding"], rules: dict[str, "Rule"], lines: LineStarts, encoding: str = UTF16
) -> list[lsp.Diagnostic]:
    return [
        lsp.Diagnostic(
            range=lsp_range(lines, finding.start_offset, finding.end_offset, encoding),
            message=finding_message(finding),
            severity=SEVERITIES[finding.severity],
            code=finding.rule,
            code_description=rule_link(rules.get(finding.rule)),
            source=SOURCE,
            data={"rule": finding.rule, "start": finding.start_offset, "end": finding.end_offset},
        )
        for finding in findings
    ]


def _line_range(lines: LineStarts, line: int, encoding: str = UTF16) -> lsp.Range:
    """The whole of a 0-based line (clamped to the document)."""
    line = max(0, min(line, len(lines.starts) - 1))
    start = lines.starts[line]
    end = lines.starts[line + 1] if line + 1 < len(lines.starts) else len(lines.text)
    while end > start and lines.text[end - 1] in "\r\n":
        end -= 1
    return lsp_range(lines, start, end, encoding)


def refused_diagnostic(error: "InputError", lines: LineStarts, encoding: str = UTF16) -> lsp.Diagnostic:
    """One diagnostic for a document that could not be linted, saying why."""
    return lsp.Diagnostic(
        range=_line_range(lines, (error.line or 1) - 1, encoding),
        message=f"not linted: {error.reason}",
        severity=lsp.DiagnosticSeverity.Error,
        code=NOT_LINTED,
        source=SOURCE,
    )


def note_diagnostic(error: "InputError", lines: LineStarts, encoding: str = UTF16) -> lsp.Diagnostic:
    """A part of a linted document that could not be read (its front matter), on its line."""
    return lsp.Diagnostic(
        range=_line_range(lines, (error.line or 1) - 1, encoding),
        message=error.reason,
        severity=lsp.DiagnosticSeverity.Warning,
        code=NOT_LINTED,
        source=SOURCE,
    )


def settings_diagnostic(config_path: Path | None, summary: str, lines: LineStarts, encoding: str = UTF16) -> lsp.Diagnostic:
    """On a document: the configuration it would be linted with is broken."""
    where = f" ({config_path})" if config_path else ""
    return lsp.Diagnostic(
        range=_line_range(lines, 0, encoding),
        message=f"not linted: the overclaim configuration{where} has problems: {summary}",
        severity=lsp.DiagnosticSeverity.Error,
        code=NOT_LINTED,
        source=SOURCE,
    )


def problem_diagnostics(problems: Iterable["Problem"], lines: LineStarts | None) -> list[lsp.Diagnostic]:
    """Problems in one config or rule file, at their positions in it."""
    diagnostics = []
    for problem in problems:
        line, column = problem.line - 1, problem.column - 1
        if lines is not None and line < len(lines.starts):
            offset = lines.starts[line] + column
            line, column = lines.position(offset)
        position = lsp.Position(max(line, 0), max(column, 0))
        diagnostics.append(
            lsp.Diagnostic(
                range=lsp.Range(position, position),
                message=problem.message,
                severity=lsp.DiagnosticSeverity.Error,
                code=CONFIG_PROBLEM,
                source=SOURCE,
            )
        )
    return diagnostics
