"""The core value types shared by every stage of the linter.

All of them are frozen: a rule, a match or a finding never changes after it
is made, so stages can pass them around (and across processes) freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Callable, Iterator, Mapping, Sequence


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()


# The severity names rule files, config and the command line accept, most
# severe first: the one spelling of them.
SEVERITY_NAMES: tuple[str, ...] = tuple(severity.label for severity in sorted(Severity, reverse=True))


CATEGORIES: tuple[str, ...] = (
    "cure",
    "efficacy",
    "guarantee",
    "safety",
    "evidence",
    "regulatory",
    "hype",
    "suffering",
    "statistic",
    "speed",
    "testimonial",
    "discourage",
    "offlabel",
    "disclaimer",
)

# Context cues the engine can find around a match. A rule's `unless` names
# the ones that make the match not a claim by the writer.
CUES: tuple[str, ...] = (
    "negated",
    "hedged",
    "question",
    "conditional",
    "reported",
    "quoted",
    "testimony",
    "sourced",
    "described",
    "physiology",
)

# Cues that only the dependency parse can decide, and that no rule gets by
# default: a rule that names one has every pattern run on the parse, so its
# findings never depend on whether a sentence happened to be parsed.
PARSE_ONLY_CUES = frozenset({"described", "physiology"})

# The disclaimers a document-level rule can require.
DISCLAIMERS: tuple[str, ...] = (
    "medical-advice",
    "results-vary",
    "risk-info",
    "fda-dshea",
    "off-label",
)


@dataclass(frozen=True)
class SourceRef:
    """Where something was defined: a rule file position, 1-based."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class MatchSpec:
    """How a rule matches text. Each list is compiled into a shared matcher.

    phrases:    literal phrases, case-insensitive (spaCy NORM attribute)
    lemmas:     lemma sequences, e.g. "cure for" also matches "cures for"
    patterns:   spaCy Matcher token patterns (lexicon references expanded)
    dependency: spaCy DependencyMatcher patterns (lexicon references expanded)
    """

    phrases: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    patterns: tuple[tuple[Mapping[str, Any], ...], ...] = ()
    dependency: tuple[tuple[Mapping[str, Any], ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.lemmas or self.patterns or self.dependency)


# The reason a `pass` example may give when no context cue explains it:
# the rule does not match the sentence at all.
NO_MATCH = "no-match"
# A pass reason "not-hedged": a cue the rule's `only_when` needs is absent.
ABSENT = "not-"


@dataclass(frozen=True)
class Examples:
    fire: tuple[str, ...] = ()
    pass_: tuple[str, ...] = ()
    # Why each pass example passes (parallel to pass_): a cue of the rule's
    # `unless`, NO_MATCH, or None where the example does not say.
    pass_reasons: tuple[str | None, ...] = ()

    def passes(self) -> tuple[tuple[str, str | None], ...]:
        reasons = self.pass_reasons or (None,) * len(self.pass_)
        return tuple(zip(self.pass_, reasons))


@dataclass(frozen=True)
class Escalation:
    """Raise a rule's severity when a matched token carries a lexicon tag."""

    tag: str
    severity: Severity


@dataclass(frozen=True)
class DisclaimerSpec:
    """A document-level rule: what makes a disclaimer necessary, what satisfies it."""

    requires: str
    triggered_by_categories: tuple[str, ...] = ()
    triggered_by_rules: tuple[str, ...] = ()
    trigger: MatchSpec = field(default_factory=MatchSpec)
    satisfied_by: MatchSpec = field(default_factory=MatchSpec)
    # More specs that must all be found too (YAML: `satisfied_by` as a list),
    # e.g. both sentences of the DSHEA statement, which are parsed apart.
    satisfied_also: tuple[MatchSpec, ...] = ()
    # The document must also mention this for any trigger to count (e.g.
    # the DSHEA statement only matters for dietary supplements).
    only_if: MatchSpec = field(default_factory=MatchSpec)
    # Triggers count only in a sentence that also matches this (e.g. the
    # DSHEA statement is needed for a claim about a supplement, not for any
    # claim in a document that mentions one).
    trigger_near: MatchSpec = field(default_factory=MatchSpec)

    @property
    def parts(self) -> tuple[MatchSpec, ...]:
        """Every spec of `satisfied_by`: the disclaimer is there when each one is found."""
        return (self.satisfied_by, *self.satisfied_also)


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    category: str
    severity: Severity
    message: str
    source: str
    suggest: str
    match: MatchSpec
    unless: frozenset[str]
    examples: Examples
    defined_at: SourceRef
    description: str = ""
    escalate: tuple[Escalation, ...] = ()
    disclaimer: DisclaimerSpec | None = None
    # Keep a match only when it names a drug for a condition outside the
    # drug's `approved_for` list (the off-label table in the drugs lexicon).
    unapproved_use_only: bool = False
    # Report only when all of these cues are present (e.g. a rule for
    # claims that stay claims even when hedged).
    only_when: frozenset[str] = frozenset()
    # A general rule that stands back where a more specific rule of one of
    # these categories reports overlapping words: it finds what they miss.
    fallback_for: frozenset[str] = frozenset()
    # Safe rewrites: (matched words, replacement words), offered on a
    # finding whose words are exactly one of these phrases (replacements.py).
    replacements: tuple[tuple[str, str], ...] = ()

    @property
    def is_document_level(self) -> bool:
        return self.disclaimer is not None


@dataclass(frozen=True)
class Finding:
    """One reported problem, positioned in the source file.

    Lines and columns are 1-based; end_column is exclusive. `text` is the
    source text between the start and end positions, verbatim.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: Severity
    message: str
    text: str
    suggestion: str
    source: str
    requires: str | None
    cues: tuple[str, ...]
    start_offset: int
    end_offset: int
    # Words that can replace `text` safely (the rule's `replacements`);
    # offered, never applied.
    replacement: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


@dataclass(frozen=True)
class LexiconTerm:
    """One lexicon entry. `tags` are the term's own tags, without the lexicon name."""

    text: str
    tags: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    # For drugs: the condition terms the drug is approved for (None: not
    # recorded; an empty tuple: approved for no condition that copy names).
    approved_for: tuple[str, ...] | None = None
    defined_at: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Lexicon:
    name: str
    description: str
    terms: tuple[LexiconTerm, ...]
    defined_at: SourceRef
    # Tags every term of the lexicon carries (`tags:` at the top of the file),
    # e.g. `conditions` on a generated lexicon that extends that class.
    tags: tuple[str, ...] = ()

    def tags_of(self, term: LexiconTerm) -> tuple[str, ...]:
        """All tags a token matched by `term` carries: the lexicon name, the
        lexicon-level tags, then the term's own tags."""
        return (self.name, *self.tags, *term.tags)

    @property
    def tag_names(self) -> frozenset[str]:
        return frozenset(tag for term in self.terms for tag in self.tags_of(term)) | {self.name}


class DeferredLexicons(Sequence[Lexicon]):
    """Lexicons made when first asked for: the rule cache reads a rule set's
    lexicons (four fifths of its entry) only when a run needs them, which
    a run whose text holds no candidate sentence never does. Equal to, and
    pickled as, the tuple it stands for."""

    def __init__(self, make: Callable[[], tuple[Lexicon, ...]]) -> None:
        self._make: Callable[[], tuple[Lexicon, ...]] | None = make
        self._made: tuple[Lexicon, ...] = ()

    def _lexicons(self) -> tuple[Lexicon, ...]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, index: Any) -> Any:
        return self._lexicons()[index]

    def __len__(self) -> int:
        return len(self._lexicons())

    def __iter__(self) -> Iterator[Lexicon]:
        return iter(self._lexicons())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, DeferredLexicons)):
            return self._lexicons() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._lexicons())

    def __reduce__(self) -> tuple:
        return tuple, (self._lexicons(),)

    def __repr__(self) -> str:
        return f"DeferredLexicons({self._lexicons()!r})" if self._make is None else "DeferredLexicons(<not read yet>)"


@dataclass(frozen=True)
class RuleSet:
    """Everything loaded for a run: the rules of the selected packs and all lexicons."""

    rules: tuple[Rule, ...]
    lexicons: tuple[Lexicon, ...] | DeferredLexicons = ()
    packs: tuple[str, ...] = ()
    # The key of the cache entry the rules were read from (None: not from
    # the cache). A run only drops rules or changes their severity, so with
    # the ids of the rules kept it names what was derived from them (the
    # prefilter's index, see cache.store).
    source_key: str | None = field(default=None, compare=False)

    @property
    def tag_names(self) -> frozenset[str]:
        """Every name a LEX reference may use: lexicon names and term tags share one namespace."""
        return frozenset().union(*(lexicon.tag_names for lexicon in self.lexicons))

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)
