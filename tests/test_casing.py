"""Headlines are parsed in sentence case; every offset stays the same."""

from __future__ import annotations

import pytest

from linter.engine.casing import carry_parse, parse_twin, sentence_cased
from linter.read import read_document


@pytest.mark.parametrize(("text", "expected"), [
    ("Relieves Joint Pain Fast", "Relieves joint pain fast"),
    ("Natural Relief for Sore Knees", "Natural relief for sore knees"),
    ("STOP THE ACHES TODAY!", "Stop the aches today!"),
    ("Why CBD Oil Works for Sleep", "Why CBD oil works for sleep"),  # short acronyms stay
    ("Our tea soothes sore throats.", "Our tea soothes sore throats."),  # a sentence: untouched
    ("The FDA cleared the device in 2019.", "The FDA cleared the device in 2019."),
    ("Sleep", "Sleep"),  # one word: nothing to gain
    ("İSTANBUL CLINIC HEALS BACKS", "İstanbul clinic heals backs"),
])
def test_sentence_cased(text, expected):
    assert sentence_cased(text) == expected
    assert len(sentence_cased(text)) == len(text)


def test_the_parse_of_the_twin_lands_on_the_original_tokens(nlp):
    doc = nlp.make_doc("Soothes Sore Throats Overnight")
    twin = parse_twin(nlp, doc)
    assert twin is not doc and twin.text == "Soothes sore throats overnight"
    parsed = carry_parse(next(nlp.pipe([twin])), doc)
    assert parsed is doc and parsed.text == "Soothes Sore Throats Overnight"  # the writer's words
    assert [t.lemma_ for t in parsed][:3] == ["soothe", "sore", "throat"]
    assert parsed.has_annotation("DEP")


def test_a_sentence_is_parsed_as_it_is(nlp):
    doc = nlp.make_doc("Our balm soothes sore throats.")
    assert parse_twin(nlp, doc) is doc


@pytest.mark.parametrize("heading", [
    "What Pain Can Our Balm Relieve?",  # Title Case: "Relieve" would be read as a name
    "WHAT PAIN CAN OUR BALM RELIEVE?",
])
def test_a_headline_claim_is_found_at_its_place_with_its_own_words(engine, heading):
    text = f"# Our Clinic\n\n## {heading}\n"
    findings = [f for f in engine.lint(read_document("page.md", text.encode())) if f.category == "efficacy"]
    assert findings, heading
    assert findings[0].line == 3 and findings[0].column >= 4
    assert findings[0].text in heading  # the source text, not the sentence-cased twin
