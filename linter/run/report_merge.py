"""One report from the reports of several groups of files (each group linted
with the config that governs it), in the order the run named the files.

Fields are combined by kind, so a field added to Report later is merged too:
tuples are joined, counts added, mappings united.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any, Mapping, Sequence

from linter.run.report import Report


def merge_reports(reports: Sequence[Report], order: Mapping[str, int]) -> Report:
    """`order` gives each file's place in the run (by the path it is shown as)."""
    if len(reports) == 1:
        return reports[0]
    last = len(order)
    place = lambda path: order.get(path, last)  # noqa: E731 - a key function, named for reading
    merged: dict[str, Any] = {}
    for field in dataclasses.fields(Report):
        values: list[Any] = [getattr(report, field.name) for report in reports]
        first = values[0]
        if isinstance(first, bool):
            merged[field.name] = any(values)
        elif isinstance(first, int):
            merged[field.name] = sum(values)
        elif isinstance(first, tuple):
            merged[field.name] = tuple(item for value in values for item in value)
        elif isinstance(first, Mapping):
            united = {key: item for value in values for key, item in value.items()}
            merged[field.name] = MappingProxyType(dict(sorted(united.items()))) if isinstance(first, MappingProxyType) else united
        else:
            merged[field.name] = first
    merged["findings"] = tuple(sorted(merged["findings"], key=lambda f: f.sort_key()))
    merged["paths"] = tuple(sorted(merged["paths"], key=place))
    merged["errors"] = tuple(sorted(merged["errors"], key=lambda error: place(error.path)))
    merged["suppressions"] = tuple(sorted(merged["suppressions"], key=lambda record: (place(record.path), record.line, record.column)))
    return Report(**merged)
