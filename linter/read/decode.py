"""Bytes -> the source string every offset refers to.

The decoded string is "the source": a UTF-8 BOM is dropped, line endings are
left exactly as they are (LineIndex copes with CRLF and lone CR), so an offset
into it is a character column an editor agrees with.
"""

from __future__ import annotations

import codecs

from linter.core.errors import InputError
from linter.read.offsets import LineIndex

_SNIFF = 8192

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(path: str, data: bytes) -> str:
    """Decode a file's bytes; raise InputError naming the problem if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(path, data[len(bom) :], encoding)
    # Without a BOM, NUL bytes mean a binary file (or BOM-less UTF-16, which
    # we do not guess at): reporting "invalid byte" for an image would mislead.
    if b"\x00" in data[:_SNIFF]:
        raise InputError(path, "binary file, not linted")
    return _decode(path, data, "utf-8")


def _decode(path: str, body: bytes, encoding: str) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        # The prefix before the bad byte is valid, so decoding it gives the
        # line number exactly as the rest of the linter would count it.
        prefix = body[: error.start].decode(encoding, errors="replace")
        line = LineIndex(prefix).position(len(prefix))[0]
        label = "UTF-8" if encoding == "utf-8" else encoding.upper()
        raise InputError(
            path,
            f"cannot decode as {label} (invalid byte 0x{body[error.start]:02x} at line {line})",
            line=line,
        ) from None
