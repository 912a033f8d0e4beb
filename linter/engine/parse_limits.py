"""The bounds on what the engine hands spaCy at once.

The engine never hands spaCy a whole document: blocks are cut into pieces
(`chunking`) no longer than `chunk_limit`, and the pieces that need the
parser go through `nlp.pipe` in batches bounded both in count and in
characters (a batch may pass `batch_chars` by its last piece), so peak
memory depends on these limits, not on the size of the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.core.limits import BATCH_CHARS, BATCH_DOCS, CHUNK_CHARS, MAX_TOKEN_CHARS

if TYPE_CHECKING:
    from spacy.language import Language


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
