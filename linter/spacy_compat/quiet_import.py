"""Importing spaCy without its command-line modules.

`import spacy` imports `spacy.cli.info` (for `spacy.info`), which pulls in
typer, weasel and the rest of spaCy's command line: about a third of the
import time, paid by every run that parses a sentence. A stand-in module is
put in its place while spaCy imports, then removed; `spacy.info` still
works, importing the real module when called. On a spaCy release this was
not checked against (`versions.CHECKED_SPACY`), spaCy is imported as usual.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from linter.spacy_compat.versions import spacy_checked


def import_spacy() -> ModuleType:
    """`import spacy`, without the command-line modules it imports for
    `spacy.info` (about a third of its import time: typer, weasel...).

    A stand-in for `spacy.cli.info` is in place only while spaCy itself is
    imported; `spacy.info` still works, importing the real module when called.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    if not spacy_checked():
        import spacy  # the stand-in below relies on how spaCy imports its CLI

        return spacy
    name = "spacy.cli.info"
    stand_in = ModuleType(name)

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    stand_in.info = info  # type: ignore[attr-defined]
    present = name in sys.modules
    if not present:
        sys.modules[name] = stand_in
    try:
        import spacy
    finally:
        if not present and sys.modules.get(name) is stand_in:
            del sys.modules[name]
    return spacy
