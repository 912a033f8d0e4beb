"""Which versions of spaCy and CPython the shims in this folder were checked
against, and how a shim asks.

Every shim here relies on something its library does not promise to keep
(a private module, a serialisation layout, a method of a live component).
On a version outside the checked range a shim steps aside and the stock
behaviour is used: slower, or less defended against hostile input, never
wrong. Widening a range is a change to make after running
tests/test_spacy_compat.py on the new version.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

# spaCy releases (major, minor) whose internals the shims were checked against.
CHECKED_SPACY = frozenset({(3, 7), (3, 8)})
# CPython releases (major, minor) whose `re` parser and `html.parser` the shims were checked against.
CHECKED_PYTHON = frozenset({(3, 11), (3, 12), (3, 13)})


def release(version: str) -> tuple[int, int] | None:
    """(major, minor) of a version string such as "3.8.2" or "3.8.0rc1"."""
    parts = version.split(".")
    try:
        return int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or "x")
    except (IndexError, ValueError):
        return None


def spacy_checked(version: str | None = None) -> bool:
    """Is the installed spaCy (or `version`) one the shims were checked
    against? Read from the installed distribution: spaCy is not imported."""
    if version is None:
        version = installed_spacy_version()
        if version is None:
            return False
    return release(version) in CHECKED_SPACY


_ABOUT_VERSION = re.compile(r'^__version__ = "([^"\n]+)"$', re.MULTILINE)


def installed_spacy_version() -> str | None:
    """The installed spaCy's version, without importing spaCy: read from its
    `about.py` (where spaCy keeps it), else from the distribution's metadata.
    `importlib.metadata` alone is about a fifth of the imports of a run
    that lints a clean file, and every run asks (the caches' keys)."""
    try:
        spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        try:
            found = _ABOUT_VERSION.search(Path(spec.origin).with_name("about.py").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            found = None
        if found:
            return found.group(1)
    from importlib import metadata

    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return None


def python_checked(version_info: tuple[int, ...] = tuple(sys.version_info[:2])) -> bool:
    return tuple(version_info[:2]) in CHECKED_PYTHON
