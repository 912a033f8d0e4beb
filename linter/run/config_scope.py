"""Which config governs each file of a run, and which files `exclude` drops.

Without `--config`, each file is governed by the nearest `.overclaim.yaml`,
`.overclaim.yml` or pyproject.toml with `[tool.overclaim]` above it (as ruff
does), so `overclaim check .` from a repository root honours `uk/.overclaim.yaml`
for the files under `uk/`. A config's `exclude` patterns apply to files found
by walking a directory; with `--force-exclude` also to files named on the
command line (pre-commit names every staged file). Patterns match the path as
shown, the path relative to the config's directory, or any one part of either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from linter.config import PYPROJECT, Config, find_config, load_config, misnamed_tables
from linter.files.discovery import Target, files_of, is_excluded


@dataclass(frozen=True)
class Group:
    """The files one config governs, each with its place in the run."""

    config_path: Path | None
    targets: tuple[tuple[int, Target], ...]


@dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...]
    missing: tuple[str, ...]  # arguments that do not exist
    empty: tuple[tuple[str, int], ...]  # directories that held no file to lint, with how many `exclude` dropped
    excluded: int  # files dropped by `exclude`, in all

    @property
    def files(self) -> int:
        return sum(len(group.targets) for group in self.groups)


class ConfigLoader:
    """Each config file read and checked once per run."""

    def __init__(self) -> None:
        self._loaded: dict[Path | None, Config] = {}

    def __call__(self, path: Path | None) -> Config:
        if path not in self._loaded:
            self._loaded[path] = load_config(path)
        return self._loaded[path]


class ConfigFinder:
    """The config for a location, looked up once per directory; also the
    warnings about pyproject.toml tables meant for overclaim but misnamed,
    for every pyproject.toml passed on the way up."""

    def __init__(self, explicit: Path | None = None) -> None:
        self._explicit = explicit
        self._by_directory: dict[Path, Path | None] = {}
        self._warnings: dict[str, None] = {}  # ordered, without repeats
        if explicit is not None and explicit.name == PYPROJECT:
            self._warn(explicit)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._warnings)

    def path_for(self, location: Path) -> Path | None:
        """The config governing a file at `location` (or a directory)."""
        if self._explicit is not None:
            return self._explicit
        directory = Path(os.path.abspath(location))
        if not directory.is_dir():
            directory = directory.parent
        if directory not in self._by_directory:
            found = find_config(directory)
            self._by_directory[directory] = found
            top = found.parent.resolve() if found else None
            for candidate in (directory.resolve(), *directory.resolve().parents):
                self._warn(candidate / PYPROJECT)
                if candidate == top:
                    break
        return self._by_directory[directory]

    def _warn(self, pyproject: Path) -> None:
        if pyproject.is_file():
            self._warnings.update(dict.fromkeys(misnamed_tables(pyproject)))


def plan_run(
    arguments: Sequence[str],
    finder: ConfigFinder,
    load: Callable[[Path | None], Config],
    force_exclude: bool = False,
    stdin_filename: str | None = None,
) -> Plan:
    """The run's files grouped by the config that governs them, in argument order."""
    by_config: dict[Path | None, list[tuple[int, Target]]] = {}
    missing: list[str] = []
    empty: list[tuple[str, int]] = []
    excluded = 0
    place = 0
    seen: set[str] = set()  # a file named twice (or inside a directory also named) is linted once
    for found in files_of(arguments):
        if not found.exists:
            # Reported like an unreadable file at the end of the run (one line, exit 2).
            if found.argument in seen:
                continue
            seen.add(found.argument)
            missing.append(found.argument)
            by_config.setdefault(finder.path_for(Path(found.argument)), []).append((place, Target(found.argument, Path(found.argument))))
            place += 1
            continue
        kept = 0
        dropped = 0
        for target in found.targets:
            if target.path is None:
                location = Path(stdin_filename) if stdin_filename else Path.cwd() / "-"
                target = Target(stdin_filename or "-", None)
            else:
                location = target.path
            if target.display in seen:
                kept += 1
                continue
            seen.add(target.display)
            config_path = finder.path_for(location)
            if (found.walked or force_exclude) and target.path is not None and is_target_excluded(target, load(config_path)):
                dropped += 1
                continue
            by_config.setdefault(config_path, []).append((place, target))
            place += 1
            kept += 1
        excluded += dropped
        if found.walked and not kept:
            empty.append((found.argument, dropped))
    groups = tuple(Group(path, tuple(targets)) for path, targets in by_config.items())
    return Plan(groups, tuple(missing), tuple(empty), excluded)


def is_target_excluded(target: Target, config: Config) -> bool:
    """Whether the config's `exclude` matches the file."""
    if not config.exclude:
        return False
    if is_excluded(target.display, config.exclude):
        return True
    if config.path is None:
        return False
    relative = os.path.relpath(os.path.abspath(target.path or target.display), os.path.abspath(config.path.parent))
    return not relative.startswith(os.pardir) and is_excluded(relative, config.exclude)
