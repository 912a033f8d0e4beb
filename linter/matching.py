"""Compile every rule's match spec into shared spaCy matchers, and run them.

One PhraseMatcher, one Matcher and one DependencyMatcher serve all rules
(as spaCy's SpanRuler does); the match key is a label naming the purpose and
the rule, e.g. "line:cure-claim" or "satisfy:missing-dshea-statement".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from . import lexref
from .tagging import inflections

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .model import MatchSpec


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


class CompiledMatchers:
    def __init__(self, nlp: "Language", specs: Iterable[tuple[str, "MatchSpec"]]) -> None:
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._tokens = Matcher(nlp.vocab)
        self._dependency = DependencyMatcher(nlp.vocab)
        self._strings = nlp.vocab.strings
        self.needs_parse = False
        self._gaps: dict[str, frozenset[int]] = {}
        for label, spec in specs:
            if spec.phrases:
                self._phrases.add(label, [nlp.make_doc(p) for p in spec.phrases])
            for lemmas in spec.lemmas:
                words = lemmas.split()
                # LEMMA needs the tagger; the NORM inflections also catch
                # title-case headings, where a verb is often tagged PROPN and
                # keeps its surface form as its lemma.
                self._tokens.add(label, [[{"LEMMA": w} for w in words]])
                self._tokens.add(label, [[{"NORM": {"IN": sorted(inflections(w))}} for w in words]])
            for index, pattern in enumerate(spec.patterns):
                # One key per pattern, so a match's alignment can be read
                # against the pattern that produced it.
                key = f"{label}#{index}"
                self._tokens.add(key, [_expand_pattern(pattern)])
                self._gaps[key] = _gap_elements(pattern)
            if spec.dependency:
                self.needs_parse = True
                self._dependency.add(label, [_expand_pattern_dep(p) for p in spec.dependency])

    def __call__(self, doc: "Doc") -> list[RawMatch]:
        found: dict[tuple[str, int, int], RawMatch] = {}
        for key, start, end in self._phrases(doc):
            label = self._strings[key]
            found.setdefault((label, start, end), RawMatch(label, start, end, doc[start:end].root.i, tuple(range(start, end))))
        for key, start, end, alignment in self._tokens(doc, with_alignments=True):
            name = self._strings[key]
            label, _, _ = name.partition("#")
            gaps = self._gaps.get(name, frozenset())
            # Tokens a wildcard gap swallowed are not part of the claim: the
            # "not" in "my pain was not gone" still negates it.
            nodes = tuple(start + i for i, element in enumerate(alignment) if element not in gaps)
            found.setdefault((label, start, end), RawMatch(label, start, end, doc[start:end].root.i, nodes))
        for key, token_ids in self._dependency(doc):
            label = self._strings[key]
            start, end = min(token_ids), max(token_ids) + 1
            # The first node of a dependency pattern is its anchor by construction.
            found.setdefault((label, start, end), RawMatch(label, start, end, token_ids[0], tuple(sorted(token_ids))))
        return _longest_per_label(found.values())


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
