"""Checking parsed YAML against the expected shapes, collecting every problem.

A `Checker` belongs to one file. Its helpers record a `Problem` at the exact
key or value position and return None for anything invalid, so a caller can
keep going and report all problems of a file in one run instead of stopping
at the first. Names that can only be resolved once every file is loaded (LEX
tags, rule ids) are recorded as `Ref`s and checked by `packs`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from linter.core.errors import Problem
from linter.core.located import LocatedDict, LocatedList, Position

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


def hint(word: str, choices: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for a close match, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def expected(choices: Sequence[str]) -> str:
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


@dataclass(frozen=True)
class Ref:
    """A name used in one file that must exist once all files are loaded."""

    name: str
    path: str
    line: int
    column: int
    where: str  # e.g. "LEX of rule 'cure-claim'"

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, self.column, message)


@dataclass
class Checker:
    path: str
    problems: list[Problem] = field(default_factory=list)
    tag_refs: list[Ref] = field(default_factory=list)
    rule_refs: list[Ref] = field(default_factory=list)
    # Every rule id written in the file, valid rule or not, so that a broken
    # rule does not also show up as "unknown" wherever it is referenced.
    rule_ids: set[str] = field(default_factory=set)

    def error(self, at: Position, message: str) -> None:
        self.problems.append(Problem(self.path, at[0], at[1], message))

    def ref(self, refs: list[Ref], name: str, at: Position, where: str) -> None:
        refs.append(Ref(name, self.path, at[0], at[1], where))

    def mapping(self, value: Any, at: Position, what: str) -> LocatedDict | None:
        if isinstance(value, LocatedDict):
            return value
        self.error(at, f"{what} must be a mapping, not {type_name(value)}")
        return None

    def keys(self, node: LocatedDict, allowed: Sequence[str], required: Sequence[str], where: str) -> None:
        for key in node:
            if key not in allowed:
                suggestion = hint(key, allowed) if isinstance(key, str) else ""
                self.error(node.key_at(key), f"unknown key '{key}' in {where}{suggestion}")
        for key in required:
            if key not in node:
                self.error(node.at, f"missing required key '{key}' in {where}")

    def string(self, node: LocatedDict, key: str, where: str) -> str | None:
        """The non-empty string under `key`; None (with a problem) if invalid, None if absent."""
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, str):
            shown = type_name(value) + _quote_hint(value)
            self.error(node.where(key), f"'{key}' in {where} must be a string, not {shown}")
            return None
        if not value.strip():
            self.error(node.where(key), f"'{key}' in {where} must not be empty")
            return None
        # Folded YAML blocks (`>`) end with a newline that is not part of the text.
        return value.strip()

    def items(self, node: LocatedDict, key: str, where: str, minimum: int = 0) -> LocatedList | None:
        """The list under `key`, checked for a minimum length; None if absent or invalid."""
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, LocatedList):
            self.error(node.where(key), f"'{key}' in {where} must be a list, not {type_name(value)}")
            return None
        if len(value) < minimum:
            self.error(node.where(key), f"'{key}' in {where} must have at least {minimum} item{'s' * (minimum > 1)}")
            return None
        return value

    def strings(self, node: LocatedDict, key: str, where: str, minimum: int = 0) -> tuple[str, ...] | None:
        """A list of non-empty strings; invalid items are reported and dropped."""
        values = self.items(node, key, where, minimum)
        if values is None:
            return None
        good = []
        for index, value in enumerate(values):
            if isinstance(value, str) and value.strip():
                good.append(value)
            else:
                shown = "an empty string" if isinstance(value, str) else type_name(value)
                message = f"items of '{key}' in {where} must be non-empty strings, not {shown}{_quote_hint(value)}"
                self.error(values.where(index), message)
        return tuple(good)

    def choice(self, node: LocatedDict, key: str, choices: Sequence[str], noun: str, where: str) -> str | None:
        value = self.string(node, key, where)
        if value is not None and value not in choices:
            self.error(node.where(key), _unknown(noun, value, choices, where))
            return None
        return value

    def choices(
        self, node: LocatedDict, key: str, choices: Sequence[str], noun: str, where: str
    ) -> tuple[str, ...] | None:
        values = self.items(node, key, where)
        if values is None:
            return None
        good = []
        for index, value in enumerate(values):
            if isinstance(value, str) and value in choices:
                good.append(value)
            elif isinstance(value, str):
                self.error(values.where(index), _unknown(noun, value, choices, where))
            else:
                self.error(values.where(index), f"items of '{key}' in {where} must be strings, not {type_name(value)}")
        return tuple(good)

    def name(self, node: LocatedDict, key: str, where: str) -> str | None:
        """A kebab-case identifier (rule id, lexicon or tag name)."""
        value = self.string(node, key, where)
        if value is not None and not KEBAB.match(value):
            self.error(node.where(key), f"'{key}' in {where} must be kebab-case like 'cure-claim', not '{value}'")
            return None
        return value


def _unknown(noun: str, value: str, choices: Sequence[str], where: str) -> str:
    suggestion = hint(value, choices) or f" (expected {expected(choices)})"
    return f"unknown {noun} '{value}' in {where}{suggestion}"


def _quote_hint(value: Any) -> str:
    # YAML 1.1 reads unquoted yes/no/on/off as booleans, a classic trap in
    # word lists ("no", "off").
    return " (quote it: YAML reads unquoted yes/no/on/off as booleans)" if isinstance(value, bool) else ""
