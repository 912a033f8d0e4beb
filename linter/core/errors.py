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
        return f"{self.path}:{self.line}:{self.column}: {one_line(self.message)}"


def one_line(text: str) -> str:
    """`text` as one printable line: a value quoted from a rule file may hold
    line breaks (a multi-line YAML scalar) or control characters; they are
    escaped, so every problem stays one line of output."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


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
