"""The rule files `overclaim rules validate` is given: files as named, and
for a directory every `.yaml`/`.yml` file in it and below (a rules directory
keeps its lexicons in `lexicons/`), in sorted order."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from linter.core.errors import ConfigError

SUFFIXES = (".yaml", ".yml")


def rule_files(arguments: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                raise ConfigError(f"{argument}: no .yaml or .yml file in this directory")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{argument}: no such file or directory")
    return list(dict.fromkeys(found))
