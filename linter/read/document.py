"""A source file as the linter sees it: the original text plus prose blocks.

A block is one unit of prose (a paragraph, heading, list item, table cell,
attribute value...). Blocks are linted independently, so a heading never runs
into the paragraph after it, and each block carries the offset map back to the
source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from linter.read.offsets import LineIndex, OffsetMap, Segment, replaced


@dataclass(frozen=True)
class Block:
    text: str
    offsets: OffsetMap
    kind: str = "paragraph"  # paragraph, heading, list-item, table-cell, title, attribute, front-matter

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets for the text span [start, end)."""
        return self.offsets.source_start(start), self.offsets.source_end(end)

    def slice(self, start: int, end: int) -> "Block":
        """The sub-block text[start:end]: same kind, positions still exact in the source."""
        return Block(self.text[start:end], self.offsets.slice(start, end), self.kind)

    def insert(self, positions: "list[int]", text: str = " ") -> "Block":
        """The block with `text` inserted before each offset in `positions` (sorted).

        The inserted text maps to no source characters; everything else keeps
        its exact source position.
        """
        pieces, previous = [], 0
        for position in positions:
            pieces.append(self.text[previous:position])
            previous = position
        pieces.append(self.text[previous:])
        return Block(text.join(pieces), self.offsets.insert(list(positions), len(text)), self.kind)

    def moved(self, delta: int) -> "Block":
        """The same block read from a part of the source that starts `delta`
        characters into the whole (an HTML block inside Markdown)."""
        segments = [Segment(s.text_start, s.source_start + delta, s.text_length, s.source_length)
                    for s in self.offsets.segments]
        return Block(self.text, OffsetMap.of(segments), self.kind)

    def replace(self, edits: "list[tuple[int, int, str]]") -> "Block":
        """The block with text[start:end] replaced by `text` for each
        (start, end, text) in `edits` (sorted, not overlapping, never cutting
        inside a replacement). Positions outside the edits stay exact; an
        edit maps to the source of the text it replaces."""
        pieces, previous = [], 0
        for start, end, text in edits:
            pieces.append(self.text[previous:start])
            pieces.append(text)
            previous = end
        pieces.append(self.text[previous:])
        offsets = replaced(self.offsets, [(start, end, len(text)) for start, end, text in edits])
        return Block("".join(pieces), offsets, self.kind)


@dataclass(frozen=True)
class Directive:
    """An `overclaim-...` comment found in the source (kept for later stages)."""

    name: str
    argument: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    path: str
    source: str
    blocks: tuple[Block, ...]
    format: str  # markdown, html, text
    directives: tuple[Directive, ...] = ()
    # Source span [start, end) of the YAML front matter, without its `---`
    # lines (Markdown only); None when the document has none.
    front_matter: tuple[int, int] | None = None
    # Problems with the file that did not stop it being linted (front matter
    # that could not be read): (line, message), each reported like an
    # unreadable file, so the run exits 2, with the file's findings kept.
    notes: tuple[tuple[int, str], ...] = ()

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.source)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    def located(self, start: int, end: int) -> dict:
        """The Finding fields that place source[start:end]: path, 1-based
        lines and columns (end exclusive), the text and the offsets."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return {
            "path": self.path, "line": line, "column": column, "end_line": end_line, "end_column": end_column,
            "text": self.source[start:end], "start_offset": start, "end_offset": end,
        }

    def line_text(self, line: int) -> str:
        start, next_start = self.lines.line_bounds(line)
        end = len(self.source) if next_start < 0 else next_start
        return self.source[start:end].rstrip("\r\n")

