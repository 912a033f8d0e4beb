"""Findings on the same words shown once (text) and marked (JSON); every
line of a multi-line finding shown; a testimonial anchored on its words,
not on the heading that introduces it (issue 15, defects 3 and 4)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from linter.cli import cli
from linter.formats.text_format import render
from linter.core.model import Finding, Severity
from linter.run.report import Report
from linter.formats.span_groups import group_numbers, span_groups


def run(*args: str):
    return CliRunner().invoke(cli, ["check", "--no-color", *args])


def finding(rule: str, start: int, end: int, line: int = 1, end_line: int | None = None, path: str = "a.md",
            severity: Severity = Severity.WARNING) -> Finding:
    return Finding(path, line, start + 1, end_line or line, end + 1, rule, rule.split("-")[0], severity,
                   f"message of {rule}", "", "", "", None, (), start, end)


def test_overlapping_findings_form_one_group_and_lone_ones_their_own():
    a, b, c = finding("cure-x", 5, 17), finding("hype-y", 5, 12), finding("speed-z", 15, 30)
    alone = finding("evidence-w", 40, 45)
    other_file = finding("cure-x", 5, 17, path="b.md")
    assert span_groups([a, b, c, alone, other_file]) == ((a, b, c), (alone,), (other_file,))
    assert group_numbers([a, b, c, alone, other_file]) == [1, 1, 1, None, None]


def test_a_missing_disclaimer_at_the_same_words_stays_apart():
    # The notice sorts before the claims at the same position (by rule id).
    notice = replace(finding("missing-notice", 5, 17), requires="medical-advice")
    first, claim = finding("hype-claim", 0, 12), finding("product-claim", 5, 17)
    assert span_groups([first, notice, claim]) == ((first, claim), (notice,))
    assert group_numbers([first, notice, claim]) == [1, None, 1]


def test_text_shows_words_once_with_every_rule_category_and_message(project):
    Path("page.md").write_text("This miracle cure works wonders.\n", encoding="utf-8")
    result = run("page.md")
    assert result.exit_code == 1, result.output
    header = result.stdout.splitlines()[0]
    assert header.startswith("page.md:1:6: error [cure-claim, miracle-hype")
    assert "(cure, hype" in header
    group = result.stdout.split("\n\n")[0]
    assert group.count("This miracle cure works wonders.") == 1  # the source line shown once
    assert "= error [cure-claim] (cure): “miracle cure” claims" in group
    assert "= warning [miracle-hype] (hype): “miracle” frames" in group


def test_json_keeps_one_entry_per_rule_and_marks_shared_words(project):
    Path("page.md").write_text("This miracle cure works wonders.\n\nOur tea works faster than any other tea.\n", encoding="utf-8")
    findings = json.loads(run("page.md", "--format", "json").stdout)["findings"]
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["cure-claim"]["span_group"] == by_rule["miracle-hype"]["span_group"] == 1
    alone = [f for f in findings if f["line"] == 3]
    assert alone and all(f["span_group"] is None for f in alone)


def test_multi_line_finding_shows_every_line_underlined():
    first, second = "Our herbal tea cures", "  chronic arthritis in weeks."
    hit = Finding("a.txt", 3, 16, 4, 20, "cure-claim", "cure", Severity.ERROR, "m", "", "", "", None, (), 0, 0)
    report = Report((hit,), files=1, lines={("a.txt", 3): first, ("a.txt", 4): second})
    lines = render(report).splitlines()
    at = lines.index("   3 | Our herbal tea cures")
    assert lines[at + 1] == "     |                ^^^^^"
    assert lines[at + 2] == "   4 |   chronic arthritis in weeks."
    assert lines[at + 3] == "     |   ^^^^^^^^^^^^^^^^^"


def test_a_real_wrapped_claim_shows_both_lines(project):
    Path("wrapped.txt").write_text("Our herbal tea cures\nchronic arthritis for good.\n", encoding="utf-8")
    result = run("wrapped.txt")
    assert "   1 | Our herbal tea cures" in result.stdout
    assert "   2 | chronic arthritis for good." in result.stdout


def test_testimonial_after_a_heading_line_anchors_on_the_quote(project):
    Path("blog.txt").write_text(
        "What our patients say:\n“After three visits my back pain was gone and I sleep again.”\n", encoding="utf-8")
    findings = json.loads(run("blog.txt", "--format", "json").stdout)["findings"]
    testimonial = next(f for f in findings if f["rule"] == "outcome-testimonial")
    assert (testimonial["line"], testimonial["end_line"]) == (2, 2)
    assert testimonial["text"] == "my back pain was gone"


def test_a_span_over_many_lines_shows_its_first_lines_and_its_last():
    lines = {("a.txt", n): f"line {n} of a long wrapped sentence" for n in range(1, 21)}
    hit = Finding("a.txt", 1, 1, 20, 5, "cure-claim", "cure", Severity.ERROR, "m", "", "", "", None, (), 0, 0)
    shown = [line for line in render(Report((hit,), files=1, lines=lines)).splitlines() if " | line " in line]
    assert [line.split(" | ")[0].strip() for line in shown] == ["1", "2", "3", "4", "5", "20"]
    assert "     | … 14 more lines" in render(Report((hit,), files=1, lines=lines))
