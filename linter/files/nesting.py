"""How deeply a JSON or TOML text nests its arrays and objects, found
without parsing it.

Python's json and tomllib parse nested values recursively: a baseline of
100,000 `[` raises RecursionError, after the whole text has been read. A
linear scan of the brackets outside strings finds the first one past the
limit first, so the error can say where, and which limit applies.
"""

from __future__ import annotations

import re

from linter.read.offsets import LineIndex

# A string (double-quoted with escapes, or TOML's single-quoted literal), a
# TOML comment, or a bracket. TOML's """multi-line""" strings read as three
# strings, which balances out for brackets.
_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')
_TOML_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?|#[^\n]*|[\[\]{}]')


def too_deep(text: str, limit: int, toml: bool = False) -> tuple[int, int] | None:
    """The (line, column), 1-based, of the first bracket that opens level
    `limit` + 1, or None if the text nests no deeper than `limit`."""
    depth = 0
    for match in (_TOML_TOKENS if toml else _JSON_TOKENS).finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return LineIndex(text).position(match.start())
        elif char in "]}":
            depth = max(0, depth - 1)
    return None
