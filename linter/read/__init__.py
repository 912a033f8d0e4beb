"""Readers: a file's bytes -> a Document of prose blocks with exact source offsets."""

from __future__ import annotations

import os

from linter.read.document import Document
from linter.read.decode import decode
from linter.read.html import read_html
from linter.read.markdown import read_markdown
from linter.read.plaintext import read_text
from linter.read.docx import read_docx

EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".docx": "docx",  # read from its bytes, not decoded (readers/docx.py)
}

_READERS = {"markdown": read_markdown, "html": read_html, "text": read_text}


def format_for(path: str) -> str:
    """The format a path's extension implies; unknown extensions are plain text."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def read_document(path: str, data: bytes, format: str | None = None) -> Document:
    """Decode `data` and read it as `format` (default: by the path's extension)."""
    if (format or format_for(path)) == "docx":
        return read_docx(path, data)  # a ZIP package, not text
    source = decode(path, data)
    reader = _READERS.get(format or format_for(path))
    if reader is None:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(sorted(_READERS))}")
    return reader(path, source)


__all__ = ["EXTENSIONS", "decode", "format_for", "read_document", "read_docx", "read_html", "read_markdown", "read_text"]
