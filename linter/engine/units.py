"""Cutting blocks of prose into pieces spaCy can parse in bounded time and memory.

Readers already split a document into blocks (paragraphs, headings, cells),
so a large document is many blocks and needs nothing here. A single huge
block (a 5 MB line, a wall of text) is cut between sentences: spaCy's own
sentence boundaries are not known before parsing, so a cheap rule is used,
". ", "? " or "! " (optionally closed by a quote or bracket) followed by an
uppercase letter, skipping "Dr. Smith" and "J. Smith". A stretch with no such
boundary is cut after whitespace, and one without whitespace at the limit.

Every piece is a `Block.slice` of the original, so positions stay exact.
"""

from __future__ import annotations

import re
from typing import Iterator

from linter.read.document import Block
from linter.core.limits import CHUNK_CHARS, MAX_TOKEN_CHARS

# The end of a sentence, the whitespace after it (group 1, where the cut goes)
# and the first letter of the next one (group 2, which must be uppercase).
# One end mark, not a run ("[.?!]+" backtracks over every "!" of "!!!!…": quadratic).
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*(\s+)[\"'“‘(\[]*([^\W\d_])")
_WHITESPACE = re.compile(r"\s+")
_LAST_WORD = re.compile(r"(\w+)\W*$")
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st sr jr vs etc eg ie no nos fig figs approx ca cf al inc ltd co corp dept est vol".split()
)
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))


def split_block(block: Block, limit: int = CHUNK_CHARS) -> list[Block]:
    """`block` cut into pieces of at most `limit` characters (just `[block]` if it fits)."""
    text = block.text
    if len(text) <= limit:
        return [block]
    if limit < 2:
        raise ValueError("the chunk limit must be at least 2 characters")
    pieces, start = [], 0
    while len(text) - start > limit:
        cut = _cut(block, start, start + limit)
        pieces.append(block.slice(start, cut))
        start = cut
    pieces.append(block.slice(start, len(text)))
    return pieces


def break_long_runs(block: Block, max_run: int = MAX_TOKEN_CHARS) -> Block:
    """`block` with a space inserted into every run of more than `max_run`
    non-space characters, so that no token is longer than `max_run`."""
    pattern = _LONG_RUN if max_run == MAX_TOKEN_CHARS else re.compile(r"\S{%d,}" % (max_run + 1))
    positions: list[int] = []
    for run in pattern.finditer(block.text):
        position = run.start()
        while run.end() - position > max_run:
            cut = position + max_run
            while not block.offsets.can_cut(cut):  # never inside a replacement
                cut -= 1
            if cut <= position:  # a replacement longer than max_run: cut after it
                cut = position + max_run
                while not block.offsets.can_cut(cut):
                    cut += 1
            positions.append(cut)
            position = cut
    return block.insert(positions) if positions else block


# Footnote marks tie a claim to its disclaimer ("sleep.† †This statement...");
# spaCy's English tokenizer leaves them glued to the word, which would hide
# "This" from the rules, so a space is put on each side. (Adding them to the
# tokenizer's affixes instead costs a tenth of a second at every start.)
FOOTNOTE_MARKS = "†‡§¶"
_GLUED_MARK = re.compile(f"(?<=\\S)(?=[{FOOTNOTE_MARKS}])|(?<=[{FOOTNOTE_MARKS}])(?=\\S)")


def separate_footnote_marks(block: Block) -> Block:
    """`block` with a space between every footnote mark and a character it touches."""
    positions = [m.start() for m in _GLUED_MARK.finditer(block.text) if block.offsets.can_cut(m.start())]
    return block.insert(positions) if positions else block


def pieces(block: Block, limit: int = CHUNK_CHARS, max_run: int = MAX_TOKEN_CHARS) -> Iterator[Block]:
    """The pieces of `block` to hand to spaCy, in order."""
    for piece in split_block(block, limit):
        yield break_long_runs(separate_footnote_marks(piece), max_run)


def _cut(block: Block, start: int, stop: int) -> int:
    """Where to end the piece that starts at `start`: a cut in (start, stop]."""
    text = block.text
    cut = None
    for match in _SENTENCE_END.finditer(text, start, stop + 1):
        end = match.end(1)
        if (
            start < end <= stop
            and match.group(2).isupper()
            and not _abbreviation(text, match.start())
            and block.offsets.can_cut(end)
        ):
            cut = end
    if cut is None:
        for match in _WHITESPACE.finditer(text, start, stop):
            end = match.end()
            if start < end <= stop and block.offsets.can_cut(end):
                cut = end
    if cut is None:
        cut = stop
        while cut > start + 1 and not block.offsets.can_cut(cut):
            cut -= 1
        while not block.offsets.can_cut(cut):  # a replacement longer than the limit
            cut += 1
    return cut


def _abbreviation(text: str, dot: int) -> bool:
    word = _LAST_WORD.search(text, max(0, dot - 12), dot + 1)
    if not word:
        return False
    name = word.group(1)
    return len(name) == 1 and name.isupper() or name.casefold().replace(".", "") in ABBREVIATIONS


# A bullet or list number that opens a block in plain text ("• Relieves
# pain", "➔ Boosts immunity", "2) Heals gut"): not part of the sentence, and
# left in it would hide that the sentence starts with its verb.
_LEADING_BULLET = re.compile(r"\s*(?:[•◦▪▫●○■□➔→►▶▸✓✔✅★☆✦➤➢⇒–—*+-]+|\d{1,2}[.)])\s+(?=\S)")


def sentence_units(block: Block) -> list[Block]:
    """`block` cut at every likely sentence end (the same cheap rule as
    `split_block`): the units the prefilter judges and spaCy parses, in the
    full mode too, so skipping one never changes how another is parsed. A
    leading bullet is left out of the first unit."""
    text = block.text
    cuts = [
        match.end(1)
        for match in _SENTENCE_END.finditer(text)
        if match.group(2).isupper() and not _abbreviation(text, match.start()) and block.offsets.can_cut(match.end(1))
    ]
    bullet = _LEADING_BULLET.match(text)
    first = bullet.end() if bullet and block.offsets.can_cut(bullet.end()) else 0
    bounds = [first, *(cut for cut in cuts if cut > first), len(text)]
    return [block.slice(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]
