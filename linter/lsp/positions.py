"""Source offsets (code points, as Findings count them) <-> LSP positions.

LSP counts a position's `character` in the code units of the negotiated
encoding: UTF-16 unless client and server agreed on another. An emoji is one
code point but two UTF-16 code units, so a claim after one sits one column
further right for the editor than for Python. Lines break at \\n, \\r\\n and a
lone \\r, as in LSP and in the linter's own LineIndex.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_BREAK = re.compile(r"\r\n|\r|\n")


def code_units(text: str, encoding: str = UTF16) -> int:
    """How many code units of `encoding` the text takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass(frozen=True)
class LineStarts:
    """Where each line of a text starts, for converting offsets both ways."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "LineStarts":
        return cls(text, (0, *(match.end() for match in _BREAK.finditer(text))))

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """(line, character), both 0-based, of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, code_units(self.text[self.starts[line] : offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The code-point offset of an LSP position; a character past the end
        of its line means the end of the line (as LSP says)."""
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(line, 0)]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        content = self.text[start:end].rstrip("\r\n")
        units = 0
        for index, char in enumerate(content):
            if units >= character:
                return start + index
            units += code_units(char, encoding)
        return start + len(content)
