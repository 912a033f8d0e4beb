"""Entry points looked up once per group while a pipeline loads.

spaCy and thinc resolve every function a pipeline's config names through
catalogue registries that also accept functions from other packages' entry
points. Each lookup asks `catalogue.AVAILABLE_ENTRY_POINTS.select(group=...)`,
which walks every entry point of every installed distribution: a pipeline
load asks about 120 times, nine tenths of them for the same few groups,
about a tenth of the load's time. The entry points are read once, when
catalogue is imported, so remembering each group's selection while the
pipeline loads returns exactly what catalogue would have found. On a spaCy
release this was not checked against (`versions.CHECKED_SPACY`, which pins
catalogue 2.0), or a catalogue without that module attribute, the lookups
are left as they are.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from linter.spacy_compat.versions import spacy_checked


class SelectedOnce:
    """`AVAILABLE_ENTRY_POINTS` as catalogue sees it, each selection made once."""

    def __init__(self, available: Any) -> None:
        self._available = available
        self._selected: dict[tuple[tuple[str, Any], ...], Any] = {}

    def select(self, **params: Any) -> Any:
        key = tuple(sorted(params.items()))
        if key not in self._selected:
            self._selected[key] = self._available.select(**params)  # an immutable EntryPoints
        return self._selected[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._available, name)  # anything else catalogue might ask


@contextmanager
def entry_points_selected_once() -> Iterator[None]:
    """While the block runs, catalogue selects each group's entry points once
    (see the module's note); afterwards it has its own object back."""
    import catalogue

    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if available is None or not hasattr(available, "select") or isinstance(available, SelectedOnce) or not spacy_checked():
        yield  # a stock catalogue, or a load inside a load: nothing to change
        return
    catalogue.AVAILABLE_ENTRY_POINTS = SelectedOnce(available)
    try:
        yield
    finally:
        catalogue.AVAILABLE_ENTRY_POINTS = available
