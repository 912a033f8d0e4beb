"""Links from a finding to its rule's documentation in docs/rules.md.

Each rule of a built-in pack has an anchor in docs/rules.md named by its id
(`docs/rules.md#cure-claim`; rule ids are lowercase letters, digits and
hyphens, so an id is already a valid fragment). The base is the repository
path `docs/rules.md` unless the config sets `docs_url` to where that page
is published (e.g. the file's address on the project's Git host). Rules from
the user's own rule_dirs have no page there, so no link.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_RULES_DOC = "docs/rules.md"


def rule_anchor(rule_id: str) -> str:
    return rule_id


@dataclass(frozen=True)
class RuleDocs:
    base: str = DEFAULT_RULES_DOC
    documented: frozenset[str] = frozenset()  # ids of the rules docs/rules.md lists

    def url(self, rule_id: str) -> str | None:
        if rule_id not in self.documented:
            return None
        return f"{self.base.split('#')[0]}#{rule_anchor(rule_id)}"

    @property
    def absolute(self) -> bool:
        """Whether links are absolute URLs (SARIF's helpUri must be)."""
        return self.base.startswith(("https://", "http://"))
