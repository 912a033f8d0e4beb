"""Lexicon terms as word sequences, and the two questions asked of them.

Two stages look for lexicon terms: the tagger (`tagging`) marks the tokens of
a Doc that a term covers, and the prefilter (`prefilter`) asks, of the raw
words of a sentence, which tags could be present at all. Both expand every
surface form of every term (the term and its `forms`) once, with the tags it
gives, into the word forms each of its words accepts, and index the result by
the forms of its first word; they differ only in how a surface is cut into
words (the pipeline's tokenizer and norms, or a regex over the raw text).
This module holds what they share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

if TYPE_CHECKING:
    from linter.core.model import Lexicon, LexiconTerm

# Per word of a term: the words whose inflections it accepts (the word as
# written and its norm).
WordBases = tuple[frozenset[str], ...]
# A term surface in the tagger's index: its words' bases and the tags it gives.
TermEntry = tuple[WordBases, tuple[str, ...]]

# How `TermIndex.packed` writes entries: ASCII's unit and record separators,
# which no word or tag of a lexicon holds (an index where one does is not packed).
_US, _RS = "\x1f", "\x1e"
_SEPARATORS = re.compile(r"[\x1e\x1f\t\n]")
# One packed entry line: words of bases, a tab, tags.
PACKED_ENTRY = re.compile(r"[^\x1e\x1f\t\n]+(?:[\x1e\x1f][^\x1e\x1f\t\n]+)*\t(?:[^\x1e\x1f\t\n]+(?:\x1f[^\x1e\x1f\t\n]+)*)?")


def _unpacked(line: str) -> TermEntry:
    words, _, tags = line.partition("\t")
    return tuple(frozenset(word.split(_US)) for word in words.split(_RS)), tuple(tags.split(_US)) if tags else ()


def inflections(word: str) -> set[str]:
    """Regular noun and verb forms of a lower-case word (over-generation is harmless)."""
    forms = {word}
    if len(word) <= 2 or not word.isalpha():
        return forms
    forms.update({word + "s", word + "es", word + "ed", word + "ing", word + "d"})
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        forms.update({word[:-1] + "ies", word[:-1] + "ied"})
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        # stop -> stopped, stopping
        forms.update({word + word[-1] + "ed", word + word[-1] + "ing"})
    return forms


def bases(form: str) -> set[str]:
    """Every word whose `inflections` could include `form` (over-generated:
    a base that is no term's word is never looked up). Lets a word set be
    checked against terms as written, without inflecting every term."""
    found = {form}
    for suffix in ("s", "es", "ed", "ing", "d"):
        if form.endswith(suffix):
            found.add(form[: -len(suffix)])
    if form.endswith(("ies", "ied")):
        found.add(form[:-3] + "y")
    if form.endswith("ing"):
        found.add(form[:-3] + "e")
        if len(form) >= 5 and form[-4] == form[-5]:
            found.add(form[:-4])  # stopping -> stop
    if form.endswith("ed") and len(form) >= 4 and form[-3] == form[-4]:
        found.add(form[:-3])  # stopped -> stop
    return found


def term_tag(lexicon: str, term: str) -> str:
    """The tag naming one term itself ("drugs:ketamine"), for checks that need
    to know which drug or condition matched (the off-label table)."""
    return f"{lexicon}:{' '.join(term.casefold().split())}"


@dataclass(frozen=True)
class TermSurface:
    """One way a term is written (the term or one of its `forms`) and the tags it gives."""

    text: str
    tags: tuple[str, ...]  # sorted: the lexicon's name and tags, the term's tags, the term's own tag


def surface_tags(lexicon: "Lexicon", term: "LexiconTerm") -> tuple[str, ...]:
    """The tags every surface of `term` gives (see TermSurface.tags)."""
    return tuple(sorted({*lexicon.tags_of(term), term_tag(lexicon.name, term.text)}))


def term_surfaces(lexicons: Sequence["Lexicon"]) -> Iterator[TermSurface]:
    for lexicon in lexicons:
        for term in lexicon.terms:
            tags = surface_tags(lexicon, term)
            for surface in (term.text, *term.forms):
                yield TermSurface(surface, tags)


class TermIndex:
    """Terms as sequences of words, each word given by its bases (the term's
    word and its norm): a token matches a word when its NORM is one of the
    regular inflections of one of those bases. Indexed by the bases of a
    term's first word, and a token is taken back to the words it could
    inflect (`bases`) to look them up, so that no term is inflected when
    the index is built (thousands of terms, a tenth of a second at every
    start); each base is inflected once, when a token first asks for it.
    Exact: every inflection of a word leads back to it (`bases` is tested
    to undo each one), and a candidate is kept only if the token is one."""

    def __init__(self, packed: Mapping[str, str] | None = None) -> None:
        """An empty index (see `add`), or one read back from `packed()`."""
        self._by_first: dict[str, list[TermEntry]] = {}
        # First-word base -> its entries as `packed()` wrote them, unpacked
        # when a token first asks (a run meets a small part of the lexicons).
        self._packed: Mapping[str, str] = packed or {}
        self._inflections: dict[str, set[str]] = {}  # base -> its inflections, once asked
        self._firsts: dict[str, tuple[str, ...]] = {}  # a token's NORM -> its bases that begin a term

    def add(self, words: WordBases, tags: tuple[str, ...]) -> None:
        """Index one surface (ignored if it has no words)."""
        if not words:
            return
        entry = (words, tags)
        for base in words[0]:
            self._by_first.setdefault(base, []).append(entry)

    def packed(self) -> dict[str, str] | None:
        """The index as text, by first-word base: per entry, each word's
        bases (joined by US), its words (joined by RS), a tab, its tags
        (joined by US); one entry per line. None if a base or tag holds one
        of those separators (it cannot then be written this way)."""
        lines: dict[str, list[str]] = {base: [packed] for base, packed in self._packed.items()}  # as read
        for base, entries in self._by_first.items():
            if base in self._packed:
                continue  # unpacked from the text above
            for words, tags in entries:
                parts = [*tags, *(b for word in words for b in word)]
                if any(_SEPARATORS.search(part) or not part for part in parts):
                    return None
                lines.setdefault(base, []).append(
                    _RS.join(_US.join(sorted(word)) for word in words) + "\t" + _US.join(tags))
        return {base: "\n".join(found) for base, found in lines.items()}

    def _starting_with(self, base: str) -> list[TermEntry]:
        found = self._by_first.get(base)
        if found is None:
            found = self._by_first[base] = [_unpacked(line) for line in self._packed[base].split("\n")]
        return found

    def _begins_a_term(self, base: str) -> bool:
        return base in self._by_first or base in self._packed

    def _accepts(self, word_bases: frozenset[str], norm: str) -> bool:
        """Is `norm` an inflection of one of `word_bases`?"""
        memo = self._inflections
        for base in word_bases:
            forms = memo.get(base)
            if forms is None:
                forms = memo[base] = inflections(base)
            if norm in forms:
                return True
        return False

    def covering(self, words: Sequence[str]) -> dict[int, set[str]]:
        """The tags of every position of `words` (a Doc's NORMs) that a term's
        word sequence covers, by position (positions no term covers absent)."""
        collected: dict[int, set[str]] = {}
        firsts = self._firsts
        for i, word in enumerate(words):
            starts = firsts.get(word)
            if starts is None:
                starts = firsts[word] = tuple(base for base in bases(word) if self._begins_a_term(base))
            seen: set[int] = set()
            for base in starts:
                for entry in self._starting_with(base):
                    if id(entry) in seen:
                        continue  # listed under another base of the same word
                    seen.add(id(entry))
                    forms, tags = entry
                    end = i + len(forms)
                    if end <= len(words) and all(self._accepts(forms[k], words[i + k]) for k in range(len(forms))):
                        for j in range(i, end):
                            collected.setdefault(j, set()).update(tags)
        return collected


class TermWordSets:
    """The prefilter's question, which tags could a sentence with these words
    carry? Each surface of each term is a set of words as written (cut
    from the raw surface), found when all its words are present, in any
    order, and gives its tags. Indexed by its longest word, rarer than most
    first words ("a", "in", "for" begin many terms and most sentences)."""

    def __init__(self, surfaces: Iterable[tuple[Sequence[str], tuple[str, ...]]]) -> None:
        self._by_longest: dict[str, list[tuple[frozenset[str], tuple[str, ...]]]] = {}
        words: set[str] = set()
        for cut_words, tags in surfaces:
            if cut_words:
                self._by_longest.setdefault(max(cut_words, key=len), []).append((frozenset(cut_words), tags))
                words.update(cut_words)
        self.words = frozenset(words)  # every word of every term: `present` looks at no other

    @classmethod
    def of_lexicons(cls, lexicons: Sequence["Lexicon"], cut: Callable[[str], Sequence[str]]) -> "TermWordSets":
        """Every surface of every term, cut into words by `cut`, with its tags."""
        return cls(term_word_sets(lexicons, cut))

    def present(self, words: set[str]) -> set[str]:
        """The tags of every term all of whose words are in `words`."""
        found: set[str] = set()
        for word in words:
            for needed, tags in self._by_longest.get(word, ()):
                if needed <= words:
                    found.update(tags)
        return found


def term_word_sets(lexicons: Sequence["Lexicon"], cut: Callable[[str], Sequence[str]]) -> Iterator[tuple[list[str], tuple[str, ...]]]:
    """(the words `cut` finds in a surface, its tags) for every surface of every term."""
    for surface in term_surfaces(lexicons):
        yield list(cut(surface.text)), surface.tags
