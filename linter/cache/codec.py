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
import functools
import json
import types
import typing
from collections.abc import Mapping as AbcMapping
from typing import Any, Callable, Union

from linter.core.model import (
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
from linter.nlp.pipeline_tables import PipelineTables

# The only classes an entry may name. Frozen dataclasses whose __init__ just
# stores fields, and one IntEnum.
ALLOWED: dict[str, type] = {
    cls.__name__: cls
    for cls in (RuleSet, Rule, MatchSpec, Examples, Escalation, DisclaimerSpec, SourceRef,
                Lexicon, LexiconTerm, PipelineTables)
}
ENUMS: dict[str, type] = {"Severity": Severity}
_CONTAINERS = frozenset("tlfd")
ROWS = "r"  # a tuple of instances of one class, each a row of its field values


class CorruptEntry(ValueError):
    """The entry is not a value this version of overclaim wrote."""


def dumps(value: Any, allowed: "dict[str, type] | None" = None) -> str:
    return json.dumps(_encode(value, allowed or ALLOWED), ensure_ascii=False, separators=(",", ":"))


def loads(text: str, expected: Any, allowed: "dict[str, type] | None" = None) -> Any:
    """The value encoded in `text`, which must be of type `expected`, built
    only from the classes in `allowed` (default: ALLOWED, the rule cache's)."""
    decoder = _Decoder(allowed or ALLOWED)
    try:
        # Values are rebuilt as the parser meets each object, innermost first.
        value = json.loads(text, object_hook=decoder.rebuild)
    except (ValueError, RecursionError) as error:
        raise CorruptEntry(f"not JSON: {error}") from None
    check(value, expected, "entry")
    return value


def _encode(value: Any, allowed: dict[str, type]) -> Any:
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, Severity):
        return {"e": type(value).__name__, "v": int(value)}
    if isinstance(value, int):
        return value
    if dataclasses.is_dataclass(value) and allowed.get(type(value).__name__) is type(value):
        return {"c": type(value).__name__,
                "v": {f.name: _encode(getattr(value, f.name), allowed) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        rows = _rows(value, allowed)
        if rows is not None:
            return rows
        return {"t": [_encode(item, allowed) for item in value]}
    if isinstance(value, list):
        return {"l": [_encode(item, allowed) for item in value]}
    if isinstance(value, frozenset):
        return {"f": [_encode(item, allowed) for item in value]}
    if isinstance(value, AbcMapping):
        return {"d": [[_encode(k, allowed), _encode(v, allowed)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _is_pair(item: Any) -> bool:
    return type(item) is list and len(item) == 2


def _rows(value: tuple, allowed: dict[str, type]) -> dict | None:
    """A tuple of two or more instances of one class as rows of field values,
    in the order of the class's fields (None for any other tuple). Lexicon
    terms are most of a rule set: rows spare each its field names and the
    JSON object that held them: the rule set's entry is two fifths smaller
    (892 -> 522 KB) and read in three quarters of the time."""
    if len(value) < 2:
        return None
    cls = type(value[0])
    if not dataclasses.is_dataclass(cls) or allowed.get(cls.__name__) is not cls or any(type(item) is not cls for item in value):
        return None
    names = _field_order(cls)
    return {ROWS: [cls.__name__, [[_encode(getattr(item, name), allowed) for name in names] for item in value]]}


class _Decoder:
    """Rebuilds values from JSON objects (one per entry: it remembers each class's field checks)."""

    def __init__(self, allowed: dict[str, type]) -> None:
        self._allowed = allowed

    def rebuild(self, raw: dict) -> Any:
        """One JSON object, its contents already rebuilt: a tagged container or
        a class becomes its value; a class's field dict is left as it is."""
        if len(raw) == 1:
            (tag, items), = raw.items()
            if tag == ROWS:
                return self._build_rows(items)
            if tag in _CONTAINERS:
                if not isinstance(items, list):
                    raise CorruptEntry("a container without items")
                if tag == "t":
                    return tuple(items)
                if tag == "l":
                    return items
                try:  # an unhashable member or key (a list) is a TypeError
                    if tag == "f":
                        return frozenset(items)
                    if not all(map(_is_pair, items)):
                        raise CorruptEntry("a mapping entry is not a pair")
                    return dict(items)
                except TypeError:
                    raise CorruptEntry("an unhashable set member or key") from None
        elif len(raw) == 2 and raw.keys() == {"e", "v"}:
            enum = ENUMS.get(raw["e"]) if isinstance(raw["e"], str) else None
            if enum is None or type(raw["v"]) is not int:
                raise CorruptEntry("unknown enum value")
            try:
                return enum(raw["v"])
            except ValueError:
                raise CorruptEntry("unknown enum value") from None
        elif len(raw) == 2 and raw.keys() == {"c", "v"}:
            return self._build(raw["c"], raw["v"])
        return raw  # the fields of a class: checked by _build

    def _build_rows(self, items: Any) -> tuple:
        if not (isinstance(items, list) and len(items) == 2 and isinstance(items[1], list)):
            raise CorruptEntry("rows without a class and a list of rows")
        name, rows = items
        cls = self._allowed.get(name) if isinstance(name, str) else None
        if cls is None:
            raise CorruptEntry(f"unknown class {name!r}")
        order, (_, checks) = _field_order(cls), _shape(cls)
        built = []
        for row in rows:
            if not isinstance(row, list) or len(row) != len(order):
                raise CorruptEntry(f"{name}: a row does not hold its fields")
            value = cls(**dict(zip(order, row)))  # only the dataclass's own fields, each checked below
            for key, fits in checks:
                if not fits(getattr(value, key)):
                    raise CorruptEntry(f"{name}.{key}: not the type it is declared as")
            built.append(value)
        return tuple(built)

    def _build(self, name: Any, fields: Any) -> Any:
        cls = self._allowed.get(name) if isinstance(name, str) else None
        if cls is None or not isinstance(fields, dict):
            raise CorruptEntry(f"unknown class {name!r}")
        names, checks = _shape(cls)
        if fields.keys() != names:
            raise CorruptEntry(f"{name}: fields do not match")
        value = cls(**fields)  # only the dataclass's own fields, each checked below
        for key, fits in checks:
            if not fits(getattr(value, key)):
                raise CorruptEntry(f"{name}.{key}: not the type it is declared as")
        return value



@functools.lru_cache(maxsize=None)
def _field_order(cls: type) -> tuple[str, ...]:
    """A class's fields in declaration order: the order of a row."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


@functools.lru_cache(maxsize=None)
def _shape(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Callable[[Any], bool]], ...]]:
    """A class's field names and a check for each field's type (made once per
    class and process: a run reading hundreds of entries asks typing once)."""
    hints = typing.get_type_hints(cls)
    names = frozenset(f.name for f in dataclasses.fields(cls) if f.init)
    return names, tuple((key, checker(hints[key])) for key in sorted(names))


def check(value: Any, annotation: Any, where: str) -> None:
    """Raise CorruptEntry unless `value` fits `annotation`."""
    if not checker(annotation)(value):
        raise CorruptEntry(f"{where}: not a {annotation!r}")


def checker(annotation: Any) -> Callable[[Any], bool]:
    """A function telling whether a value fits `annotation` (the shapes the model uses:
    classes, X | None, tuple[X, ...], frozenset[X], Mapping[K, V], Any)."""
    if annotation is Any:
        return lambda value: True
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        if len(args) == 2 and type(None) in args:  # X | None, the common case: one test
            other = checker(next(arg for arg in args if arg is not type(None)))
            return lambda value: value is None or other(value)
        options = [checker(option) for option in args]
        return lambda value: any(fits(value) for fits in options)
    if annotation is type(None):
        return lambda value: value is None
    if origin is None:
        if annotation in (int, float):
            return lambda value: isinstance(value, annotation) and not isinstance(value, bool)
        return lambda value: isinstance(value, annotation)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = checker(args[0])
            return lambda value: isinstance(value, tuple) and all(map(item, value))
        items = [checker(arg) for arg in args]
        return lambda value: (isinstance(value, tuple) and len(value) == len(items)
                              and all(fits(v) for fits, v in zip(items, value)))
    if origin is frozenset:
        item = checker(args[0])
        return lambda value: isinstance(value, frozenset) and all(map(item, value))
    if origin in (AbcMapping, dict):
        key_fits, value_fits = checker(args[0]), checker(args[1])
        return lambda value: isinstance(value, dict) and all(map(key_fits, value)) and all(map(value_fits, value.values()))
    raise TypeError(f"cannot check {annotation!r}")
