"""A recall-safe prefilter: which patterns could match a sentence?

Parsing with spaCy is the slow part of linting. Every pattern entry (see
`patterns`: phrases, token patterns, dependency patterns, disclaimer
triggers and satisfiers) names words it needs: literal values (`LOWER`,
`NORM`, `ORTH`), lemmas (`LEMMA`, through the pipeline's tables) or lexicon
tags (`LEX`). A sentence can only match a pattern if it contains at least
one word of every such required element. The engine runs on a sentence
only the entries that pass this test, and a sentence for which none does
cannot produce a finding and is never tokenized.

The test errs on the side of matching: words are over-generated from the
raw text (compounds and their parts, contractions and their expansions,
numbers split from units, punctuation runs and each mark, the tokenizer's
special cases, the norm table's other spellings), elements whose vocabulary cannot be known without the
pipeline (`POS`, `DEP`, `LEMMA` without the tables...) are treated as always
satisfied, and a pattern with no known vocabulary at all makes every
sentence a candidate. No spaCy import is needed here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from linter.packs.lex_sugar import TOKEN_TAGS_EXTENSION
from linter.nlp.pipeline_tables import PipelineTables
from linter.core.model import Lexicon, RuleSet
from linter.engine.patterns import LEMMA, PHRASE, TOKEN, PatternEntry, entries_of, labelled_specs

from linter.nlp.raw_words import normalise, words_of
from linter.engine.lexicon_terms import TermWordSets, bases, inflections

WORD_KEYS = ("LOWER", "NORM", "ORTH", "TEXT")
# Stands for "this unit lies (partly) inside quotation marks" among a unit's
# words; no real word can look like it.
QUOTED_WORD = "\x00quoted"
QUOTE_CUES = frozenset({"quoted", "testimony"})
# Words spaCy's LIKE_NUM accepts besides digits.
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion".split()
)
_RUN = re.compile(r"[^\W_]+")  # a run of letters and digits


@dataclass(frozen=True)
class Requirement:
    """One element a pattern cannot match without: some word, some tag, a
    number, or a word matching a regular expression."""

    words: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    number: bool = False
    regex: str | None = None

    def met(self, words: set[str], tags: set[str]) -> bool:
        if self.words:
            return not self.words.isdisjoint(words)
        if self.tags:
            return not self.tags.isdisjoint(tags)
        if self.number:
            return any(w[:1].isdigit() or w in NUMBER_WORDS for w in words)
        search = _compiled(self.regex or "").search
        return any(search(w) for w in words)


@functools.lru_cache(maxsize=None)
def _compiled(regex: str) -> re.Pattern[str]:
    # One per pattern of the rules (bounded by them): re's own cache holds
    # only 512, fewer than a rule set can name, and is searched at every call.
    return re.compile(regex)


def _accepted(value: object) -> list[str] | None:
    """The values a test accepts: a string, or {IN: [...]} (None: NOT_IN,
    REGEX...: any word might pass)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping) and set(value) == {"IN"}:
        return [str(v) for v in value["IN"]]
    return None


def _value_words(value: object) -> frozenset[str] | None:
    accepted = _accepted(value)
    return None if accepted is None else frozenset(normalise(v) for v in accepted)


def requirements_of(attrs: Mapping, tables: PipelineTables | None = None) -> list[Requirement]:
    """What one token description needs: one requirement per test whose
    vocabulary is knowable (a token must pass all of its tests)."""
    found: list[Requirement] = []
    for key in WORD_KEYS:
        if key in attrs:
            words = _value_words(attrs[key])
            if words is not None:
                found.append(Requirement(words=words))
            elif isinstance(attrs[key], Mapping) and set(attrs[key]) == {"REGEX"}:
                # Words are lower-cased here, so the pattern is applied without case.
                found.append(Requirement(regex="(?i)" + str(attrs[key]["REGEX"])))
    if "LEMMA" in attrs and tables is not None:
        words = _lemma_words(attrs["LEMMA"], tables)
        if words is not None:
            found.append(Requirement(words=words))
    tags = attrs.get("_", {}).get(TOKEN_TAGS_EXTENSION, {}) if isinstance(attrs.get("_"), Mapping) else {}
    if isinstance(tags, Mapping) and "INTERSECTS" in tags:
        found.append(Requirement(tags=frozenset(tags["INTERSECTS"])))
    if attrs.get("LIKE_NUM") is True:
        found.append(Requirement(number=True))
    return found


def _lemma_words(value: object, tables: PipelineTables) -> frozenset[str] | None:
    """Every word that can carry one of the lemmas `value` accepts (None: unknowable)."""
    accepted = _accepted(value)
    if accepted is None:
        return None
    words: set[str] = set()
    for lemma in accepted:
        forms = tables.lemma_forms(lemma)
        if forms is None:
            return None
        words.update(forms)
    return frozenset(words)


def _required(element: Mapping) -> bool:
    op = str(element.get("OP", ""))
    if op in ("", "+"):
        return True
    if op.startswith("{"):
        return not op[1:].startswith(("0", ","))  # "{2,4}" needs one; "{0,3}" and "{,3}" do not
    return False  # "?", "*", "!"


def entry_requirements(entry: PatternEntry, tables: PipelineTables | None = None) -> list[tuple[Requirement, ...]]:
    """The ways a pattern entry can be satisfied: one tuple of requirements
    per alternative (each phrase of a phrase entry is one alternative).
    `tables`: the pipeline's tables; without them a LEMMA test is
    treated as satisfiable by any word."""
    content = entry.content
    if entry.kind == PHRASE:
        return [tuple(Requirement(words=frozenset({w})) for w in _RUN.findall(normalise(p))) for p in content]
    if entry.kind == LEMMA:
        # Matched by LEMMA or by the NORM inflections (see matching).
        found = []
        for word in content.split():
            forms = tables.lemma_forms(word) if tables is not None else None
            if forms is None:
                return [()]
            found.append(Requirement(words=forms | frozenset(inflections(word.lower()))))
        return [tuple(found)]
    if entry.kind == TOKEN:
        elements = [element for element in content if _required(element)]
    else:
        elements = [node.get("RIGHT_ATTRS", {}) for node in content]
    return [tuple(r for element in elements for r in requirements_of(element, tables))]


# Words remembered per run (their norms, their bases) before the memo starts again.
WORD_MEMO_SIZE = 200_000
# Longer pieces of text are worked out every time, not remembered: the
# memo's size stays bounded in bytes whatever a file's "words" are.
MEMO_PIECE_CHARS = 64


class LexiconScan:
    """The lexicon tagger's question, asked of a word set: which tags could be present?"""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        # The same terms as the tagger's, cut into words from the raw surface
        # (no pipeline here). The tagger accepts each word's inflections;
        # here the terms stay as written and a sentence's words are taken
        # back to the words they could inflect (`bases`): the same answer,
        # without inflecting thousands of terms at every start.
        self._index = TermWordSets(lexicons, lambda surface: _RUN.findall(normalise(surface)))
        self._bases: dict[str, frozenset[str]] = {}  # word -> its bases that are term words, worked out once

    def tags(self, words: set[str]) -> set[str]:
        return self._index.present(self.term_bases(words))

    def term_bases(self, words: set[str]) -> set[str]:
        """The bases of `words` that are some term's words: all `tags` needs
        (a term is found from its own words only)."""
        memo = self._bases
        if len(memo) > WORD_MEMO_SIZE:
            memo.clear()  # text of unbounded vocabulary: start again
        found: set[str] = set()
        for word in words:
            known = memo.get(word)
            if known is None:
                known = memo[word] = frozenset(bases(word) & self._index.words)
            found |= known
        return found

    def present(self, term_bases: set[str]) -> set[str]:
        """`tags`, from what `term_bases` returned."""
        return self._index.present(term_bases)


# An entry's key, the word sets it needs a word of each of, its other requirements.
Keyed = tuple[str, tuple[frozenset[str], ...], tuple[Requirement, ...]]


class Prefilter:
    """Which pattern entries (see `patterns`) could match a sentence?"""

    def __init__(self, ruleset: RuleSet, tables: PipelineTables | None = None) -> None:
        self._tables = tables
        # word -> its other norms: a word's norm is looked up by hash, once.
        self._norms: dict[str, frozenset[str]] = {}
        self._scan = LexiconScan(ruleset.lexicons)
        self._always: set[str] = set()  # entries with no knowable requirement
        # Entries indexed by one of their requirements, checked in full on a hit.
        self._by_word: dict[str, list[Keyed]] = {}
        self._by_tag: dict[str, list[Keyed]] = {}
        self._unindexed: list[Keyed] = []  # numbers and regexes only
        # What any requirement can look at: the words it names, words that
        # are numbers, words matching one of its regexes (see `_sift`).
        self._vocabulary: set[str] = {QUOTED_WORD}
        self._regexes: dict[str, re.Pattern[str]] = {}
        # whitespace-separated piece of text -> (its words, its term bases)
        # that some requirement could look at; mostly two empty sets.
        self._pieces: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        for rule in ruleset.rules:
            # A rule that only reports inside quotations needs a quoted unit.
            quoted = (Requirement(words=frozenset({QUOTED_WORD})),) if rule.only_when & QUOTE_CUES else ()
            for label, spec in labelled_specs(rule):
                for entry in entries_of(label, spec):
                    for requirements in entry_requirements(entry, tables):
                        self._add(entry.key, requirements + quoted)

    @property
    def always(self) -> bool:
        """Does some pattern make every sentence a candidate?"""
        return bool(self._always)

    def _add(self, key: str, requirements: tuple[Requirement, ...]) -> None:
        for requirement in requirements:
            self._vocabulary.update(requirement.words)
            if requirement.regex is not None:
                self._regexes[requirement.regex] = _compiled(requirement.regex)
        if not requirements:
            self._always.add(key)
            return
        entry = (key, tuple(r.words for r in requirements if r.words), tuple(r for r in requirements if not r.words))
        keyed = [r for r in requirements if r.words or r.tags]
        if not keyed:
            self._unindexed.append(entry)
            return
        index_by = min(keyed, key=_commonness)
        index = self._by_word if index_by.words else self._by_tag
        for name in index_by.words or index_by.tags:
            index.setdefault(name, []).append(entry)

    def words(self, text: str) -> set[str]:
        """Every form under which the pipeline might see a word of `text`."""
        words = words_of(text)
        if self._tables is not None:
            words |= self._pipeline_words(words, self._tables)
        return words

    def _pipeline_words(self, words: set[str], tables: PipelineTables) -> set[str]:
        """What the pipeline's special cases and norm table add to `words`."""
        extra = tables.special_words(words)
        memo = self._norms
        if len(memo) > WORD_MEMO_SIZE:
            memo.clear()  # text of unbounded vocabulary: start again
        for word in words:
            norms = memo.get(word)
            if norms is None:
                norms = memo[word] = tables.norms_of(word)
            extra.update(norms)
        return extra

    def candidates(self, text: str, quoted: bool = False) -> frozenset[str]:
        """Keys of the pattern entries that could match `text`. `quoted`: the
        text overlaps a quotation."""
        words, term_bases = self._sifted(text)
        if quoted:
            words.add(QUOTED_WORD)
        if not words and not term_bases:
            return frozenset(self._always)  # nothing any requirement looks at
        found = set(self._always)
        tags: set[str] | None = None
        for word in words:
            for key, word_sets, others in self._by_word.get(word, ()):
                if key not in found and _has_all(word_sets, words):
                    if others:
                        tags = self._scan.present(term_bases) if tags is None else tags
                        if not _meets_all(others, words, tags):
                            continue
                    found.add(key)
        tags = self._scan.present(term_bases) if tags is None else tags
        for tag in tags:
            for key, word_sets, others in self._by_tag.get(tag, ()):
                if key not in found and _has_all(word_sets, words) and _meets_all(others, words, tags):
                    found.add(key)
        for key, word_sets, others in self._unindexed:
            if key not in found and _has_all(word_sets, words) and _meets_all(others, words, tags):
                found.add(key)
        return frozenset(found)

    def _sifted(self, text: str) -> tuple[set[str], set[str]]:
        """`words(text)` and their term bases, keeping only what some
        requirement could look at: the same answers from `_has_all`, `_meets_all` and
        `LexiconScan.present`, from sets that are mostly empty.

        Worked out per whitespace-separated piece and remembered: every
        pass of `words_of` and every table lookup stays within a piece, so
        the words of a text are the union of its pieces' words, and prose
        repeats its pieces."""
        memo = self._pieces
        if len(memo) > WORD_MEMO_SIZE:
            memo.clear()  # text of unbounded vocabulary: start again
        words: set[str] = set()
        term_bases: set[str] = set()
        for piece in text.split():
            sifted = memo.get(piece)
            if sifted is None:
                sifted = self._sift(piece)
                if len(piece) <= MEMO_PIECE_CHARS:
                    memo[piece] = sifted
            if sifted[0]:
                words |= sifted[0]
            if sifted[1]:
                term_bases |= sifted[1]
        return words, term_bases

    def _sift(self, piece: str) -> tuple[frozenset[str], frozenset[str]]:
        words = self.words(piece)
        vocabulary, regexes = self._vocabulary, self._regexes.values()
        kept = frozenset(
            w for w in words
            if w in vocabulary or w[:1].isdigit() or w in NUMBER_WORDS or any(r.search(w) for r in regexes)
        )
        return kept, frozenset(self._scan.term_bases(words))


# Words found in most English sentences. An entry is indexed under its
# rarest requirement, so that ordinary prose looks up few entries.
COMMON_WORDS = frozenset(
    """a an the and or but nor not no n't of to in on at for from by with as into onto than then that this
    these those it its is are was were be been being am do does did have has had can could will would
    shall should may might must i you he she we they me him her us them my your our their his there here
    what which who whom whose when where why how all any each every some more most other such only own
    so too very just also even if because while until about over under after before up down out off
    , . ; : - ' " ( )""".split()
)


def _commonness(requirement: Requirement) -> tuple[int, int]:
    """How often a requirement is met in ordinary text (lower is rarer)."""
    if requirement.words:
        common = not requirement.words.isdisjoint(COMMON_WORDS)
        return (2 if common else 0, len(requirement.words))
    return (1, len(requirement.tags))


def _has_all(word_sets: tuple[frozenset[str], ...], words: set[str]) -> bool:
    """Does `words` hold a word of each set? (The requirements most entries
    have, tested without a call per requirement.)"""
    for needed in word_sets:
        if needed.isdisjoint(words):
            return False
    return True


def _meets_all(requirements: tuple[Requirement, ...], words: set[str], tags: set[str]) -> bool:
    return all(requirement.met(words, tags) for requirement in requirements)
