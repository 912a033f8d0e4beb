"""What output formats need to know about a rule: its id, help and source.

Findings carry their own message, but SARIF describes each rule once
(`tool.driver.rules`). RuleInfo is that description, made from a YAML rule
or written by hand for the meta rules that no rule pack defines.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.model import Rule, Severity


@dataclass(frozen=True)
class RuleInfo:
    id: str
    category: str
    severity: Severity
    summary: str  # one line: what the rule finds
    help: str  # what to do about it
    source: str  # the regulatory basis (or "overclaim" for meta rules)
    pack: str

    @classmethod
    def from_rule(cls, rule: Rule) -> "RuleInfo":
        summary = rule.description or rule.message.replace("“{match}”", "This wording").replace("{match}", "this wording")
        return cls(
            id=rule.id,
            category=rule.category,
            severity=rule.severity,
            summary=" ".join(summary.split()),
            help=" ".join(rule.suggest.split()),
            source=rule.source,
            pack=rule.pack,
        )
