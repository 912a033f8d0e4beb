import pytest

from helpers import assert_offsets_exact, block_with, position_of, source_of, texts
from linter.read import read_document
from linter.read.html import read_html


def read(source: str):
    doc = read_html("page.html", source)
    assert_offsets_exact(doc)
    return doc


PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <title>Miracle CBD &amp; Hemp Oil</title>
  <meta charset="utf-8">
  <meta name="Description" content="Cures arthritis &ndash; guaranteed">
  <meta name="keywords" content="cure, miracle">
  <style>p::before { content: "cures cancer"; }</style>
  <script>var claim = "<p>heals everything</p>";</script>
</head>
<body>
  <h1>Our CBD oil <em>cures</em> arthritis</h1>
  <p>It works in days.
     No side effects.</p>
  <img src="hero.jpg" alt="Patient cured in &quot;one week&quot;" title='Results &amp; more'>
  <pre>cures diabetes</pre>
  <p>Use code <code>CURE10</code> at checkout.</p>
  <noscript>Enable JS to be cured</noscript>
  <template><p>hidden cure</p></template>
  <svg><title>cure icon</title><text>cures</text></svg>
  <ul><li>Boosts immunity</li><li>Detoxes your liver</li></ul>
  <table><tr><th>Claim</th><td>Reverses aging</td></tr></table>
</body>
</html>
"""


def test_visible_text_is_grouped_by_block_elements():
    doc = read(PAGE)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("title", "Miracle CBD & Hemp Oil"),
        ("attribute", "Cures arthritis – guaranteed"),
        ("heading", "Our CBD oil cures arthritis"),
        ("paragraph", "It works in days. No side effects."),
        ("attribute", 'Patient cured in "one week"'),
        ("attribute", "Results & more"),
        ("paragraph", "Use code at checkout."),  # whitespace around <code> collapses
        ("list-item", "Boosts immunity"),
        ("list-item", "Detoxes your liver"),
        ("table-cell", "Claim"),
        ("table-cell", "Reverses aging"),
    ]


def test_offsets_point_at_the_source():
    doc = read(PAGE)
    assert source_of(doc, "cures", kind="heading") == "cures"
    assert position_of(doc, "No side") == (14, 6)
    assert source_of(doc, "&", kind="title") == "&amp;"
    assert source_of(doc, "–") == "&ndash;"
    assert source_of(doc, '"one week"') == "&quot;one week&quot;"
    assert position_of(doc, "Patient") == doc.position(PAGE.index("Patient")) == (15, 28)
    assert position_of(doc, "Results") == doc.position(PAGE.index("Results"))


def test_whitespace_run_is_one_space_covering_the_run():
    doc = read("<p>Cures\n      arthritis</p>")
    block = doc.blocks[0]
    assert block.text == "Cures arthritis"
    assert doc.source[slice(*block.source_span(5, 6))] == "\n      "


def test_inline_tags_do_not_split_words_or_blocks():
    doc = read("<p>It <b>C</b>ures <a href='/x' title='Buy'>arthritis</a>.</p>")
    assert texts(doc) == ["It Cures arthritis.", "Buy"]


def test_block_elements_never_merge_even_without_whitespace():
    doc = read("<h2>Fast relief</h2><p>Guaranteed</p><div>Cures<br>everything</div>")
    assert texts(doc) == ["Fast relief", "Guaranteed", "Cures", "everything"]


def test_entities_in_text():
    doc = read("<p>Tom &amp; Jerry&rsquo;s oil &#8217; &#x2019; &copy 2024 AT&T &bogus; 100&nbsp;mg</p>")
    block = doc.blocks[0]
    assert block.text == "Tom & Jerry’s oil ’ ’ © 2024 AT&T &bogus; 100\xa0mg"
    assert source_of(doc, "Jerry’s") == "Jerry&rsquo;s"
    assert source_of(doc, "’", nth=1) == "&#8217;"
    assert source_of(doc, "’", nth=2) == "&#x2019;"
    assert source_of(doc, "©") == "&copy"
    assert source_of(doc, "100\xa0mg") == "100&nbsp;mg"


def test_numeric_entities_edge_cases():
    doc = read("<p>It&#146;s &#150; &#0; &#x110000; &#" + "9" * 5000 + "; done</p>")
    assert doc.blocks[0].text == "It’s – \ufffd \ufffd \ufffd done"


def test_attribute_values_unquoted_and_with_entities():
    doc = read('<img alt=Cured src=a.png><abbr title="It&#39;s   proven">x</abbr><img alt="">')
    assert texts(doc, "attribute") == ["Cured", "It's proven"]
    assert source_of(doc, "It's") == "It&#39;s"


def test_non_ascii_and_curly_quotes():
    doc = read("<p>“Don’t wait” — naïve café 🌿 remedy</p>")
    assert doc.blocks[0].text == "“Don’t wait” — naïve café 🌿 remedy"
    assert position_of(doc, "remedy") == (1, 32)


def test_crlf_and_lone_cr_offsets():
    doc = read("<p>One</p>\r\n<p>Cures\r\narthritis</p>\r<p>Heals gout</p>")
    assert texts(doc) == ["One", "Cures arthritis", "Heals gout"]
    assert source_of(doc, "arthritis") == "arthritis"
    assert position_of(doc, "arthritis") == (3, 1)
    assert position_of(doc, "gout") == (4, 10)


def test_script_and_style_and_skipped_elements():
    doc = read("<script>document.write('cures')</script><style>.x{}</style><p>Visible</p><code>x<pre>y</code>After")
    assert texts(doc) == ["Visible", "After"]


def test_malformed_html_does_not_crash_and_still_separates_blocks():
    doc = read("</p><p>Unclosed <b>bold <i>claim<p>Next paragraph</div></span>&amp<li>item < 5 & a<b")
    assert texts(doc) == ["Unclosed bold claim", "Next paragraph", "&", "item < 5 & a<b"]


def test_deeply_nested_tags():
    doc = read("<div>" * 20000 + "Cures all" + "</div>" * 20000)
    assert texts(doc) == ["Cures all"]


def test_unclosed_comment_and_bogus_markup():
    doc = read("<p>Before</p><!x><p>After <!-- never closed")
    assert texts(doc) == ["Before", "After"]


def test_directives_in_comments():
    source = (
        "<p>Intro</p>\n"
        "<!-- overclaim-disable-next-line cure-claim -- reviewed by legal -->\n"
        "<p>Cures arthritis.</p>\n"
        "<!--overclaim-disable-file-->\n"
        "<!-- just a comment -->\n"
    )
    doc = read(source)
    assert [(d.name, d.argument) for d in doc.directives] == [
        ("overclaim-disable-next-line", "cure-claim -- reviewed by legal"),
        ("overclaim-disable-file", ""),
    ]
    first = doc.directives[0]
    assert doc.source[first.start : first.end] == source.splitlines()[1]
    assert doc.position(first.start) == (2, 1)
    assert texts(doc) == ["Intro", "Cures arthritis."]


@pytest.mark.parametrize("name", ["a.html", "a.HTM"])
def test_read_document_dispatches_html(name):
    doc = read_document(name, "<p>Cures – gout</p>".encode("utf-16"))
    assert doc.format == "html" and texts(doc) == ["Cures – gout"]


def test_blocks_come_in_source_order():
    doc = read('<p>Before <img alt="Inside"> after</p><p>Next</p>')
    starts = [b.offsets.source_start(0) for b in doc.blocks]
    assert starts == sorted(starts)
    assert block_with(doc, "Inside").kind == "attribute"
