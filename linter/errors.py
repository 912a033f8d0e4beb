"""Errors that stop a file or a run, each printable as one line.

Every one of them maps to exit code 2 in the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass


class OverclaimError(Exception):
    """Base class: str(error) is the one-line message shown to the user."""


@dataclass(frozen=True)
class Problem:
    """One problem in a rule or config file, positioned 1-based."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class RuleFileError(OverclaimError):
    """One or more problems in rule packs or lexicons; all are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(OverclaimError):
    """A problem in .overclaim.yaml or [tool.overclaim]."""


class ModelError(OverclaimError):
    """No usable spaCy pipeline."""


class InputError(OverclaimError):
    """A file that cannot be read, decoded or parsed."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.reason = message
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
