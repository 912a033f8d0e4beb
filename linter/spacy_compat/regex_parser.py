"""CPython's regular-expression parser, for reading a REGEX's structure.

`packs.regex_guard` decides whether a rule's REGEX can backtrack
catastrophically by walking its parse tree (nested unbounded repeats,
overlapping alternatives under a repeat). Python compiles a pattern in two
steps and only the second is public, so the tree comes from the private
`re._parser` (`sre_parse` before 3.11) and its opcodes from `re._constants`.

On a Python release this was not checked against (`versions.CHECKED_PYTHON`)
`parser` and `opcodes` are None: the guard then cannot read a pattern's
structure and refuses every REGEX with a message saying why, rather than
accept one it cannot check.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from linter.spacy_compat.versions import python_checked


def _modules() -> tuple[ModuleType | None, ModuleType | None]:
    if not python_checked():
        return None, None
    from re import _constants, _parser  # type: ignore[attr-defined]  # private; checked on 3.11-3.13

    return _parser, _constants


# Any: their contents are undocumented, so there is no type to check against.
parser: Any
opcodes: Any
parser, opcodes = _modules()
