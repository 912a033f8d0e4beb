"""Baselines: accept today's findings, report only new ones.

`--write-baseline FILE` records every finding of the run; `--baseline FILE`
leaves out the findings it records. An entry is matched by file, rule and
fingerprint (see `fingerprint`), never by line number, and counts
occurrences: a claim recorded once and now written twice is reported once.

Paths are stored relative to the baseline file's directory, in POSIX form,
so the same baseline works whatever directory overclaim is run from. The
file is versioned JSON with sorted keys and entries, so it diffs cleanly.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.core.errors import OverclaimError
from linter.files.reading import ReadError, read_regular_file
from linter.run.report import Report
from linter.core.limits import MAX_DATA_DEPTH, MAX_INPUT_BYTES
from linter.files.nesting import too_deep

# A baseline is a list of fingerprints: far smaller than the documents it covers.
MAX_BASELINE_BYTES = MAX_INPUT_BYTES

VERSION = 1
KIND = "overclaim-baseline"


class BaselineError(OverclaimError):
    """A baseline file that cannot be read or written, in one line."""


@dataclass(frozen=True)
class Entry:
    path: str
    rule: str
    fingerprint: str
    count: int
    text: str  # the matched text, for people reading the file; not used to match

    @property
    def key(self) -> tuple[str, str, str]:
        return self.path, self.rule, self.fingerprint


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Entry, ...]


def relative_path(display: str, base: Path) -> str:
    """A finding's path as the baseline stores it: relative to `base`, POSIX."""
    if display == "-":
        return display
    absolute = os.path.abspath(display)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(base))
    except ValueError:  # another drive on Windows
        relative = absolute
    return Path(relative).as_posix()


def from_report(report: Report, base: Path) -> Baseline:
    counts: Counter[tuple[str, str, str]] = Counter()
    texts: dict[tuple[str, str, str], str] = {}
    for finding in report.findings:
        key = (relative_path(finding.path, base), finding.rule, report.fingerprint(finding))
        counts[key] += 1
        texts.setdefault(key, " ".join(finding.text.split()))
    return Baseline(tuple(Entry(*key, counts[key], texts[key]) for key in sorted(counts)))


def dumps(baseline: Baseline) -> str:
    payload = {
        "kind": KIND,
        "version": VERSION,
        "findings": [
            {"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint, "count": e.count, "text": e.text}
            for e in sorted(baseline.entries, key=lambda e: e.key)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(report: Report, path: Path) -> Baseline:
    baseline = from_report(report, path.parent)
    try:
        path.write_text(dumps(baseline), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return baseline


def load(path: Path) -> Baseline:
    if not os.path.lexists(path):
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)")
    try:
        # A regular file of bounded size only: /dev/zero or a FIFO named as
        # the baseline must not exhaust memory or block the run.
        text = read_regular_file(path, MAX_BASELINE_BYTES).decode("utf-8")
    except ReadError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {str(exc).removesuffix(', not linted')}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    deep = too_deep(text, MAX_DATA_DEPTH)
    if deep:
        raise BaselineError(f"{path}:{deep[0]}:{deep[1]}: invalid baseline: nested deeper than {MAX_DATA_DEPTH} levels")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: invalid baseline: {exc.msg}") from None
    except RecursionError:  # not expected after too_deep; one line all the same
        raise BaselineError(f"{path}: invalid baseline: nested deeper than {MAX_DATA_DEPTH} levels") from None
    except ValueError:  # an integer of thousands of digits (Python's int conversion limit)
        raise BaselineError(f"{path}: invalid baseline: a number too long to read") from None
    return Baseline(tuple(_entries(path, data)))


def _entries(path: Path, data: Any) -> list[Entry]:
    def bad(message: str) -> BaselineError:
        return BaselineError(f"{path}: invalid baseline: {message}")

    if not isinstance(data, dict) or data.get("kind") != KIND or "version" not in data:
        raise bad(f"not an overclaim baseline (expected an object with \"kind\": \"{KIND}\" and \"version\")")
    if data["version"] != VERSION:
        raise bad(f"version {data['version']!r} is not supported (this overclaim reads version {VERSION})")
    items = data.get("findings")
    if not isinstance(items, list):
        raise bad("'findings' must be a list")
    entries = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise bad(f"finding {number} must be an object")
        for key in ("path", "rule", "fingerprint"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise bad(f"finding {number}: '{key}' must be a non-empty string")
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise bad(f"finding {number}: 'count' must be a positive whole number")
        text = item.get("text", "")
        entries.append(Entry(item["path"], item["rule"], item["fingerprint"], count, text if isinstance(text, str) else ""))
    return entries


def apply(report: Report, baseline: Baseline, base: Path) -> Report:
    """The report without the findings the baseline records (up to each entry's count)."""
    budget: Counter[tuple[str, str, str]] = Counter()
    for entry in baseline.entries:
        budget[entry.key] += entry.count
    kept = []
    for finding in report.findings:
        key = (relative_path(finding.path, base), finding.rule, report.fingerprint(finding))
        if budget[key] > 0:
            budget[key] -= 1
        else:
            kept.append(finding)
    return report.without(kept, len(report.findings) - len(kept))
