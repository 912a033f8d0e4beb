"""The config, rules and engines that lint a document, as the CLI would choose them.

A document is linted with the config found upward from its own directory
(`.overclaim.yaml`, or pyproject.toml with [tool.overclaim]), the rule packs
that config selects (or the document's front matter selects), and the rule
directories it names. What was loaded is kept until one of the files behind
it changes on disk: the config file and every rule or lexicon file are
fingerprinted by size and modification time, checked on each lint (a few
stat calls), so an edit in any editor, or by git, is picked up without the
client having to report it.

spaCy pipelines are kept per model name for the life of the server, so the
pipeline loads once per process however often the config is reloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linter.config import Config, apply_config, find_config, load_config
from linter.core.errors import ConfigError, ModelError, Problem, RuleFileError
from linter.review.meta_rules import MetaPolicy
from linter.packs.pack_files import source_files

if TYPE_CHECKING:
    from linter.run.engine_choice import EngineChooser
    from linter.nlp.loading import LazyPipeline

_PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")


@dataclass(frozen=True)
class Settings:
    """Everything needed to lint a document under one config."""

    config: Config
    choose: "EngineChooser"
    known_rules: frozenset[str]
    meta: MetaPolicy


@dataclass(frozen=True)
class SettingsError:
    """A config or rule file that could not be loaded: its problems, positioned."""

    config_path: Path | None
    problems: tuple[Problem, ...]

    @property
    def summary(self) -> str:
        first = self.problems[0] if self.problems else None
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{first}{more}" if first else "the configuration could not be loaded"


Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class _Loaded:
    fingerprint: Fingerprint
    rule_dirs: tuple[Path, ...]
    result: Settings | SettingsError


def problems_of(error: Exception, fallback_path: Path | None) -> tuple[Problem, ...]:
    """A config or rule-file error as positioned problems (ConfigError carries
    them only as `path:line:col: message` lines)."""
    if isinstance(error, RuleFileError):
        return tuple(error.problems)
    problems = []
    for line in str(error).splitlines():
        found = _PROBLEM_LINE.match(line)
        if found:
            problems.append(Problem(found["path"], int(found["line"]), int(found["col"]), found["message"]))
        else:
            prefix = f"{fallback_path}: "
            message = line[len(prefix):] if fallback_path and line.startswith(prefix) else line
            problems.append(Problem(str(fallback_path or "<config>"), 1, 1, message))
    return tuple(problems)


class WorkspaceSettings:
    """Settings per config file, reloaded when a file behind them changes."""

    def __init__(self, fallback_directory: Path) -> None:
        self._fallback = fallback_directory  # for documents not saved anywhere yet
        self._loaded: dict[Path | None, _Loaded] = {}
        self._pipelines: dict[str | None, "LazyPipeline"] = {}

    def config_path_for(self, document_path: Path | None) -> Path | None:
        directory = document_path.parent if document_path else self._fallback
        return find_config(directory)

    def for_document(self, document_path: Path | None) -> Settings | SettingsError:
        config_path = self.config_path_for(document_path)
        loaded = self._loaded.get(config_path)
        if loaded is None or loaded.fingerprint != _fingerprint(config_path, loaded.rule_dirs):
            loaded = self._load(config_path)
            self._loaded[config_path] = loaded
        return loaded.result

    def loaded(self) -> dict[Path | None, Settings | SettingsError]:
        # Copied first: the lint thread may add an entry meanwhile (copying a
        # dict is one step under the GIL; iterating it is not).
        return {path: loaded.result for path, loaded in dict(self._loaded).items()}

    def _load(self, config_path: Path | None) -> _Loaded:
        from linter.run.engine_choice import EngineChooser
        from linter.nlp.loading import LazyPipeline
        from linter.cache.store import CachedIndexes, known_rule_ids_cached, load_rules_cached

        rule_dirs: tuple[Path, ...] = ()
        try:
            config = load_config(config_path)
            rule_dirs = config.rule_dirs
            ruleset = apply_config(load_rules_cached(config.packs, config.rule_dirs), config)
            pipeline = self._pipelines.setdefault(config.model, LazyPipeline(config.model))
            chooser = EngineChooser(config, ruleset, pipeline, indexes=CachedIndexes(config.model))
            result: Settings | SettingsError = Settings(
                config, chooser, known_rule_ids_cached(config.rule_dirs), MetaPolicy.from_settings(config.severity, config.disable)
            )
        except (ConfigError, RuleFileError, ModelError) as error:
            result = SettingsError(config_path, problems_of(error, config_path))
        return _Loaded(_fingerprint(config_path, rule_dirs), rule_dirs, result)


def _fingerprint(config_path: Path | None, rule_dirs: tuple[Path, ...]) -> Fingerprint:
    try:
        rule_files = source_files(rule_dirs)
    except ConfigError:  # e.g. a pack defined twice: loading reports it
        rule_files = []
    files = ([config_path] if config_path else []) + list(rule_files)
    marks = []
    for path in files:
        try:
            stat = Path(path).stat()
            marks.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            marks.append((str(path), -1, -1))
    return tuple(marks)
