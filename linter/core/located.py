"""Parsed YAML that remembers where each key and value came from: the
containers `yaml_source` builds, without PyYAML.

The config, the rule packs and the LSP's quick fixes check these; only the
code that parses YAML needs PyYAML itself (`yaml_source`), so a run whose
config is pyproject.toml, or that the rule cache serves, never imports it.
"""

from __future__ import annotations

from typing import Any, Hashable

Position = tuple[int, int]


class LocatedDict(dict):
    """A mapping from YAML with the positions of its keys and values."""

    at: Position = (1, 1)

    def __init__(self, at: Position = (1, 1)) -> None:
        super().__init__()
        self.at = at
        self._keys: dict[Hashable, Position] = {}
        self._values: dict[Hashable, Position] = {}

    def put(self, key: Hashable, value: Any, key_at: Position, value_at: Position) -> None:
        """Store a value with the positions of its key and of the value itself."""
        self[key] = value
        self._keys[key] = key_at
        self._values[key] = value_at

    def key_at(self, key: Hashable) -> Position:
        """Position of the key itself; the mapping's position if unknown."""
        return self._keys.get(key, self.at)

    def where(self, key: Hashable) -> Position:
        """Position of the value stored under `key`; the mapping's position if unknown."""
        return self._values.get(key, self.at)


class LocatedList(list):
    """A sequence from YAML with the position of each item."""

    at: Position = (1, 1)

    def __init__(self, at: Position = (1, 1)) -> None:
        super().__init__()
        self.at = at
        self._items: list[Position] = []

    def add(self, item: Any, at: Position) -> None:
        """Append an item with its position."""
        self.append(item)
        self._items.append(at)

    def where(self, index: int) -> Position:
        """Position of item `index`; the sequence's position if unknown."""
        if 0 <= index < len(self._items):
            return self._items[index]
        return self.at
