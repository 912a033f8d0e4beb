"""Claims inside markup (issue 17): the text of HTML blocks in Markdown is
linted by the HTML reader's rules, and a stray "&#" in HTML does not turn the
rest of the file into raw text."""

from __future__ import annotations

import pytest

from linter.core.meta_rule_table import META_RULES
from linter.review.meta_rules import MetaPolicy
from linter.packs.loading import known_rule_ids
from linter.read import read_document
from linter.review.suppressions import apply_suppressions
from helpers import assert_offsets_exact, texts
from test_positions import assert_positions

CLAIM = "Our CBD oil cures arthritis."

HTML_BLOCKS = {
    "div": f"<div>{CLAIM}</div>\n",
    "p with attributes": f'<p align="center">\n{CLAIM}\n</p>\n',
    "details": f"<details>\n<summary>More</summary>\n{CLAIM}\n</details>\n",
    "MDX component": f'<Callout type="tip">\n  {CLAIM}\n</Callout>\n',
    "after a comment": f"<!-- a note for editors --> {CLAIM}\n",
    "inside a list item": f"- item\n\n  <div>\n  {CLAIM}\n  </div>\n",
}


@pytest.mark.parametrize("name", HTML_BLOCKS)
def test_a_claim_in_an_html_block_is_found(lint, name):
    source = "# Page\n\nIntro.\n\n" + HTML_BLOCKS[name] + "\nOutro.\n"
    findings = lint(source, "page.md")
    assert [f.text for f in findings if f.rule == "cure-claim"] == ["oil cures arthritis"]
    assert_positions(source, findings)
    assert_offsets_exact(read_document("page.md", source.encode()))


def test_html_block_code_and_scripts_stay_unlinted(lint):
    source = '<script>\nvar claim = "Our CBD oil cures arthritis.";\n</script>\n\n<pre>\nOur CBD oil cures arthritis.\n</pre>\n'
    assert lint(source, "page.md") == []


def test_a_directive_before_a_claim_on_its_line_applies_to_it(engine):
    source = ("<!-- overclaim-disable-line cure-claim -- reviewed by legal --> "
              "Our CBD oil cures arthritis. It is guaranteed to work for everyone.\n")
    document = read_document("page.md", source.encode())
    raw = engine.lint(document)
    outcome = apply_suppressions(document, raw, known_rule_ids(), frozenset(engine.rules), MetaPolicy())
    assert "cure-claim" in {f.rule for f in raw}  # found, then suppressed with its reason
    rules = {f.rule for f in outcome.findings}
    assert "guaranteed-results" in rules and "cure-claim" not in rules
    assert not [f for f in outcome.findings if f.rule.startswith("suppression") or f.rule in META_RULES]


@pytest.mark.parametrize("stray", ["&#", "&#x", "&#;", "&#xZZ", "&#12a"])
def test_a_stray_character_reference_loses_nothing_after_it(lint, stray):
    source = f"<p>Price {stray} here.</p>\n<h2>Heading</h2>\n<p>{CLAIM}</p>\n"
    document = read_document("page.html", source.encode())
    assert "Heading" in texts(document, "heading")
    assert not any("<" in text for text in texts(document))
    assert_offsets_exact(document)
    findings = lint(source, "page.html")
    assert [f.text for f in findings if f.rule == "cure-claim"] == ["oil cures arthritis"]
    assert_positions(source, findings)


def test_a_lone_surrogate_escape_in_front_matter_loses_no_claim(lint):
    source = '---\ntitle: "Our oil \\uD800 cures arthritis."\n---\n' + CLAIM + "\n"
    document = read_document("page.md", source.encode())
    assert "\ufffd" in texts(document, "front-matter")[0]
    findings = lint(source, "page.md")
    assert [f.line for f in findings if f.rule == "cure-claim"] == [2, 4]
    assert_positions(source, findings)
