"""Streaming blocks through spaCy in bounded batches.

The engine never hands spaCy a whole document: blocks are cut into pieces
(`chunking`), and the pieces go through `nlp.pipe` in batches bounded both in
count and in characters, so peak memory depends on the batch limits, not on
the size of the document. Each parsed Doc is yielded with the piece it came
from, whose offset map places every match exactly in the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

from .chunking import pieces
from .limits import BATCH_CHARS, BATCH_DOCS, CHUNK_CHARS, MAX_TOKEN_CHARS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .document import Block

T = TypeVar("T", bound=Any)


@dataclass(frozen=True)
class ParseLimits:
    batch_docs: int = BATCH_DOCS
    batch_chars: int = BATCH_CHARS
    chunk_chars: int = CHUNK_CHARS
    max_token_chars: int = MAX_TOKEN_CHARS


def chunk_limit(nlp: "Language", limits: ParseLimits) -> int:
    """The longest piece to hand to `nlp`."""
    # Inserted spaces can lengthen a piece by one character in max_token_chars.
    return min(limits.chunk_chars, nlp.max_length * limits.max_token_chars // (limits.max_token_chars + 1))


def parse_blocks(nlp: "Language", blocks: Iterable["Block"], limits: ParseLimits = ParseLimits()) -> Iterator[tuple["Block", "Doc"]]:
    """(piece, Doc) for every piece of every block, in document order."""
    stream = (piece for block in blocks for piece in pieces(block, chunk_limit(nlp, limits), limits.max_token_chars))
    for batch in batches(stream, limits.batch_docs, limits.batch_chars):
        yield from zip(batch, nlp.pipe([piece.text for piece in batch], batch_size=len(batch)))


def batches(
    items: Iterable[T], max_docs: int, max_chars: int, size: Callable[[T], int] = lambda block: len(block.text)
) -> Iterator[list[T]]:
    """Consecutive groups of at most `max_docs` items and `max_chars` characters
    (a single larger item makes a batch of its own). `size`: an item's characters."""
    batch: list[T] = []
    total = 0
    for item in items:
        length = size(item)
        if batch and (len(batch) >= max_docs or total + length > max_chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += length
    if batch:
        yield batch
