"""Read each target, lint it, apply its suppressions, and collect one Report.

A file that cannot be read is recorded as an error and the run goes on: one
bad file never hides the findings in the others.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from linter.core.errors import InputError
from linter.core.rule_info import RuleInfo
from linter.files.discovery import Target
from linter.core.meta_rule_table import META_RULES
from linter.run import workers
from linter.core.limits import MAX_INPUT_BYTES
from linter.files.reading import ReadError, read_regular_file
from linter.run.one_file import FileOutcome, LintSettings, lint_in_batches
from linter.run.report import Report, SourceText

if TYPE_CHECKING:
    from linter.engine.rule_engine import Engine
    from linter.core.model import Finding


def lint_targets(
    engine: "Engine",
    targets: Sequence[Target],
    read_stdin: Callable[[], bytes],
    stdin_format: str | None = None,
    settings: LintSettings = LintSettings(),
    jobs: int | None = 1,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Lint every target, in worker processes when `jobs` > 1, or when
    `jobs` is None (automatic) and the run is large enough to pay for them
    (`workers.decide_workers`); the report is the same either way. Files
    whose result is cached (settings.cache) are not linted at all."""
    cached = _cached_outcomes(targets, settings)
    todo = [target for index, target in enumerate(targets) if index not in cached]
    count = workers.worker_count(todo, jobs)
    if count > 1:
        engine.prefilter  # built once here, not in every worker  # noqa: B018
        fresh = workers.lint_all(engine, todo, settings, count)
    else:
        fresh = lint_in_batches(engine, todo, read_stdin, stdin_format, settings)
    outcomes = (cached[index] if index in cached else next(fresh) for index in range(len(targets)))
    return collect(outcomes, len(targets), progress)


def _cached_outcomes(targets: Sequence[Target], settings: LintSettings) -> dict[int, FileOutcome]:
    """The cached outcome of each target that has one, by index. (Looked up
    here, in this process, so that a run of cache hits starts no workers.)"""
    if settings.cache is None or settings.keep_sources:
        return {}
    found = {}
    rules_read: dict = {}  # rule descriptions, read once for the run
    for index, target in enumerate(targets):
        if target.path is None:
            continue
        try:
            data = read_regular_file(target.path, MAX_INPUT_BYTES)
        except ReadError:
            continue  # linted as usual, which reports it
        outcome = settings.cache.get(target.display, data, rules_read)
        if outcome is not None:
            found[index] = outcome
    return found


def collect(outcomes: Iterable[FileOutcome], files: int, progress: Callable[[int], None] | None = None) -> Report:
    findings: list["Finding"] = []
    errors: list[InputError] = []
    suppressions: list = []
    paths: list[str] = []
    rules: dict[str, RuleInfo] = {}
    lines: dict[tuple[str, int], str] = {}
    sources: dict[str, SourceText] = {}
    words = parsed = 0
    for outcome in outcomes:
        if progress:
            progress(1)
        if outcome.error is not None:
            errors.append(InputError(*outcome.error))
            continue
        errors.extend(InputError(*note) for note in outcome.notes)
        paths.append(outcome.path)  # type: ignore[arg-type]  # set wherever error is None
        findings.extend(outcome.findings)
        suppressions.extend(outcome.suppressions)
        for rule_id, info in outcome.rules:
            rules.setdefault(rule_id, info)
        for key, text in outcome.lines:
            lines.setdefault(key, text)
        if outcome.source is not None:
            sources[outcome.path] = outcome.source  # type: ignore[index]  # set wherever error is None
        words += outcome.words
        parsed += outcome.parsed_words
    rules.update(META_RULES)
    findings.sort(key=lambda f: f.sort_key())
    return Report(
        tuple(findings),
        tuple(errors),
        files,
        lines,
        suppressions=tuple(suppressions),
        paths=tuple(paths),
        rules=MappingProxyType(dict(sorted(rules.items()))),
        words=words,
        parsed_words=parsed,
        sources=MappingProxyType(sources),
    )
