"""Where the rule packs and lexicons are: the built-in `rules/` directory and
any configured ones, listed without reading a file.

Every run asks this (pack names for `--select`, the files the rule cache's
key covers); only a run that must parse the packs imports `loading`, with
its YAML reader and pattern checks.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Iterable, Sequence

from linter.core.errors import ConfigError
from linter.packs.path_guard import files_inside

LEXICON_DIR = "lexicons"


def builtin_rules_dir() -> Path:
    """The built-in `rules/` directory (it may hold no packs yet)."""
    # The package's directory from its import spec: the same answer as
    # importlib.resources.files() for a package on disk, without importing
    # importlib.resources (tempfile, zipfile...) at every start.
    try:
        spec = importlib.util.find_spec("linter.rules")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or ()) if spec is not None else ():
        if Path(location).is_dir():
            return Path(location)
    # Fallbacks for unusual installs where `linter.rules` is not importable:
    # a wheel puts the packs at linter/rules, a source tree at ../rules.
    package = Path(__file__).resolve().parent.parent  # linter/packs/pack_files.py -> linter/
    installed = package / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


def available_packs(extra_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Pack name → file, over the built-in directory and `extra_dirs`."""
    found: dict[str, Path] = {}
    for directory in rule_dirs(extra_dirs):
        for path in files_inside(directory, "*.yaml"):
            if path.stem in found:
                raise ConfigError(f"rule pack '{path.stem}' is defined twice: {found[path.stem]} and {path}")
            found[path.stem] = path
    return found


def source_files(extra_dirs: Sequence[Path] = ()) -> list[Path]:
    """Every pack and lexicon file that loading rules over `extra_dirs` may read."""
    return [*available_packs(extra_dirs).values(), *lexicon_files(rule_dirs(extra_dirs))]


def rule_dirs(extra_dirs: Sequence[Path]) -> list[Path]:
    """The built-in directory (if it exists) and `extra_dirs`, which must."""
    missing = [str(directory) for directory in extra_dirs if not Path(directory).is_dir()]
    if missing:
        raise ConfigError(f"rule directory not found: {', '.join(missing)}")
    builtin = builtin_rules_dir()
    dirs = [builtin] if builtin.is_dir() else []
    return dirs + [Path(directory) for directory in extra_dirs]


def lexicon_files(dirs: Iterable[Path]) -> list[Path]:
    """Every lexicon file in `dirs`."""
    return [path for directory in dirs for path in files_inside(Path(directory), f"{LEXICON_DIR}/*.yaml")]
