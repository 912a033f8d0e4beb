"""A data-only encoding of the values overclaim caches on disk.

The cache directory is writable by whoever can write the user's home (or
$OVERCLAIM_CACHE_DIR), so reading an entry must never run code and must
never hand the linter something that is not what it asked for. Values are
written as JSON in which every container says what it is, and read back by
building only the classes named in `ALLOWED` from exactly their own fields,
each checked against the field's type annotation. Anything else raises
`CorruptEntry`; the cache treats that as a miss.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping as AbcMapping
from typing import Any, Union

from .model import (
    DisclaimerSpec,
    Escalation,
    Examples,
    Lexicon,
    LexiconTerm,
    MatchSpec,
    Rule,
    RuleSet,
    Severity,
    SourceRef,
)
from .pipelinetables import PipelineTables

# The only classes an entry may name. Frozen dataclasses whose __init__ just
# stores fields, and one IntEnum.
ALLOWED: dict[str, type] = {
    cls.__name__: cls
    for cls in (RuleSet, Rule, MatchSpec, Examples, Escalation, DisclaimerSpec, SourceRef,
                Lexicon, LexiconTerm, PipelineTables)
}
ENUMS: dict[str, type] = {"Severity": Severity}


class CorruptEntry(ValueError):
    """The entry is not a value this version of overclaim wrote."""


def dumps(value: Any) -> str:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str, expected: Any) -> Any:
    """The value encoded in `text`, which must be of type `expected`."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CorruptEntry(f"not JSON: {error}") from None
    value = _Decoder().decode(raw)
    _check(value, expected, "entry")
    return value


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, Severity):
        return {"e": type(value).__name__, "v": int(value)}
    if isinstance(value, int):
        return value
    if dataclasses.is_dataclass(value) and type(value).__name__ in ALLOWED:
        return {"c": type(value).__name__,
                "v": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"t": [_encode(item) for item in value]}
    if isinstance(value, list):
        return {"l": [_encode(item) for item in value]}
    if isinstance(value, frozenset):
        return {"f": [_encode(item) for item in value]}
    if isinstance(value, AbcMapping):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


class _Decoder:
    """Rebuilds values from decoded JSON (one per entry: it remembers each class's field types)."""

    def __init__(self) -> None:
        self._hints: dict[type, dict[str, Any]] = {}

    def decode(self, raw: Any) -> Any:
        if raw is None or isinstance(raw, (bool, str, int, float)):
            return raw
        if not isinstance(raw, dict) or len(raw) not in (1, 2):
            raise CorruptEntry("unexpected JSON value")
        if len(raw) == 2:
            if set(raw) == {"e", "v"}:
                enum = ENUMS.get(raw["e"]) if isinstance(raw["e"], str) else None
                if enum is None or type(raw["v"]) is not int:
                    raise CorruptEntry("unknown enum value")
                try:
                    return enum(raw["v"])
                except ValueError:
                    raise CorruptEntry("unknown enum value") from None
            if set(raw) == {"c", "v"}:
                return self._build(raw["c"], raw["v"])
            raise CorruptEntry("unexpected JSON object")
        (tag, items), = raw.items()
        if not isinstance(items, list):
            raise CorruptEntry("a container without items")
        if tag == "t":
            return tuple(self.decode(item) for item in items)
        if tag == "l":
            return [self.decode(item) for item in items]
        if tag == "f":
            return frozenset(self._hashable(self.decode(item)) for item in items)
        if tag == "d":
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in items):
                raise CorruptEntry("a mapping entry is not a pair")
            return {self._hashable(self.decode(k)): self.decode(v) for k, v in items}
        raise CorruptEntry(f"unknown tag {tag!r}")

    @staticmethod
    def _hashable(value: Any) -> Any:
        try:
            hash(value)
        except TypeError:
            raise CorruptEntry("an unhashable set member or key") from None
        return value

    def _build(self, name: Any, fields: Any) -> Any:
        cls = ALLOWED.get(name) if isinstance(name, str) else None
        if cls is None or not isinstance(fields, dict):
            raise CorruptEntry(f"unknown class {name!r}")
        expected = {f.name for f in dataclasses.fields(cls) if f.init}
        if set(fields) != expected:
            raise CorruptEntry(f"{name}: fields do not match")
        value = cls(**{key: self.decode(raw) for key, raw in fields.items()})
        hints = self._hints.get(cls)
        if hints is None:
            hints = self._hints[cls] = typing.get_type_hints(cls)
        for key in expected:
            _check(getattr(value, key), hints[key], f"{name}.{key}")
        return value


def _check(value: Any, annotation: Any, where: str) -> None:
    """Raise CorruptEntry unless `value` fits `annotation` (the shapes the model uses)."""
    if annotation is Any:
        return
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        for option in args:
            try:
                _check(value, option, where)
                return
            except CorruptEntry:
                continue
        raise CorruptEntry(f"{where}: unexpected {type(value).__name__}")
    if annotation is type(None):
        if value is not None:
            raise CorruptEntry(f"{where}: expected None")
        return
    if origin is None:
        if annotation in (int, float) and isinstance(value, bool):
            raise CorruptEntry(f"{where}: expected {annotation.__name__}")
        if not isinstance(value, annotation):
            raise CorruptEntry(f"{where}: expected {getattr(annotation, '__name__', annotation)}")
        return
    if origin is tuple:
        if not isinstance(value, tuple):
            raise CorruptEntry(f"{where}: expected a tuple")
        if len(args) == 2 and args[1] is Ellipsis:
            for item in value:
                _check(item, args[0], where)
        elif args:
            if len(args) != len(value):
                raise CorruptEntry(f"{where}: wrong length")
            for item, arg in zip(value, args):
                _check(item, arg, where)
        return
    if origin is frozenset:
        if not isinstance(value, frozenset):
            raise CorruptEntry(f"{where}: expected a frozenset")
        for item in value:
            _check(item, args[0], where)
        return
    if origin in (AbcMapping, dict):
        if not isinstance(value, dict):
            raise CorruptEntry(f"{where}: expected a mapping")
        for key, item in value.items():
            _check(key, args[0], where)
            _check(item, args[1], where)
        return
    raise CorruptEntry(f"{where}: cannot check {annotation!r}")
