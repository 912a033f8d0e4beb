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
from typing import Callable, Mapping, Sequence

from linter.packs.lex_sugar import TOKEN_TAGS_EXTENSION
from linter.nlp.pipeline_tables import PipelineTables, lower_word, norms_in, special_words_in
from linter.core.model import Lexicon, RuleSet
from linter.engine.patterns import LEMMA, PHRASE, TOKEN, PatternEntry, entries_of, labelled_specs

from linter.nlp.raw_words import normalise, words_of
from linter.engine.lexicon_terms import TermWordSets, bases, inflections, term_word_sets

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
        self._set_index(TermWordSets.of_lexicons(lexicons, cut_term))

    @classmethod
    def of_word_sets(cls, index: "TermWordSets | PackedTermWordSets") -> "LexiconScan":
        scan = cls.__new__(cls)
        scan._set_index(index)
        return scan

    def _set_index(self, index: "TermWordSets | PackedTermWordSets") -> None:
        self._index = index
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


def cut_term(surface: str) -> list[str]:
    """The words the prefilter sees in a term's surface."""
    return _RUN.findall(normalise(surface))


@dataclass(frozen=True)
class IndexedEntry:
    """A pattern entry as the prefilter checks it."""

    key: str
    word_sets: tuple[frozenset[str], ...]  # it needs a word of each
    others: tuple[Requirement, ...]  # tags, numbers, regular expressions


@dataclass(frozen=True)
class PrefilterIndex:
    """Everything `Prefilter.candidates` looks at, worked out from the rules,
    their lexicons and the pipeline's tables: plain data, kept in the cache
    beside the rules (`cache.store.prefilter_index_cached`), so that a run
    reads it instead of working it out, and a run whose text holds no
    candidate never decodes the lexicons. Lexicon terms are kept only for
    the tags some requirement names; no other tag changes an answer."""

    always: frozenset[str]  # keys of the entries with no knowable requirement
    entries: tuple[IndexedEntry, ...]
    # Entries indexed by one of their requirements (positions in `entries`),
    # checked in full on a hit.
    by_word: Mapping[str, tuple[int, ...]]
    by_tag: Mapping[str, tuple[int, ...]]
    unindexed: tuple[int, ...]  # numbers and regexes only
    # What any requirement can look at (see `Prefilter._sift`): the words
    # it names (and the quoted marker), words that are numbers, words
    # matching one of its regexes.
    vocabulary: frozenset[str]
    regexes: tuple[str, ...]
    # The lexicon term surfaces that give a tag some requirement names,
    # packed (see `PackedTermWordSets`): every word of them, and by each
    # surface's longest word the surfaces as text, unpacked when looked up.
    term_words: frozenset[str]
    terms_by_longest: Mapping[str, str]
    term_tags: tuple[tuple[str, ...], ...]  # the distinct named-tag sets surfaces give
    # The pipeline's tables (special cases, norm table) as far as they can
    # add a word `_sift` keeps: the words `Prefilter.words` adds are
    # those some requirement or term could look at, and a run that reads
    # the index from the cache never reads the tables.
    special_cases: Mapping[str, frozenset[str]]
    norms: Mapping[int, str]

    @classmethod
    def of(cls, ruleset: RuleSet, tables: PipelineTables | None = None) -> "PrefilterIndex":
        entries: list[IndexedEntry] = []
        always: set[str] = set()
        by_word: dict[str, list[int]] = {}
        by_tag: dict[str, list[int]] = {}
        unindexed: list[int] = []
        vocabulary: set[str] = {QUOTED_WORD}
        regexes: dict[str, None] = {}
        named_tags: set[str] = set()
        for rule in ruleset.rules:
            # A rule that only reports inside quotations needs a quoted unit.
            quoted = (Requirement(words=frozenset({QUOTED_WORD})),) if rule.only_when & QUOTE_CUES else ()
            for label, spec in labelled_specs(rule):
                for entry in entries_of(label, spec):
                    for requirements in entry_requirements(entry, tables):
                        requirements += quoted
                        for requirement in requirements:
                            vocabulary.update(requirement.words)
                            named_tags.update(requirement.tags)
                            if requirement.regex is not None:
                                regexes[requirement.regex] = None
                        if not requirements:
                            always.add(entry.key)
                            continue
                        position = len(entries)
                        entries.append(IndexedEntry(entry.key, tuple(r.words for r in requirements if r.words),
                                                    tuple(r for r in requirements if not r.words)))
                        keyed = [r for r in requirements if r.words or r.tags]
                        if not keyed:
                            unindexed.append(position)
                            continue
                        index_by = min(keyed, key=_commonness)
                        index = by_word if index_by.words else by_tag
                        for name in index_by.words or index_by.tags:
                            index.setdefault(name, []).append(position)
        tag_sets: dict[tuple[str, ...], int] = {}
        packed: dict[str, list[str]] = {}
        term_words: set[str] = set()
        for words, tags in term_word_sets(ruleset.lexicons, cut_term):
            named = tuple(tag for tag in tags if tag in named_tags)
            if words and named:
                tag_set = tag_sets.setdefault(named, len(tag_sets))
                packed.setdefault(max(words, key=len), []).append(f"{' '.join(words)}{_TAGS}{tag_set}")
                term_words.update(words)
        sifts = _Sifting(frozenset(vocabulary), tuple(_compiled(regex) for regex in regexes), frozenset(term_words))
        special_cases: dict[str, frozenset[str]] = {}
        norms: dict[int, str] = {}
        if tables is not None:
            for word, extra in tables.special_cases.items():
                kept = frozenset(filter(sifts.looks_at, extra))
                if kept:
                    special_cases[word] = kept
            norms = {key: norm for key, norm in tables.norms.items() if sifts.looks_at(lower_word(norm))}
        return cls(frozenset(always), tuple(entries), {w: tuple(p) for w, p in by_word.items()},
                   {t: tuple(p) for t, p in by_tag.items()}, tuple(unindexed), frozenset(vocabulary), tuple(regexes),
                   frozenset(term_words), {word: _SURFACES.join(surfaces) for word, surfaces in packed.items()},
                   tuple(tag_sets), special_cases, norms)

    def consistent(self) -> bool:
        """Does every reference inside the index lead somewhere (positions,
        tag sets, packed surfaces) and every regular expression compile?
        The cache's codec checks types only; a cached index that fails this
        is a miss, never an error in the middle of a run."""
        count = len(self.entries)
        for positions in (*self.by_word.values(), *self.by_tag.values(), self.unindexed):
            if positions and (min(positions) < 0 or max(positions) >= count):
                return False
        packed = _SURFACES.join(self.terms_by_longest.values())
        if self.terms_by_longest and not _PACKED.fullmatch(packed):
            return False
        if any(int(number) >= len(self.term_tags) for number in _TAG_NUMBER.findall(packed)):
            return False
        regexes = [*self.regexes, *(r.regex for entry in self.entries for r in entry.others if r.regex is not None)]
        try:
            for regex in regexes:
                _compiled(regex)
        except (re.error, RecursionError, OverflowError):
            return False
        return True


@dataclass(frozen=True)
class _Sifting:
    """Which words `Prefilter._sift` keeps, or takes to a term's word."""

    vocabulary: frozenset[str]
    regexes: tuple[re.Pattern[str], ...]
    term_words: frozenset[str]

    def keeps(self, word: str) -> bool:
        """Could a requirement look at `word` (see `Requirement.met`)?"""
        return (word in self.vocabulary or word[:1].isdigit() or word in NUMBER_WORDS
                or any(regex.search(word) for regex in self.regexes))

    def looks_at(self, word: str) -> bool:
        """Could `word` change a sift: kept, or a base of a term's word?"""
        return self.keeps(word) or not self.term_words.isdisjoint(bases(word))


# How `PrefilterIndex.terms_by_longest` packs surfaces: words (runs of
# letters and digits) joined by spaces, a tab, the tag set's number; one
# surface per line.
_TAGS, _SURFACES = "\t", "\n"
_PACKED = re.compile(r"[^\W_]+(?: [^\W_]+)*\t\d{1,9}(?:\n[^\W_]+(?: [^\W_]+)*\t\d{1,9})*")
_TAG_NUMBER = re.compile(r"\t(\d+)")


class PackedTermWordSets:
    """`TermWordSets`, answered from a `PrefilterIndex`: a longest word's
    surfaces are unpacked the first time a sentence holds that word (a run
    meets a small part of the lexicons; unpacking all of them at every
    start cost more than working the index out)."""

    def __init__(self, index: PrefilterIndex) -> None:
        self.words = index.term_words
        self._packed = index.terms_by_longest
        self._tags = index.term_tags
        self._unpacked: dict[str, list[tuple[frozenset[str], tuple[str, ...]]]] = {}

    def _surfaces(self, word: str) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        found = self._unpacked.get(word)
        if found is None:
            found = []
            for line in self._packed[word].split(_SURFACES):
                words, _, tag_set = line.partition(_TAGS)
                found.append((frozenset(words.split(" ")), self._tags[int(tag_set)]))
            self._unpacked[word] = found
        return found

    def present(self, words: set[str]) -> set[str]:
        """The tags (of those a requirement names) of every term all of whose words are in `words`."""
        found: set[str] = set()
        for word in words:
            if word in self._packed:
                for needed, tags in self._surfaces(word):
                    if needed <= words:
                        found.update(tags)
        return found


# The classes a cached index may be built from (see cache.codec).
INDEX_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (PrefilterIndex, IndexedEntry, Requirement)}


class Prefilter:
    """Which pattern entries (see `patterns`) could match a sentence?"""

    def __init__(self, ruleset: RuleSet | PrefilterIndex, tables: PipelineTables | None = None) -> None:
        """From a rule set and the pipeline's tables (the index worked out
        here) or from its index (read from the cache)."""
        index = ruleset if isinstance(ruleset, PrefilterIndex) else PrefilterIndex.of(ruleset, tables)
        self.index = index
        # word -> its other norms: a word's norm is looked up by hash, once.
        self._norms: dict[str, frozenset[str]] = {}
        self._scan = LexiconScan.of_word_sets(PackedTermWordSets(index))
        self._always = index.always
        # Entries as (key, word sets, other requirements): the loops of
        # `candidates` unpack them (cheaper than attribute lookups).
        entries = [(entry.key, entry.word_sets, entry.others) for entry in index.entries]
        self._by_word = {word: [entries[p] for p in positions] for word, positions in index.by_word.items()}
        self._by_tag = {tag: [entries[p] for p in positions] for tag, positions in index.by_tag.items()}
        self._unindexed = [entries[p] for p in index.unindexed]
        self._sifting = _Sifting(index.vocabulary, tuple(_compiled(regex) for regex in index.regexes), index.term_words)
        # whitespace-separated piece of text -> (its words, its term bases)
        # that some requirement could look at; mostly two empty sets.
        self._pieces: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    @property
    def always(self) -> bool:
        """Does some pattern make every sentence a candidate?"""
        return bool(self._always)

    def words(self, text: str) -> set[str]:
        """The words of `text` (`words_of`) and the forms under which the
        pipeline might see them that some requirement or term could look
        at (`pipeline_words` has them all)."""
        words = words_of(text)
        if len(self._norms) > WORD_MEMO_SIZE:
            self._norms.clear()  # text of unbounded vocabulary: start again
        return words | _table_words(words, self.index.special_cases, self._norms_of)

    def _norms_of(self, word: str) -> frozenset[str]:
        norms = self._norms.get(word)
        if norms is None:
            norms = self._norms[word] = norms_in(self.index.norms, word)
        return norms

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
        return frozenset(filter(self._sifting.keeps, words)), frozenset(self._scan.term_bases(words))


def pipeline_words(text: str, tables: PipelineTables | None) -> set[str]:
    """Every form under which the pipeline might see a word of `text`: its
    words, and what the tokenizer's special cases and the norm table add."""
    words = words_of(text)
    return words if tables is None else words | _table_words(words, tables.special_cases, tables.norms_of)


def _table_words(words: set[str], special_cases: Mapping[str, frozenset[str]],
                 norms_of: Callable[[str], frozenset[str]]) -> set[str]:
    """What the tokenizer's special cases and the norm table add to `words`."""
    extra = special_words_in(special_cases, words)
    for word in words:
        extra.update(norms_of(word))
    return extra


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
