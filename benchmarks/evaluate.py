#!/usr/bin/env python3
"""Score overclaim against the annotated development set in benchmarks/devset/.

    python benchmarks/evaluate.py                 # run the linter, print the score table
    python benchmarks/evaluate.py --verbose       # ... plus every false positive and false negative
    python benchmarks/evaluate.py --json          # machine-readable result
    python benchmarks/evaluate.py --packs core    # passed through to `overclaim check --packs`
    python benchmarks/evaluate.py --stats         # dev-set statistics only (the linter is not run)
    python benchmarks/evaluate.py --findings out.json   # score saved `overclaim check --format json` output

Each document NAME.ext has NAME.labels.yaml beside it:

    balanced: true            # optional; a neutral health-information page
    claims:                   # 1-based source line -> categories of the claim(s) on it
      7: [statistic]
    disclaimers:              # disclaimers the document is missing
      - medical-advice

Scoring (see benchmarks/README.md for the rubric):

* Findings of category ``disclaimer`` that carry ``requires`` are document-level and
  are scored against ``disclaimers``. Every other finding is line-level.
* A line-level finding counts at its start line; if it spans several lines and one of
  them is labelled, it counts at the first labelled line in its span.
* Line-level precision/recall compare the set of flagged lines with the set of
  labelled lines (category-agnostic). Per category, a (line, category) pair is a true
  positive when the line is labelled with that category.
* Balanced documents: every finding that is false (a line-level finding on an
  unlabelled line, or a disclaimer the labels do not list) counts, per 1,000 words.

The scoring functions are importable (``score``, ``load_gold``, ``Finding`` ...) and
have no dependency on the linter itself.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_DEVSET = HERE / "devset"

CATEGORIES = (
    "cure", "efficacy", "guarantee", "safety", "evidence", "regulatory", "hype",
    "suffering", "statistic", "speed", "testimonial", "discourage", "offlabel",
)
DISCLAIMER_KINDS = ("medical-advice", "results-vary", "risk-info", "fda-dshea", "off-label")
DOC_EXTENSIONS = (".md", ".markdown", ".mdx", ".html", ".htm", ".txt")
LABELS_SUFFIX = ".labels.yaml"

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Finding:
    """One finding from `overclaim check --format json` (only the fields scored)."""

    path: str
    line: int
    category: str
    end_line: int | None = None
    requires: str | None = None
    text: str = ""
    rule: str = ""

    @classmethod
    def from_json(cls, item: Mapping) -> "Finding":
        return cls(
            path=str(item["path"]),
            line=int(item["line"]),
            end_line=int(item["end_line"]) if item.get("end_line") is not None else None,
            category=str(item["category"]),
            requires=item.get("requires") or None,
            text=str(item.get("text") or ""),
            rule=str(item.get("rule") or ""),
        )

    @property
    def document_level(self) -> bool:
        return self.category == "disclaimer" and bool(self.requires)


@dataclass
class Gold:
    """The labels of one document."""

    path: str                                   # key used to match findings (see normalise_path)
    claims: dict[int, frozenset[str]] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()
    balanced: bool = False
    words: int = 0
    lines: list[str] = field(default_factory=list)   # source lines, for reports

    def line_text(self, line: int) -> str:
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": _round(self.precision), "recall": _round(self.recall), "f1": _round(self.f1)}


def counts_from_sets(predicted: set, gold: set) -> Counts:
    """Precision/recall counts of one predicted set against one gold set."""
    return Counts(tp=len(predicted & gold), fp=len(predicted - gold), fn=len(gold - predicted))


@dataclass
class Result:
    line: Counts
    categories: dict[str, Counts]
    category_micro: Counts
    disclaimers: Counts
    disclaimer_kinds: dict[str, Counts]
    balanced_false: int
    balanced_words: int
    balanced_docs: int
    documents: int
    per_document: dict[str, dict]
    false_positives: list[dict]
    false_negatives: list[dict]

    @property
    def balanced_false_per_1000(self) -> float | None:
        return 1000 * self.balanced_false / self.balanced_words if self.balanced_words else None

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "line": self.line.as_dict(),
            "category_micro": self.category_micro.as_dict(),
            "categories": {k: v.as_dict() for k, v in self.categories.items()},
            "disclaimers": self.disclaimers.as_dict(),
            "disclaimer_kinds": {k: v.as_dict() for k, v in self.disclaimer_kinds.items()},
            "balanced": {
                "documents": self.balanced_docs,
                "words": self.balanced_words,
                "false_findings": self.balanced_false,
                "false_findings_per_1000_words": _round(self.balanced_false_per_1000),
            },
            "per_document": self.per_document,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --------------------------------------------------------------------------- labels


def normalise_path(path: str | Path) -> str:
    return str(Path(path).resolve())


def count_words(text: str, suffix: str = ".md") -> int:
    """Words a reader sees: HTML tags (and script/style/comments) are dropped first."""
    if suffix.lower() in (".html", ".htm"):
        text = html.unescape(_TAG.sub(" ", text))
    return len(_WORD.findall(text))


def parse_labels(data: Mapping | None, *, where: str = "labels", n_lines: int | None = None,
                 lines: Sequence[str] | None = None) -> tuple[dict[int, frozenset[str]], frozenset[str], bool]:
    """Validate one parsed labels mapping; return (claims, missing disclaimers, balanced)."""
    data = data or {}
    unknown = set(data) - {"claims", "disclaimers", "balanced"}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    claims: dict[int, frozenset[str]] = {}
    for key, cats in (data.get("claims") or {}).items():
        try:
            line = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: claim key {key!r} is not a line number") from None
        if line < 1 or (n_lines is not None and line > n_lines):
            raise ValueError(f"{where}: line {line} is outside the document")
        if lines is not None and not lines[line - 1].strip():
            raise ValueError(f"{where}: line {line} is blank")
        if isinstance(cats, str):
            cats = [cats]
        if not cats:
            raise ValueError(f"{where}: line {line} has no categories")
        bad = set(cats) - set(CATEGORIES)
        if bad:
            raise ValueError(f"{where}: line {line}: unknown categories {sorted(bad)}")
        claims[line] = frozenset(cats)
    missing = data.get("disclaimers") or []
    bad = set(missing) - set(DISCLAIMER_KINDS)
    if bad:
        raise ValueError(f"{where}: unknown disclaimers {sorted(bad)}")
    balanced = data.get("balanced", False)
    if not isinstance(balanced, bool):
        raise ValueError(f"{where}: balanced must be true or false")
    return claims, frozenset(missing), balanced


def find_documents(devset: Path) -> list[Path]:
    return sorted(p for p in devset.iterdir()
                  if p.is_file() and p.suffix.lower() in DOC_EXTENSIONS and not p.name.startswith("."))


def labels_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + LABELS_SUFFIX)


def load_gold(doc: Path) -> Gold:
    source = doc.read_text(encoding="utf-8")
    lines = source.splitlines()
    lab = labels_path(doc)
    if not lab.is_file():
        raise ValueError(f"{doc}: no labels file {lab.name}")
    data = yaml.safe_load(lab.read_text(encoding="utf-8"))
    claims, missing, balanced = parse_labels(data, where=str(lab), n_lines=len(lines), lines=lines)
    return Gold(path=normalise_path(doc), claims=claims, missing=missing, balanced=balanced,
                words=count_words(source, doc.suffix), lines=lines)


def load_devset(devset: Path) -> list[Gold]:
    docs = find_documents(devset)
    if not docs:
        raise ValueError(f"{devset}: no documents")
    orphans = [p.name for p in devset.glob("*" + LABELS_SUFFIX)
               if not any(d.stem + LABELS_SUFFIX == p.name for d in docs)]
    if orphans:
        raise ValueError(f"{devset}: labels without a document: {orphans}")
    return [load_gold(d) for d in docs]


# --------------------------------------------------------------------------- scoring


def assigned_line(finding: Finding, labelled: Iterable[int]) -> int:
    """The line a line-level finding is scored at: its start line, unless it spans
    several lines of which one is labelled (then the first labelled one)."""
    end = finding.end_line if finding.end_line and finding.end_line > finding.line else finding.line
    labelled = set(labelled)
    for line in range(finding.line, end + 1):
        if line in labelled:
            return line
    return finding.line


def score(golds: Sequence[Gold], findings: Iterable[Finding], *, display: Mapping[str, str] | None = None) -> Result:
    """Score findings against gold labels. Findings on documents without gold are ignored.

    `display` maps a gold path to the name used in reports (default: the path itself).
    """
    by_path = {g.path: g for g in golds}
    display = dict(display or {})
    name = lambda path: display.get(path, path)  # noqa: E731

    pred_lines: set[tuple[str, int]] = set()
    pred_pairs: set[tuple[str, int, str]] = set()
    pred_disc: set[tuple[str, str]] = set()
    texts: dict[tuple[str, int, str], list[str]] = {}
    disc_texts: dict[tuple[str, str], list[str]] = {}
    balanced_false = 0

    for f in findings:
        gold = by_path.get(f.path)
        if gold is None:
            continue
        if f.document_level:
            key = (f.path, f.requires)
            pred_disc.add(key)
            disc_texts.setdefault(key, []).append(f.text)
            if gold.balanced and f.requires not in gold.missing:
                balanced_false += 1
            continue
        line = assigned_line(f, gold.claims)
        pred_lines.add((f.path, line))
        pred_pairs.add((f.path, line, f.category))
        texts.setdefault((f.path, line, f.category), []).append(f.text)
        if gold.balanced and line not in gold.claims:
            balanced_false += 1

    gold_lines = {(g.path, n) for g in golds for n in g.claims}
    gold_pairs = {(g.path, n, c) for g in golds for n, cats in g.claims.items() for c in cats}
    gold_disc = {(g.path, k) for g in golds for k in g.missing}

    line_counts = counts_from_sets(pred_lines, gold_lines)
    categories: dict[str, Counts] = {}
    extra = sorted({c for _, _, c in pred_pairs} - set(CATEGORIES))
    for cat in (*CATEGORIES, *extra):
        categories[cat] = counts_from_sets({p for p in pred_pairs if p[2] == cat},
                                           {p for p in gold_pairs if p[2] == cat})
    micro = Counts()
    for c in categories.values():
        micro.add(c)
    disclaimers = counts_from_sets(pred_disc, gold_disc)
    kinds = {k: counts_from_sets({p for p in pred_disc if p[1] == k}, {p for p in gold_disc if p[1] == k})
             for k in (*DISCLAIMER_KINDS, *sorted({k for _, k in pred_disc} - set(DISCLAIMER_KINDS)))}

    per_document = {}
    for g in golds:
        mine = lambda s, path=g.path: {x for x in s if x[0] == path}  # noqa: E731
        c = counts_from_sets(mine(pred_lines), mine(gold_lines))
        d = counts_from_sets(mine(pred_disc), mine(gold_disc))
        per_document[name(g.path)] = {"balanced": g.balanced, "words": g.words,
                                      "lines": c.as_dict(), "disclaimers": d.as_dict()}

    false_positives: list[dict] = []
    false_negatives: list[dict] = []
    for path, line, cat in sorted(pred_pairs - gold_pairs):
        gold = by_path[path]
        false_positives.append({
            "path": name(path), "line": line, "category": cat,
            "kind": "category" if line in gold.claims else "line",
            "labelled": sorted(gold.claims.get(line, ())),
            "text": " | ".join(dict.fromkeys(texts[(path, line, cat)])),
        })
    for path, line, cat in sorted(gold_pairs - pred_pairs):
        gold = by_path[path]
        flagged = sorted(c for p, n, c in pred_pairs if p == path and n == line)
        false_negatives.append({
            "path": name(path), "line": line, "category": cat,
            "kind": "category" if flagged else "line",
            "flagged": flagged, "text": gold.line_text(line),
        })
    for path, kind in sorted(pred_disc - gold_disc):
        false_positives.append({"path": name(path), "line": None, "category": "disclaimer", "kind": "disclaimer",
                                "requires": kind, "text": " | ".join(dict.fromkeys(disc_texts[(path, kind)]))})
    for path, kind in sorted(gold_disc - pred_disc):
        false_negatives.append({"path": name(path), "line": None, "category": "disclaimer", "kind": "disclaimer",
                                "requires": kind, "text": ""})

    balanced = [g for g in golds if g.balanced]
    return Result(
        line=line_counts, categories=categories, category_micro=micro,
        disclaimers=disclaimers, disclaimer_kinds=kinds,
        balanced_false=balanced_false, balanced_words=sum(g.words for g in balanced),
        balanced_docs=len(balanced), documents=len(golds), per_document=per_document,
        false_positives=false_positives, false_negatives=false_negatives,
    )


def devset_stats(golds: Sequence[Gold]) -> dict:
    """Counts describing the dev set (for the README)."""
    cats = {c: 0 for c in CATEGORIES}
    kinds = {k: 0 for k in DISCLAIMER_KINDS}
    for g in golds:
        for cs in g.claims.values():
            for c in cs:
                cats[c] += 1
        for k in g.missing:
            kinds[k] += 1
    return {
        "documents": len(golds),
        "balanced_documents": sum(g.balanced for g in golds),
        "lines": sum(len(g.lines) for g in golds),
        "non_blank_lines": sum(1 for g in golds for line in g.lines if line.strip()),
        "words": sum(g.words for g in golds),
        "balanced_words": sum(g.words for g in golds if g.balanced),
        "labelled_claim_lines": sum(len(g.claims) for g in golds),
        "labelled_line_categories": sum(cats.values()),
        "claims_per_category": cats,
        "missing_disclaimers": sum(kinds.values()),
        "missing_per_kind": kinds,
        "by_extension": {ext: sum(1 for g in golds if g.path.endswith(ext)) for ext in (".md", ".html", ".txt")},
    }


# --------------------------------------------------------------------------- linter


def linter_command() -> tuple[list[str], dict[str, str] | None]:
    """`overclaim` on PATH, else beside this Python, else `python -m linter`."""
    exe = shutil.which("overclaim")
    if exe is None:
        sibling = Path(sys.executable).parent / "overclaim"
        exe = str(sibling) if sibling.is_file() else None
    if exe is not None:
        return [exe], None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return [sys.executable, "-m", "linter"], env


def run_linter(docs: Sequence[Path], packs: str | None = None) -> list[dict]:
    cmd, env = linter_command()
    cmd = [*cmd, "check", "--format", "json", "--no-color"]
    if packs:
        cmd += ["--packs", packs]
    cmd += [str(d.resolve()) for d in docs]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(docs[0].parent))
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"overclaim exited {proc.returncode}:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout)["findings"]


def findings_from_json(items: Iterable[Mapping], base: Path) -> list[Finding]:
    """Parse findings; their paths are made absolute (relative ones against `base`)."""
    out = []
    for item in items:
        f = Finding.from_json(item)
        p = Path(f.path)
        out.append(Finding(**{**f.__dict__, "path": normalise_path(p if p.is_absolute() else base / p)}))
    return out


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def _row(label: str, c: Counts, width: int = 16) -> str:
    return (f"{label:<{width}} {c.tp:>4} {c.fp:>4} {c.fn:>4}   "
            f"{_fmt(c.precision):>5} {_fmt(c.recall):>5} {_fmt(c.f1):>5}")


def render_table(result: Result, verbose: bool = False) -> str:
    head = f"{'':<16} {'TP':>4} {'FP':>4} {'FN':>4}   {'P':>5} {'R':>5} {'F1':>5}"
    out = [f"overclaim dev set: {result.documents} documents ({result.balanced_docs} balanced)", ""]
    out += ["LINE-LEVEL", head, _row("any claim", result.line), _row("line x category", result.category_micro), ""]
    out += ["PER CATEGORY", head]
    out += [_row(cat, c) for cat, c in result.categories.items()]
    out += ["", "DISCLAIMERS (document-level)", head, _row("all", result.disclaimers)]
    out += [_row(kind, c) for kind, c in result.disclaimer_kinds.items()]
    per1000 = result.balanced_false_per_1000
    out += ["", "BALANCED DOCUMENTS",
            f"false findings: {result.balanced_false} in {result.balanced_words} words "
            f"= {'-' if per1000 is None else f'{per1000:.2f}'} per 1,000 words"]
    if verbose:
        out += ["", "PER DOCUMENT (lines TP/FP/FN, disclaimers TP/FP/FN)"]
        for doc, d in result.per_document.items():
            ln, s = d["lines"], d["disclaimers"]
            mark = " [balanced]" if d["balanced"] else ""
            out.append(f"  {doc:<40} lines {ln['tp']:>2}/{ln['fp']:>2}/{ln['fn']:>2}   "
                       f"disclaimers {s['tp']}/{s['fp']}/{s['fn']}{mark}")
        out += ["", "FALSE POSITIVES  (line: unlabelled line; category: labelled line, other category)"]
        out += [_item(x) for x in result.false_positives] or ["  (none)"]
        out += ["", "FALSE NEGATIVES  (line: line not flagged; category: flagged, but not with this category)"]
        out += [_item(x) for x in result.false_negatives] or ["  (none)"]
    return "\n".join(out)


def _item(x: dict) -> str:
    if x["kind"] == "disclaimer":
        note = f" ({x['text']})" if x.get("text") else ""
        return f"  {x['path']}  disclaimer:{x['requires']}{note}"
    extra = ""
    if x["kind"] == "category":
        extra = f" [labelled: {','.join(x['labelled'])}]" if "labelled" in x else f" [flagged: {','.join(x['flagged'])}]"
    text = x["text"] if len(x["text"]) <= 110 else x["text"][:107] + "..."
    return f"  {x['path']}:{x['line']}  {x['category']}{extra}  {text}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score overclaim against the annotated dev set.")
    ap.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="directory of documents and labels")
    ap.add_argument("--packs", help="passed to `overclaim check --packs` (default: the linter's default packs)")
    ap.add_argument("--findings", type=Path, help="score this saved `overclaim check --format json` output instead of running the linter")
    ap.add_argument("--verbose", "-v", action="store_true", help="list per-document scores, false positives and false negatives")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--stats", action="store_true", help="print dev-set statistics and exit")
    args = ap.parse_args(argv)

    try:
        golds = load_devset(args.devset)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    if args.stats:
        stats = devset_stats(golds)
        print(json.dumps(stats, indent=2) if args.json else _render_stats(stats))
        return 0

    docs = find_documents(args.devset)
    try:
        if args.findings:
            raw = json.loads(args.findings.read_text(encoding="utf-8"))["findings"]
            base = Path.cwd()
        else:
            raw = run_linter(docs, args.packs)
            base = docs[0].parent
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    findings = findings_from_json(raw, base)
    display = {g.path: Path(g.path).name for g in golds}
    result = score(golds, findings, display=display)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(render_table(result, verbose=args.verbose))
    return 0


def _render_stats(stats: dict) -> str:
    out = [f"documents: {stats['documents']} ({stats['balanced_documents']} balanced; "
           + ", ".join(f"{n} {ext}" for ext, n in stats["by_extension"].items()) + ")",
           f"lines: {stats['lines']} ({stats['non_blank_lines']} non-blank); words: {stats['words']} "
           f"({stats['balanced_words']} in balanced documents)",
           f"labelled claim lines: {stats['labelled_claim_lines']} "
           f"({stats['labelled_line_categories']} line x category labels)", "", "labels per category:"]
    out += [f"  {c:<12} {n:>4}" for c, n in stats["claims_per_category"].items()]
    out += ["", f"missing disclaimers: {stats['missing_disclaimers']}"]
    out += [f"  {k:<15} {n:>4}" for k, n in stats["missing_per_kind"].items()]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
