"""Finding positions end to end: through a reader, spaCy and the engine,
every finding must point at exactly the source text it reports.

Positions are recomputed here from scratch by splitting the source into
lines, never with the linter's own LineIndex.
"""

from __future__ import annotations

import re

import pytest

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def expected_position(source: str, offset: int) -> tuple[int, int]:
    """1-based (line, column in characters) of a source offset."""
    before = LINE_BREAK.split(source[:offset])
    return len(before), len(before[-1]) + 1


def assert_positions(source: str, findings) -> None:
    lines = LINE_BREAK.split(source)
    for f in findings:
        assert f.text == source[f.start_offset : f.end_offset], f
        assert f.text.strip() == f.text and f.text, f
        assert (f.line, f.column) == expected_position(source, f.start_offset), f
        assert (f.end_line, f.end_column) == expected_position(source, f.end_offset), f
        parts = LINE_BREAK.split(f.text)
        assert f.end_line - f.line == len(parts) - 1, f
        if len(parts) == 1:
            assert lines[f.line - 1][f.column - 1 : f.end_column - 1] == f.text, f
        else:
            assert lines[f.line - 1][f.column - 1 :] == parts[0], f
            assert lines[f.end_line - 1][: f.end_column - 1] == parts[-1], f


def spans(findings, line_level_only: bool = True):
    return [
        (f.rule, f.line, f.column, f.end_line, f.end_column, f.text)
        for f in findings
        if not line_level_only or f.requires is None
    ]


def overlaps(finding, start: int, end: int) -> bool:
    return finding.start_offset < end and start < finding.end_offset


# --- Markdown ---------------------------------------------------------------

MARKDOWN = """\
---
title: Our turmeric blend is clinically proven
author: The tea cures cancer team
---

# Joint Comfort Tea

Café crème — our tea is a miracle and tastes great.

```
This tea cures eczema.
```

Run `the balm cures eczema` in your shell.

Read [why the elixir has no side effects](https://example.com/tea-cures-acne) today.

<!-- This serum cures glaucoma. -->

Our gummies cure arthritis.
"""

# Prose the Markdown reader must skip: (the skipped source text, a claim inside it).
SKIPPED = [
    ("author: The tea cures cancer team", "The tea cures cancer."),
    ("```\nThis tea cures eczema.\n```", "This tea cures eczema."),
    ("`the balm cures eczema`", "The balm cures eczema."),
    ("(https://example.com/tea-cures-acne)", None),
    ("<!-- This serum cures glaucoma. -->", "This serum cures glaucoma."),
]


@pytest.fixture(scope="module")
def markdown_findings(lint):
    return lint(MARKDOWN, "page.md")


def test_markdown_positions_are_exact(markdown_findings):
    assert_positions(MARKDOWN, markdown_findings)


def test_markdown_claims_where_prose_is(markdown_findings):
    found = spans(markdown_findings)
    assert ("unsupported-evidence-claim", 2, 30, 2, 47, "clinically proven") in found  # front-matter title
    assert ("miracle-hype", 8, 27, 8, 34, "miracle") in found  # after non-ASCII text on the line
    assert ("absolute-safety-claim", 16, 26, 16, 41, "no side effects") in found  # link text
    (cure,) = [f for f in markdown_findings if f.rule == "cure-claim"]
    assert "cure arthritis" in cure.text and (cure.line, cure.end_line, cure.end_column) == (20, 20, 27)
    assert {f.line for f in markdown_findings} == {2, 8, 16, 20}


def test_markdown_disclaimer_findings_sit_on_the_first_trigger(markdown_findings):
    disclaimers = {f.rule: (f.line, f.column, f.text) for f in markdown_findings if f.requires}
    # the first efficacy/safety claim is the link text; the title's proof claim triggers neither
    assert disclaimers["missing-medical-advice-disclaimer"] == (16, 26, "no side effects")
    assert disclaimers["missing-risk-information"] == (16, 26, "no side effects")


@pytest.mark.parametrize(("skipped", "claim"), SKIPPED, ids=[s for s, _ in SKIPPED])
def test_markdown_skipped_regions_report_nothing(lint, markdown_findings, skipped, claim):
    start = MARKDOWN.index(skipped)
    assert [f for f in markdown_findings if overlaps(f, start, start + len(skipped))] == []
    if claim is not None:  # the same words as prose are a claim: the reader, not the rules, skipped them
        assert "cure-claim" in {f.rule for f in lint(claim, "claim.txt")}


# --- HTML -------------------------------------------------------------------

HTML = """\
<!DOCTYPE html>
<html><head><title>Joint tea</title>
<script>var claim = "This tea cures eczema.";</script>
</head>
<body>
<h1>Relief&nbsp;at last</h1>
<p>You don&rsquo;t have to suffer anymore &mdash; it has no side effects.</p>
<img src="tea.png" alt="miracle cure">
<p>Caf&eacute; cr&egrave;me, and zero side effects.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def html_findings(lint):
    return lint(HTML, "page.html")


def test_html_positions_are_exact(html_findings):
    assert_positions(HTML, html_findings)


def test_html_entities_count_as_their_source_characters(html_findings):
    found = spans(html_findings)
    (suffer,) = [f for f in html_findings if f.rule == "suffering-appeal"]
    assert "don&rsquo;t have to suffer" in suffer.text and (suffer.line, suffer.end_column) == (7, 34)
    # after "&rsquo;" and "&mdash;" on the same line
    assert ("absolute-safety-claim", 7, 58, 7, 73, "no side effects") in found
    # after "Caf&eacute; cr&egrave;me": columns count the entities' source characters
    assert ("absolute-safety-claim", 9, 34, 9, 51, "zero side effects") in found


def test_html_attribute_is_linted(html_findings):
    found = spans(html_findings)
    assert ("miracle-hype", 8, 25, 8, 32, "miracle") in found
    assert any(f.rule == "cure-claim" and f.text == "miracle cure" and (f.line, f.column) == (8, 25)
               for f in html_findings)


def test_html_script_is_skipped(lint, html_findings):
    assert [f for f in html_findings if f.line == 3] == []
    assert "cure-claim" in {f.rule for f in lint("This tea cures eczema.", "claim.txt")}


# --- line endings, BOM, non-ASCII -------------------------------------------


@pytest.mark.parametrize("name", ["crlf.md", "crlf.txt", "crlf.html"])
def test_crlf_line_endings(lint, name):
    source = "Intro line.\r\n\r\nOur balm cures eczema.\r\nIt has no side effects.\r\n"
    if name.endswith(".html"):
        source = "<p>Intro line.</p>\r\n\r\n<p>Our balm cures eczema.\r\nIt has no side effects.</p>\r\n"
    findings = lint(source, name)
    assert_positions(source, findings)
    lines = LINE_BREAK.split(source)
    cure = next(f for f in findings if f.rule == "cure-claim")
    assert (cure.line, cure.end_line, cure.end_column) == (3, 3, lines[2].index(".") + 1)
    safety = next(f for f in findings if f.rule == "absolute-safety-claim")
    assert (safety.line, safety.column, safety.end_column, safety.text) == (4, 8, 23, "no side effects")


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("name", ["wrapped.txt", "wrapped.md"])
def test_match_across_a_line_break(lint, ending, name):
    source = f"Intro line.{ending}{ending}Our balm has no side{ending}effects at all.{ending}"
    findings = lint(source, name)
    assert_positions(source, findings)
    safety = next(f for f in findings if f.rule == "absolute-safety-claim")
    assert (safety.line, safety.column, safety.end_line, safety.end_column) == (3, 14, 4, 8)
    assert safety.text == f"no side{ending}effects"


@pytest.mark.parametrize("name", ["bom.md", "bom.txt", "bom.html"])
def test_utf8_bom_is_not_a_column(lint, name):
    body = "# Tea\r\n\r\nIt has no side effects.\r\n"
    if name.endswith(".html"):
        body = "<h1>Tea</h1>\r\n\r\n<p>It has no side effects.</p>\r\n"
    data = b"\xef\xbb\xbf" + body.encode("utf-8")
    findings = lint(data, name)
    assert_positions(body, findings)  # offsets refer to the text after the BOM
    safety = next(f for f in findings if f.rule == "absolute-safety-claim")
    assert safety.line == 3 and safety.column == body.splitlines()[2].index("no side") + 1


@pytest.mark.parametrize("prefix", [
    "Café crème — ",  # precomposed accents and an em dash
    "Cafe\u0301 — ",  # a combining accent: two characters, one glyph
    "🌿 Herbal tea: ",  # outside the BMP: one character (two UTF-16 units)
    "草本茶 — ",  # wide CJK characters
])
@pytest.mark.parametrize("name", ["note.txt", "note.md", "note.html"])
def test_non_ascii_before_the_match_counts_characters(lint, prefix, name):
    source = f"{prefix}it has no side effects.\n"
    findings = lint(source, name)
    assert_positions(source, findings)
    safety = next(f for f in findings if f.rule == "absolute-safety-claim")
    assert safety.column == len(prefix) + len("it has ") + 1
    assert safety.end_column == safety.column + len("no side effects")


def test_mixed_line_endings_in_one_file(lint):
    source = "First.\nSecond.\r\nThird.\rIt has no side effects.\r\n"
    findings = lint(source, "mixed.txt")
    assert_positions(source, findings)
    safety = next(f for f in findings if f.rule == "absolute-safety-claim")
    assert (safety.line, safety.column) == (4, 8)


def test_every_example_sentence_is_positioned_exactly(lint, ruleset):
    """Every finding on every rule example, as Markdown: text and positions agree."""
    for rule in ruleset.rules:
        for text in (*rule.examples.fire, *rule.examples.pass_):
            source = f"Intro.\n\n{text}\n"
            assert_positions(source, lint(source, "example.md"))
