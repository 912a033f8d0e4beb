"""The attribute ruler's matches, found by table lookup.

The English pipeline's attribute ruler maps each fine-grained tag (and a
few words) to a part of speech, morphology and lemma, with about 180
one-token patterns run through a spaCy Matcher. The Matcher tries every
pattern at every token, which made the ruler as slow as the parser itself.
Nearly all of its patterns test only the tag and the lower-case word, so
they can be looked up by tag instead; the few others (several tokens,
dependency labels, regular expressions) still run through a Matcher, and
only on a Doc that holds, for one of them, a word each of its tokens
requires (spaCy's Matcher costs as much per call as the lookups per Doc:
"gon na", "y' all", "there is" are rare). The
ruler then applies the matches itself, in its own order, so the result is
the same (a test compares every token's attributes with the stock ruler).

Replacing a live component's `match` relies on how spaCy's AttributeRuler
calls it, so it is done only on a spaCy release it was checked against
(`versions.CHECKED_SPACY`); on any other the stock ruler runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Mapping, Union

from linter.spacy_compat.versions import spacy_checked

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

Match = tuple[int, int, int, int]  # (pattern index, match id, start, end), as the ruler sorts them
Entry = tuple[int, int, tuple]  # (pattern index, match id, the tests left to check)
# What one token of a pattern needs of a Doc: a value among these hashes in
# a column of the token arrays (see ATTRIBUTES), or a word whose lower-case
# text the expression finds something in.
WordNeed = Union["tuple[int, frozenset[int]]", "re.Pattern[str]"]
# Lower-case words (hash, expression), and tokens' values, remembered before
# the memo starts again.
REGEX_MEMO_SIZE = TOKEN_MEMO_SIZE = 100_000


def index_attribute_ruler(nlp: "Language", spacy_version: str | None = None) -> bool:
    """Give the pipeline's attribute ruler (if it has one) the indexed
    `match`, on a checked spaCy release; whether it did."""
    if not spacy_checked(spacy_version):
        return False
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = IndexedMatch(ruler)  # type: ignore[attr-defined, arg-type]  # an AttributeRuler
        return True
    return False


class IndexedMatch:
    """A drop-in for `AttributeRuler.match`."""

    def __init__(self, ruler: "AttributeRuler") -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self._attrs = [TAG, LOWER, DEP, IS_SPACE]
        # Per attribute: value -> the entries that need exactly that value
        # (each entry is filed under one such test); then the unfiled ones.
        self._index: tuple[dict[int, list[Entry]], ...] = tuple({} for _ in ATTRIBUTES)
        self._unfiled: list[Entry] = []
        self._rest = Matcher(ruler.vocab)
        self._rest_needs: list[tuple[WordNeed, ...]] = []  # per pattern of `_rest`
        self._regex_hits: dict[tuple[str, int], bool] = {}
        # A token's one-token matches depend only on its values (see
        # ATTRIBUTES), which repeat from word to word: worked out once each.
        self._token_matches: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}
        for index, entry in enumerate(ruler.patterns):
            key = str(index)  # the ruler's own match key for this pattern
            match_id = strings.add(key)
            for pattern in entry["patterns"]:  # type: ignore[union-attr]  # a list of token patterns
                tests = _one_token_tests(pattern, strings.add)  # type: ignore[arg-type]
                if tests is None:
                    self._rest.add(key, [pattern])  # type: ignore[list-item]
                    self._rest_needs.append(_word_needs(pattern, strings.add))  # type: ignore[arg-type]
                    continue
                filed = next((i for i, (attr, wanted, _) in enumerate(tests) if wanted), None)
                if filed is None:
                    self._unfiled.append((index, match_id, tests))
                    continue
                attr, _, values = tests[filed]
                others = tests[:filed] + tests[filed + 1 :]
                for value in values:
                    self._index[attr].setdefault(value, []).append((index, match_id, others))
        self._strings = strings

    def __call__(self, doc: "Doc") -> list[Match]:
        matches: list[Match] = []
        append = matches.append
        rows = doc.to_array(self._attrs).tolist()
        memo = self._token_matches
        if len(memo) > TOKEN_MEMO_SIZE:
            memo.clear()  # text of unbounded vocabulary: start again
        for position, values in enumerate(rows):
            key = tuple(values)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._one_token_matches(values)
            for pattern, match_id in found:
                append((pattern, match_id, position, position + 1))
        if self._rest_needs and self._rest_may_match([set(column) for column in zip(*rows)]):
            for match_id, start, end in self._rest(doc, allow_missing=True, as_spans=False):
                append((int(self._strings[match_id]), match_id, start, end))
        matches.sort()
        return matches

    def _one_token_matches(self, values: list[int]) -> tuple[tuple[int, int], ...]:
        """(pattern index, match id) of the one-token patterns a token with
        these values (see ATTRIBUTES) matches."""
        found = []
        for attr, value in enumerate(values):
            for pattern, match_id, tests in self._index[attr].get(value, ()):
                if all((values[a] in accepted) == wanted for a, wanted, accepted in tests):
                    found.append((pattern, match_id))
        for pattern, match_id, tests in self._unfiled:
            if all((values[a] in accepted) == wanted for a, wanted, accepted in tests):
                found.append((pattern, match_id))
        return tuple(found)

    def _rest_may_match(self, columns: list[set[int]]) -> bool:
        """Could one of the Matcher's patterns match a Doc whose token arrays
        hold these values (per column)? Each test a pattern's tokens must
        pass needs a value of the Doc to pass it."""
        return any(all(self._found(need, columns) for need in needs) for needs in self._rest_needs)

    def _found(self, need: WordNeed, columns: list[set[int]]) -> bool:
        if isinstance(need, tuple):
            column, values = need
            return not values.isdisjoint(columns[column])
        lowers = columns[1]
        memo = self._regex_hits
        if len(memo) > REGEX_MEMO_SIZE:
            memo.clear()  # text of unbounded vocabulary: start again
        for lower in lowers:
            hit = memo.get((need.pattern, lower))
            if hit is None:
                # The Matcher searches a token's LOWER text with the expression.
                hit = memo[(need.pattern, lower)] = need.search(self._strings[lower]) is not None
            if hit:
                return True
        return False


def _word_needs(pattern: list[Mapping[str, Any]], add: Any) -> tuple[WordNeed, ...]:
    """What the tokens of a Matcher pattern need of a Doc: one need per test
    of a token that must be present on a looked-up attribute (TAG, LOWER,
    DEP) by value or list, or on LOWER by expression; value tests first
    (they are cheaper to check). Anything else (other attributes, optional
    tokens, NOT_IN) needs nothing."""
    tests: list[WordNeed] = []
    expressions: list[WordNeed] = []
    for token in pattern:
        if str(token.get("OP", "")) not in ("", "+", "1"):
            continue
        for column, name in enumerate(ATTRIBUTES[:3]):
            value = token.get(name)
            if isinstance(value, str):
                tests.append((column, frozenset({add(value)})))
            elif isinstance(value, Mapping) and set(value) == {"IN"}:
                # The empty string is spaCy's "not set", whose hash is 0.
                tests.append((column, frozenset(add(str(w)) if w else 0 for w in value["IN"])))
            elif name == "LOWER" and isinstance(value, Mapping) and set(value) == {"REGEX"}:
                expressions.append(re.compile(str(value["REGEX"])))
    return (*tests, *expressions)


# The attributes a one-token pattern may test to be looked up, in the
# order of the token arrays. A test is (attribute, wanted, values): the
# token's value must be among `values` if `wanted`, else not among them.
ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")
Test = tuple[int, bool, "frozenset[int]"]


def _one_token_tests(pattern: list[Mapping[str, Any]], add: Any) -> "tuple[Test, ...] | None":
    """The tests of a one-token pattern on the attributes above, with values
    as hashes; None for any other pattern (several tokens, regular
    expressions...)."""
    if len(pattern) != 1 or not set(pattern[0]) <= set(ATTRIBUTES):
        return None
    tests: list[Test] = []
    for attr, name in enumerate(ATTRIBUTES):
        value = pattern[0].get(name)
        if value is None:
            continue
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append((attr, True, frozenset({int(value)})))
        elif isinstance(value, str):
            tests.append((attr, True, frozenset({add(value)})))
        elif isinstance(value, Mapping) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((operator, words),) = value.items()
            # The empty string is spaCy's "not set", whose hash is 0.
            tests.append((attr, operator == "IN", frozenset(add(str(w)) if w else 0 for w in words)))
        else:
            return None
    return tuple(tests)
