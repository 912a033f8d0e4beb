"""The meta rules: findings about suppression directives, not about copy.

They are not defined in any YAML pack (they have no phrases to match and no
examples to run); their ids are reserved, their category is `suppression`,
and config can change their severity (`severity:`) or turn them off
(`disable:`) like any other rule. They cannot be suppressed inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping

from linter.core.model import Finding, Severity

if TYPE_CHECKING:
    from linter.read.document import Document

from linter.core.meta_rule_table import META_CATEGORY, META_RULES, META_SOURCE


@dataclass(frozen=True)
class MetaPolicy:
    """Config's say over the meta rules: severity overrides and disabled ids."""

    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    disabled: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, severity: Mapping[str, Severity], disable: Iterable[str]) -> "MetaPolicy":
        """From config's `severity:` and `disable:` (which also name ordinary rules)."""
        meta_severity = {rule: level for rule, level in severity.items() if rule in META_RULES}
        return cls(MappingProxyType(meta_severity), frozenset(disable) & frozenset(META_RULES))

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def level(self, rule_id: str) -> Severity:
        return self.severity.get(rule_id, META_RULES[rule_id].severity)


# The most of a directive a meta finding quotes in its `text`.
MAX_META_TEXT = 200


def meta_finding(document: "Document", rule_id: str, start: int, end: int, message: str, policy: MetaPolicy) -> Finding:
    """A finding of meta rule `rule_id` over source[start:end] (a directive)."""
    info = META_RULES[rule_id]
    located = document.located(start, end)
    if len(located["text"]) > MAX_META_TEXT:
        # A directive can be any length (5,000 rule ids); its start and end
        # still say exactly where it is.
        located["text"] = located["text"][:MAX_META_TEXT] + "…"
    return Finding(
        **located,
        rule=rule_id,
        category=META_CATEGORY,
        severity=policy.level(rule_id),
        message=message,
        suggestion=info.help,
        source=META_SOURCE,
        requires=None,
        cues=(),
    )
