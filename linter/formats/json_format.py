"""`--format json`: the stable, documented shape other tools read."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from linter.packs.doc_links import RuleDocs
from linter.core.model import Finding
from linter.run.report import Report
from linter.formats.span_groups import group_numbers

if TYPE_CHECKING:
    from linter.review.suppressions import Suppression

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
        "replacement": finding.replacement,
    }


def suppression_to_dict(record: "Suppression") -> dict:
    return {
        "path": record.path,
        "line": record.line,
        "column": record.column,
        "kind": record.kind,
        "rules": list(record.rules),
        "reason": record.reason,
        "suppressed": [finding_to_dict(f) for f in record.suppressed],
    }


def _with_url(entry: dict, docs: RuleDocs | None) -> dict:
    """A finding's entry with `url`, its rule's documentation (None for rules docs/rules.md does not list)."""
    entry["url"] = docs.url(entry["rule"]) if docs else None
    return entry


def render(report: Report, suppressions: bool = False, docs: RuleDocs | None = None, **_: object) -> str:
    payload = {
        "version": JSON_VERSION,
        "findings": [{**_with_url(finding_to_dict(f), docs), "span_group": group}
                     for f, group in zip(report.findings, group_numbers(report.findings))],
        "summary": report.summary(),
    }
    if suppressions:
        payload["suppressions"] = [suppression_to_dict(s) for s in report.suppressions]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
