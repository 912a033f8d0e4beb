"""Assertions shared by the reader tests: offsets must be exact, always."""

from __future__ import annotations

import html
import re

from linter.read.document import Block, Document

WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def block_with(doc: Document, needle: str, kind: str | None = None) -> Block:
    """The first block whose text contains `needle` (and has `kind`, if given)."""
    for block in doc.blocks:
        if needle in block.text and (kind is None or block.kind == kind):
            return block
    raise AssertionError(f"no block contains {needle!r}; blocks: {[b.text for b in doc.blocks]}")


def source_of(doc: Document, needle: str, kind: str | None = None, nth: int = 0) -> str:
    """The source text a span of block text maps to (the nth occurrence)."""
    block = block_with(doc, needle, kind)
    start = -1
    for _ in range(nth + 1):
        start = block.text.index(needle, start + 1)
    begin, end = block.source_span(start, start + len(needle))
    return doc.source[begin:end]


def position_of(doc: Document, needle: str, kind: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the first character of `needle`."""
    block = block_with(doc, needle, kind)
    start = block.text.index(needle)
    return doc.position(block.source_span(start, start + 1)[0])


def texts(doc: Document, kind: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def assert_offsets_exact(doc: Document) -> None:
    """The key property, for every block of a document.

    - source offsets never go backwards along the text;
    - every character copied verbatim is the same character in the source
      (a space may stand for a one-character line break);
    - every word maps to a source span that reads as that word: the same
      characters, or, where entities or markup sit inside the span, the same
      word once entities are decoded and markup is removed.
    """
    source = doc.source
    for block in doc.blocks:
        previous = -1
        for index, char in enumerate(block.text):
            start, end = block.source_span(index, index + 1)
            assert start >= previous, (block.text, index)
            assert 0 <= start <= end <= len(source)
            previous = start
            original = source[start:end]
            if len(original) == 1 and not (char.isspace() and original.isspace()):
                assert original == char, (block.text, index, char, original)
        for word in WORD.finditer(block.text):
            start, end = block.source_span(word.start(), word.end())
            original = source[start:end]
            if original == word.group():
                continue
            assert _readable(original) == word.group(), (word.group(), original)


def _readable(original: str) -> str:
    """Source text with markup removed and entities decoded, for comparison."""
    text = re.sub(r"<[^>]*>|`[^`]*`|\]\([^)]*\)|[*_\[\]!]", "", original)
    return html.unescape(text).replace("''", "'")  # '' is a quote in single-quoted YAML
