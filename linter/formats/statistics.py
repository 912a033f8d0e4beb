"""`--statistics`: how many findings each rule reported, most first (as
ruff's `--statistics`), instead of the findings themselves."""

from __future__ import annotations

import json
from collections import Counter

from linter.core.model import Finding
from linter.run.report import Report
from linter.formats.text_format import summary_line


def counts(report: Report) -> list[dict]:
    """One row per rule that reported, by count (highest first), then rule id."""
    by_rule = Counter(finding.rule for finding in report.findings)
    first: dict[str, Finding] = {}
    for finding in report.findings:
        first.setdefault(finding.rule, finding)
    rows = []
    for rule_id, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
        finding = first[rule_id]
        rows.append({"rule": rule_id, "count": count, "severity": finding.severity.label, "category": finding.category})
    return rows


def render(report: Report, output_format: str) -> str:
    rows = counts(report)
    if output_format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    count_width = max((len(str(row["count"])) for row in rows), default=1)
    rule_width = max((len(row["rule"]) for row in rows), default=0)
    lines = [f"{row['count']:>{count_width}}  {row['rule']:<{rule_width}}  {row['severity']:<7}  {row['category']}".rstrip()
             for row in rows]
    return "".join(text + "\n" for text in lines) + summary_line(report) + "\n"
