"""Compile the pattern table (see `patterns`) into spaCy matchers, and run them.

A match's label names the purpose and the rule, e.g. "line:cure-claim" or
"satisfy0:missing-dshea-statement"; overlapping matches of one label are
merged into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from linter.core.limits import MATCH_WINDOW_OVERLAP, MATCH_WINDOW_TOKENS
from linter.packs import lex_sugar as lexref
from linter.engine.patterns import DEPENDENCY, LEMMA, PHRASE, PatternEntry, PatternTable
from linter.engine.lexicon_terms import inflections

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
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
    return [lexref.native(lexref.expand(dict(token))) for token in pattern]


# Matchers kept for reuse. A run meets a few hundred combinations of a
# rule's patterns; the bound only matters for text built to meet more.
MAX_BUILT_MATCHERS = 2_000


class PatternMatchers:
    """The pattern table compiled for spaCy, run for the entries a sentence needs.

    All phrases share one PhraseMatcher (it costs one hash lookup per
    token). The other entries of a rule's spec are grouped (its token and
    lemma patterns, its dependency patterns), and a sentence runs, for each
    group, one matcher holding exactly the entries the prefilter named for
    it, built the first time that choice is met: a run pays only for the
    patterns its text could match, with one matcher call per rule. Results
    are combined in table order, so they do not depend on which other
    entries ran.
    """

    def __init__(self, nlp: "Language", table: PatternTable) -> None:
        from spacy.matcher import PhraseMatcher

        self._vocab = nlp.vocab
        self._strings = nlp.vocab.strings
        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._entries = {entry.key: entry for entry in table.entries if entry.kind != PHRASE}
        self._order = {entry.key: i for i, entry in enumerate(table.entries)}
        self._groups: dict[tuple[str, bool, bool], list[PatternEntry]] = {}
        for entry in table.entries:
            if entry.kind == PHRASE:
                self._phrases.add(entry.label, [nlp.make_doc(p) for p in entry.content])
            else:
                self._groups.setdefault(_group_of(entry), []).append(entry)
        self._built: dict[tuple[tuple[str, bool, bool], frozenset[str]], Callable[["Doc"], list[tuple[str, RawMatch]]]] = {}
        self._everything: tuple[Callable[["Doc"], list[tuple[str, RawMatch]]], ...] | None = None

    def needs_parse(self, keys: Iterable[str]) -> bool:
        return any(self._entries[key].needs_parse for key in keys if key in self._entries)

    def __call__(self, doc: "Doc", keys: Iterable[str]) -> list[RawMatch]:
        """Matches in `doc` of the phrases and of the entries named by `keys`."""
        chosen: dict[tuple[str, bool, bool], set[str]] = {}
        for key in keys:
            if key in self._entries:
                chosen.setdefault(_group_of(self._entries[key]), set()).add(key)
        return self._combined(doc, [self._matcher(group, frozenset(chosen[group])) for group in sorted(chosen)])

    def every(self, doc: "Doc") -> list[RawMatch]:
        """Matches in `doc` of every entry, from one Matcher and one
        DependencyMatcher holding all patterns (the full-parse mode, which
        must not depend on the prefilter's choices)."""
        if self._everything is None:
            sequences = [e for e in self._entries.values() if e.kind != DEPENDENCY]
            trees = [e for e in self._entries.values() if e.kind == DEPENDENCY]
            # An empty spaCy matcher warns at every call: build only what has patterns.
            self._everything = (
                *((_token_matcher(self._vocab, sequences),) if sequences else ()),
                *((_dependency_matcher(self._vocab, trees),) if trees else ()),
            )
        return self._combined(doc, self._everything)

    def _combined(self, doc: "Doc", runs: Iterable[Callable[["Doc"], list[tuple[str, RawMatch]]]]) -> list[RawMatch]:
        found: dict[tuple[str, int, int], RawMatch] = {}
        for match_id, start, end in self._phrases(doc):
            label = self._strings[match_id]
            found.setdefault((label, start, end), RawMatch(label, start, end, doc[start:end].root.i, tuple(range(start, end))))
        by_key: dict[str, list[RawMatch]] = {}
        for run in runs:
            for key, match in run(doc):
                by_key.setdefault(key, []).append(match)
        for key in sorted(by_key, key=self._order.__getitem__):
            for match in by_key[key]:
                found.setdefault((match.label, match.start, match.end), match)
        return _longest_per_label(found.values())

    def _matcher(self, group: tuple[str, bool, bool], keys: frozenset[str]) -> Callable[["Doc"], list[tuple[str, RawMatch]]]:
        """The matcher for these entries of one group (built once per choice:
        a text meets few distinct combinations of a rule's patterns)."""
        if (group, keys) not in self._built:
            if len(self._built) >= MAX_BUILT_MATCHERS:
                self._built.clear()  # text that meets ever new combinations: start again
            build = _dependency_matcher if group[1] else _token_matcher
            self._built[group, keys] = build(self._vocab, [e for e in self._groups[group] if e.key in keys])
        return self._built[group, keys]


def _group_of(entry: PatternEntry) -> tuple[str, bool, bool]:
    """Entries sharing a matcher: a label's dependency patterns, its sequences
    that need the parse, or its sequences that do not (those also run on
    Docs that were only tokenized)."""
    return entry.label, entry.kind == DEPENDENCY, entry.needs_parse


def _token_matcher(vocab: "Vocab", entries: Sequence[PatternEntry]) -> Callable[["Doc"], list[tuple[str, RawMatch]]]:
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    gaps: dict[int, frozenset[int]] = {}
    spans: dict[int, int] = {}  # the longest match of a pattern whose gap was unbounded
    at_end: dict[str, PatternEntry] = {}  # pattern keys valid only at the text's end
    for entry in entries:
        if entry.kind == LEMMA:
            words = entry.content.split()
            # LEMMA needs the tagger; the NORM inflections also catch
            # title-case headings, where a verb is often tagged PROPN and
            # keeps its surface form as its lemma.
            matcher.add(entry.key, [[{"LEMMA": w} for w in words], [{"NORM": {"IN": sorted(inflections(w))}} for w in words]])
        else:
            pattern, longest = _unbounded(_expand_pattern(entry.content))
            matcher.add(entry.key, [pattern])
            gaps[vocab.strings[entry.key]] = _gap_elements(entry.content)
            if longest is not None:
                spans[vocab.strings[entry.key]] = longest
            if _ends_in_negation(pattern):
                # "not followed by 'for'" also holds where the text ends, but
                # spaCy's "!" needs a token to reject: run the pattern without
                # it too, and keep those matches only at the end (see run).
                key = entry.key + END_SUFFIX
                at_end[key] = entry
                matcher.add(key, [pattern[:-1]])
                gaps[vocab.strings[key]] = gaps[vocab.strings[entry.key]]
                if longest is not None:
                    spans[vocab.strings[key]] = longest - 1
    labels = {vocab.strings[entry.key]: (entry.key, entry.label) for entry in entries}
    labels.update({vocab.strings[key]: (entry.key, entry.label) for key, entry in at_end.items()})
    at_end_ids = frozenset(vocab.strings[key] for key in at_end)

    def run(doc: "Doc") -> list[tuple[str, RawMatch]]:
        found = []
        seen: set[tuple[int, int, int]] = set()
        for offset, part in windows(doc):
            for match_id, start, end, alignment in matcher(part, with_alignments=True):  # type: ignore[misc]  # spaCy's stub omits the alignment
                start, end = start + offset, end + offset
                if (match_id, start, end) not in seen:  # found again in the overlap of the next window
                    seen.add((match_id, start, end))
                    found.extend(keep(doc, match_id, start, end, alignment))
        return found

    def keep(doc: "Doc", match_id: int, start: int, end: int, alignment: list[int]) -> list[tuple[str, RawMatch]]:
        if end - start > spans.get(match_id, end - start):
            return []  # a gap longer than its "{m,n}" allows
        if match_id in at_end_ids and end != _text_end(doc):
            return []  # the "!" element was left off: valid only at the end
        key, label = labels[match_id]
        # Tokens a wildcard gap swallowed are not part of the claim: the
        # "not" in "my pain was not gone" still negates it.
        skip = gaps.get(match_id, frozenset())
        nodes = tuple(start + i for i, element in enumerate(alignment) if element not in skip)
        return [(key, RawMatch(label, start, end, doc[start:end].root.i, nodes))]

    return run


def windows(doc: "Doc") -> Iterator[tuple[int, "Doc | Span"]]:
    """(offset, the tokens a token matcher runs over): the whole Doc, or for
    a sentence longer than MATCH_WINDOW_TOKENS overlapping windows of it
    (see limits), so that the matcher's work grows linearly with the length."""
    if len(doc) <= MATCH_WINDOW_TOKENS:
        yield 0, doc
        return
    step = MATCH_WINDOW_TOKENS - MATCH_WINDOW_OVERLAP
    for start in range(0, len(doc) - MATCH_WINDOW_OVERLAP, step):
        yield start, doc[start : start + MATCH_WINDOW_TOKENS]


def _dependency_matcher(vocab: "Vocab", entries: Sequence[PatternEntry]) -> Callable[["Doc"], list[tuple[str, RawMatch]]]:
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(vocab)
    for entry in entries:
        matcher.add(entry.key, [_expand_pattern_dep(entry.content)])
    labels = {vocab.strings[entry.key]: (entry.key, entry.label) for entry in entries}

    def run(doc: "Doc") -> list[tuple[str, RawMatch]]:
        found = []
        for match_id, token_ids in matcher(doc):
            key, label = labels[match_id]
            start, end = min(token_ids), max(token_ids) + 1
            # The first node of a dependency pattern is its anchor by construction.
            found.append((key, RawMatch(label, start, end, token_ids[0], tuple(sorted(token_ids)))))
        return found

    return run


def _unbounded(pattern: list[dict]) -> tuple[list[dict], int | None]:
    """A pattern whose only repeat is "{0,n}" or "{1,n}", with that repeat
    made "*" or "+", and the longest match the original allows (None: the
    pattern is returned as it was).

    spaCy unrolls "{0,12}" into twelve optional tokens, which makes a
    matcher state for every way of skipping them: the unrolled gap of one
    rule cost more than all other patterns together. With every other
    element a single token, a match's length fixes the gap's length, so
    the bound is checked on the result instead.
    """
    repeats = [i for i, token in enumerate(pattern) if token.get("OP")]
    if len(repeats) != 1:
        return pattern, None
    (index,) = repeats
    bounds = re.fullmatch(r"\{([01]?),(\d+)\}", str(pattern[index]["OP"]))
    if bounds is None:
        return pattern, None
    unrolled = dict(pattern[index], OP="+" if bounds.group(1) == "1" else "*")
    return [*pattern[:index], unrolled, *pattern[index + 1 :]], len(pattern) - 1 + int(bounds.group(2))


END_SUFFIX = "#end"


def _ends_in_negation(pattern: Sequence[Mapping]) -> bool:
    """Does the pattern end with a "!" element ("not followed by ...")?"""
    return len(pattern) > 1 and pattern[-1].get("OP") == "!"


def _text_end(doc: "Doc") -> int:
    """The index after the last token that is not whitespace."""
    end = len(doc)
    while end and doc[end - 1].is_space:
        end -= 1
    return end


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
            node["RIGHT_ATTRS"] = lexref.native(lexref.expand(dict(node["RIGHT_ATTRS"])))
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
