"""Expanding the PATH arguments into the files to lint."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from linter.core.errors import one_line
from linter.read import EXTENSIONS


@dataclass(frozen=True)
class Target:
    """One file to lint, named as the user will see it in the report."""

    display: str
    path: Path | None  # None: standard input


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    posix = display.replace(os.sep, "/")
    parts = posix.split("/")
    return any(
        fnmatch.fnmatch(posix, pattern) or any(fnmatch.fnmatch(part, pattern) for part in parts) for pattern in patterns
    )


def is_excluded(name: str, patterns: Sequence[str]) -> bool:
    """Whether `name` (a path, '/'-separated or not) matches an `exclude` glob, whole or by one of its parts."""
    return _excluded(name, patterns)


@dataclass(frozen=True)
class ArgumentFiles:
    """What one PATH argument stands for."""

    argument: str
    targets: tuple[Target, ...]
    walked: bool  # a directory that was searched (so `exclude` applies to what it found)
    exists: bool


def files_of(arguments: Iterable[str]) -> list[ArgumentFiles]:
    """Every argument with the files it names or holds, before any `exclude`
    (which depends on the config that governs each file)."""
    found = []
    for argument in arguments:
        if argument == "-":
            found.append(ArgumentFiles(argument, (Target("-", None),), False, True))
            continue
        path = Path(argument)
        if path.is_dir():
            targets = tuple(Target(display_name(str(item)), item) for item in _walk(path))
            found.append(ArgumentFiles(argument, targets, True, True))
        elif path.exists() or path.is_symlink():
            found.append(ArgumentFiles(argument, (Target(display_name(argument), path),), False, True))
        else:
            found.append(ArgumentFiles(argument, (), False, False))
    return found


def expand(arguments: Iterable[str], exclude: Sequence[str] = ()) -> tuple[list[Target], list[str]]:
    """Files named directly are always linted; directories are searched for
    known extensions (sorted, so output order is stable). Returns the targets
    and one message per argument that does not exist."""
    targets: list[Target] = []
    missing: list[str] = []
    seen: set[str] = set()

    def add(target: Target) -> None:
        if target.display not in seen:
            seen.add(target.display)
            targets.append(target)

    for argument in arguments:
        if argument == "-":
            add(Target("-", None))
            continue
        path = Path(argument)
        if path.is_dir():
            for found in _walk(path):
                display = display_name(str(found))
                if not _excluded(display, exclude):
                    add(Target(display, found))
        elif path.exists() or path.is_symlink():
            add(Target(display_name(argument), path))
        else:
            missing.append(argument)
    return targets, missing


def display_name(path: str) -> str:
    """`path` as it can be printed on one line of any terminal: bytes that are
    not UTF-8 (kept by the OS as surrogates) and control characters escaped."""
    return one_line(path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))


def _walk(root: Path) -> Iterable[Path]:
    # followlinks=False: a symlink loop in a content tree cannot trap the walk.
    # A directory that cannot be listed is yielded itself, so that reading it
    # reports why (permission denied...) instead of skipping it in silence.
    unlisted: list[OSError] = []
    for directory, subdirs, files in os.walk(root, onerror=unlisted.append, followlinks=False):
        yield from _unlisted(unlisted)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if Path(name).suffix.lower() in EXTENSIONS and not name.startswith("."):
                yield Path(directory) / name
    yield from _unlisted(unlisted)


def _unlisted(errors: list[OSError]) -> Iterable[Path]:
    while errors:
        error = errors.pop(0)
        if error.filename is not None:
            yield Path(os.fsdecode(error.filename))
