"""Linting files in worker processes (`--jobs N`).

Workers are forked before anything loads spaCy: each loads the pipeline the
first time one of its files holds a candidate sentence (the loads run side
by side, so this costs no more wall time than loading once before forking),
and a run with no candidate never loads it anywhere. Files are handed out in
order (in runs of consecutive files, linted together as `--jobs 1` does)
and results come back in order, so the report is byte-identical to
`--jobs 1`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator, Sequence

from linter.run.one_file import FileOutcome, LintSettings, lint_in_batches

if TYPE_CHECKING:
    from linter.files.discovery import Target
    from linter.engine.rule_engine import Engine

# The default (`--jobs` not given) starts workers only for a run large
# enough to repay them: each worker loads the pipeline itself (about a
# second of CPU on an idle core) and competes for cores the machine may be
# sharing. Measured on a 2-core machine (benchmarks/README.md, "--jobs"):
# sixty 1,000-word articles (about 480 KB) ran no faster with two workers
# than with one; two hundred (1.6 MB) ran faster. A worker is started for
# every AUTO_BYTES_PER_WORKER of text, never more than the files or cores.
AUTO_BYTES_PER_WORKER = 512 * 1024

# The engine and settings a worker process lints with. Set once in each
# worker by the pool's initializer (fork start method: inherited, not
# pickled); never set in the parent process.
_worker: "tuple[Engine, LintSettings] | None" = None


def decide_workers(requested: int | None, files: int, total_bytes: int, cores: int) -> int:
    """How many processes lint a run of `files` files holding `total_bytes`
    (1: this process, no workers).

    `requested` None is the default: one worker per AUTO_BYTES_PER_WORKER
    of text, so a small run stays in one process. An explicit `--jobs N` is
    used as asked. Either way never more workers than files or cores."""
    wanted = requested if requested is not None else total_bytes // AUTO_BYTES_PER_WORKER
    workers = min(wanted, files, max(cores, 1))
    return workers if workers >= 2 else 1


def worker_count(targets: Sequence["Target"], requested: int | None) -> int:
    """`decide_workers` for these targets on this machine (1 where workers
    cannot be used: standard input, or no fork start method)."""
    if requested == 1:
        return 1
    files = [t.path for t in targets if t.path is not None]
    if len(files) != len(targets):
        return 1  # standard input cannot be shared with workers
    count = decide_workers(requested, len(files), sum(_size(path) for path in files), usable_cores())
    if count == 1:
        return 1
    import multiprocessing  # only a run that would start workers pays for the import

    return count if "fork" in multiprocessing.get_all_start_methods() else 1


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _size(path: "str | os.PathLike[str]") -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# Files are handed to a worker in runs of consecutive files, linted together
# there (one_file.lint_in_batches: their sentences share parse batches), of
# at most this many files and bytes: small enough that the workers finish
# near each other, large enough for batches of a useful size.
TASK_FILES = 32
TASK_BYTES = 128 * 1024


def lint_all(engine: "Engine", targets: Sequence["Target"], settings: LintSettings, jobs: int) -> Iterator[FileOutcome]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(processes=jobs, initializer=_init, initargs=(engine, settings)) as pool:
        for outcomes in pool.imap(_lint, tasks(targets), chunksize=1):
            yield from outcomes


def tasks(targets: Sequence["Target"]) -> Iterator[tuple["Target", ...]]:
    """`targets` in order, cut into runs of at most TASK_FILES files and
    TASK_BYTES bytes (a larger file is a run of its own)."""
    run: list["Target"] = []
    size = 0
    for target in targets:
        length = _size(target.path) if target.path is not None else 0
        if run and (len(run) >= TASK_FILES or size + length > TASK_BYTES):
            yield tuple(run)
            run, size = [], 0
        run.append(target)
        size += length
    if run:
        yield tuple(run)


def _init(engine: "Engine", settings: LintSettings) -> None:
    global _worker
    _worker = (engine, settings)


def _lint(run: "tuple[Target, ...]") -> list[FileOutcome]:
    engine, settings = _worker  # type: ignore[misc]  # set by _init in every worker
    return list(lint_in_batches(engine, run, _no_stdin, None, settings))


def _no_stdin() -> bytes:
    raise RuntimeError("standard input is never linted in a worker")
