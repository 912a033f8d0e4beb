"""Linting files in worker processes (`--jobs N`).

Workers are forked before anything loads spaCy: each loads the pipeline the
first time one of its files holds a candidate sentence (the loads run side
by side, so this costs no more wall time than loading once before forking),
and a run with no candidate never loads it anywhere. Files are handed out in
order and results come back in order, so the report is byte-identical to
`--jobs 1`.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, Iterator, Sequence

from linter.run.one_file import FileOutcome, LintSettings, lint_one

if TYPE_CHECKING:
    from linter.files.discovery import Target
    from linter.engine.rule_engine import Engine

# Below these, starting workers costs more than it saves (twenty 1,000-word
# articles, about 125 KB, are worth two workers).
MIN_FILES = 8
MIN_BYTES = 64 * 1024

# The engine and settings a worker process lints with. Set once in each
# worker by the pool's initializer (fork start method: inherited, not
# pickled); never set in the parent process.
_worker: "tuple[Engine, LintSettings] | None" = None


def worth_it(targets: Sequence["Target"], jobs: int) -> bool:
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    files = [t.path for t in targets if t.path is not None]
    if len(files) != len(targets) or len(files) < MIN_FILES:
        return False  # standard input cannot be shared with workers
    return sum(_size(path) for path in files) >= MIN_BYTES


def _size(path: "str | os.PathLike[str]") -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def lint_all(engine: "Engine", targets: Sequence["Target"], settings: LintSettings, jobs: int) -> Iterator[FileOutcome]:
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=jobs, initializer=_init, initargs=(engine, settings)) as pool:
        yield from pool.imap(_lint, targets, chunksize=1)


def _init(engine: "Engine", settings: LintSettings) -> None:
    global _worker
    _worker = (engine, settings)


def _lint(target: "Target") -> FileOutcome:
    engine, settings = _worker  # type: ignore[misc]  # set by _init in every worker
    return lint_one(engine, target, _no_stdin, None, settings)


def _no_stdin() -> bytes:
    raise RuntimeError("standard input is never linted in a worker")
