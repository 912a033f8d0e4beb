"""The dev-set scorer (benchmarks/evaluate.py): arithmetic on tiny synthetic inputs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("overclaim_evaluate", ROOT / "benchmarks" / "evaluate.py")
ev = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = ev  # dataclasses look the module up while the class is built
_spec.loader.exec_module(ev)

Finding, Gold, Counts = ev.Finding, ev.Gold, ev.Counts


def gold(path="a.md", claims=None, missing=(), balanced=False, words=100):
    return Gold(path=path, claims={k: frozenset(v) for k, v in (claims or {}).items()},
                missing=frozenset(missing), balanced=balanced, words=words,
                lines=[f"line {i}" for i in range(1, 21)])


def f(line, category, path="a.md", end_line=None, requires=None, text="x"):
    return Finding(path=path, line=line, end_line=end_line, category=category, requires=requires, text=text)


# ----------------------------------------------------------------- Counts


def test_counts_precision_recall_f1():
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == pytest.approx(0.75)
    assert c.recall == pytest.approx(0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_counts_undefined_when_denominator_is_zero():
    assert Counts(0, 0, 3).precision is None
    assert Counts(0, 2, 0).recall is None
    assert Counts(0, 0, 0).f1 is None
    assert Counts(0, 2, 3).f1 == 0.0


def test_counts_from_sets():
    c = ev.counts_from_sets({1, 2, 3}, {2, 3, 4, 5})
    assert (c.tp, c.fp, c.fn) == (2, 1, 2)


# ----------------------------------------------------------------- line level


def test_line_level_is_category_agnostic_and_deduplicated():
    g = gold(claims={2: ["cure"], 5: ["statistic"], 9: ["hype"]})
    findings = [f(2, "efficacy"), f(2, "cure"), f(5, "statistic"), f(7, "hype")]
    r = ev.score([g], findings)
    # lines 2 and 5 found, 7 is spurious, 9 is missed; two findings on line 2 count once
    assert (r.line.tp, r.line.fp, r.line.fn) == (2, 1, 1)
    assert r.line.precision == pytest.approx(2 / 3)
    assert r.line.recall == pytest.approx(2 / 3)


def test_per_category_counts():
    g = gold(claims={2: ["cure", "hype"], 5: ["statistic"]})
    findings = [f(2, "cure"), f(2, "efficacy"), f(5, "statistic"), f(5, "statistic"), f(8, "statistic")]
    r = ev.score([g], findings)
    cure, hype, eff, stat = (r.categories[c] for c in ("cure", "hype", "efficacy", "statistic"))
    assert (cure.tp, cure.fp, cure.fn) == (1, 0, 0)
    assert (hype.tp, hype.fp, hype.fn) == (0, 0, 1)          # labelled, not predicted
    assert (eff.tp, eff.fp, eff.fn) == (0, 1, 0)             # predicted on a labelled line, wrong category
    assert (stat.tp, stat.fp, stat.fn) == (1, 1, 0)          # duplicate on line 5 counts once; line 8 is FP
    assert (r.category_micro.tp, r.category_micro.fp, r.category_micro.fn) == (2, 2, 1)
    # a category with no gold and no prediction has undefined precision and recall
    assert r.categories["offlabel"].precision is None and r.categories["offlabel"].recall is None


def test_unknown_predicted_category_gets_its_own_row():
    r = ev.score([gold(claims={3: ["regulatory"]})], [f(3, "disclaimer")])   # line-level: no `requires`
    assert r.line.tp == 1
    assert r.categories["disclaimer"].fp == 1 and r.categories["regulatory"].fn == 1


def test_multi_line_finding_counts_at_first_labelled_line_in_span():
    g = gold(claims={4: ["efficacy"]})
    assert ev.assigned_line(f(3, "efficacy", end_line=5), g.claims) == 4
    assert ev.assigned_line(f(6, "efficacy", end_line=7), g.claims) == 6
    assert ev.assigned_line(f(6, "efficacy", end_line=None), g.claims) == 6
    r = ev.score([g], [f(3, "efficacy", end_line=5)])
    assert (r.line.tp, r.line.fp, r.line.fn) == (1, 0, 0)


def test_findings_for_unknown_documents_are_ignored():
    r = ev.score([gold(claims={1: ["cure"]})], [f(1, "cure", path="other.md")])
    assert (r.line.tp, r.line.fp, r.line.fn) == (0, 0, 1)


def test_pairs_are_per_document():
    a = gold("a.md", claims={1: ["cure"]})
    b = gold("b.md", claims={})
    r = ev.score([a, b], [f(1, "cure", path="b.md")])
    assert (r.line.tp, r.line.fp, r.line.fn) == (0, 1, 1)
    assert r.per_document["b.md"]["lines"]["fp"] == 1 and r.per_document["a.md"]["lines"]["fn"] == 1


# ----------------------------------------------------------------- disclaimers


def test_disclaimer_matching():
    a = gold("a.md", missing=["medical-advice", "fda-dshea"])
    b = gold("b.md", missing=[])
    findings = [
        f(3, "disclaimer", path="a.md", requires="medical-advice"),
        f(9, "disclaimer", path="a.md", requires="medical-advice"),   # same requirement twice: once
        f(3, "disclaimer", path="a.md", requires="risk-info"),
        f(1, "disclaimer", path="b.md", requires="fda-dshea"),
    ]
    r = ev.score([a, b], findings)
    assert (r.disclaimers.tp, r.disclaimers.fp, r.disclaimers.fn) == (1, 2, 1)
    assert r.disclaimer_kinds["fda-dshea"].fp == 1 and r.disclaimer_kinds["fda-dshea"].fn == 1
    assert r.disclaimer_kinds["medical-advice"].tp == 1
    # document-level findings never count as line-level ones
    assert (r.line.tp, r.line.fp, r.line.fn) == (0, 0, 0)


def test_disclaimer_without_requires_is_line_level():
    assert f(2, "disclaimer", requires="fda-dshea").document_level
    assert not f(2, "disclaimer").document_level
    assert not f(2, "regulatory", requires=None).document_level


# ----------------------------------------------------------------- balanced documents


def test_false_findings_per_thousand_words_counts_findings_on_balanced_documents_only():
    bal = gold("bal.md", claims={4: ["statistic"]}, missing=["medical-advice"], balanced=True, words=500)
    ad = gold("ad.md", claims={}, balanced=False, words=1000)
    findings = [
        f(1, "hype", path="bal.md"), f(1, "cure", path="bal.md"),       # two false findings on one line
        f(4, "statistic", path="bal.md"),                               # labelled: not false
        f(2, "disclaimer", path="bal.md", requires="risk-info"),        # false disclaimer
        f(2, "disclaimer", path="bal.md", requires="medical-advice"),   # labelled: not false
        f(1, "hype", path="ad.md"),                                     # not a balanced document
    ]
    r = ev.score([bal, ad], findings)
    assert r.balanced_false == 3 and r.balanced_words == 500 and r.balanced_docs == 1
    assert r.balanced_false_per_1000 == pytest.approx(6.0)


def test_no_balanced_documents():
    assert ev.score([gold()], []).balanced_false_per_1000 is None


# ----------------------------------------------------------------- error lists


def test_false_positive_and_negative_lists():
    g = gold(claims={2: ["cure"], 3: ["hype"]}, missing=["off-label"])
    r = ev.score([g], [f(2, "efficacy", text="relieves X"), f(5, "speed", text="instant"),
                       f(1, "disclaimer", requires="risk-info", text="ketamine")])
    fps = {(x["line"], x["category"], x["kind"]) for x in r.false_positives}
    fns = {(x["line"], x["category"], x["kind"]) for x in r.false_negatives}
    assert fps == {(2, "efficacy", "category"), (5, "speed", "line"), (None, "disclaimer", "disclaimer")}
    assert fns == {(2, "cure", "category"), (3, "hype", "line"), (None, "disclaimer", "disclaimer")}
    miss = next(x for x in r.false_negatives if x["line"] == 3)
    assert miss["text"] == "line 3"
    json.dumps(r.as_dict())   # the whole result is JSON-serialisable


# ----------------------------------------------------------------- labels and words


def test_parse_labels_validates():
    claims, missing, balanced = ev.parse_labels(
        {"claims": {3: ["cure", "hype"], "5": "statistic"}, "disclaimers": ["off-label"], "balanced": True},
        n_lines=10)
    assert claims == {3: frozenset({"cure", "hype"}), 5: frozenset({"statistic"})}
    assert missing == frozenset({"off-label"}) and balanced is True
    assert ev.parse_labels(None) == ({}, frozenset(), False)
    for bad in ({"claims": {3: ["miracle"]}}, {"claims": {11: ["cure"]}}, {"claims": {0: ["cure"]}},
                {"disclaimers": ["dshea"]}, {"claim": {}}, {"claims": {2: []}}):
        with pytest.raises(ValueError):
            ev.parse_labels(bad, n_lines=10)
    with pytest.raises(ValueError):
        ev.parse_labels({"claims": {2: ["cure"]}}, n_lines=3, lines=["a", "", "c"])   # blank line


def test_count_words():
    assert ev.count_words("Don't stop: 5 mg, twice-daily.") == 5
    assert ev.count_words("<p title='ignored words'>Two <b>words</b></p><script>var x = 1;</script>", ".html") == 2
    assert ev.count_words("A &amp; B", ".html") == 2


def test_load_devset_round_trip(tmp_path):
    (tmp_path / "x.md").write_text("# Title\n\nCures everything.\n", encoding="utf-8")
    (tmp_path / "x.labels.yaml").write_text("balanced: false\nclaims:\n  3: [cure]\ndisclaimers: [medical-advice]\n")
    (golden,) = ev.load_devset(tmp_path)
    assert golden.claims == {3: frozenset({"cure"})} and golden.missing == {"medical-advice"}
    assert golden.words == 3
    findings = ev.findings_from_json(
        [{"path": "x.md", "line": 3, "column": 1, "end_line": 3, "end_column": 6, "category": "cure",
          "requires": None, "text": "Cures", "rule": "r"}], base=tmp_path)
    r = ev.score([golden], findings)
    assert (r.line.tp, r.line.fp, r.line.fn) == (1, 0, 0)
    assert (r.disclaimers.tp, r.disclaimers.fn) == (0, 1)


def test_load_devset_rejects_orphan_labels(tmp_path):
    (tmp_path / "x.md").write_text("text\n", encoding="utf-8")
    (tmp_path / "x.labels.yaml").write_text("claims: {}\n")
    (tmp_path / "y.labels.yaml").write_text("claims: {}\n")
    with pytest.raises(ValueError):
        ev.load_devset(tmp_path)


def test_main_scores_saved_findings(tmp_path, capsys):
    (tmp_path / "x.md").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "x.labels.yaml").write_text("balanced: true\nclaims:\n  2: [hype]\ndisclaimers: []\n")
    saved = tmp_path / "findings.json"
    saved.write_text(json.dumps({"version": 1, "findings": [
        {"path": str(tmp_path / "x.md"), "line": 1, "end_line": 1, "category": "hype", "requires": None, "text": "one"}]}))
    assert ev.main(["--devset", str(tmp_path), "--findings", str(saved), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["line"]["tp"] == 0 and out["line"]["fp"] == 1 and out["line"]["fn"] == 1
    assert out["balanced"]["false_findings"] == 1
    assert ev.main(["--devset", str(tmp_path), "--findings", str(saved), "--verbose"]) == 0
    table = capsys.readouterr().out
    assert "x.md:1  hype" in table and "x.md:2  hype" in table
