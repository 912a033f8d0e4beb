"""Plain-text reader: paragraphs separated by blank lines.

A line break inside a paragraph becomes one space mapped to the line's
trailing whitespace and line ending; indentation is dropped. A short heading
line needs no special case: copy puts blank lines around headings, so it is
its own block anyway.
"""

from __future__ import annotations

import re

from linter.read.document import Block, Directive, Document
from linter.read.offsets import TextBuilder

# One line with its ending; "\r\n", "\n" and a lone "\r" all end a line.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# `overclaim: disable-next-line cure-claim -- reason`, optionally after "#".
_DIRECTIVE = re.compile(r"(?:#\s*)?overclaim:[ \t]*(\S*)[ \t]*(.*)")


def _lines(source: str) -> list[tuple[int, int, int]]:
    """(content start, content end, next line start) per line, whitespace trimmed."""
    lines: list[tuple[int, int, int]] = []
    for match in _LINE.finditer(source):
        start, end = match.span()
        if start == len(source) and lines:
            break  # the empty match after the final line ending
        line = match.group()
        body = line.rstrip("\r\n")
        stripped = body.strip()
        content_start = start + (len(body) - len(body.lstrip())) if stripped else start
        lines.append((content_start, content_start + len(stripped), end))
        if end == len(source):
            break
    return lines


def _paragraph(source: str, lines: list[tuple[int, int, int]]) -> Block | None:
    builder = TextBuilder(source)
    previous_end: tuple[int, int] | None = None
    for start, end, next_start in lines:
        if previous_end:
            builder.replace(previous_end[0], previous_end[1], " ")
        builder.keep(start, end)
        previous_end = (end, next_start)
    text, offsets = builder.build()
    return Block(text, offsets, "paragraph") if text.strip() else None


def read_text(path: str, source: str) -> Document:
    blocks: list[Block] = []
    directives: list[Directive] = []
    paragraph: list[tuple[int, int, int]] = []

    def close_paragraph() -> None:
        block = _paragraph(source, paragraph)
        if block:
            blocks.append(block)
        paragraph.clear()

    for line in _lines(source):
        start, end, _ = line
        if start == end:
            close_paragraph()
            continue
        directive = _DIRECTIVE.fullmatch(source, start, end)
        if directive:
            # Not prose and not a paragraph break: the lines around it still join.
            name, argument = directive.groups()
            directives.append(Directive(f"overclaim-{name}", argument.strip(), start, end))
            continue
        paragraph.append(line)
    close_paragraph()
    return Document(path=path, source=source, blocks=tuple(blocks), format="text", directives=tuple(directives))
