"""Word (.docx) reader: one paragraph, one line.

Writers draft in Word and Google Docs, whose files have no lines: a
finding's position is the paragraph's number instead (1-based, counting
every paragraph of the body in document order, empty ones included, and
the paragraphs of table cells where the table stands, row by row), and the
column is the character within that paragraph. So `draft.docx:12:5` is the
fifth character of the twelfth paragraph, and a finding's `line` is that
paragraph number.

The source every offset refers to is the paragraphs' text joined by line
breaks (a line break or tab inside a paragraph becomes a space), so each
paragraph is exactly one line of it. Each paragraph is a block of its own;
a paragraph that is a plain-text directive (`overclaim: disable-next-line
cure-claim -- reason`) suppresses as in a .txt file. Headers, footers,
footnotes and comments are not read.

The file is read with python-docx. A file that is not a Word document, or
whose parts would unpack to more than MAX_UNPACKED_BYTES, is an InputError
naming it.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, Iterable, Iterator

from linter.read.document import Block, Directive, Document
from linter.core.errors import InputError
from linter.core.limits import MAX_INPUT_BYTES
from linter.read.offsets import TextBuilder

# The XML of a long document is many times its zipped size; far beyond
# that is a decompression bomb, refused before python-docx unpacks it.
MAX_UNPACKED_BYTES = 4 * MAX_INPUT_BYTES
# Inside a paragraph: line breaks, tabs and other control characters that
# would split or shift the one line the paragraph is.
_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]")
_DIRECTIVE = re.compile(r"(?:#\s*)?overclaim:[ \t]*(\S*)[ \t]*(.*)")


def paragraph_texts(path: str, data: bytes) -> list[str]:
    """The text of every paragraph, in document order; InputError if the
    bytes are not a readable .docx."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(path, "cannot read as a Word document (.docx): not a ZIP package") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(path, f"cannot read as a Word document (.docx): unpacks to {unpacked} bytes "
                               f"(limit {MAX_UNPACKED_BYTES})")
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        texts: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                for row in item.rows:
                    for cell in _unique_cells(row.cells):
                        texts.extend(paragraph.text for paragraph in cell.paragraphs)
            else:
                texts.append(item.text)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - python-docx and lxml raise many kinds for a broken file
        detail = " ".join(str(error).split())[:120] or type(error).__name__
        raise InputError(path, f"cannot read as a Word document (.docx): {detail}") from None
    return [_BREAKS.sub(" ", text) for text in texts]


def _unique_cells(cells: Iterable[Any]) -> Iterator[Any]:
    """A merged cell appears once per grid column it spans: read it once."""
    seen = set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def read_docx(path: str, data: bytes) -> Document:
    texts = paragraph_texts(path, data)
    source = "\n".join(texts)
    blocks: list[Block] = []
    directives: list[Directive] = []
    start = 0
    for text in texts:
        end = start + len(text)
        body = text.strip()
        if body:
            first = start + len(text) - len(text.lstrip())
            last = first + len(body)
            directive = _DIRECTIVE.fullmatch(source, first, last)
            if directive:
                name, argument = directive.groups()
                directives.append(Directive(f"overclaim-{name}", argument.strip(), first, last))
            else:
                builder = TextBuilder(source)
                builder.keep(first, last)
                built, offsets = builder.build()
                blocks.append(Block(built, offsets, "paragraph"))
        start = end + 1
    return Document(path=path, source=source, blocks=tuple(blocks), format="docx", directives=tuple(directives))
