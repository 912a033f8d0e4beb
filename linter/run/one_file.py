"""Linting one file: read it, choose its engine, lint it, apply its
suppressions, and return what it adds to the report.

The same function runs in the main process and in workers (`workers`), so
its result (`FileOutcome`) is plain, picklable data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol

from linter.core.errors import InputError, ModelError
from linter.core.limits import MAX_INPUT_BYTES
from linter.core.rule_info import RuleInfo
from linter.files.discovery import Target
from linter.files.reading import ReadError, check_size, read_regular_file
from linter.read import read_document
from linter.review.meta_rules import MetaPolicy
from linter.review.suppressions import apply_suppressions
from linter.run.report import SourceText
from linter.read.sniff import sniff_format

if TYPE_CHECKING:
    from linter.core.model import Finding
    from linter.engine.rule_engine import Engine, Linted
    from linter.read.document import Document


class OutcomeCache(Protocol):
    """Where a file's outcome is kept between runs (`result_cache.ResultCache`)."""

    def get(self, display: str, data: bytes, rules_read: dict | None = None) -> "FileOutcome | None": ...

    def put(self, display: str, data: bytes, outcome: "FileOutcome") -> None: ...


@dataclass(frozen=True)
class LintSettings:
    """How the run treats each document beyond the engine itself."""

    # The engine for a document (e.g. packs chosen by its front matter);
    # None: the engine given to lint_targets, for every document.
    choose: Callable[["Document"], "Engine"] | None = None
    # Every rule id a suppression may name; None: the rules of the engine.
    known_rules: frozenset[str] | None = None
    meta: MetaPolicy = MetaPolicy()
    # Keep each document's full text and SHA-256 in the report (the HTML
    # report shows the whole copy); off by default, to keep reports small.
    keep_sources: bool = False
    # Each file's result by its content and the run's identity (resultcache);
    # None: every file is linted.
    cache: "OutcomeCache | None" = None


def read_bytes(target: Target, read_stdin: Callable[[], bytes]) -> bytes:
    try:
        if target.path is None:
            data = read_stdin()
            check_size(len(data), MAX_INPUT_BYTES)
        else:
            data = read_regular_file(target.path, MAX_INPUT_BYTES)
    except ReadError as error:
        raise InputError(target.display, str(error)) from None
    return data


def _stdin_format(target: Target, data: bytes, given: str | None) -> str | None:
    """The format to read standard input as: the one given, else by the
    --stdin-filename's extension, else (no name, shown as '-') sniffed."""
    if target.path is not None:
        return None
    if given is None and target.display == "-":
        return sniff_format(data)
    return given


def internal_error(display: str, exc: Exception) -> InputError:
    """A bug met on one file, reported like an unreadable file so that the
    other files keep their findings (and the run still exits 2)."""
    detail = " ".join(str(exc).split())[:200]
    return InputError(display, f"internal error, not linted ({type(exc).__name__}{': ' + detail if detail else ''}); please report it")


@dataclass(frozen=True)
class FileOutcome:
    """Everything one file contributes to the report (picklable, so a worker
    process can send it back)."""

    path: str | None = None  # None: the file could not be linted
    findings: tuple["Finding", ...] = ()
    suppressions: tuple = ()
    lines: tuple[tuple[tuple[str, int], str], ...] = ()
    rules: tuple[tuple[str, RuleInfo], ...] = ()
    error: tuple[str, str, int | None] | None = None  # InputError's path, reason, line
    # Problems reported for a file that was still linted (Document.notes),
    # as InputError's path, reason, line.
    notes: tuple[tuple[str, str, int | None], ...] = ()
    source: SourceText | None = None  # only with LintSettings.keep_sources
    words: int = 0
    parsed_words: int = 0


def lint_one(
    engine: "Engine",
    target: Target,
    read_stdin: Callable[[], bytes],
    stdin_format: str | None,
    settings: LintSettings,
) -> FileOutcome:
    read = _read_one(engine, target, read_stdin, stdin_format, settings)
    return read if isinstance(read, FileOutcome) else _lint_read([read], settings)[0]


# Documents linted together (Engine.lint_many, which parses their sentences
# in shared batches): at most this many, of at most this many bytes in all.
BATCH_DOCUMENTS = 64
BATCH_BYTES = 512 * 1024


def lint_in_batches(
    engine: "Engine",
    targets: Iterable[Target],
    read_stdin: Callable[[], bytes],
    stdin_format: str | None,
    settings: LintSettings,
) -> Iterator[FileOutcome]:
    """`lint_one` of each target, in order; consecutive documents that share
    an engine are linted together, so that a run of short pages parses its
    sentences in batches of a useful size. The outcomes are the same."""
    batch: list[_Read] = []
    size = 0
    for target in targets:
        read = _read_one(engine, target, read_stdin, stdin_format, settings)
        if isinstance(read, FileOutcome):  # not readable: after the files before it
            yield from _lint_read(batch, settings)
            batch, size = [], 0
            yield read
            continue
        if batch and (read.engine is not batch[0].engine or len(batch) >= BATCH_DOCUMENTS
                      or size + len(read.data) > BATCH_BYTES):
            yield from _lint_read(batch, settings)
            batch, size = [], 0
        batch.append(read)
        size += len(read.data)
    yield from _lint_read(batch, settings)


@dataclass(frozen=True)
class _Read:
    """A file read and its engine chosen, waiting to be linted."""

    target: Target
    data: bytes
    document: "Document"
    engine: "Engine"


def _read_one(engine: "Engine", target: Target, read_stdin: Callable[[], bytes], stdin_format: str | None,
              settings: LintSettings) -> "_Read | FileOutcome":
    try:
        data = read_bytes(target, read_stdin)
        document = read_document(target.display, data, _stdin_format(target, data, stdin_format))
        chosen = settings.choose(document) if settings.choose else engine
    except InputError as error:
        return FileOutcome(error=(error.path, error.reason, error.line))
    except ModelError:
        raise  # no pipeline: the whole run stops with exit 2
    except Exception as exc:  # noqa: BLE001 - one file's bug must not lose the others' findings
        return _failed(target.display, exc)
    return _Read(target, data, document, chosen)


def _failed(display: str, exc: Exception) -> FileOutcome:
    failure = internal_error(display, exc)
    return FileOutcome(error=(failure.path, failure.reason, failure.line))


def _lint_read(batch: "list[_Read]", settings: LintSettings) -> list[FileOutcome]:
    """The outcomes of documents that share an engine, linted together."""
    if not batch:
        return []
    try:
        linted = batch[0].engine.lint_many([read.document for read in batch])
    except ModelError:
        raise  # no pipeline: the whole run stops with exit 2
    except Exception as exc:  # noqa: BLE001 - one file's bug must not lose the others' findings
        if len(batch) > 1:
            return [outcome for read in batch for outcome in _lint_read([read], settings)]  # find which one
        if isinstance(exc, InputError):
            return [FileOutcome(error=(exc.path, exc.reason, exc.line))]
        return [_failed(batch[0].target.display, exc)]
    return [_outcome(read, result, settings) for read, result in zip(batch, linted)]


def _outcome(read: _Read, linted: "Linted", settings: LintSettings) -> FileOutcome:
    """What one linted document adds to the report, its suppressions applied."""
    document, chosen = read.document, read.engine
    active = frozenset(chosen.rules)
    known = settings.known_rules if settings.known_rules is not None else active
    outcome = apply_suppressions(document, list(linted.findings), known | active, active, settings.meta)
    lines: dict[tuple[str, int], str] = {}
    shown = [*outcome.findings, *(f for s in outcome.suppressions for f in s.suppressed)]
    for finding in shown:
        for number in range(finding.line, finding.end_line + 1):
            lines.setdefault((finding.path, number), document.line_text(number))
    source = None
    if settings.keep_sources:
        packs = tuple(sorted({rule.pack for rule in chosen.rules.values()}))
        source = SourceText(document.path, document.source, hashlib.sha256(read.data).hexdigest(), packs)
    result = FileOutcome(
        path=document.path,
        findings=tuple(outcome.findings),
        suppressions=tuple(outcome.suppressions),
        lines=tuple(lines.items()),
        rules=tuple((rule.id, RuleInfo.from_rule(rule)) for rule in chosen.rules.values()),
        notes=tuple((document.path, message, line) for line, message in document.notes),
        words=linted.words,
        parsed_words=linted.parsed_words,
        source=source,
    )
    if settings.cache is not None and read.target.path is not None and not settings.keep_sources:
        settings.cache.put(read.target.display, read.data, result)
    return result
