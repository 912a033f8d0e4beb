"""`--format json`: the stable, documented shape other tools read."""

from __future__ import annotations

import json

from ..model import Finding
from ..report import Report

JSON_VERSION = 1


def finding_to_dict(finding: Finding) -> dict:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity.label,
        "message": finding.message,
        "text": finding.text,
        "suggestion": finding.suggestion,
        "source": finding.source,
        "requires": finding.requires,
        "cues": list(finding.cues),
    }


def render(report: Report, **_: object) -> str:
    payload = {
        "version": JSON_VERSION,
        "findings": [finding_to_dict(f) for f in report.findings],
        "summary": report.summary(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
