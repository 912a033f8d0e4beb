"""Exact mapping between the text the NLP sees and the source file.

Readers never hand spaCy the raw file: markup is dropped, entities are
decoded, soft line breaks become spaces. Every character of the text that
*is* handed over remembers where it came from, so a match found by spaCy is
reported at its true source position without ever searching for it again.

The map is a list of segments, each a run of text characters tied to a run of
source characters: either copied verbatim (same length, one-to-one) or a
replacement (an entity "&amp;" -> "&", a CRLF -> " ", an inserted separator).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text_start: int
    source_start: int
    text_length: int
    source_length: int

    @property
    def verbatim(self) -> bool:
        return self.text_length == self.source_length


@dataclass(frozen=True)
class OffsetMap:
    segments: tuple[Segment, ...]
    _starts: tuple[int, ...]

    @classmethod
    def of(cls, segments: list[Segment]) -> "OffsetMap":
        return cls(tuple(segments), tuple(s.text_start for s in segments))

    def _segment(self, text_offset: int) -> Segment:
        index = bisect_right(self._starts, text_offset) - 1
        return self.segments[max(index, 0)]

    def source_start(self, text_offset: int) -> int:
        """Source offset of the character at `text_offset`."""
        seg = self._segment(text_offset)
        if seg.verbatim:
            return seg.source_start + min(text_offset - seg.text_start, seg.text_length)
        return seg.source_start

    def source_end(self, text_end: int) -> int:
        """Source offset just past the character before `text_end` (exclusive end)."""
        if text_end <= 0:
            return self.segments[0].source_start if self.segments else 0
        seg = self._segment(text_end - 1)
        if seg.verbatim:
            return seg.source_start + (text_end - seg.text_start)
        return seg.source_start + seg.source_length

    @property
    def text_length(self) -> int:
        last = self.segments[-1] if self.segments else None
        return last.text_start + last.text_length if last else 0

    def can_cut(self, text_offset: int) -> bool:
        """Can the text be cut before `text_offset` without splitting a replacement?

        A replacement ("&amp;" -> "&") has no per-character positions, so a
        cut inside it could not be mapped back exactly.
        """
        if text_offset <= 0 or text_offset >= self.text_length:
            return True
        seg = self._segment(text_offset)
        return seg.verbatim or seg.text_start == text_offset

    def slice(self, start: int, end: int) -> "OffsetMap":
        """The map of text[start:end], with text offsets counted from `start`.

        Source offsets are unchanged, so positions stay exact. Both cuts must
        satisfy `can_cut`.
        """
        if not (self.can_cut(start) and self.can_cut(end)):
            raise ValueError(f"cannot cut the text at {start}:{end}: inside a replacement")
        # Every sentence unit of every block is a slice: plain comparisons
        # instead of min/max and the `verbatim` property, and the starts
        # collected on the way instead of in a second pass.
        segments: list[Segment] = []
        starts: list[int] = []
        first = max(bisect_right(self._starts, start) - 1, 0)
        for seg in islice(self.segments, first, None):  # no copy of the tail: linear over many slices
            seg_start = seg.text_start
            if seg_start >= end:
                break
            seg_end = seg_start + seg.text_length
            a = start if start > seg_start else seg_start
            b = end if end < seg_end else seg_end
            if a >= b:
                continue
            if seg.text_length == seg.source_length:  # verbatim: cut to the slice
                segments.append(Segment(a - start, seg.source_start + a - seg_start, b - a, b - a))
            else:
                segments.append(Segment(a - start, seg.source_start, seg.text_length, seg.source_length))
            starts.append(a - start)
        return OffsetMap(tuple(segments), tuple(starts))

    def insert(self, positions: "list[int]", length: int = 1) -> "OffsetMap":
        """The map after inserting `length` characters before each text offset in
        `positions` (sorted, each satisfying `can_cut`). An inserted run stands
        for no source text: it sits at the source position of the character
        after it, like the separators TextBuilder inserts.
        """
        segments: list[Segment] = []
        bounds = [0, *positions, self.text_length]
        for index in range(len(bounds) - 1):
            start, end = bounds[index], bounds[index + 1]
            shift = start + index * length
            if index:
                at = self.source_start(start) if start < self.text_length else self.source_end(start)
                segments.append(Segment(shift - length, at, length, 0))
            if end > start:
                segments.extend(
                    Segment(seg.text_start + shift, seg.source_start, seg.text_length, seg.source_length)
                    for seg in self.slice(start, end).segments
                )
        return OffsetMap.of(segments)


def replaced(offsets: OffsetMap, edits: "list[tuple[int, int, int]]") -> OffsetMap:
    """The map after replacing text[start:end] by `length` new characters for
    each (start, end, length) in `edits` (sorted, not overlapping, each bound
    satisfying `can_cut`). A replacement stands for the source of the text it
    replaces: one-to-one when the lengths agree and that source is verbatim,
    else as a whole (its ends are exact, its inside is not)."""
    segments: list[Segment] = []
    shift = 0  # new text offset minus old text offset, after the edits so far
    previous = 0
    total = offsets.text_length
    for start, end, length in edits:
        if start > previous:
            segments.extend(
                Segment(seg.text_start + previous + shift, seg.source_start, seg.text_length, seg.source_length)
                for seg in offsets.slice(previous, start).segments
            )
        source_start = offsets.source_start(start) if start < total else offsets.source_end(start)
        source_end = offsets.source_end(end) if end > start else source_start
        if length:
            segments.append(Segment(start + shift, source_start, length, source_end - source_start))
        shift += length - (end - start)
        previous = end
    if total > previous:
        segments.extend(
            Segment(seg.text_start + previous + shift, seg.source_start, seg.text_length, seg.source_length)
            for seg in offsets.slice(previous, total).segments
        )
    return OffsetMap.of(segments)


class TextBuilder:
    """Builds a text and its OffsetMap from pieces of a source string."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self._length = 0

    @property
    def length(self) -> int:
        return self._length

    def keep(self, start: int, end: int) -> None:
        """Copy source[start:end] verbatim."""
        if end <= start:
            return
        last = self._segments[-1] if self._segments else None
        if last and last.verbatim and last.source_start + last.source_length == start:
            # Extend the previous verbatim run instead of starting a new one.
            self._segments[-1] = Segment(
                last.text_start, last.source_start, last.text_length + end - start, last.source_length + end - start
            )
        else:
            self._segments.append(Segment(self._length, start, end - start, end - start))
        self._parts.append(self._source[start:end])
        self._length += end - start

    def replace(self, start: int, end: int, text: str) -> None:
        """Emit `text` standing for source[start:end] (may be empty: an insertion)."""
        if not text:
            return
        if len(text) == end - start:
            # Same length: still a one-to-one run, positions stay per character.
            self._segments.append(Segment(self._length, start, len(text), len(text)))
        else:
            self._segments.append(Segment(self._length, start, len(text), end - start))
        self._parts.append(text)
        self._length += len(text)

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap.of(self._segments)


_LINE_END = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Source offset -> 1-based (line, column), columns counted in characters.

    "\\r\\n", "\\n" and a lone "\\r" each end a line, so mixed line endings in
    one file still give the line numbers an editor shows.
    """

    def __init__(self, source: str) -> None:
        # One pass (searching for "\r" and "\n" separately from each line
        # start rescans the whole rest of a file that has no "\r").
        self._starts = [0, *(end.end() for end in _LINE_END.finditer(source))]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Source offsets of the start of `line` and of its last character (without the line end)."""
        start = self._starts[line - 1]
        return start, self._starts[line] if line < len(self._starts) else -1
