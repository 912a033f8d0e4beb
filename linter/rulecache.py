"""A disk cache of validated rule sets, so a run does not pay for YAML
parsing and spaCy pattern validation each time (about 0.8 s).

The key is a hash of overclaim's version, the request (packs, extra
directories) and the bytes of every rule and lexicon file that could take
part, so editing any of them invalidates the entry. Only successfully
validated results are stored: an invalid rule file is parsed and reported
afresh on every run. The cache is an optimisation only; when it cannot be
read or written, rules are loaded the ordinary way.

Location: $OVERCLAIM_CACHE_DIR, else $XDG_CACHE_HOME/overclaim, else
~/.cache/overclaim. OVERCLAIM_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from . import __version__
from . import packs as packs_module
from .pipelinetables import FILES, PipelineTables, from_files
from .model import RuleSet

T = TypeVar("T")


def cache_dir() -> Path | None:
    if os.environ.get("OVERCLAIM_NO_CACHE"):
        return None
    if os.environ.get("OVERCLAIM_CACHE_DIR"):
        return Path(os.environ["OVERCLAIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "overclaim"


def cache_key(kind: str, request: object, extra_dirs: Sequence[Path]) -> str | None:
    digest = hashlib.sha256(f"{__version__}\0{kind}\0{request!r}\0".encode())
    for path in packs_module.source_files(extra_dirs):
        try:
            data = path.read_bytes()
        except OSError:
            return None  # let the ordinary loader report it
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _cached(kind: str, request: object, extra_dirs: Sequence[Path], build: Callable[[], T]) -> T:
    key = cache_key(kind, request, extra_dirs) if cache_dir() else None
    return cached(kind, key, build)


def cached(kind: str, key: str | None, build: Callable[[], T]) -> T:
    """The value stored under `kind` and `key`, else `build()` (stored for next time)."""
    directory = cache_dir()
    if directory is None or key is None:
        return build()
    entry = directory / f"{kind}-{key}.pickle"
    try:
        with entry.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()  # raises on invalid input: nothing is stored
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent run never reads half a file.
        with tempfile.NamedTemporaryFile("wb", dir=directory, delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, entry)
    except OSError:
        pass
    return value


def load_rules_cached(packs: Sequence[str] | None = None, extra_dirs: Sequence[Path] = ()) -> RuleSet:
    request = (tuple(packs) if packs is not None else None, tuple(str(d) for d in extra_dirs))
    return _cached("rules", request, extra_dirs, lambda: packs_module.load_rules(packs, extra_dirs))


def known_rule_ids_cached(extra_dirs: Sequence[Path] = ()) -> frozenset[str]:
    request = tuple(str(d) for d in extra_dirs)
    return _cached("ids", request, extra_dirs, lambda: packs_module.known_rule_ids(extra_dirs))


def pipeline_tables_cached(data_dir: Path | None) -> "PipelineTables | None":
    """The tables of the pipeline stored in `data_dir` (see `pipelinetables`)."""
    if data_dir is None:
        return None
    digest = hashlib.sha256(f"{__version__}\0{data_dir}".encode())
    for name in FILES:
        try:
            stat = (data_dir / name).stat()
        except OSError:
            return None
        digest.update(f"\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return cached("pipeline-tables", digest.hexdigest(), lambda: from_files(data_dir))
