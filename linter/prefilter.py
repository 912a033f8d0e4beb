"""A recall-safe prefilter: which sentences could any rule match?

Parsing with spaCy is the slow part of linting. Every compiled pattern
(phrases, token patterns, dependency patterns, disclaimer triggers and
satisfiers) names words it needs: literal values (`LOWER`, `NORM`, `ORTH`)
or lexicon tags (`LEX`). A sentence can only match a pattern if it contains
at least one word of every such required element, so a sentence that fails
this test for every pattern cannot produce a finding and is never parsed.

The test errs on the side of parsing: words are over-generated from the raw
text (compounds and their parts, contractions and their expansions, every
punctuation character), elements whose vocabulary cannot be known without
the pipeline (`LEMMA`, `POS`, `REGEX`...) are treated as always satisfied,
and a pattern with no known vocabulary at all makes every sentence a
candidate. No spaCy import is needed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .lexref import TOKEN_TAGS_EXTENSION
from .model import Lexicon, MatchSpec, Rule, RuleSet
from .tagging import inflections, term_tag

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
_RUN = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:['-][^\W_]+)+")
_APOSTROPHE_SUFFIX = re.compile(r"(?<=[^\W_])('[^\W_]+)")
_PUNCT = re.compile(r"[^\w\s]")
_NEGATED_CONTRACTION = re.compile(r"([^\W_]+)n't")
_CONTRACTIONS = {"n't": ("not",), "'ll": ("will",), "'re": ("are",), "'ve": ("have",), "'m": ("am",), "'d": ("would", "had"), "'s": ("is", "has")}


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
        compiled = re.compile(self.regex or "")
        return any(compiled.search(w) for w in words)


def normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def words_of(text: str) -> set[str]:
    """Every form under which spaCy might see a word of `text` (over-generated)."""
    lowered = normalise(text)
    words = set(_RUN.findall(lowered))
    words.update(_COMPOUND.findall(lowered))
    words.update(_PUNCT.findall(lowered))
    for suffix in _APOSTROPHE_SUFFIX.findall(lowered):
        words.add(suffix)
        words.update(_CONTRACTIONS.get(suffix, ()))
    for stem in _NEGATED_CONTRACTION.findall(lowered):
        words.update({stem, "n't", "not"})  # "don't" -> do + n't
    if "can't" in lowered or "cannot" in lowered:
        words.update({"can", "ca", "not", "n't"})
    if "won't" in lowered:
        words.update({"will", "wo", "not", "n't"})
    return words


def _value_words(value: object) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset({normalise(value)})
    if isinstance(value, Mapping) and set(value) == {"IN"}:
        return frozenset(normalise(str(v)) for v in value["IN"])
    return None


def requirement_of(attrs: Mapping) -> Requirement | None:
    """What one token description needs, or None if it needs nothing knowable."""
    for key in WORD_KEYS:
        if key in attrs:
            words = _value_words(attrs[key])
            if words is not None:
                return Requirement(words=words)
    tags = attrs.get("_", {}).get(TOKEN_TAGS_EXTENSION, {}) if isinstance(attrs.get("_"), Mapping) else {}
    if isinstance(tags, Mapping) and "INTERSECTS" in tags:
        return Requirement(tags=frozenset(tags["INTERSECTS"]))
    if attrs.get("LIKE_NUM") is True:
        return Requirement(number=True)
    for key in ("LOWER", "NORM", "TEXT", "ORTH"):
        value = attrs.get(key)
        if isinstance(value, Mapping) and set(value) == {"REGEX"}:
            # Words are lower-cased here, so the pattern is applied without case.
            return Requirement(regex="(?i)" + str(value["REGEX"]))
    return None


def _required(element: Mapping) -> bool:
    op = str(element.get("OP", ""))
    if op in ("", "+"):
        return True
    if op.startswith("{"):
        return not op[1:].startswith(("0", ","))  # "{2,4}" needs one; "{0,3}" and "{,3}" do not
    return False  # "?", "*", "!"


def pattern_requirements(spec: MatchSpec) -> list[tuple[Requirement, ...]]:
    """One tuple of requirements per pattern of the spec."""
    found: list[tuple[Requirement, ...]] = []
    for phrase in spec.phrases:
        found.append(tuple(Requirement(words=frozenset({w})) for w in _RUN.findall(normalise(phrase))))
    for _ in spec.lemmas:
        found.append(())  # lemmas can be irregular ("lost" for "lose"): always a candidate
    for pattern in spec.patterns:
        reqs = (requirement_of(element) for element in pattern if _required(element))
        found.append(tuple(r for r in reqs if r is not None))
    for pattern in spec.dependency:
        reqs = (requirement_of(node.get("RIGHT_ATTRS", {})) for node in pattern)
        found.append(tuple(r for r in reqs if r is not None))
    return found


def _specs(rule: Rule) -> Iterable[MatchSpec]:
    if rule.disclaimer is None:
        yield rule.match
    else:
        yield rule.disclaimer.trigger
        yield rule.disclaimer.satisfied_by
        yield from rule.disclaimer.satisfied_also
        yield rule.disclaimer.only_if


class LexiconScan:
    """The lexicon tagger's question, asked of a word set: which tags could be present?"""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self._terms: list[tuple[tuple[frozenset[str], ...], frozenset[str]]] = []
        self._index: dict[str, list[int]] = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                tags = frozenset({lexicon.name, *term.tags, term_tag(lexicon.name, term.text)})
                for surface in (term.text, *term.forms):
                    parts = tuple(frozenset(inflections(w)) for w in _RUN.findall(normalise(surface)))
                    if not parts:
                        continue
                    index = len(self._terms)
                    self._terms.append((parts, tags))
                    for form in parts[0]:
                        self._index.setdefault(form, []).append(index)

    def tags(self, words: set[str]) -> set[str]:
        present: set[str] = set()
        for word in words:
            for index in self._index.get(word, ()):
                parts, tags = self._terms[index]
                if all(not part.isdisjoint(words) for part in parts[1:]):
                    present.update(tags)
        return present


class Prefilter:
    def __init__(self, ruleset: RuleSet) -> None:
        self._scan = LexiconScan(ruleset.lexicons)
        self.always = False
        # Patterns indexed by one of their requirements, checked in full on a hit.
        self._by_word: dict[str, list[tuple[Requirement, ...]]] = {}
        self._by_tag: dict[str, list[tuple[Requirement, ...]]] = {}
        self._unindexed: list[tuple[Requirement, ...]] = []  # numbers and regexes only
        for rule in ruleset.rules:
            # A rule that only reports inside quotations needs a quoted unit.
            quoted = (Requirement(words=frozenset({QUOTED_WORD})),) if rule.only_when & QUOTE_CUES else ()
            for spec in _specs(rule):
                for requirements in pattern_requirements(spec):
                    self._add(requirements + quoted)

    def _add(self, requirements: tuple[Requirement, ...]) -> None:
        if not requirements:
            self.always = True
            return
        keyed = [r for r in requirements if r.words or r.tags]
        if not keyed:
            self._unindexed.append(requirements)
            return
        key = min(keyed, key=lambda r: (bool(r.tags), len(r.words or r.tags)))
        index = self._by_word if key.words else self._by_tag
        for name in key.words or key.tags:
            index.setdefault(name, []).append(requirements)

    def could_match(self, text: str, quoted: bool = False) -> bool:
        """Could any pattern match `text`? `quoted`: it overlaps a quotation."""
        if self.always:
            return True
        words = words_of(text)
        if quoted:
            words.add(QUOTED_WORD)
        tags: set[str] | None = None
        for word in words:
            for requirements in self._by_word.get(word, ()):
                tags = self._scan.tags(words) if tags is None else tags
                if _satisfied(requirements, words, tags):
                    return True
        tags = self._scan.tags(words) if tags is None else tags
        for tag in tags:
            for requirements in self._by_tag.get(tag, ()):
                if _satisfied(requirements, words, tags):
                    return True
        return any(_satisfied(requirements, words, tags) for requirements in self._unindexed)


def _satisfied(requirements: tuple[Requirement, ...], words: set[str], tags: set[str]) -> bool:
    return all(requirement.met(words, tags) for requirement in requirements)
