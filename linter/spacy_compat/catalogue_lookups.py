"""catalogue's lookups made once while a pipeline loads.

spaCy and thinc resolve every function a pipeline's config names through
catalogue registries, and two of catalogue's lookups repeat work a load
asks for again and again:

- Entry points. A registry that accepts other packages' functions asks
  `catalogue.AVAILABLE_ENTRY_POINTS.select(group=...)`, which walks every
  entry point of every installed distribution: about 120 times a load, nine
  tenths of them for the same few groups, about a tenth of the load's time.
  The entry points are read once, when catalogue is imported, so each
  group's selection is remembered (`SelectedOnce`).
- Listings. `Registry.get_all()` lists a namespace's functions by walking
  every registered function (about 450 once spaCy and thinc are imported):
  srsly lists its msgpack encoders and decoders at every unpacking (90
  times: each component's data), spaCy its factories at every factory it
  adds; a twelfth of the load. Each listing is worked out once and a copy
  handed out (`RememberedListings`); a registration or removal through
  catalogue's functions (`_set`, which `register` calls, and `_remove`)
  forgets every listing, as does any other change in the number of
  entries, so a listing is always what catalogue would have walked.

Both answer exactly what catalogue would have, and catalogue has its own
objects back when the block ends. On a spaCy release this was not checked
against (`versions.CHECKED_SPACY`, which pins catalogue 2.0), or a catalogue
without these names, the lookups are left as they are.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from linter.spacy_compat.versions import spacy_checked

_PARTS = ("AVAILABLE_ENTRY_POINTS", "Registry", "REGISTRY", "_set", "_remove")


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


class RememberedListings:
    """`Registry.get_all` with each namespace's listing worked out once
    until catalogue's registry changes."""

    def __init__(self, catalogue: Any) -> None:
        self._catalogue = catalogue
        self.stock_get_all: Callable[[Any], dict] = catalogue.Registry.get_all
        self.stock_set: Callable[..., None] = catalogue._set
        self.stock_remove: Callable[..., Any] = catalogue._remove
        self._listings: dict[tuple[tuple[str, ...], bool], dict] = {}
        self._size = -1  # entries in catalogue's registry when the listings were made

    def get_all(self, registry: Any) -> dict:
        size = len(self._catalogue.REGISTRY)
        if size != self._size:
            self._listings.clear()  # something bypassed _set/_remove
            self._size = size
        key = (tuple(registry.namespace), bool(registry.entry_points))
        listing = self._listings.get(key)
        if listing is None:
            listing = self._listings[key] = self.stock_get_all(registry)
        return dict(listing)  # callers may change what they are given

    def set(self, namespace: Any, func: Any) -> None:
        self._listings.clear()
        self.stock_set(namespace, func)

    def remove(self, namespace: Any) -> Any:
        self._listings.clear()
        return self.stock_remove(namespace)


@contextmanager
def catalogue_lookups_remembered() -> Iterator[None]:
    """While the block runs, catalogue selects each group's entry points once
    and lists each registry once until it changes (see the module's note);
    afterwards it has its own objects back."""
    import catalogue

    if not all(hasattr(catalogue, part) for part in _PARTS) or not spacy_checked():
        yield  # a catalogue this was not checked against: nothing to change
        return
    available = catalogue.AVAILABLE_ENTRY_POINTS
    if isinstance(available, SelectedOnce) or not hasattr(available, "select"):
        yield  # a load inside a load (the outer block remembers), or a stock catalogue
        return
    listings = RememberedListings(catalogue)

    def get_all(registry: Any) -> dict:
        return listings.get_all(registry)

    catalogue.AVAILABLE_ENTRY_POINTS = SelectedOnce(available)
    catalogue.Registry.get_all = get_all
    catalogue._set, catalogue._remove = listings.set, listings.remove
    try:
        yield
    finally:
        catalogue.AVAILABLE_ENTRY_POINTS = available
        catalogue.Registry.get_all = listings.stock_get_all
        catalogue._set, catalogue._remove = listings.stock_set, listings.stock_remove
