"""Headline casing, undone for the parser.

Headings, product names and banners are written in Title Case ("What Pain Can
CBD Oil Relieve?") or ALL CAPS ("STOP THE PAIN"). spaCy's small English model
reads capitalised words as proper nouns, so the verb of such a line
("Relieve", "Work", "Heals") is tagged PROPN and no verb pattern can match.
The parser is given the same text in sentence case instead; every other
stage keeps the original. Each character is replaced by one character, so
every offset into the parsed text is an offset into the original.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Words that stay lower case in a title ("Relief for Joint Pain"): they do
# not count for or against Title Case.
_MINOR = frozenset(
    "a an the and or but nor for of to in on at by with from as vs via per your our my its their his her".split()
)
# An upper-case word this short in Title Case is an acronym (CBD, PRP, FDA, IV).
ACRONYM_MAX = 5
# The share of capitalised words that makes a line a headline.
HEADLINE_SHARE = 0.75


def sentence_cased(text: str) -> str:
    """`text` in sentence case when it is written as a headline, else `text`
    itself. The result always has the same length as `text`."""
    words = [m for m in _WORD.finditer(text)]
    if len(words) < 2:
        return text
    # Counted with C-level loops: this runs on every sentence that is parsed.
    letters = list(filter(str.isalpha, text))
    shouting = sum(map(str.isupper, letters)) >= HEADLINE_SHARE * len(letters)
    if shouting:
        return _lowered(text, [(m.start(), m.end()) for m in words], keep_acronyms=False)
    major = [m for m in words if m.group().lower() not in _MINOR]
    if len(major) < 2 or sum(m.group()[0].isupper() for m in major) < HEADLINE_SHARE * len(major):
        return text
    return _lowered(text, [(m.start(), m.end()) for m in words], keep_acronyms=True)


def _lowered(text: str, spans: list[tuple[int, int]], keep_acronyms: bool) -> str:
    chars = list(text)
    first = True
    for start, end in spans:
        word = text[start:end]
        skip_first = first  # the sentence's own capital stays
        first = False
        if keep_acronyms and word.isupper() and len(word) <= ACRONYM_MAX:
            continue
        for index in range(start + (1 if skip_first else 0), end):
            lower = chars[index].lower()
            if len(lower) == 1:  # "İ".lower() is two characters: leave it
                chars[index] = lower
    return "".join(chars)


def parse_twin(nlp: "Language", doc: "Doc") -> "Doc":
    """The Doc to run the tagger and parser on: a sentence-cased twin of a
    headline (same length, so the same offsets), or `doc` itself, also when
    the tokenizer would split the twin differently."""
    text = sentence_cased(doc.text)
    if text == doc.text:
        return doc
    twin = nlp.make_doc(text)
    if [(t.idx, len(t)) for t in twin] != [(t.idx, len(t)) for t in doc]:
        return doc
    return twin


def carry_parse(parsed: "Doc", original: "Doc") -> "Doc":
    """`original` with the tags, lemmas and tree of its parsed twin (made by
    `parse_twin`, so its tokens line up), or `original` itself parsed."""
    if parsed is original:
        return original
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    attributes = [TAG, POS, MORPH, LEMMA, HEAD, DEP]
    original.from_array(attributes, parsed.to_array(attributes))  # type: ignore[arg-type]  # to_array gives uint64
    return original
