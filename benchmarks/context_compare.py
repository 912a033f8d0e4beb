#!/usr/bin/env python3
"""Compare overclaim's negation/hedge cues with medspaCy's ConText on the shared real copy.

    python benchmarks/context_compare.py [REALCOPY_DIR]     # default ../shared/realcopy
    python benchmarks/context_compare.py --examples 8       # show more disagreements

Every line match is taken with its cues (`Engine.lint(one_per_claim=False,
keep_suppressed=True)`), then suppression is decided again in several ways:

  ours            overclaim's cues as today (a match drops when its cues meet
                  the rule's `unless`, or miss its `only_when`)
  context         `negated` and `hedged` replaced by ConText: negated when a
                  NEGATED_EXISTENCE modifier takes the match into its scope,
                  hedged when a POSSIBLE_EXISTENCE one does
  context+hyp     the same, HYPOTHETICAL modifiers counting as hedged too
  context-neg     ConText's negation, our hedges
  context-hedge   our negation, ConText's hedges
  union           a cue is set when either side sets it
  union-neg       negated when either side says so, our hedges
  union-hedge     our negation, hedged when either side says so

The other cues (question, conditional, reported, quoted, sourced, ...) stay
as overclaim computes them. Each variant is scored by the shared set's own
score.py (imported, its `run` replaced), so the measure is the same:
line precision/recall on the pages, false findings per 1,000 words of the
balanced pages, regulator claims found, acceptable sentences flagged.
Disclaimer findings come from a normal run and are the same in every variant.

ConText runs with medspaCy's default English rules on the same spaCy
pipeline overclaim uses (its sentences bound a modifier's scope); the match
is the target, so ConText never lets a modifier inside the match modify it.
medspaCy pins spacy<3.8: run this from a separate venv with medspaCy
installed and spaCy 3.8 put back (see benchmarks/README.md). Disagreements print to the console only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from linter.config import apply_config, find_config, load_config
from linter.engine.rule_engine import Engine
from linter.nlp.loading import LazyPipeline
from linter.read import read_document
from linter.cache.store import load_rules_cached, tables_for

NEGATION, UNCERTAIN, HYPOTHETICAL = "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL"


@dataclass(frozen=True)
class Match:
    """One line match with both sides' verdicts."""

    doc: str
    line: int
    rule: str
    category: str
    cues: frozenset[str]
    text: str
    context: frozenset[str]  # ConText categories that modify the match
    modifiers: tuple[str, ...]  # "CATEGORY:words" of those modifiers


def load_score(realcopy: Path):
    spec = importlib.util.spec_from_file_location("realcopy_score", realcopy / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_engine() -> Engine:
    config = load_config(find_config(Path.cwd()))
    ruleset = apply_config(load_rules_cached(config.packs, config.rule_dirs), config)
    pipeline = LazyPipeline(config.model)
    return Engine(ruleset, load_nlp=pipeline, tables=tables_for(pipeline))


def make_context(nlp, max_scope: int | None):
    try:
        from medspacy.context import ConText
    except ImportError:
        sys.exit("medspacy is not installed in this environment; see benchmarks/README.md")
    return ConText(nlp, rules="default", input_span_type="group", span_group_name="targets", span_attrs=None,
                   max_scope=max_scope)


def context_of(nlp, context, document, findings) -> list[tuple[frozenset[str], tuple[str, ...]]]:
    """ConText's modifier categories for each finding: the text of the lines
    the finding covers is parsed once and every finding on it is a target."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, f in enumerate(findings):
        groups.setdefault((f.line, f.end_line), []).append(i)
    out: list = [None] * len(findings)
    for (first, last), members in groups.items():
        start, _ = document.lines.line_bounds(first)
        text = " ".join(document.line_text(n) for n in range(first, last + 1))
        doc = nlp(text)
        spans = []
        for i in members:
            f = findings[i]
            span = doc.char_span(f.start_offset - start, f.end_offset - start, alignment_mode="expand")
            spans.append(span)
        doc.spans["targets"] = [s for s in spans if s is not None]
        context(doc)
        by_span: dict[tuple[int, int], list] = {}
        for target, modifier in doc._.context_graph.edges:
            by_span.setdefault((target.start, target.end), []).append(modifier)
        for i, span in zip(members, spans):
            mods = by_span.get((span.start, span.end), []) if span is not None else []
            out[i] = (frozenset(m.category for m in mods),
                      tuple(sorted(f"{m.category}:{doc[m.modifier_span[0]:m.modifier_span[1]].text}" for m in mods)))
    return out


class Linted:
    """Lints each file once: every line match with cues, plus a normal run's disclaimers."""

    def __init__(self, engine: Engine, context) -> None:
        self.engine = engine
        self.context = context
        self._cache: dict[tuple[str, str], tuple[list[Match], list[dict], set[int]]] = {}

    def of(self, path: Path) -> tuple[list[Match], list[dict], set[int]]:
        data = path.read_bytes()
        key = (path.stem, data.decode("utf-8"))
        if key not in self._cache:
            document = read_document(path.name, data)
            every = [f for f in self.engine.lint(document, one_per_claim=False, keep_suppressed=True)
                     if f.category != "disclaimer"]
            normal = self.engine.lint(document)
            disclaimers = [{"category": f.category, "line": f.line, "requires": f.requires}
                           for f in normal if f.category == "disclaimer"]
            normal_lines = {f.line for f in normal if f.category != "disclaimer"}
            verdicts = context_of(self.engine.nlp, self.context, document, every)
            matches = [Match(path.stem, f.line, f.rule, f.category, frozenset(f.cues), f.text, ctx, mods)
                       for f, (ctx, mods) in zip(every, verdicts)]
            self._cache[key] = (matches, disclaimers, normal_lines)
        return self._cache[key]


def cues_for(match: Match, variant: str) -> frozenset[str]:
    ours_neg, ours_hedge = "negated" in match.cues, "hedged" in match.cues
    ctx_neg = NEGATION in match.context
    ctx_hedge = UNCERTAIN in match.context
    neg, hedge = {
        "ours": (ours_neg, ours_hedge),
        "context": (ctx_neg, ctx_hedge),
        "context+hyp": (ctx_neg, ctx_hedge or HYPOTHETICAL in match.context),
        "context-neg": (ctx_neg, ours_hedge),
        "context-hedge": (ours_neg, ctx_hedge),
        "union": (ours_neg or ctx_neg, ours_hedge or ctx_hedge),
        "union-neg": (ours_neg or ctx_neg, ours_hedge),
        "union-hedge": (ours_neg, ours_hedge or ctx_hedge),
    }[variant]
    rest = match.cues - {"negated", "hedged"}
    return rest | ({"negated"} if neg else set()) | ({"hedged"} if hedge else set())


VARIANTS = ("ours", "context", "context+hyp", "context-neg", "context-hedge", "union", "union-neg", "union-hedge")


def kept(match: Match, rule, variant: str) -> bool:
    cues = cues_for(match, variant)
    return not (cues & rule.unless) and rule.only_when <= cues


def score_variant(score, linted: Linted, variant: str) -> dict:
    rules = linted.engine.rules

    def run(cmd, files, cwd):
        by_doc = {}
        for f in files:
            matches, disclaimers, _ = linted.of(Path(f))
            found = [{"category": m.category, "line": m.line, "requires": None}
                     for m in matches if kept(m, rules[m.rule], variant)]
            by_doc[Path(f).stem] = found + disclaimers
        return by_doc

    score.run = run
    return {"pages": score.score_pages("", ".", False), "claims": score.score_claims("", ".", False)}


def gold_status(realcopy: Path) -> dict[tuple[str, int], str]:
    """(doc, line) -> claim / ambiguous for the pages, claim / acceptable for
    the regulator claims (doc "claims", line 2i+1 as score.py writes them)."""
    import csv

    import yaml

    status = {}
    for g in sorted((realcopy / "gold").glob("*.yaml")):
        y = yaml.safe_load(g.read_text(encoding="utf-8"))
        for k in y.get("claims") or {}:
            status[(g.stem, int(k))] = "claim"
        for k in y.get("ambiguous") or []:
            status[(g.stem, int(k))] = "ambiguous"
    rows = csv.DictReader((realcopy / "regulator_claims.tsv").open(encoding="utf-8"), delimiter="\t")
    for i, r in enumerate(rows):
        status[("claims", 2 * i + 1)] = "acceptable" if r["category"] == "none" else "claim"
    return status


def line_diff(linted: Linted, variant: str, status: dict) -> tuple[list[str], list[str]]:
    """Lines this variant flags that ours does not, and the reverse, each
    with its gold status and the matches that decide it."""
    rules = linted.engine.rules
    gained, lost = [], []
    for matches, _, _ in linted._cache.values():
        by_line: dict[int, list[Match]] = {}
        for m in matches:
            by_line.setdefault(m.line, []).append(m)
        for line, ms in sorted(by_line.items()):
            ours = any(kept(m, rules[m.rule], "ours") for m in ms)
            theirs = any(kept(m, rules[m.rule], variant) for m in ms)
            if ours == theirs:
                continue
            doc = ms[0].doc
            what = status.get((doc, line), "unmarked" if doc != "claims" else "?")
            detail = "; ".join(sorted({f"{m.text!r} ours={sorted(m.cues & {'negated', 'hedged'})} "
                                       f"ConText={list(m.modifiers)}" for m in ms}))
            (gained if theirs else lost).append(f"{doc}:{line} ({what}) {detail}")
    return gained, lost


def check_reproduces(linted: Linted) -> list[str]:
    """The `ours` decision must flag the same lines as a normal run."""
    problems = []
    for matches, _, normal_lines in linted._cache.values():
        if not matches and not normal_lines:
            continue
        rules = linted.engine.rules
        ours = {m.line for m in matches if kept(m, rules[m.rule], "ours")}
        if ours != normal_lines:
            doc = matches[0].doc if matches else "?"
            problems.append(f"{doc}: ours {sorted(ours ^ normal_lines)} differ from a normal run")
    return problems


def agreement(linted: Linted, cue: str, categories: tuple[str, ...]) -> tuple[Counter, dict[str, list[Match]]]:
    """Per distinct matched span (several rules may match the same words)."""
    counts: Counter = Counter()
    examples: dict[str, list[Match]] = {"only ours": [], "only ConText": []}
    seen = set()
    for matches, _, _ in linted._cache.values():
        for m in matches:
            key = (m.doc, m.line, m.text)
            if key in seen:
                continue
            seen.add(key)
            ours = cue in m.cues
            theirs = bool(m.context & set(categories))
            label = {(True, True): "both", (True, False): "only ours", (False, True): "only ConText",
                     (False, False): "neither"}[(ours, theirs)]
            counts[label] += 1
            if label in examples:
                examples[label].append(m)
    return counts, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("realcopy", nargs="?", default="../shared/realcopy", type=Path)
    ap.add_argument("--examples", type=int, default=5, help="disagreements to print per direction")
    ap.add_argument("--json", action="store_true", help="print only the JSON result")
    ap.add_argument("--max-scope", type=int, default=None,
                    help="ConText's window in tokens (default: a modifier's scope is the rest of its sentence)")
    a = ap.parse_args()
    score = load_score(a.realcopy.resolve())
    engine = make_engine()
    linted = Linted(engine, make_context(engine.nlp, a.max_scope))
    results = {v: score_variant(score, linted, v) for v in VARIANTS}
    problems = check_reproduces(linted)
    agree = {label: agreement(linted, cue, cats) for label, cue, cats in
             (("negated", "negated", (NEGATION,)), ("hedged", "hedged", (UNCERTAIN,)),
              ("hedged+hyp", "hedged", (UNCERTAIN, HYPOTHETICAL)))}
    modifier_counts = Counter(c for matches, _, _ in linted._cache.values() for m in matches for c in m.context)
    summary = {
        "variants": {v: {"precision": round(r["pages"]["precision"], 3), "recall": round(r["pages"]["recall"], 3),
                         "tp": r["pages"]["tp"], "fp": r["pages"]["fp"], "fn": r["pages"]["fn"],
                         "false_per_1k_balanced": round(r["pages"]["false_per_1k_words_balanced"], 2),
                         "claims_found": f"{r['claims']['found']}/{r['claims']['claims']}",
                         "acceptable_flagged": f"{r['claims']['flagged_acceptable']}/{r['claims']['acceptable_sentences']}"}
                     for v, r in results.items()},
        "agreement": {label: dict(c) for label, (c, _) in agree.items()},
        "context_modifier_categories": dict(modifier_counts),
        "ours_reproduces_normal_run": not problems,
    }
    if not a.json:
        print(f"{'variant':14} {'P':>5} {'R':>5} {'tp':>3} {'fp':>3} {'fn':>3} {'fp/1k bal':>9} {'claims':>8} {'accept.':>7}")
        for v, s in summary["variants"].items():
            print(f"{v:14} {s['precision']:5.2f} {s['recall']:5.2f} {s['tp']:3} {s['fp']:3} {s['fn']:3} "
                  f"{s['false_per_1k_balanced']:9.2f} {s['claims_found']:>8} {s['acceptable_flagged']:>7}")
        for cue, (counts, examples) in agree.items():
            print(f"\n{cue}: " + ", ".join(f"{k} {counts[k]}" for k in ("both", "only ours", "only ConText", "neither")))
            for label, ms in examples.items():
                for m in ms[: a.examples]:
                    print(f"  {label:12} {m.doc}:{m.line} [{m.rule}] {m.text!r} ConText={list(m.modifiers)}")
        status = gold_status(a.realcopy.resolve())
        for v in VARIANTS[1:]:
            gained, lost = line_diff(linted, v, status)
            print(f"\n{v}: lines flagged that ours leaves ({len(gained)}), lines left that ours flags ({len(lost)})")
            for row in gained:
                print("  +", row)
            for row in lost:
                print("  -", row)
        for p in problems:
            print("warning:", p)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
