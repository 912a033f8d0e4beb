"""Streaming blocks through spaCy in bounded batches.

The engine never hands spaCy a whole document: blocks are cut into pieces
(`chunking`), and the pieces go through `nlp.pipe` in batches bounded both in
count and in characters, so peak memory depends on the batch limits, not on
the size of the document. Each parsed Doc is yielded with the piece it came
from, whose offset map places every match exactly in the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from .chunking import pieces
from .limits import BATCH_CHARS, BATCH_DOCS, CHUNK_CHARS, MAX_TOKEN_CHARS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .document import Block


@dataclass(frozen=True)
class ParseLimits:
    batch_docs: int = BATCH_DOCS
    batch_chars: int = BATCH_CHARS
    chunk_chars: int = CHUNK_CHARS
    max_token_chars: int = MAX_TOKEN_CHARS


def parse_blocks(nlp: "Language", blocks: Iterable["Block"], limits: ParseLimits = ParseLimits()) -> Iterator[tuple["Block", "Doc"]]:
    """(piece, Doc) for every piece of every block, in document order."""
    # Inserted spaces can lengthen a piece by one character in max_token_chars.
    chunk = min(limits.chunk_chars, nlp.max_length * limits.max_token_chars // (limits.max_token_chars + 1))
    stream = (piece for block in blocks for piece in pieces(block, chunk, limits.max_token_chars))
    for batch in batches(stream, limits.batch_docs, limits.batch_chars):
        yield from zip(batch, nlp.pipe([piece.text for piece in batch], batch_size=len(batch)))


def batches(blocks: Iterable["Block"], max_docs: int, max_chars: int) -> Iterator[list["Block"]]:
    """Consecutive groups of at most `max_docs` blocks and `max_chars` characters
    (a single larger block makes a batch of its own)."""
    batch: list[Block] = []
    size = 0
    for block in blocks:
        if batch and (len(batch) >= max_docs or size + len(block.text) > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(block)
        size += len(block.text)
    if batch:
        yield batch
