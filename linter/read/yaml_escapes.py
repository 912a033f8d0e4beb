"""YAML escapes that name no character, made readable without moving anything.

In a double-quoted YAML scalar, `"\\U00110000"` (past U+10FFFF) makes PyYAML
raise a bare ValueError, and `"\\uD800"` (a lone surrogate) builds a string
no encoder accepts. Front matter is someone's page, not a rule file: one bad
escape in a title must not cost the page's claims or its `overclaim:` packs.
Each such escape is rewritten to U+FFFD in an escape of the same length, so
every offset and line PyYAML reports stays exact, and each is returned so the
caller can report it.
"""

from __future__ import annotations

import re

# A backslash escape preceded by an even number of backslashes (so it is an
# escape, not an escaped backslash followed by a letter).
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4})")


def no_character(code_point: int) -> bool:
    return code_point > 0x10FFFF or 0xD800 <= code_point <= 0xDFFF


def replace_bad_escapes(text: str) -> tuple[str, list[tuple[int, str]]]:
    """`text` with every escape naming no character replaced by one of U+FFFD
    of the same length, and (offset, escape) for each one replaced."""
    found: list[tuple[int, str]] = []

    def swap(match: re.Match) -> str:
        escape = match.group(2)
        if not no_character(int(escape[1:], 16)):
            return match.group(0)
        found.append((match.start(2) - 1, "\\" + escape))
        return match.group(1) + ("\\U0000FFFD" if escape[0] == "U" else "\\uFFFD")

    if "\\" not in text:
        return text, []
    return _ESCAPE.sub(swap, text), found
