import re

import pytest
from markdown_it import MarkdownIt

from helpers import assert_offsets_exact, block_with, position_of, source_of, texts
from linter.read import read_document
from linter.read.markdown import read_markdown


def read(source: str):
    doc = read_markdown("page.md", source)
    assert_offsets_exact(doc)
    return doc


# --- blocks ----------------------------------------------------------------


def test_paragraphs_and_atx_headings_are_separate_blocks():
    doc = read("# Our CBD oil cures arthritis #\n\nIt works in days.\nNo side effects.\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Our CBD oil cures arthritis"),
        ("paragraph", "It works in days. No side effects."),
    ]
    assert source_of(doc, "arthritis") == "arthritis"
    assert position_of(doc, "No side") == (4, 1)


def test_setext_heading_drops_the_underline():
    doc = read("Miracle cure\n============\n\nGuaranteed results\n---\n")
    assert texts(doc, "heading") == ["Miracle cure", "Guaranteed results"]


def test_soft_line_break_is_one_space_mapped_to_the_line_ending():
    doc = read("Cures   \n   arthritis fast.\n")
    block = doc.blocks[0]
    assert block.text == "Cures arthritis fast."
    start, end = block.source_span(5, 6)
    assert doc.source[start:end] == "   \n"  # trailing spaces and the line ending
    assert source_of(doc, "arthritis") == "arthritis"


def test_lists_and_blockquotes():
    source = (
        "- Cures *arthritis*\n"
        "- Ends back pain\n"
        "  for good\n"
        "\n"
        "1. Boosts immunity\n"
        "   1. Nested claim\n"
        "\n"
        "> Doctors hate this\n"
        "> one trick.\n"
        "lazy continuation\n"
    )
    doc = read(source)
    assert texts(doc, "list-item") == [
        "Cures arthritis",
        "Ends back pain for good",
        "Boosts immunity",
        "Nested claim",
    ]
    assert block_with(doc, "Doctors").text == "Doctors hate this one trick. lazy continuation"
    assert block_with(doc, "Doctors").kind == "paragraph"
    assert position_of(doc, "one trick") == (9, 3)
    assert position_of(doc, "for good") == (3, 3)


def test_fenced_and_indented_code_are_skipped():
    source = (
        "Before.\n\n"
        "```python\ncure = 'cancer'  # cures cancer\n```\n\n"
        "~~~\ncures diabetes\n~~~\n\n"
        "    indented code cures gout\n\n"
        "After.\n"
    )
    assert texts(read(source)) == ["Before.", "After."]


def test_html_blocks_are_read_as_html():
    doc = read('<div class="promo">\nCures everything\n</div>\n\n<pre>\nCode here\n</pre>\n\nPlain claim.\n')
    assert texts(doc) == ["Cures everything", "Plain claim."]
    assert_offsets_exact(doc)


# --- inline markup ------------------------------------------------------------------


def test_inline_code_spans_are_dropped():
    doc = read("Take `500mg` daily, or ``two `ticks` here`` twice.\n")
    assert doc.blocks[0].text == "Take  daily, or  twice."


def test_unmatched_backticks_are_text():
    doc = read("It costs `5 and cures `` nothing.\n")
    assert doc.blocks[0].text == "It costs `5 and cures `` nothing."


def test_emphasis_markers_are_dropped_but_intraword_underscores_kept():
    doc = read("It *really* **works** and _heals_ __fast__; see my_snake_case, 5 * 3 and *unclosed.\n")
    assert doc.blocks[0].text == "It really works and heals fast; see my_snake_case, 5 * 3 and *unclosed."
    assert source_of(doc, "works") == "works"
    assert source_of(doc, "my_snake_case") == "my_snake_case"


def test_nested_emphasis():
    doc = read("***Proven*** results, *very **strong** claim*.\n")
    assert doc.blocks[0].text == "Proven results, very strong claim."


def test_links_keep_text_and_drop_destination_and_title():
    doc = read('See [the clinical study](https://example.com/study "Study (2020)") today.\n')
    assert doc.blocks[0].text == "See the clinical study today."
    assert source_of(doc, "clinical") == "clinical"
    assert source_of(doc, "study") == "study"


def test_multiline_link_and_angle_destination():
    doc = read("Read [our\nreview](<https://x.com/a b>\n 'title') now.\n")
    assert doc.blocks[0].text == "Read our review now."


def test_reference_links():
    source = (
        "Backed by [science][s], [Science][] and [science], but [not defined] stays.\n"
        "\n"
        '[science]: https://example.com "Trust us"\n'
        "[s]: https://example.com/s\n"
    )
    doc = read(source)
    assert texts(doc) == ["Backed by science, Science and science, but [not defined] stays."]


def test_images_keep_alt_text():
    doc = read("![Happy patient after one dose](img/patient.png) Results vary.\n")
    assert doc.blocks[0].text == "Happy patient after one dose Results vary."
    assert source_of(doc, "Happy") == "Happy"


def test_image_inside_link():
    doc = read("[![Cures gout](badge.svg)](https://example.com) instantly\n")
    assert doc.blocks[0].text == "Cures gout instantly"


def test_autolinks_and_bare_urls_are_dropped():
    doc = read(
        "Order at <https://shop.example.com/cbd?x=1> or <sales@example.com>.\n"
        "Visit https://example.com/cure. Or www.cure.example (it works), really.\n"
    )
    assert doc.blocks[0].text == "Order at  or . Visit . Or  (it works), really."


def test_url_with_balanced_parentheses():
    doc = read("Read https://en.wikipedia.org/wiki/Cure_(disambiguation) now.\n")
    assert doc.blocks[0].text == "Read  now."


def test_inline_html_tags_are_dropped_and_br_is_a_space():
    doc = read('It <span class="hl">cures</span> pain<br/>fast.\n')
    assert doc.blocks[0].text == "It cures pain fast."
    assert source_of(doc, "cures") == "cures"


def test_backslash_escapes_and_hard_breaks():
    doc = read("100\\% natural \\*not\\* a drug\\\nand safe  \nfor kids.\n")
    assert doc.blocks[0].text == "100% natural *not* a drug and safe for kids."
    assert source_of(doc, "100% natural") == "100\\% natural"


def test_entities_are_decoded_and_span_the_entity():
    doc = read("Tom &amp; Jerry&rsquo;s oil &#8217; &#x2019; &copy 2024 &bogus;.\n")
    block = doc.blocks[0]
    assert block.text == "Tom & Jerry’s oil ’ ’ &copy 2024 &bogus;."
    assert source_of(doc, "&") == "&amp;"
    assert source_of(doc, "Jerry’s") == "Jerry&rsquo;s"
    assert source_of(doc, "’", nth=1) == "&#8217;"
    assert source_of(doc, "’", nth=2) == "&#x2019;"


def test_non_ascii_and_curly_quotes():
    doc = read("# “Don’t wait” — naïve café 🌿 remedy\n\nIt’s “clinically proven”.\n")
    assert texts(doc) == ["“Don’t wait” — naïve café 🌿 remedy", "It’s “clinically proven”."]
    assert source_of(doc, "remedy") == "remedy"
    assert position_of(doc, "remedy") == (1, 31)  # columns count characters, not bytes


# --- tables --------------------------------------------------------------------------


def test_table_cells_are_separate_blocks():
    source = (
        "| Claim | Verdict |\n"
        "|:------|--------:|\n"
        "| Cures *cancer* | `false` |\n"
        "| Pipe \\| escaped |  |\n"
        "no pipes | at the ends\n"
    )
    doc = read(source)
    assert texts(doc, "table-cell") == ["Claim", "Verdict", "Cures cancer", "Pipe | escaped", "no pipes", "at the ends"]
    assert source_of(doc, "cancer") == "cancer"
    assert position_of(doc, "at the ends") == (5, 12)


def test_table_inside_blockquote_and_list():
    doc = read(
        "> | Benefit | Claim |\n> |---|---|\n> | Sleep | Cures insomnia |\n"
        "\n"
        "- | A | B |\n  |---|---|\n  | x | Heals |\n"
    )
    assert texts(doc, "table-cell") == ["Benefit", "Claim", "Sleep", "Cures insomnia", "A", "B", "x", "Heals"]


# --- front matter -------------------------------------------------------------------


FRONT_MATTER = """\
---
title: Our CBD oil cures arthritis
author: Dr. Miracle cures
tags: [cures, cancer]
date: 2024-01-01
summary: 42
description: "Relieves pain \\u2019fast\\" in \\
  days"
excerpt: >-
  Clinically proven
  to work.
nested:
  title: not linted
---
# Heading
"""


def test_front_matter_lints_only_string_values_of_known_keys():
    doc = read(FRONT_MATTER)
    assert texts(doc, "front-matter") == [
        "Our CBD oil cures arthritis",
        "Relieves pain ’fast\" in days",
        "Clinically proven to work.",
    ]
    assert texts(doc, "heading") == ["Heading"]
    assert source_of(doc, "arthritis") == "arthritis"
    assert position_of(doc, "arthritis") == (2, 26)
    assert source_of(doc, "’fast\"") == '\\u2019fast\\"'
    assert position_of(doc, "to work") == (11, 3)


def test_front_matter_quoting_styles():
    doc = read("---\ntitle: 'It''s a cure'\nsummary: |\n  Line one\n  line two\n---\nBody.\n")
    assert texts(doc, "front-matter") == ["It's a cure", "Line one line two"]
    assert source_of(doc, "It's") == "It''s"


def test_front_matter_anchors_tags_and_aliases():
    doc = read("---\ntitle: &claim !!str Cures gout\ndescription: *claim\nsummary: &s \"Quoted\"\n---\n")
    assert texts(doc, "front-matter") == ["Cures gout", "Quoted"]
    assert source_of(doc, "Cures gout") == "Cures gout"


def test_front_matter_with_crlf():
    doc = read("---\r\ntitle: Heals\r\n  everything\r\n---\r\nBody text.\r\n")
    assert texts(doc) == ["Heals everything", "Body text."]
    assert position_of(doc, "everything") == (3, 3)


def test_malformed_front_matter_is_a_note_with_its_line_and_the_body_is_read():
    doc = read_markdown("page.md", "---\ntitle: ok\ndescription: [unclosed\n---\nBody\n")
    ((line, message),) = doc.notes
    assert 3 <= line <= 4 and message.startswith("invalid front matter: ") and "\n" not in message
    assert texts(doc) == ["Body"]
    assert doc.front_matter is None  # unreadable: it chooses no packs


def test_front_matter_that_is_not_a_mapping_has_no_fields():
    assert texts(read("---\n- a\n- b\n---\nBody.\n")) == ["Body."]


# --- line endings, BOM -------------------------------------------------------------


def test_crlf_file_offsets():
    doc = read("# Title\r\n\r\nOur oil cures\r\narthritis fast.\r\n\r\n- item one\r\n")
    block = block_with(doc, "arthritis")
    assert block.text == "Our oil cures arthritis fast."
    space = block.text.index(" arthritis")
    assert doc.source[slice(*block.source_span(space, space + 1))] == "\r\n"
    assert position_of(doc, "arthritis") == (4, 1)
    assert position_of(doc, "item") == (6, 3)


def test_lone_cr_line_endings():
    doc = read("Cures\rarthritis.\r\rSecond.\r")
    assert texts(doc) == ["Cures arthritis.", "Second."]
    assert position_of(doc, "Second") == (4, 1)


def test_bom_is_stripped_and_offsets_refer_to_decoded_source():
    doc = read_document("page.md", b"\xef\xbb\xbf# Cures gout\n")
    assert doc.source == "# Cures gout\n"
    assert source_of(doc, "gout") == "gout"
    assert position_of(doc, "Cures") == (1, 3)


# --- directives --------------------------------------------------------------------------


def test_directives_in_html_comments():
    source = (
        "<!-- overclaim-disable-next-line cure-claim -- the study says so -->\n"
        "Our oil cures arthritis. <!-- overclaim-disable-line hype --> Best ever.\n"
        "\n"
        "<!-- an ordinary comment -->\n"
        "```\n<!-- overclaim-disable-file -->\n```\n"
    )
    doc = read(source)
    names = [(d.name, d.argument) for d in doc.directives]
    assert names == [
        ("overclaim-disable-next-line", "cure-claim -- the study says so"),
        ("overclaim-disable-line", "hype"),
    ]
    first, second = doc.directives
    assert doc.source[first.start : first.end] == source.splitlines()[0]
    assert doc.source[second.start : second.end] == "<!-- overclaim-disable-line hype -->"
    assert texts(doc) == ["Our oil cures arthritis.  Best ever."]


# --- dispatch and robustness ------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.md", "a.markdown", "a.MDX"])
def test_read_document_dispatches_markdown_by_extension(name):
    assert read_document(name, b"# Hi\n").format == "markdown"


def test_read_document_format_override():
    doc = read_document("notes.txt", b"# Cures\n", format="markdown")
    assert doc.format == "markdown" and texts(doc, "heading") == ["Cures"]


@pytest.mark.parametrize(
    "source",
    [
        "[" * 3000 + "x" + "]" * 3000,
        "[a](" * 2000,
        "*a _b " * 2000,
        "`" * 1000,
        "<" * 1000 + "a",
        "> " * 40 + "deep",  # deeper nesting is an InputError: tests/robustness/test_bad_input.py
        "- " * 40 + "deep",
        "&#99999999; &#0; &#xD800; &#" + "9" * 5000 + "; &",
        "\0 nul \0",
        "",
        "\n\n\n",
        "---\n",
    ],
)
def test_odd_input_does_not_crash(source):
    read(source)


# The scanner must agree with markdown-it on what the prose is; markdown-it's
# inline tokens have the text but no offsets, ours have both.
CORPUS = [
    "Our *CBD* oil **cures** arthritis &amp; gout in 3 days!",
    "A [link *with* emphasis](http://x.com) and ![alt **text**](y.png 'title').",
    "Snake_case_words, __strong__, _em_, *a*b*c*, **a*b**, 2*3*4.",
    "Escapes: \\*not em\\*, \\[not link\\], \\`not code\\`, 5 \\> 4.",
    "Entities: &rsquo; &#8217; &#x2019; &nbsp;x &copy; &unknown;",
    "Code `a*b*c` and ``x ` y`` stays out; <b>bold</b> tag.",
    "Line one  \nline two\\\nline three\nline four",
    "[ref] and [Ref][] and [text][ref] and [nope][missing].\n\n[ref]: /u",
    "*emphasis across\nlines* and [a link\nacross lines](/x).",
    "Rule of three: *foo**bar* and ***strong emph*** and **foo*bar***.",
    "Punctuation: *\"quoted\"* and _(paren)_ and a_b_ and _a_b.",
    "- item *one*\n- item `two`\n  continued **here**\n\n> quote _this_",
]


def _markdown_it_text(children) -> str:
    parts = []
    for token in children:
        if token.type in ("text", "text_special"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_markdown_it_text(token.children))
    return "".join(parts)


@pytest.mark.parametrize("source", CORPUS)
def test_text_agrees_with_markdown_it(source):
    tokens = MarkdownIt("commonmark").parse(source)
    expected = [_markdown_it_text(t.children) for t in tokens if t.type == "inline"]
    doc = read(source)
    normalise = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    assert [normalise(b.text) for b in doc.blocks] == [normalise(e) for e in expected if e.strip()]
