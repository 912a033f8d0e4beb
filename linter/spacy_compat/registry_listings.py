"""Registry listings remembered while a pipeline loads.

catalogue keeps every registered function of every registry in one dict,
and `Registry.get_all()` lists a namespace's functions by walking all of it
(about 450 entries once spaCy and thinc are imported). A pipeline load asks
for listings about 120 times: srsly lists its msgpack encoders and decoders
at every unpacking (90 times: each component's data), spaCy lists its
factories at every factory it adds. Together a twelfth of the load.

While the block runs, each registry's listing is worked out once and a
copy handed out; a registration or removal through catalogue's functions
(`_set`, which `register` calls, and `_remove`) forgets every listing, as
does any other change in the number of entries, so a listing is
always what catalogue would have walked. On a spaCy release this was not
checked against (`versions.CHECKED_SPACY`, which pins catalogue 2.0), or a
catalogue without those functions, the listings are left as they are.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from linter.spacy_compat.versions import spacy_checked

_PARTS = ("Registry", "REGISTRY", "_set", "_remove")


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
def registry_listings_remembered() -> Iterator[None]:
    """While the block runs, catalogue lists each registry once until it
    changes (see the module's note); afterwards it has its own functions back."""
    import catalogue

    if not all(hasattr(catalogue, part) for part in _PARTS) or not spacy_checked():
        yield  # a catalogue this was not checked against: nothing to change
        return
    if hasattr(catalogue.Registry.get_all, "remembered_by"):
        yield  # a load inside a load: the outer block remembers
        return
    listings = RememberedListings(catalogue)

    def get_all(registry: Any) -> dict:
        return listings.get_all(registry)

    get_all.remembered_by = listings  # type: ignore[attr-defined]  # marks the stand-in
    catalogue.Registry.get_all = get_all
    catalogue._set, catalogue._remove = listings.set, listings.remove
    try:
        yield
    finally:
        catalogue.Registry.get_all = listings.stock_get_all
        catalogue._set, catalogue._remove = listings.stock_set, listings.stock_remove
