"""A disk cache of each file's lint result, so a second run over an
unchanged tree reads results instead of linting (as ruff's cache does).

An entry's key is a hash of the run's identity and the file: overclaim's
version and own source, spaCy's version and the pipeline's (its meta.json),
every rule and lexicon file (`cache.store.cache_key`), the config and options
that change findings (packs, disable, severity, model, rule_dirs,
--full-parse), the name the file is reported under, and the SHA-256 of its
bytes. Change any of them and the entry is not found; nothing is ever
invalidated in place. Only files that were read and linted are stored: an
unreadable file is tried again on every run.

Entries are the rule cache's: JSON data read back by `cache.codec` with
only the classes below allowed, a header with the SHA-256 of the body,
written to a temporary file and renamed into place. Anything unexpected is
a miss, and the file is linted again. `--no-cache` (or OVERCLAIM_NO_CACHE=1)
turns it off; entries live in the rule cache's directory, under results/.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from linter.core.model import Finding
from linter.core.rule_info import RuleInfo
from linter.review.suppressions import Suppression
from linter.run.one_file import FileOutcome

if TYPE_CHECKING:
    from linter.config import Config

KIND = "result"
# The descriptions of the rules a file was linted with are the same for
# most files of a run: stored once, in an entry of their own, named by the
# hash of its content, and read once per run.
RULES_KIND = "ruleinfo"
RuleInfos = tuple[tuple[str, RuleInfo], ...]


@dataclass(frozen=True)
class CachedResult:
    """What one linted file contributes to a report (a FileOutcome without
    the error and source fields, which are never cached)."""

    path: str
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    lines: tuple[tuple[tuple[str, int], str], ...]
    rules_key: str  # the RULES_KIND entry holding the rules' descriptions
    words: int
    parsed_words: int


def _allowed() -> dict[str, type]:
    from linter.cache.codec import ALLOWED

    return {**ALLOWED, **{cls.__name__: cls for cls in (CachedResult, Finding, Suppression, RuleInfo)}}


@dataclass(frozen=True)
class ResultCache:
    """Where entries go and the identity of the run they belong to."""

    directory: Path
    run_key: str

    @classmethod
    def for_run(cls, config: "Config", packs: Sequence[str], full_parse: bool, selected: object = None) -> "ResultCache | None":
        """The cache for a run with these settings; None when caching is off
        or the run cannot be identified (a rule file that cannot be read).
        `selected` describes a command-line rule selection (--select/--ignore),
        which changes the findings as much as the packs do."""
        from linter.nlp.loading import model_data_dir
        from linter.cache.store import cache_dir, cache_key

        directory = cache_dir()
        if directory is None:
            return None
        request = (tuple(packs), config.disable, sorted((k, int(v)) for k, v in config.severity.items()),
                   config.model, tuple(str(d) for d in config.rule_dirs), full_parse, _pipeline_identity(model_data_dir(config.model)),
                   repr(selected))
        key = cache_key(KIND, request, config.rule_dirs)
        return cls(directory / "results", key) if key else None

    def entry_key(self, display: str, data: bytes) -> str:
        digest = hashlib.sha256(f"{self.run_key}\0{display}\0".encode())
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def get(self, display: str, data: bytes, rules_read: "dict[str, RuleInfos] | None" = None) -> "FileOutcome | None":
        """The cached outcome of this file, or None. `rules_read` keeps the
        rule descriptions already read in this run, by key."""
        from linter.cache.store import entry_path, read_entry
    
        key = self.entry_key(display, data)
        allowed = _allowed()
        found = read_entry(entry_path(self.directory, KIND, key), KIND, key, CachedResult, allowed)
        if found is None or found.path != display:
            return None
        rules = rules_read.get(found.rules_key) if rules_read is not None else None
        if rules is None:
            path = entry_path(self.directory, RULES_KIND, found.rules_key)
            rules = read_entry(path, RULES_KIND, found.rules_key, RuleInfos, allowed)
            if rules is None:
                # Damaged or gone: removed, so that the next write replaces it.
                try:
                    path.unlink()
                except OSError:
                    pass
                return None
            if rules_read is not None:
                rules_read[found.rules_key] = rules
        return FileOutcome(path=found.path, findings=found.findings, suppressions=found.suppressions,
                           lines=found.lines, rules=rules, words=found.words, parsed_words=found.parsed_words)

    def put(self, display: str, data: bytes, outcome: "FileOutcome") -> None:
        from linter.cache.store import entry_path, write_entry

        if outcome.error is not None or outcome.path != display or outcome.notes:
            return  # a file with notes (front matter not read) is linted again, so its notes are said again
        from linter.cache.codec import dumps

        allowed = _allowed()
        try:
            rules_key = hashlib.sha256(f"{self.run_key}\0{dumps(outcome.rules, allowed)}".encode()).hexdigest()
        except (TypeError, ValueError):
            return
        rules_entry = entry_path(self.directory, RULES_KIND, rules_key)
        if not rules_entry.is_file():
            write_entry(rules_entry, RULES_KIND, rules_key, outcome.rules, allowed)
        value = CachedResult(outcome.path, outcome.findings, tuple(outcome.suppressions), outcome.lines,
                             rules_key, outcome.words, outcome.parsed_words)
        key = self.entry_key(display, data)
        write_entry(entry_path(self.directory, KIND, key), KIND, key, value, allowed)


def _pipeline_identity(data_dir: Path | None) -> str:
    """The spaCy pipeline's name and version (its meta.json), which decide its parses."""
    if data_dir is None:
        return "none"
    try:
        return hashlib.sha256((data_dir / "meta.json").read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
