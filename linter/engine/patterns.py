"""The table of compiled patterns: one named entry per thing a matcher runs.

The prefilter and the matchers must agree on what a "pattern" is, because
the prefilter names the patterns that could match a sentence and the
matchers then run only those. Every rule's match specs are labelled by
purpose ("line:cure-claim", "satisfy0:missing-dshea-statement"...) and each
spec is split into keyed entries:

- `label#phrase`  all literal phrases of the spec (one shared PhraseMatcher runs them)
- `label#lemma3`  one lemma sequence
- `label#3`       one token pattern
- `label#dep3`    one dependency pattern

An entry also says whether matching it needs the tagger and parser: a token
pattern that tests only surface attributes (the word, its shape, its lexicon
tags) can run on the tokenizer's output alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, Mapping

from linter.packs.lex_sugar import LEX_KEY, TOKEN_TAGS_EXTENSION
from linter.core.model import PARSE_ONLY_CUES, MatchSpec, Rule

LINE, TRIGGER, SATISFY, CONTEXT, NEAR = "line", "trigger", "satisfy", "context", "near"
PHRASE, LEMMA, TOKEN, DEPENDENCY = "phrase", "lemma", "token", "dependency"

# Token attributes the tokenizer alone decides (spaCy's lexical attributes).
SURFACE_ATTRIBUTES = frozenset(
    {
        "ORTH", "TEXT", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "SPACY",
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
        "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT",
        "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "OP", LEX_KEY,
    }
)


@dataclass(frozen=True)
class PatternEntry:
    key: str
    label: str  # "purpose:rule-id"
    kind: str  # PHRASE, LEMMA, TOKEN or DEPENDENCY
    index: int
    spec: MatchSpec
    needs_parse: bool

    @property
    def content(self) -> Any:
        """The phrases, lemma string, token pattern or dependency pattern."""
        if self.kind == PHRASE:
            return self.spec.phrases
        if self.kind == LEMMA:
            return self.spec.lemmas[self.index]
        if self.kind == TOKEN:
            return self.spec.patterns[self.index]
        return self.spec.dependency[self.index]


@dataclass(frozen=True)
class Purpose:
    """What one of a rule's match specs is for. Its `label` names the spec's
    matches; the engine looks the label up here once per match instead of
    taking the string apart."""

    kind: str  # LINE, TRIGGER, SATISFY, CONTEXT or NEAR
    rule_id: str
    part: int = 0  # SATISFY: which spec of the disclaimer's `satisfied_by`

    @property
    def label(self) -> str:
        """The label, e.g. "line:cure-claim" or "satisfy1:missing-dshea-statement"."""
        kind = f"{SATISFY}{self.part}" if self.kind == SATISFY else self.kind
        return f"{kind}:{self.rule_id}"


def purposes_of(rule: Rule) -> Iterator[tuple[Purpose, MatchSpec]]:
    """A rule's match specs, each with its purpose."""
    if rule.disclaimer is None:
        yield Purpose(LINE, rule.id), rule.match
        return
    spec = rule.disclaimer
    if not spec.trigger.empty:
        yield Purpose(TRIGGER, rule.id), spec.trigger
    for index, satisfier in enumerate(spec.parts):
        yield Purpose(SATISFY, rule.id, index), satisfier
    if not spec.only_if.empty:
        yield Purpose(CONTEXT, rule.id), spec.only_if
    if not spec.trigger_near.empty:
        yield Purpose(NEAR, rule.id), spec.trigger_near


def labelled_specs(rule: Rule) -> Iterator[tuple[str, MatchSpec]]:
    """A rule's match specs, each with the label naming its purpose."""
    for purpose, spec in purposes_of(rule):
        yield purpose.label, spec


def entries_of(label: str, spec: MatchSpec) -> Iterator[PatternEntry]:
    if spec.phrases:
        yield PatternEntry(f"{label}#phrase", label, PHRASE, 0, spec, needs_parse=False)
    for index in range(len(spec.lemmas)):
        yield PatternEntry(f"{label}#lemma{index}", label, LEMMA, index, spec, needs_parse=True)
    for index, pattern in enumerate(spec.patterns):
        yield PatternEntry(f"{label}#{index}", label, TOKEN, index, spec, needs_parse=not all(map(is_surface, pattern)))
    for index in range(len(spec.dependency)):
        yield PatternEntry(f"{label}#dep{index}", label, DEPENDENCY, index, spec, needs_parse=True)


def rule_entries(rule: Rule) -> Iterator[PatternEntry]:
    """A rule's entries as the matchers run them. A line rule that names a
    cue only the parse can decide (PARSE_ONLY_CUES) has all its entries run
    on the parse: its cues must be judged the same way in every mode."""
    parsed_cues = rule.disclaimer is None and bool((rule.unless | rule.only_when) & PARSE_ONLY_CUES)
    for label, spec in labelled_specs(rule):
        for entry in entries_of(label, spec):
            yield replace(entry, needs_parse=True) if parsed_cues else entry


def is_surface(token: Mapping[str, Any]) -> bool:
    """Can the tokenizer alone decide this token description?"""
    for name, value in token.items():
        if name == "_":
            # Only our own lexicon tags are set without the pipeline.
            if not (isinstance(value, Mapping) and set(value) <= {TOKEN_TAGS_EXTENSION}):
                return False
        elif name not in SURFACE_ATTRIBUTES:
            return False
    return True


@dataclass(frozen=True)
class PatternTable:
    entries: tuple[PatternEntry, ...]

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> "PatternTable":
        return cls(tuple(entry for rule in rules for entry in rule_entries(rule)))

    def keys(self) -> frozenset[str]:
        return frozenset(entry.key for entry in self.entries)
