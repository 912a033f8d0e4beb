"""The format of a document that comes without a name (standard input with
no --stdin-filename): HTML when it starts like an HTML document, else plain
text. Reading a page as plain text would lint its tags and scripts as prose."""

from __future__ import annotations

import re

# Only the start is looked at: a byte-order mark, blank space and comments
# may come before the doctype or the <html> tag.
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
SNIFF_BYTES = 4096


def sniff_format(data: bytes) -> str:
    """'html' or 'text'."""
    return "html" if _HTML_START.match(data[:SNIFF_BYTES]) else "text"
