"""Readers: a file's bytes -> a Document of prose blocks with exact source offsets."""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable

from linter.read.document import Document
from linter.read.decode import decode

EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".docx": "docx",  # read from its bytes, not decoded (readers/docx.py)
}

# Each reader is imported when a file of its format is read: a run over
# Markdown never imports the HTML parser or the .docx reader's zipfile, and
# the modules that only need `offsets` or `document` import none of them.
_READERS = {
    "markdown": ("markdown", "read_markdown"),
    "html": ("html", "read_html"),
    "text": ("plaintext", "read_text"),
    "docx": ("docx", "read_docx"),
}


def _reader(format: str) -> Callable[..., Document]:
    module, function = _READERS[format]
    return getattr(importlib.import_module(f"linter.read.{module}"), function)


def __getattr__(name: str) -> Any:
    """`from linter.read import read_html` and the like, imported on first use."""
    for format, (_, function) in _READERS.items():
        if function == name:
            return _reader(format)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def format_for(path: str) -> str:
    """The format a path's extension implies; unknown extensions are plain text."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def read_document(path: str, data: bytes, format: str | None = None) -> Document:
    """Decode `data` and read it as `format` (default: by the path's extension)."""
    chosen = format or format_for(path)
    if chosen not in _READERS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(sorted(set(_READERS) - {'docx'}))}")
    if chosen == "docx":
        return _reader("docx")(path, data)  # a ZIP package, not text
    return _reader(chosen)(path, decode(path, data))


__all__ = ["EXTENSIONS", "decode", "format_for", "read_document", "read_docx", "read_html", "read_markdown", "read_text"]
