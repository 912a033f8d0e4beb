"""Hover on a finding: its rule explained, as `overclaim rules explain` prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from linter.core.meta_rule_table import META_RULES
from linter.packs.docs import explain, explain_meta

if TYPE_CHECKING:
    from linter.core.model import Finding, Rule


def findings_at(findings: Iterable["Finding"], offset: int) -> list["Finding"]:
    """The findings whose words include `offset` (or end right at it)."""
    return [f for f in findings if f.start_offset <= offset <= f.end_offset]


def hover_text(findings: Iterable["Finding"], rules: dict[str, "Rule"]) -> str | None:
    """Markdown: one explanation per rule found at the position, in order."""
    sections = []
    for rule_id in dict.fromkeys(f.rule for f in findings):
        if rule_id in rules:
            sections.append(explain(rules[rule_id]))
        elif rule_id in META_RULES:
            sections.append(explain_meta(META_RULES[rule_id]))
    if not sections:
        return None
    # A code block keeps the explanation's alignment and its examples verbatim.
    return "\n\n---\n\n".join(f"```text\n{section}\n```" for section in sections)
