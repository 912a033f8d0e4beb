"""The engine: compiled rules applied to documents.

Stages: blocks of a Document -> sentence units (cheap cut) -> prefilter
(which patterns could match this unit? none: skip it) -> tokenize the
candidate units, tag them with the lexicons, run their candidate patterns ->
parse only the units that need it (a candidate pattern tests the parse, or
the parse could change the context cues of a match) and match them again ->
context cues -> line findings -> document-level (disclaimer) findings.

`full_parse=True` is the simple design the normal mode is checked against:
no prefilter, every unit parsed, every pattern run on every unit (with one
matcher per kind of pattern). Findings are identical either way, because
units are parsed one by one in both modes, the prefilter only drops patterns
that cannot match, and a unit left unparsed is one whose findings the parse
could not change. spaCy is imported and the pipeline loaded only
when the first candidate unit is met.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol, Sequence

from linter.engine.parse_limits import ParseLimits, chunk_limit
from linter.engine.casing import carry_parse, parse_twin
from linter.engine.units import pieces, sentence_units
from linter.engine.context import ContextFinder, Quotations, cites, surface_cues
from linter.engine.matching import PatternMatchers, RawMatch
from linter.core.model import PARSE_ONLY_CUES, Finding, Rule, Severity
from linter.engine.normalise import for_matching
from linter.engine.offlabel import ApprovalTable
from linter.engine.patterns import CONTEXT, LINE, NEAR, SATISFY, TRIGGER, PatternTable
from linter.engine.prefilter import Prefilter, PrefilterIndex
from linter.nlp.matrix_ops import OneThread, parse_all
from linter.engine.tagging import LexiconTagger, tags_of
from linter.packs.replacements import replacement_for
from linter.engine.patterns import Purpose, purposes_of

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from linter.read.document import Block, Document
    from linter.core.model import RuleSet
    from linter.nlp.pipeline_tables import PipelineTables
    from linter.engine.tagging import TokenTags

# The cues of a line match (a parsed piece asks its ContextFinder), and the
# cues of an unparsed piece's line matches (see `surface_cues`).
CuesOf = Callable[[RawMatch], frozenset[str]]
SurfaceCues = dict[RawMatch, frozenset[str]]


@dataclass(frozen=True)
class Hit:
    """A rule match positioned in the source, before it becomes a Finding."""

    rule: Rule
    start: int  # source offsets
    end: int
    cues: frozenset[str]
    tags: frozenset[str]
    prose: str  # the matched words without markup, for the message


@dataclass(frozen=True)
class Linted:
    """One document's findings (sorted) and its word counts."""

    findings: tuple[Finding, ...]
    words: int
    parsed_words: int


@dataclass
class _DocumentRun:
    """What `lint_many` gathers for one document while its pieces are matched."""

    document: "Document"
    quotations: "Quotations"
    followed_by_source: "_SpanSet" = field(default_factory=lambda: _SpanSet.of_spans(()))  # set once its units are known
    line_hits: list[Hit] = field(default_factory=list)
    mentions: dict[str, list[Hit]] = field(default_factory=dict)
    satisfied: dict[str, set[int]] = field(default_factory=dict)  # rule -> the parts of its `satisfied_by` found
    in_context: set[str] = field(default_factory=set)
    near: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # rule -> spans of the sentences that qualify its triggers
    words: int = 0
    parsed_words: int = 0


@dataclass
class ParseStats:
    """Words seen and words parsed, for `--stats` and the benchmark."""

    words: int = 0
    parsed_words: int = 0


@dataclass(frozen=True)
class NearGate:
    """A disclaimer whose triggers count only in a sentence that also matches
    its `trigger_near` (a structure/function claim only beside a supplement),
    unless part of the disclaimer is in the document (then every trigger
    counts; see `_disclaimer_findings`). Its pattern keys by purpose."""

    triggers: frozenset[str]
    near: frozenset[str]
    satisfiers: frozenset[str]

    @staticmethod
    def of(table: PatternTable, purposes: "dict[str, Purpose]") -> "tuple[NearGate, ...]":
        keys: dict[str, dict[str, set[str]]] = {}
        for entry in table.entries:
            purpose = purposes[entry.label]
            if purpose.kind in (TRIGGER, NEAR, SATISFY):
                keys.setdefault(purpose.rule_id, {}).setdefault(purpose.kind, set()).add(entry.key)
        return tuple(
            NearGate(frozenset(found[TRIGGER]), frozenset(found[NEAR]), frozenset(found.get(SATISFY, ())))
            for found in keys.values()
            if TRIGGER in found and NEAR in found
        )

    @staticmethod
    def apply(gates: "tuple[NearGate, ...]", work: "list[tuple[Block, frozenset[str]]]") -> "list[tuple[Block, frozenset[str]]]":
        """`work` without the trigger patterns that cannot count: those of a
        unit where no `trigger_near` pattern can match, in a document where
        no part of the disclaimer can (the prefilter's candidates say what can).
        Their matches would be dropped by the disclaimer check; running them
        only cost time, and the parse when they test it (most sentences
        parsed in ordinary prose were for "supports the ..." triggers)."""
        anywhere = frozenset().union(*(keys for _, keys in work)) if work else frozenset()
        idle = [gate for gate in gates if anywhere.isdisjoint(gate.satisfiers)]
        if not idle:
            return work
        kept = []
        for unit, keys in work:
            for gate in idle:
                if keys.isdisjoint(gate.near) and not keys.isdisjoint(gate.triggers):
                    keys = keys - gate.triggers
            if keys:
                kept.append((unit, keys))
        return kept


class IndexSource(Protocol):
    """Where an engine's prefilter index and lexicon tagger come from (a
    run passes the cache's, `cache.store.CachedIndexes`)."""

    def prefilter_index(self, ruleset: "RuleSet") -> PrefilterIndex: ...

    def tagger(self, ruleset: "RuleSet", nlp: "Language") -> LexiconTagger: ...


class Engine:
    def __init__(
        self,
        ruleset: "RuleSet",
        nlp: "Language | None" = None,
        limits: ParseLimits | None = None,
        *,
        load_nlp: "Callable[[], Language] | None" = None,
        full_parse: bool = False,
        tables: "PipelineTables | None" = None,
        indexes: "IndexSource | None" = None,
    ) -> None:
        """`indexes`: where the prefilter's index and the lexicon tagger
        come from (a run passes the cache's); by default both are worked
        out from the rules (and `tables`)."""
        if nlp is None and load_nlp is None:
            raise ValueError("Engine needs a pipeline or a way to load one")
        self._nlp = nlp
        self._load_nlp = load_nlp
        self._ruleset = ruleset
        self.rules: dict[str, Rule] = {rule.id: rule for rule in ruleset.rules}
        self._table = PatternTable.of(ruleset.rules)
        # What each match label stands for, looked up per match.
        self._purposes: dict[str, Purpose] = {
            purpose.label: purpose for rule in ruleset.rules for purpose, _ in purposes_of(rule)
        }
        self._all_keys = self._table.keys()  # one set, shared by every unit
        self._near_gates = NearGate.of(self._table, self._purposes)
        self._compiled: tuple[LexiconTagger, PatternMatchers] | None = None
        self._approvals_made: ApprovalTable | None = None  # from the lexicons, when a match first asks
        # Without the pipeline's lemma forms, a LEMMA test is never ruled out.
        # Built on first use (a few tenths of a second): a run whose files
        # all come from the result cache never needs it.
        self._prefilter_made: Prefilter | None = None
        self._indexes = indexes
        self._tables = tables
        self._limits = limits or ParseLimits()
        self.full_parse = full_parse
        self.stats = ParseStats()
        self._one_thread = OneThread()

    @property
    def nlp(self) -> "Language":
        if self._nlp is None:
            self._nlp = self._load_nlp()  # type: ignore[misc]  # __init__ requires one of the two
        return self._nlp

    def _compile(self) -> tuple[LexiconTagger, PatternMatchers]:
        # Built on first use: compiling needs the pipeline's vocabulary.
        if self._compiled is None:
            nlp = self.nlp
            tagger = self._indexes.tagger(self._ruleset, nlp) if self._indexes else LexiconTagger(nlp, self._ruleset.lexicons)
            self._compiled = (tagger, PatternMatchers(nlp, self._table))
        return self._compiled

    def lint(self, document: "Document", one_per_claim: bool = True, keep_suppressed: bool = False) -> list[Finding]:
        """Findings for one document, sorted. `one_per_claim=False` keeps
        every rule's hit even where a rule of the same category covers the
        same words (rule examples test each rule on its own).
        `keep_suppressed=True` also keeps the line matches that context cues
        would drop, with their cues (to check why an example passes)."""
        return list(self.lint_many([document], one_per_claim, keep_suppressed)[0].findings)

    def lint_many(self, documents: "Sequence[Document]", one_per_claim: bool = True,
                  keep_suppressed: bool = False) -> "list[Linted]":
        """What `lint` finds in each document, with its word counts. The
        sentences of all of them that need the parser are parsed in shared
        batches: a web page holds a few such sentences, and spaCy parses a
        batch of sixty-four sentences about half again as fast per word as
        a batch of four. A sentence's parse does not depend on the others
        in its batch (tested in tests/test_matrix_ops.py), so neither do findings."""
        runs = [_DocumentRun(document, Quotations.of(document.blocks)) for document in documents]
        work = [(index, unit, keys) for index, run in enumerate(runs) for unit, keys in self._work_of(run)]
        for index, piece, doc, tags, matches, cues_of, parsed in self._matched(work, [run.quotations for run in runs]):
            run = runs[index]
            if parsed:
                run.parsed_words += len(piece.text.split())
            self._take(run, piece, doc, tags, matches, cues_of, keep_suppressed)
        linted = [Linted(tuple(self._findings_of(run, one_per_claim)), run.words, run.parsed_words) for run in runs]
        # Counted once the documents are linted: a batch that fails part-way
        # (and is linted again one document at a time) is not counted twice.
        self.stats.words += sum(run.words for run in runs)
        self.stats.parsed_words += sum(run.parsed_words for run in runs)
        return linted

    def _work_of(self, run: "_DocumentRun") -> "list[tuple[Block, frozenset[str]]]":
        """A document's sentence units that could match, each with the
        pattern entries that could match it."""
        work = []
        # Sentences whose source follows in the next sentence of the same
        # block ("Studies show it halves pain. (Lee et al., 2021)"): their
        # claims are `sourced` (source offsets of each such sentence).
        sourced_by_next: list[tuple[int, int]] = []
        for block in run.document.blocks:
            units = sentence_units(for_matching(block))
            for index, unit in enumerate(units):
                words = len(unit.text.split())
                run.words += words
                keys = self._candidates(unit, run.quotations)
                if keys or self.full_parse:
                    work.append((unit, keys))
                if index + 1 < len(units) and cites(units[index + 1].text):
                    sourced_by_next.append(unit.source_span(0, len(unit.text)))
        run.followed_by_source = _SpanSet.of_spans(sourced_by_next)
        return work if self.full_parse else NearGate.apply(self._near_gates, work)

    def _take(self, run: "_DocumentRun", piece: "Block", doc: "Doc", tags: "TokenTags", matches: "list[RawMatch]",
              cues_of: CuesOf, keep_suppressed: bool) -> None:
        """Record one piece's matches in its document's run."""
        for match in matches:
            purpose = self._purposes[match.label]
            kind, rule_id = purpose.kind, purpose.rule_id
            rule = self.rules[rule_id]
            # Only a claim in the text has cues; a disclaimer's trigger or
            # satisfying wording counts wherever it stands.
            cues = cues_of(match) if kind == LINE else frozenset()
            if kind == LINE and run.followed_by_source.contains(piece.source_span(0, 1)[0]):
                cues |= {"sourced"}
            hit = _hit(rule, piece, doc, tags, match, cues)
            if kind == LINE:
                if (hit.cues & rule.unless or not rule.only_when <= hit.cues) and not keep_suppressed:
                    continue
                if rule.unapproved_use_only and not self._approvals().is_unapproved_use(tags, match.nodes):
                    continue
                run.line_hits.append(hit)
            elif kind == TRIGGER:
                run.mentions.setdefault(rule_id, []).append(hit)
            elif kind == SATISFY:
                run.satisfied.setdefault(rule_id, set()).add(purpose.part)
            elif kind == NEAR:
                run.near.setdefault(rule_id, []).append(piece.source_span(0, len(piece.text)))
            elif kind == CONTEXT:
                run.in_context.add(rule_id)

    def _findings_of(self, run: "_DocumentRun", one_per_claim: bool) -> list[Finding]:
        line_hits = _one_per_claim(run.line_hits) if one_per_claim else run.line_hits
        findings = [_finding(run.document, hit, _severity(hit)) for hit in line_hits]
        findings.extend(self._disclaimer_findings(run.document, line_hits, run.mentions, run.satisfied, run.in_context, run.near))
        return sorted(findings, key=Finding.sort_key)

    def _candidates(self, unit: "Block", quotations: "Quotations") -> frozenset[str]:
        """The pattern entries that could match this unit (none: skip it)."""
        if self.full_parse:
            return self._all_keys  # no prefilter at all
        start, end = unit.source_span(0, len(unit.text))
        return self.prefilter.candidates(unit.text, quoted=quotations.overlaps(start, end))

    def _approvals(self) -> ApprovalTable:
        if self._approvals_made is None:
            self._approvals_made = ApprovalTable.from_lexicons(self._ruleset.lexicons)
        return self._approvals_made

    @property
    def prefilter(self) -> Prefilter:
        if self._prefilter_made is None:
            index = self._indexes.prefilter_index(self._ruleset) if self._indexes else PrefilterIndex.of(self._ruleset, self._tables)
            self._prefilter_made = Prefilter(index)
        return self._prefilter_made

    def _matched(
        self, work: "list[tuple[int, Block, frozenset[str]]]", quotations: "Sequence[Quotations]"
    ) -> "Iterator[tuple[int, Block, Doc, TokenTags, list[RawMatch], CuesOf, bool]]":
        """(document index, piece, Doc, its lexicon tags, matches, the cues
        of a line match, whether it was parsed) for the candidate units of
        `work` (each with the index of its document, whose quotations are
        `quotations[index]`), in order.

        Each piece is tokenized first. It goes through the tagger and parser
        only if one of its candidate patterns tests a parsed attribute, or if
        the parse could change the cues of one of its line matches (see
        `surface_cues`); otherwise its matches and cues stand as the
        tokenizer found them (parsing would change neither its tokens nor
        its tags). `full_parse` parses every piece.
        """
        if not work:
            return
        nlp = self.nlp
        tagger, matchers = self._compile()
        limits = self._limits
        # Pieces that need the parser are parsed in full batches (spaCy's
        # parser is faster per word on larger ones); the pieces between them
        # wait in `pending` so that results stay in document order, up to a
        # bound, so that memory stays flat. A pending piece with no cues
        # (None) waits for the parser.
        pending: list[tuple[int, Block, frozenset[str], Doc, TokenTags, list[RawMatch], SurfaceCues | None]] = []
        queued = queued_chars = pending_chars = 0

        def flush() -> "Iterator[tuple[int, Block, Doc, TokenTags, list[RawMatch], CuesOf, bool]]":
            # A headline is parsed through its sentence-cased twin (casing.py).
            to_parse = [parse_twin(nlp, doc) for *_, doc, _, _, cues in pending if cues is None]
            parsed = iter(parse_all(nlp, to_parse, self._one_thread)) if to_parse else iter(())
            for index, piece, keys, doc, tags, matches, cues in pending:
                if cues is not None:
                    yield index, piece, doc, tags, matches, cues.__getitem__, False
                else:
                    # The same Doc, now parsed: its tokens, and so its tags, are unchanged.
                    doc = carry_parse(next(parsed), doc)
                    found = matchers.every(doc) if self.full_parse else matchers(doc, keys)
                    yield index, piece, doc, tags, found, ContextFinder(doc, quotations[index], piece.offsets, tags).cues, True
            pending.clear()

        chunk = chunk_limit(nlp, limits)
        for index, unit, keys in work:
            for piece in pieces(unit, chunk, limits.max_token_chars):
                doc = nlp.make_doc(piece.text)
                tags = tagger.tag(doc)
                matches: list[RawMatch] = []
                cues = None
                if not (self.full_parse or matchers.needs_parse(keys)):
                    matches = matchers(doc, keys)
                    line_matches = [m for m in matches if self._purposes[m.label].kind == LINE]
                    cues = surface_cues(doc, line_matches, quotations[index], piece.offsets, tags) if line_matches else {}
                pending.append((index, piece, keys, doc, tags, matches, cues))
                pending_chars += len(piece.text)
                if cues is None:
                    queued += 1
                    queued_chars += len(piece.text)
                full_batch = queued >= limits.batch_docs or queued_chars >= limits.batch_chars
                if not queued or full_batch or len(pending) >= 4 * limits.batch_docs or pending_chars >= 4 * limits.batch_chars:
                    yield from flush()
                    queued = queued_chars = pending_chars = 0
        yield from flush()

    def _disclaimer_findings(
        self,
        document: "Document",
        line_hits: list[Hit],
        mentions: dict[str, list[Hit]],
        satisfied: dict[str, set[int]],
        in_context: set[str],
        near: dict[str, list[tuple[int, int]]],
    ) -> Iterable[Finding]:
        for rule in self.rules.values():
            spec = rule.disclaimer
            if spec is None or satisfied.get(rule.id, set()).issuperset(range(len(spec.parts))):
                continue
            if not spec.only_if.empty and rule.id not in in_context:
                continue
            triggers = [
                hit
                for hit in line_hits
                if hit.rule.category in spec.triggered_by_categories or hit.rule.id in spec.triggered_by_rules
            ]
            triggers.extend(mentions.get(rule.id, ()))
            if not spec.trigger_near.empty and rule.id not in satisfied:
                # Only a trigger inside a sentence that also matched `trigger_near`
                # (unless part of the disclaimer is there: the document itself
                # says it needs one, so any trigger counts).
                qualifying = _SpanSet.of_spans(near.get(rule.id, ()))
                triggers = [hit for hit in triggers if qualifying.contains(hit.start)]
            if triggers:
                first = min(triggers, key=lambda h: (h.start, h.end))
                yield _finding(document, Hit(rule, first.start, first.end, frozenset(), frozenset(), first.prose), rule.severity)


def _one_per_claim(hits: list[Hit]) -> list[Hit]:
    """Overlapping hits of one category are one claim: keep the most severe,
    then the longest. ("My insomnia was gone" in quotes is one testimonial,
    whichever testimonial rules recognise it.) A fallback rule's hit goes
    wherever another rule of a category it falls back for overlaps it."""
    hits = _without_covered_fallbacks(hits)
    ranked = sorted(hits, key=lambda h: (-_severity(h), -(h.end - h.start), h.start, h.rule.id))
    # The hits kept in a category never overlap each other, so each new hit
    # need only be checked against its neighbours in start order.
    kept_by_category: dict[str, list[tuple[int, int]]] = {}
    kept: list[Hit] = []
    for hit in ranked:
        spans = kept_by_category.setdefault(hit.rule.category, [])
        index = bisect_left(spans, (hit.start, hit.end))
        if index > 0 and spans[index - 1][1] > hit.start:
            continue  # overlaps the kept span that starts before it
        if index < len(spans) and spans[index][0] < hit.end:
            continue  # overlaps the kept span that starts after it
        spans.insert(index, (hit.start, hit.end))
        kept.append(hit)
    return kept


def _without_covered_fallbacks(hits: list[Hit]) -> list[Hit]:
    categories = frozenset().union(*(h.rule.fallback_for for h in hits))
    if not categories:
        return hits
    by_category = {c: _SpanSet(h for h in hits if h.rule.category == c and not h.rule.fallback_for) for c in categories}
    return [h for h in hits if not any(by_category[c].overlaps(h.start, h.end) for c in h.rule.fallback_for)]


class _SpanSet:
    """Spans that may overlap each other, asked "does [start, end) overlap
    one of you?" in O(log n): sorted starts, and the furthest end reached
    by any span starting at or before each one."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        self._set(sorted((hit.start, hit.end) for hit in hits))

    @classmethod
    def of_spans(cls, spans: Iterable[tuple[int, int]]) -> "_SpanSet":
        made = cls(())
        made._set(sorted(spans))
        return made

    def _set(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []
        for _, end in spans:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._starts, end)  # the spans that start before `end`
        return index > 0 and self._reach[index - 1] > start

    def contains(self, offset: int) -> bool:
        return self.overlaps(offset, offset + 1)


def _hit(rule: Rule, block: "Block", doc: "Doc", tags: "TokenTags", match: RawMatch, cues: frozenset[str]) -> Hit:
    span = doc[match.start : match.end]
    start, end = block.source_span(span.start_char, span.end_char)
    # A parse-only cue is kept only for a rule that names it: any other rule
    # may have matched on an unparsed sentence, where it cannot be seen.
    cues -= PARSE_ONLY_CUES - rule.unless - rule.only_when
    return Hit(rule, start, end, cues, frozenset(tags_of(tags, match.nodes)), span.text)


def _severity(hit: Hit) -> Severity:
    severity = hit.rule.severity
    for escalation in hit.rule.escalate:
        if escalation.tag in hit.tags:
            severity = max(severity, escalation.severity)
    return severity


def _finding(document: "Document", hit: Hit, severity: Severity) -> Finding:
    rule = hit.rule
    spec = rule.disclaimer
    located = document.located(hit.start, hit.end)
    return Finding(
        **located,
        rule=rule.id,
        category=rule.category,
        severity=severity,
        message=rule.message.replace("{match}", " ".join(hit.prose.split())),
        suggestion=rule.suggest,
        source=rule.source,
        requires=spec.requires if spec else None,
        cues=tuple(sorted(hit.cues)),
        replacement=replacement_for(rule.replacements, located["text"]) if rule.replacements else None,
    )
