"""Compile the pattern table (see `patterns`) into spaCy matchers, and run them.

A match's label names the purpose and the rule, e.g. "line:cure-claim" or
"satisfy0:missing-dshea-statement"; overlapping matches of one label are
merged into one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from . import lexref
from .patterns import DEPENDENCY, LEMMA, PHRASE, TOKEN, PatternEntry, PatternTable
from .tagging import inflections

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


@dataclass(frozen=True)
class RawMatch:
    """A matcher hit in one spaCy Doc (token indices, end exclusive)."""

    label: str
    start: int
    end: int
    anchor: int  # the token whose clause decides the context cues
    nodes: tuple[int, ...]  # every token a pattern named (all tokens of the span for sequences)


def _expand_pattern(pattern: Sequence[Mapping]) -> list[dict]:
    return [lexref.expand(dict(token)) for token in pattern]


class PatternMatchers:
    """The pattern table compiled for spaCy, run entry by entry.

    All phrases share one PhraseMatcher (it costs one hash lookup per
    token). Every other entry gets its own Matcher or DependencyMatcher,
    built the first time a sentence needs it, so a run pays only for the
    patterns its text could match, and a sentence is matched only against
    the entries the prefilter names for it. Results are combined in table
    order, so they do not depend on which other entries ran.
    """

    def __init__(self, nlp: "Language", table: PatternTable) -> None:
        from spacy.matcher import PhraseMatcher

        self._vocab = nlp.vocab
        self._strings = nlp.vocab.strings
        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._entries = {entry.key: entry for entry in table.entries if entry.kind != PHRASE}
        self._order = {entry.key: i for i, entry in enumerate(table.entries)}
        self._built: dict[str, Callable[["Doc"], list[RawMatch]]] = {}
        for entry in table.entries:
            if entry.kind == PHRASE:
                self._phrases.add(entry.label, [nlp.make_doc(p) for p in entry.content])

    def needs_parse(self, keys: Iterable[str]) -> bool:
        return any(self._entries[key].needs_parse for key in keys if key in self._entries)

    def __call__(self, doc: "Doc", keys: Iterable[str]) -> list[RawMatch]:
        """Matches in `doc` of the phrases and of the entries named by `keys`."""
        found: dict[tuple[str, int, int], RawMatch] = {}
        for key, start, end in self._phrases(doc):
            label = self._strings[key]
            found.setdefault((label, start, end), RawMatch(label, start, end, doc[start:end].root.i, tuple(range(start, end))))
        for key in sorted((k for k in keys if k in self._entries), key=self._order.__getitem__):
            for match in self._matcher(key)(doc):
                found.setdefault((match.label, match.start, match.end), match)
        return _longest_per_label(found.values())

    def _matcher(self, key: str) -> Callable[["Doc"], list[RawMatch]]:
        if key not in self._built:
            entry = self._entries[key]
            build = {LEMMA: _lemma_matcher, TOKEN: _token_matcher, DEPENDENCY: _dependency_matcher}[entry.kind]
            self._built[key] = build(self._vocab, entry)
        return self._built[key]


def _lemma_matcher(vocab: "Vocab", entry: PatternEntry) -> Callable[["Doc"], list[RawMatch]]:
    from spacy.matcher import Matcher

    words = entry.content.split()
    matcher = Matcher(vocab)
    # LEMMA needs the tagger; the NORM inflections also catch title-case
    # headings, where a verb is often tagged PROPN and keeps its surface form
    # as its lemma.
    matcher.add(entry.label, [[{"LEMMA": w} for w in words], [{"NORM": {"IN": sorted(inflections(w))}} for w in words]])

    def run(doc: "Doc") -> list[RawMatch]:
        return [RawMatch(entry.label, start, end, doc[start:end].root.i, tuple(range(start, end))) for _, start, end in matcher(doc)]

    return run


def _token_matcher(vocab: "Vocab", entry: PatternEntry) -> Callable[["Doc"], list[RawMatch]]:
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    matcher.add(entry.label, [_expand_pattern(entry.content)])
    gaps = _gap_elements(entry.content)

    def run(doc: "Doc") -> list[RawMatch]:
        found = []
        for _, start, end, alignment in matcher(doc, with_alignments=True):
            # Tokens a wildcard gap swallowed are not part of the claim: the
            # "not" in "my pain was not gone" still negates it.
            nodes = tuple(start + i for i, element in enumerate(alignment) if element not in gaps)
            found.append(RawMatch(entry.label, start, end, doc[start:end].root.i, nodes))
        return found

    return run


def _dependency_matcher(vocab: "Vocab", entry: PatternEntry) -> Callable[["Doc"], list[RawMatch]]:
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(vocab)
    matcher.add(entry.label, [_expand_pattern_dep(entry.content)])

    def run(doc: "Doc") -> list[RawMatch]:
        found = []
        for _, token_ids in matcher(doc):
            start, end = min(token_ids), max(token_ids) + 1
            # The first node of a dependency pattern is its anchor by construction.
            found.append(RawMatch(entry.label, start, end, token_ids[0], tuple(sorted(token_ids))))
        return found

    return run


def _gap_elements(pattern: Sequence[Mapping]) -> frozenset[int]:
    """Indices of repeatable elements ("*", "+", "{m,n}"): the pattern's wildcards."""
    return frozenset(
        i for i, token in enumerate(pattern) if token.get("OP") in ("*", "+") or str(token.get("OP", "")).startswith("{")
    )


def _expand_pattern_dep(pattern: Sequence[Mapping]) -> list[dict]:
    expanded = []
    for node in pattern:
        node = dict(node)
        if "RIGHT_ATTRS" in node:
            node["RIGHT_ATTRS"] = lexref.expand(dict(node["RIGHT_ATTRS"]))
        expanded.append(node)
    return expanded


def _longest_per_label(matches: Iterable[RawMatch]) -> list[RawMatch]:
    """Merge overlapping matches of one label into a single match.

    "Ketamine is safe" (a dependency pattern) and "safe and effective" (a
    phrase) from one rule are one claim, reported once over their union; the
    longest part keeps its anchor, so context is judged on the main claim word.
    """
    by_label: dict[str, list[RawMatch]] = {}
    for match in matches:
        by_label.setdefault(match.label, []).append(match)
    merged: list[RawMatch] = []
    for label, group in by_label.items():
        group.sort(key=lambda m: (m.start, -m.end))
        current = group[0]
        main = current
        for match in group[1:]:
            if match.start < current.end:
                if match.end - match.start > main.end - main.start:
                    main = match
                current = RawMatch(
                    label, current.start, max(current.end, match.end), main.anchor,
                    tuple(sorted(set(current.nodes) | set(match.nodes))),
                )
            else:
                merged.append(current)
                current = main = match
        merged.append(current)
    return sorted(merged, key=lambda m: (m.start, m.end, m.label))
