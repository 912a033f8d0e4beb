"""Claims hidden by what a reader cannot see (issue 17): whitespace runs and
odd spaces between the words of a claim, invisible characters and
look-alike letters inside a word. Each is found, at its exact source position,
with the source text unchanged in the finding."""

from __future__ import annotations

import pytest

from linter.read.document import Block
from linter.engine.normalise import for_matching
from linter.read.offsets import TextBuilder
from test_positions import assert_positions

CLEAN = "Our CBD oil cures arthritis."

HIDDEN = {
    "two spaces": "Our CBD oil cures  arthritis.",
    "many spaces": "Our CBD   oil cures        arthritis.",
    "tab": "Our CBD oil cures\tarthritis.",
    "no-break space": "Our CBD oil cures\u00a0arthritis.",
    "thin space": "Our CBD oil cures\u2009arthritis.",
    "em space and tab": "Our CBD oil cures\u2003\tarthritis.",
    "zero-width space in a word": "Our CBD oil cu\u200bres arthritis.",
    "soft hyphen in a word": "Our CBD oil cu\u00adres arthri\u00adtis.",
    "word joiner at the edge of a word": "Our CBD oil \u2060cures arthritis.",
    "Cyrillic e": "Our CBD oil cur\u0435s arthritis.",
    "Greek omicron and Cyrillic a": "Our CBD \u03bfil cures \u0430rthritis.",
    "fullwidth letter": "Our CBD oil \uff43ures arthritis.",
}


def _claims(findings):
    return [f for f in findings if f.rule == "cure-claim"]


@pytest.mark.parametrize("name", HIDDEN)
@pytest.mark.parametrize("extension", ["md", "txt", "html"])
def test_a_hidden_claim_is_found_where_it_stands(lint, name, extension):
    text = HIDDEN[name]
    source = f"<p>{text}</p>\n" if extension == "html" else text + "\n"
    findings = lint(source, f"draft.{extension}")
    claims = _claims(findings)
    assert len(claims) == 1, (name, findings)
    assert_positions(source, findings)
    assert claims[0].text.startswith(("oil", "οil")) and claims[0].text.endswith("tis")


@pytest.mark.parametrize("entity", ["&nbsp;", "&#160;", "&#x2009;", "&emsp;&nbsp;"])
def test_an_entity_space_between_the_words_of_a_claim(lint, entity):
    source = f"<p>Our CBD oil cures{entity}arthritis.</p>\n"
    findings = lint(source, "page.html")
    (claim,) = _claims(findings)
    assert claim.text == f"oil cures{entity}arthritis"
    assert_positions(source, findings)


def test_a_russian_word_is_left_alone():
    source = "Лечит артрит. Our oil."
    builder = TextBuilder(source)
    builder.keep(0, len(source))
    text, offsets = builder.build()
    assert for_matching(Block(text, offsets)).text == source


def test_normalised_text_keeps_every_source_position():
    source = "a  b\u200bc\tdе"
    builder = TextBuilder(source)
    builder.keep(0, len(source))
    text, offsets = builder.build()
    block = for_matching(Block(text, offsets))
    assert block.text == "a bc de"
    # every character of the new text maps inside the source, in order, and
    # the words map to their own source characters
    assert block.source_span(0, 1) == (0, 1)
    assert block.source_span(2, 4) == (3, 6)  # "bc" covers the zero-width space
    assert block.source_span(5, 7) == (7, 9)
    previous = 0
    for index in range(len(block.text)):
        start, end = block.source_span(index, index + 1)
        assert previous <= start <= end <= len(source)
        previous = start


def test_the_clean_sentence_still_gives_one_claim(lint):
    assert len(_claims(lint(CLEAN + "\n"))) == 1
