"""Helpers shared by the robustness tests and the fuzz script (fuzz/run.py).

Positions are checked here independently of linter/read/offsets.py: lines are cut
at "\\r\\n", "\\r" and "\\n" with a regular expression, columns count
characters, so a bug in LineIndex cannot hide itself.
"""

from __future__ import annotations

import codecs
import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
CLAIM = "Our CBD oil cures arthritis."


def decode_like_a_reader(data: bytes) -> str:
    """The source string every position refers to (BOMs dropped)."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    return data.decode("utf-8")


def line_starts(source: str) -> list[int]:
    starts = [0]
    for match in _LINE.finditer(source):
        if not match.group() or match.group()[-1] not in "\r\n":
            break
        starts.append(match.end())
    return starts


def offset_of(source: str, line: int, column: int) -> int:
    return line_starts(source)[line - 1] + column - 1


def text_at(source: str, finding: dict) -> str:
    """The source text between a finding's 1-based (line, column) positions."""
    start = offset_of(source, finding["line"], finding["column"])
    end = offset_of(source, finding["end_line"], finding["end_column"])
    return source[start:end]


def assert_exact(source: str, findings: list[dict]) -> None:
    """Every finding's `text` is the source text at its reported span."""
    for finding in findings:
        assert text_at(source, finding) == finding["text"], finding
