"""Keeping the cache directory from growing without bound.

Every entry's key holds overclaim's own source and spaCy's version, so an
upgrade leaves every earlier entry unreachable, and each edit of a draft
leaves its old result behind. So an entry no run has used for
`UNUSED_DAYS` days is removed: reading an entry marks it used (its
modification time, updated at most once a day per entry), and a run that
writes an entry prunes the directory at most once a day (a stamp file
says when it last did; a run served wholly from the cache never scans
it). `overclaim cache clean` removes every entry at once.

Only files overclaim names are ever removed: entries `<kind>-<64 hex
digits>.json` (and the `.pickle` entries of versions before the cache was
JSON), and the temporary files of interrupted writes (`.<kind>-….tmp`)
once they are a day old, in the cache directory and its `results/`
folder, never below them. Anything else in a directory set as
$OVERCLAIM_CACHE_DIR stays where it is. Housekeeping never fails a run:
a file it cannot remove or touch is left as it is.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

UNUSED_DAYS = 30
DAY = 24 * 60 * 60
# The folders entries are written to: the directory itself, and the result cache's.
FOLDERS = ("", "results")
STAMP = ".last-pruned"

_ENTRY = re.compile(r"[a-z]+(?:-[a-z]+)*-[0-9a-f]{64}\.(?:json|pickle)")
_TEMPORARY = re.compile(r"\.[a-z]+-[^/]*\.tmp")


@dataclass(frozen=True)
class CacheFiles:
    """A count of cache entries and their size, by kind (the name before its key)."""

    entries: int = 0
    size: int = 0
    by_kind: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, files: "list[tuple[str, int]]") -> "CacheFiles":
        """From (file name, size) pairs."""
        kinds: dict[str, int] = {}
        for name, _ in files:
            kind = name.rsplit("-", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        return cls(len(files), sum(size for _, size in files), tuple(sorted(kinds.items())))


def is_entry(name: str) -> bool:
    return _ENTRY.fullmatch(name) is not None


def is_temporary(name: str) -> bool:
    return _TEMPORARY.fullmatch(name) is not None


def _ours(directory: Path) -> Iterator[os.DirEntry]:
    """The regular files overclaim wrote in `directory` and its `results/`
    folder (entries and temporary files; never a link, never deeper)."""
    for folder in FOLDERS:
        if folder and (directory / folder).is_symlink():
            continue  # a linked folder is not the one overclaim made
        try:
            with os.scandir(directory / folder) as found:
                for item in found:
                    if (is_entry(item.name) or is_temporary(item.name)) and item.is_file(follow_symlinks=False):
                        yield item
        except OSError:
            continue  # absent or unreadable: nothing of ours to count there


def usage(directory: Path) -> CacheFiles:
    """The entries in the cache (temporary files left out)."""
    files = []
    for item in _ours(directory):
        if is_entry(item.name):
            try:
                files.append((item.name, item.stat(follow_symlinks=False).st_size))
            except OSError:
                continue  # removed meanwhile by another run
    return CacheFiles.of(files)


def clean(directory: Path) -> CacheFiles:
    """Remove every entry and temporary file; the entries removed."""
    return _remove(directory, lambda name, age: True)


def prune(directory: Path, now: float | None = None, unused_days: float = UNUSED_DAYS) -> CacheFiles:
    """Remove the entries unused for `unused_days` and the temporary files
    a day old (an interrupted write's; a running one is younger); the entries removed."""
    limit = unused_days * DAY

    def stale(name: str, age: float) -> bool:
        return age > (DAY if is_temporary(name) else limit)

    return _remove(directory, stale, time.time() if now is None else now)


def _remove(directory: Path, chosen: Callable[[str, float], bool], now: float = 0.0) -> CacheFiles:
    removed = []
    for item in _ours(directory):
        try:
            info = item.stat(follow_symlinks=False)
            if chosen(item.name, now - info.st_mtime):
                os.unlink(item.path)
                removed.append((item.name, info.st_size))
        except OSError:
            continue  # gone already, or not ours to remove (permissions): left as it is
    return CacheFiles.of([(name, size) for name, size in removed if is_entry(name)])


def prune_if_due(directory: Path, now: float | None = None) -> bool:
    """`prune` the directory if it was not pruned in the last day; whether it was.
    The stamp is renewed before pruning, so runs that write at the same time
    do not all scan the directory."""
    now = time.time() if now is None else now
    stamp = directory / STAMP
    try:
        if now - stamp.stat().st_mtime < DAY:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        return False  # a directory that cannot be written is not pruned either
    prune(directory, now)
    return True


def mark_used(entry: Path, modified: float, now: float | None = None) -> None:
    """Record that `entry` (last modified at `modified`) was just used, if
    that was not already recorded in the last day."""
    now = time.time() if now is None else now
    if now - modified > DAY:
        try:
            os.utime(entry, (now, now))
        except OSError:
            pass  # a read-only cache: its entries age, and are pruned by whoever can write
