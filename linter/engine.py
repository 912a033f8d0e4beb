"""The engine: compiled rules applied to documents.

Stages: blocks of a Document -> sentence units (cheap cut) -> prefilter
(could any rule match this unit?) -> spaCy Docs for the candidate units only
(tokenize + parse, in bounded batches) -> lexicon tags -> matches -> context
cues -> line findings -> document-level (disclaimer) findings.

`full_parse=True` parses every unit; findings are identical either way,
because units are parsed one by one in both modes and the prefilter only
drops units no pattern could match. spaCy is imported and the pipeline
loaded only when the first candidate unit is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from .batching import ParseLimits, parse_blocks
from .chunking import sentence_units
from .context import ContextFinder, Quotations
from .matching import CompiledMatchers, RawMatch
from .model import Finding, Rule, Severity
from .offlabel import ApprovalTable
from .prefilter import Prefilter
from .tagging import LexiconTagger, tags_of

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .document import Block, Document
    from .model import RuleSet

LINE, TRIGGER, SATISFY, CONTEXT = "line", "trigger", "satisfy", "context"


@dataclass(frozen=True)
class Hit:
    """A rule match positioned in the source, before it becomes a Finding."""

    rule: Rule
    start: int  # source offsets
    end: int
    cues: frozenset[str]
    tags: frozenset[str]
    prose: str  # the matched words without markup, for the message


@dataclass
class ParseStats:
    """Words seen and words parsed, for `--stats` and the benchmark."""

    words: int = 0
    parsed_words: int = 0


class Engine:
    def __init__(
        self,
        ruleset: "RuleSet",
        nlp: "Language | None" = None,
        batch_size: int = 64,
        limits: ParseLimits | None = None,
        *,
        load_nlp: "Callable[[], Language] | None" = None,
        full_parse: bool = False,
    ) -> None:
        if nlp is None and load_nlp is None:
            raise ValueError("Engine needs a pipeline or a way to load one")
        self._nlp = nlp
        self._load_nlp = load_nlp
        self._ruleset = ruleset
        self.rules: dict[str, Rule] = {rule.id: rule for rule in ruleset.rules}
        self._compiled: tuple[LexiconTagger, CompiledMatchers] | None = None
        self._approvals = ApprovalTable.from_lexicons(ruleset.lexicons)
        self._prefilter = Prefilter(ruleset)
        self._limits = limits or ParseLimits(batch_docs=batch_size)
        self.full_parse = full_parse
        self.stats = ParseStats()

    @property
    def nlp(self) -> "Language":
        if self._nlp is None:
            self._nlp = self._load_nlp()
        return self._nlp

    def prepare(self) -> None:
        """Load the pipeline and compile the rules now (before forking workers)."""
        self._compile()

    def _compile(self) -> tuple[LexiconTagger, CompiledMatchers]:
        # Built on first use: compiling needs the pipeline's vocabulary.
        if self._compiled is None:
            rules = self._ruleset.rules
            self._compiled = (LexiconTagger(self.nlp, self._ruleset.lexicons), CompiledMatchers(self.nlp, self._specs(rules)))
        return self._compiled

    @staticmethod
    def _specs(rules: Iterable[Rule]):
        for rule in rules:
            if rule.disclaimer is None:
                yield f"{LINE}:{rule.id}", rule.match
            else:
                if not rule.disclaimer.trigger.empty:
                    yield f"{TRIGGER}:{rule.id}", rule.disclaimer.trigger
                for index, spec in enumerate((rule.disclaimer.satisfied_by, *rule.disclaimer.satisfied_also)):
                    yield f"{SATISFY}{index}:{rule.id}", spec
                if not rule.disclaimer.only_if.empty:
                    yield f"{CONTEXT}:{rule.id}", rule.disclaimer.only_if

    def lint(self, document: "Document", one_per_claim: bool = True) -> list[Finding]:
        """Findings for one document, sorted. `one_per_claim=False` keeps
        every rule's hit even where a rule of the same category covers the
        same words (rule examples test each rule on its own)."""
        line_hits: list[Hit] = []
        mentions: dict[str, Hit] = {}
        satisfied: dict[str, set[str]] = {}
        in_context: set[str] = set()
        quotations = Quotations.of(document.blocks)
        units = [unit for block in document.blocks for unit in sentence_units(block)]
        candidates = [unit for unit in units if self.full_parse or self._could_match(unit, quotations)]
        self.stats.words += sum(len(unit.text.split()) for unit in units)
        self.stats.parsed_words += sum(len(unit.text.split()) for unit in candidates)
        parsed = parse_blocks(self.nlp, candidates, self._limits) if candidates else ()
        # Units are cut into bounded pieces and parsed in bounded batches; each
        # piece keeps an exact offset map, so the rest is unchanged.
        for block, doc in parsed:
            tagger, matchers = self._compile()
            tagger.tag(doc)
            context = ContextFinder(doc, quotations, block.offsets)
            for match in matchers(doc):
                purpose, rule_id = match.label.split(":", 1)
                rule = self.rules[rule_id]
                hit = _hit(rule, block, doc, match, context.cues(match) if purpose == LINE else frozenset())
                if purpose == LINE:
                    if hit.cues & rule.unless or not rule.only_when <= hit.cues:
                        continue
                    if rule.unapproved_use_only and not self._approvals.is_unapproved_use(doc, match.nodes):
                        continue
                    line_hits.append(hit)
                elif purpose == TRIGGER:
                    if rule_id not in mentions or hit.start < mentions[rule_id].start:
                        mentions[rule_id] = hit
                elif purpose.startswith(SATISFY):
                    satisfied.setdefault(rule_id, set()).add(purpose)
                else:
                    in_context.add(rule_id)
        if one_per_claim:
            line_hits = _one_per_claim(line_hits)
        findings = [_finding(document, hit, _severity(hit)) for hit in line_hits]
        findings.extend(self._disclaimer_findings(document, line_hits, mentions, satisfied, in_context))
        return sorted(findings, key=Finding.sort_key)

    def _could_match(self, unit: "Block", quotations: "Quotations") -> bool:
        start, end = unit.source_span(0, len(unit.text))
        return self._prefilter.could_match(unit.text, quoted=quotations.overlaps(start, end))

    def _disclaimer_findings(
        self,
        document: "Document",
        line_hits: list[Hit],
        mentions: dict[str, Hit],
        satisfied: dict[str, set[str]],
        in_context: set[str],
    ) -> Iterable[Finding]:
        for rule in self.rules.values():
            spec = rule.disclaimer
            if spec is None or len(satisfied.get(rule.id, ())) == 1 + len(spec.satisfied_also):
                continue
            if not spec.only_if.empty and rule.id not in in_context:
                continue
            triggers = [
                hit
                for hit in line_hits
                if hit.rule.category in spec.triggered_by_categories or hit.rule.id in spec.triggered_by_rules
            ]
            if rule.id in mentions:
                triggers.append(mentions[rule.id])
            if triggers:
                first = min(triggers, key=lambda h: (h.start, h.end))
                yield _finding(document, Hit(rule, first.start, first.end, frozenset(), frozenset(), first.prose), rule.severity)


def _one_per_claim(hits: list[Hit]) -> list[Hit]:
    """Overlapping hits of one category are one claim: keep the most severe,
    then the longest. ("My insomnia was gone" in quotes is one testimonial,
    whichever testimonial rules recognise it.)"""
    ranked = sorted(hits, key=lambda h: (-_severity(h), -(h.end - h.start), h.start, h.rule.id))
    kept: list[Hit] = []
    for hit in ranked:
        if not any(k.rule.category == hit.rule.category and k.start < hit.end and hit.start < k.end for k in kept):
            kept.append(hit)
    return kept


def _hit(rule: Rule, block: "Block", doc: "Doc", match: RawMatch, cues: frozenset[str]) -> Hit:
    span = doc[match.start : match.end]
    start, end = block.source_span(span.start_char, span.end_char)
    return Hit(rule, start, end, cues, frozenset(tags_of(doc[i] for i in match.nodes)), span.text)


def _severity(hit: Hit) -> Severity:
    severity = hit.rule.severity
    for escalation in hit.rule.escalate:
        if escalation.tag in hit.tags:
            severity = max(severity, escalation.severity)
    return severity


def _finding(document: "Document", hit: Hit, severity: Severity) -> Finding:
    rule = hit.rule
    spec = rule.disclaimer
    return Finding(
        **document.located(hit.start, hit.end),
        rule=rule.id,
        category=rule.category,
        severity=severity,
        message=rule.message.replace("{match}", " ".join(hit.prose.split())),
        suggestion=rule.suggest,
        source=rule.source,
        requires=spec.requires if spec else None,
        cues=tuple(sorted(hit.cues)),
    )
