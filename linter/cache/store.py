"""A disk cache of validated rule sets, so a run does not pay for YAML
parsing and spaCy pattern validation each time (about 0.8 s).

The key is a hash of everything that shapes an entry's content: the source
of overclaim's own modules (which parse and compile the rules), spaCy's
version, the request (packs, extra directories) and the bytes of every rule
and lexicon file that could take part, so editing any of them invalidates the
entry. Rule entries do not depend on the pipeline (patterns are validated
against spaCy's blank English vocabulary, which spaCy's version covers); the
pipeline's tables are keyed on the pipeline too: its name and version
(meta.json) and its files. Only successfully validated results are stored: an invalid rule file
is parsed and reported afresh on every run.

Entries are data, never code: JSON read back by `cache.codec`, which builds
only overclaim's own value classes and checks every field. An entry starts
with a header naming its kind, key and the SHA-256 of its body; an entry
that is too large, unreadable, truncated, altered, of another key or of the
wrong shape is a miss, rebuilt and replaced. Writes go to a temporary file
in the same directory, renamed into place (a reader never sees half an
entry) and removed if anything fails. The cache is an optimisation only;
when it cannot be read or written, rules are loaded the ordinary way.

Location: $OVERCLAIM_CACHE_DIR, else $XDG_CACHE_HOME/overclaim, else
~/.cache/overclaim. OVERCLAIM_NO_CACHE=1 turns it off. Entries no run has
used for a month are removed (`cache.housekeeping`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

from linter import __version__
from linter.cache.housekeeping import mark_used, prune_if_due
from linter.packs.pack_files import source_files
from linter.nlp.loading import LazyPipeline, model_data_dir
from linter.nlp.pipeline_tables import PipelineTables, from_files
from linter.spacy_compat.model_files import FILES
from linter.spacy_compat.versions import installed_spacy_version
from linter.core.model import DeferredLexicons, Lexicon, RuleSet

if TYPE_CHECKING:
    from spacy.language import Language

    from linter.engine.prefilter import PrefilterIndex
    from linter.engine.tagging import LexiconTagger

T = TypeVar("T")

FORMAT = "overclaim-cache/2"
SUFFIX = ".json"
# Far above any real entry (the default rules are about 1 MB, the pipeline
# tables a few): a larger file is not one of ours and is not read.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def cache_dir() -> Path | None:
    if os.environ.get("OVERCLAIM_NO_CACHE"):
        return None
    if os.environ.get("OVERCLAIM_CACHE_DIR"):
        return Path(os.environ["OVERCLAIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "overclaim"


def source_digest(package: Path) -> str:
    """A hash of every Python module under `package`, path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(b"unreadable\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What turns rule files into cached values: overclaim's own source and
    spaCy's version. A code change or an upgrade is never served an entry
    the old code built. (Computed once per process: the source does not
    change under a running program.)"""
    spacy_version = installed_spacy_version() or "none"
    package = Path(__file__).resolve().parent.parent  # linter/cache/store.py -> linter/: every module
    return f"{__version__}:{source_digest(package)}:spacy {spacy_version}"


def cache_key(kind: str, request: object, extra_dirs: Sequence[Path]) -> str | None:
    digest = hashlib.sha256(f"{code_fingerprint()}\0{kind}\0{request!r}\0".encode())
    for path in source_files(extra_dirs):
        try:
            data = path.read_bytes()
        except OSError:
            return None  # let the ordinary loader report it
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _cached(kind: str, request: object, extra_dirs: Sequence[Path], expected: Any, build: Callable[[], T]) -> T:
    key = cache_key(kind, request, extra_dirs) if cache_dir() else None
    return cached(kind, key, expected, build)


def entry_path(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key}{SUFFIX}"


def cached(kind: str, key: str | None, expected: Any, build: Callable[[], T],
           allowed: "dict[str, type] | None" = None, valid: Callable[[T], bool] | None = None) -> T:
    """The value stored under `kind` and `key` (checked to be an `expected`,
    built from the classes in `allowed`, and passing `valid`), else
    `build()` (stored for next time unless None)."""
    directory = cache_dir()
    if directory is None or key is None:
        return build()
    entry = entry_path(directory, kind, key)
    found = read_entry(entry, kind, key, expected, allowed)
    if found is not None and (valid is None or valid(found)):
        return found
    value = build()  # raises on invalid input: nothing is stored
    if value is not None:
        write_entry(entry, kind, key, value, allowed)
    return value


def derived_key(*parts: str) -> str:
    """The key of an entry worked out from other entries (their keys among `parts`) by this code."""
    return hashlib.sha256("\0".join((code_fingerprint(), *parts)).encode()).hexdigest()


def read_entry(entry: Path, kind: str, key: str, expected: Any, allowed: "dict[str, type] | None" = None) -> Any:
    """The value in `entry`, or None for anything but an intact entry of this
    kind and key (built only from the classes in `allowed`: see cachecodec)."""
    from linter.cache.codec import loads

    body = read_body(entry, kind, key)
    try:
        return None if body is None else loads(body.decode("utf-8"), expected, allowed)
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is only a miss
        return None


def read_body(entry: Path, kind: str, key: str) -> bytes | None:
    """The body of `entry` if it is an intact entry of this kind and key
    (its header names them and the body's SHA-256), else None."""
    try:
        if not entry.is_file():  # absent, or a FIFO or device planted in its place
            return None
        with entry.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if status.st_size > MAX_ENTRY_BYTES:
                return None
            data = handle.read(MAX_ENTRY_BYTES + 1)
        header_line, _, body = data.partition(b"\n")
        header = json.loads(header_line)
        if header != {"format": FORMAT, "kind": kind, "key": key, "sha256": hashlib.sha256(body).hexdigest()}:
            return None
        mark_used(entry, status.st_mtime)  # kept by the pruning of unused entries
        return body
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is only a miss
        return None


def write_entry(entry: Path, kind: str, key: str, value: Any, allowed: "dict[str, type] | None" = None) -> None:
    from linter.cache.codec import dumps

    try:
        body = dumps(value, allowed).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    write_body(entry, kind, key, body)


def write_body(entry: Path, kind: str, key: str, body: bytes) -> None:
    """Store `body` under a header naming `kind`, `key` and its SHA-256."""
    header = json.dumps({"format": FORMAT, "kind": kind, "key": key, "sha256": hashlib.sha256(body).hexdigest()})
    temporary: str | None = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=entry.parent)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(header.encode() + b"\n" + body)
        os.replace(temporary, entry)
        temporary = None
    except OSError:
        pass
    else:
        # A run that adds entries is the one to remove those no run uses any more.
        root = cache_dir()
        if root is not None:
            prune_if_due(root)
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def load_rules_cached(packs: Sequence[str] | None = None, extra_dirs: Sequence[Path] = ()) -> RuleSet:
    """The rules and lexicons of `packs` (None: the default packs) and of the
    packs in `extra_dirs`, from the cache when it holds them.

    A rules entry holds two JSON documents, one per line: the rule set
    without its lexicons, then the lexicons. Both are checked (the entry's
    SHA-256) when the entry is read; the lexicons are decoded only when
    first used (`DeferredLexicons`), and if that fails the packs are parsed
    again for them."""
    request = (tuple(packs) if packs is not None else None, tuple(str(d) for d in extra_dirs))

    def parse() -> RuleSet:
        from linter.packs.loading import load_rules  # the pack parser, imported only on a miss

        return load_rules(packs, extra_dirs)

    directory = cache_dir()
    key = cache_key("rules", request, extra_dirs) if directory is not None else None
    if directory is None or key is None:
        return parse()
    entry = entry_path(directory, "rules", key)
    ruleset = read_rules_entry(entry, key, lambda: tuple(parse().lexicons))
    if ruleset is None:
        ruleset = parse()
        write_rules_entry(entry, key, ruleset)
    return replace(ruleset, source_key=key)


def read_rules_entry(entry: Path, key: str, parse_lexicons: Callable[[], tuple[Lexicon, ...]]) -> RuleSet | None:
    from linter.cache.codec import loads

    body = read_body(entry, "rules", key)
    rules_part, newline, lexicons_part = (body or b"").partition(b"\n")
    if not newline:
        return None
    try:
        ruleset = loads(rules_part.decode("utf-8"), RuleSet)
    except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is only a miss
        return None

    def lexicons() -> tuple[Lexicon, ...]:
        try:
            return loads(lexicons_part.decode("utf-8"), tuple[Lexicon, ...])
        except Exception:  # noqa: BLE001 - as above: parsed afresh
            return parse_lexicons()

    return replace(ruleset, lexicons=DeferredLexicons(lexicons))


def write_rules_entry(entry: Path, key: str, ruleset: RuleSet) -> None:
    from linter.cache.codec import dumps

    try:
        rules_part = dumps(replace(ruleset, lexicons=(), source_key=None)).encode("utf-8")
        lexicons_part = dumps(tuple(ruleset.lexicons)).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    write_body(entry, "rules", key, rules_part + b"\n" + lexicons_part)


def known_rule_ids_cached(extra_dirs: Sequence[Path] = ()) -> frozenset[str]:
    request = tuple(str(d) for d in extra_dirs)

    def parse() -> frozenset[str]:
        from linter.packs.loading import known_rule_ids

        return known_rule_ids(extra_dirs)

    return _cached("ids", request, extra_dirs, frozenset[str], parse)


def tables_for(pipeline: "LazyPipeline") -> "PipelineTables | None":
    """The prefilter's tables for `pipeline`, read without loading it (cached)."""
    return pipeline_tables_cached(model_data_dir(pipeline.configured))


def pipeline_tables_cached(data_dir: Path | None) -> "PipelineTables | None":
    """The tables of the pipeline stored in `data_dir` (see `nlp.pipeline_tables`)."""
    if data_dir is None:
        return None
    key = pipeline_tables_key(data_dir)
    if key is None:
        return None
    return cached("pipeline-tables", key, PipelineTables, lambda: from_files(data_dir))


def prefilter_index_cached(ruleset: RuleSet, configured: str | None = None) -> "PrefilterIndex":
    """The prefilter's index of `ruleset` with the tables of the pipeline
    `configured` names (see engine.prefilter and `tables_for`), cached when
    the rules were read from the cache: keyed by their entry's key (the
    code and the rule files), the ids of the rules kept from it and the
    tables' key (the pipeline's files). The tables are read only to build it."""
    from linter.engine.prefilter import INDEX_CLASSES, PrefilterIndex

    data_dir = model_data_dir(configured)
    tables_key = (pipeline_tables_key(data_dir) or "unreadable") if data_dir is not None else "no pipeline"
    rule_ids = "\0".join(rule.id for rule in ruleset.rules)
    key = derived_key(ruleset.source_key, tables_key, rule_ids) if ruleset.source_key is not None else None
    return cached("prefilter", key, PrefilterIndex, lambda: PrefilterIndex.of(ruleset, pipeline_tables_cached(data_dir)),
                  INDEX_CLASSES, PrefilterIndex.consistent)


def lexicon_tagger_cached(ruleset: RuleSet, nlp: "Language", configured: str | None = None) -> "LexiconTagger":
    """The lexicon tagger of `ruleset`'s lexicons for `nlp` (the pipeline
    `configured` names), its index cached when the rules were read from the
    cache: keyed by their entry's key (the code and the rule files, so the
    lexicons) and the pipeline tables' key (its tokenizer and norm table)."""
    from linter.engine.tagging import TAGGER_CLASSES, LexiconTagger, TaggerIndex

    data_dir = model_data_dir(configured)
    tables_key = pipeline_tables_key(data_dir) if data_dir is not None else None
    if ruleset.source_key is None or tables_key is None:
        return LexiconTagger(nlp, ruleset.lexicons)
    built: list[LexiconTagger] = []  # the tagger worked out on a miss, used as it is

    def build() -> TaggerIndex | None:
        built.append(LexiconTagger(nlp, ruleset.lexicons))
        return built[0].index()  # None (not stored) if it cannot be packed

    index: TaggerIndex | None = cached("tagger", derived_key(ruleset.source_key, tables_key), TaggerIndex, build,
                                       TAGGER_CLASSES, lambda found: found is not None and found.consistent())
    if built or index is None:  # worked out here (an index read from the cache is never None)
        return built[0]
    return LexiconTagger.from_index(index)


@dataclass(frozen=True)
class CachedIndexes:
    """An engine's prefilter index and lexicon tagger from the cache, for
    the pipeline `configured` names (`engine.rule_engine.IndexSource`)."""

    configured: str | None = None

    def prefilter_index(self, ruleset: RuleSet) -> "PrefilterIndex":
        return prefilter_index_cached(ruleset, self.configured)

    def tagger(self, ruleset: RuleSet, nlp: "Language") -> "LexiconTagger":
        return lexicon_tagger_cached(ruleset, nlp, self.configured)


def pipeline_tables_key(data_dir: Path) -> str | None:
    """The code and spaCy version (`code_fingerprint`), the pipeline's
    directory, name and version (the bytes of its meta.json), and the size
    and time of every file the tables are read from; None if one is missing."""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{data_dir}".encode())
    for name in FILES:
        try:
            stat = (data_dir / name).stat()
            if name == "meta.json":
                digest.update(hashlib.sha256((data_dir / name).read_bytes()).digest())
        except OSError:
            return None
        digest.update(f"\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()
