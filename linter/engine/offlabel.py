"""The off-label table: which conditions each drug is approved for.

The table is data: `approved_for` lists on terms of the drugs lexicon
(rules/lexicons/drugs.yaml). A rule with `unapproved_use_only: true` keeps a
match only when it pairs a listed drug with a condition outside its list, so
"esketamine for treatment-resistant depression" passes while "ketamine for
depression" is off-label promotion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from linter.engine.lexicon_terms import term_tag

if TYPE_CHECKING:
    from linter.core.model import Lexicon
    from linter.engine.tagging import TokenTags

CONDITIONS = "conditions"


@dataclass(frozen=True)
class ApprovalTable:
    # drug term tag ("drugs:ketamine") -> condition term tags it is approved for
    approved: Mapping[str, frozenset[str]]

    @classmethod
    def from_lexicons(cls, lexicons: Iterable["Lexicon"]) -> "ApprovalTable":
        table = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                if term.approved_for is not None:
                    conditions = frozenset(term_tag(CONDITIONS, c) for c in term.approved_for)
                    table[term_tag(lexicon.name, term.text)] = conditions
        return cls(table)

    def is_unapproved_use(self, tags_by_token: "TokenTags", nodes: Iterable[int]) -> bool:
        """True unless every condition the match names is approved for every
        listed drug it names. A match naming a listed drug and no condition
        (home use, a generic "same as" claim) counts as unapproved."""
        tags = [set(tags_by_token.get(i, ())) for i in nodes]
        drugs = {tag for token_tags in tags for tag in token_tags if tag in self.approved}
        if not drugs:
            return True
        condition_tokens = [t for t in tags if CONDITIONS in t]
        if not condition_tokens:
            return True
        for drug in drugs:
            allowed = self.approved[drug]
            if any(not (token_tags & allowed) for token_tags in condition_tokens):
                return True
        return False
