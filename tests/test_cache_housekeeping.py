"""The cache's housekeeping: unused entries pruned, `overclaim cache`, and
nothing that is not an overclaim entry ever removed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cache import housekeeping
from linter.cache.housekeeping import DAY, STAMP, UNUSED_DAYS, clean, mark_used, prune, prune_if_due, usage
from linter.cache.store import entry_path, read_body, write_body
from linter.cli import cli

KEY = "ab" * 32
NOW = 2_000_000_000.0


def _entry(directory: Path, name: str, age_days: float, size: int = 10) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    when = NOW - age_days * DAY
    os.utime(path, (when, when))
    return path


def _names(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache directory holding old and recent entries of several kinds,
    an interrupted write's temporary files, and files that are not ours."""
    old = UNUSED_DAYS + 1
    for name, age in [
        (f"rules-{KEY}.json", old), (f"pipeline-tables-{KEY}.json", old), (f"ids-{KEY}.pickle", old),
        (f"results/result-{KEY}.json", old), (f"prefilter-{KEY}.json", 1), (f"results/ruleinfo-{KEY}.json", 1),
        (".rules-a1b2c3.tmp", 2), (".result-d4e5f6.tmp", 0.1),
        # not ours: other names, deeper folders, a key of the wrong length
        ("notes.txt", old), (f"rules-{KEY}.json.bak", old), (f"deep/rules-{KEY}.json", old),
        (f"results/more/result-{KEY}.json", old), (f"rules-{KEY[:-2]}.json", old),
    ]:
        _entry(tmp_path, name, age)
    return tmp_path


FOREIGN = {"notes.txt", f"rules-{KEY}.json.bak", f"deep/rules-{KEY}.json", f"results/more/result-{KEY}.json",
           f"rules-{KEY[:-2]}.json"}


def test_prune_removes_unused_entries_and_stale_temporaries_only(cache: Path) -> None:
    removed = prune(cache, NOW)
    assert _names(cache) == FOREIGN | {f"prefilter-{KEY}.json", f"results/ruleinfo-{KEY}.json", ".result-d4e5f6.tmp"}
    assert removed.entries == 4 and removed.size == 40
    assert dict(removed.by_kind) == {"rules": 1, "pipeline-tables": 1, "ids": 1, "result": 1}


def test_clean_removes_every_entry_and_temporary_but_nothing_else(cache: Path) -> None:
    before = usage(cache)
    assert before.entries == 6 and dict(before.by_kind)["result"] == 1
    removed = clean(cache)
    assert removed == before
    assert _names(cache) == FOREIGN
    assert usage(cache).entries == 0


def test_a_link_is_never_followed_or_removed(tmp_path: Path) -> None:
    target = _entry(tmp_path / "elsewhere", f"rules-{KEY}.json", UNUSED_DAYS + 5)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"tagger-{KEY}.json").symlink_to(target)
    (cache / "results").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    clean(cache)
    assert target.exists() and (cache / f"tagger-{KEY}.json").is_symlink()


def test_missing_directory_is_empty(tmp_path: Path) -> None:
    assert usage(tmp_path / "absent").entries == 0
    assert clean(tmp_path / "absent").entries == 0


def test_pruning_is_due_once_a_day(cache: Path) -> None:
    assert prune_if_due(cache, NOW)
    assert not (cache / f"rules-{KEY}.json").exists()
    _entry(cache, f"rules-{KEY}.json", UNUSED_DAYS + 1)
    assert not prune_if_due(cache, NOW + DAY / 2)  # pruned half a day ago
    assert (cache / f"rules-{KEY}.json").exists()
    assert prune_if_due(cache, NOW + DAY + 1)
    assert not (cache / f"rules-{KEY}.json").exists()
    assert (cache / STAMP).exists() and not housekeeping.is_entry(STAMP)


def test_reading_an_entry_marks_it_used_once_a_day(tmp_path: Path) -> None:
    entry = entry_path(tmp_path, "rules", KEY)
    write_body(entry, "rules", KEY, b"{}")
    month_ago = time.time() - (UNUSED_DAYS + 1) * DAY
    os.utime(entry, (month_ago, month_ago))
    assert read_body(entry, "rules", KEY) == b"{}"
    assert time.time() - entry.stat().st_mtime < DAY  # used now: pruning keeps it
    hour_ago = time.time() - 3600
    os.utime(entry, (hour_ago, hour_ago))
    read_body(entry, "rules", KEY)
    assert entry.stat().st_mtime == pytest.approx(hour_ago)  # already marked today: not touched again
    os.utime(entry, (month_ago, month_ago))
    assert read_body(entry, "other-kind", KEY) is None
    assert entry.stat().st_mtime == pytest.approx(month_ago)  # a miss is not a use


def test_mark_used_on_a_read_only_entry_is_silent(tmp_path: Path) -> None:
    mark_used(tmp_path / "absent.json", NOW - 2 * DAY, NOW)  # cannot touch: no error


def test_a_run_that_writes_prunes_the_cache(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("OVERCLAIM_CACHE_DIR", str(cache))
    old = time.time() - (UNUSED_DAYS + 1) * DAY
    for path in cache.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    write_body(entry_path(cache, "tagger", KEY), "tagger", KEY, b"[]")
    assert _names(cache) == FOREIGN | {f"tagger-{KEY}.json", STAMP}


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_cache_commands(cache: Path) -> None:
    env = {"OVERCLAIM_CACHE_DIR": str(cache)}
    assert _cli(["cache", "dir"], env) == (0, f"{cache}\n", "")
    code, out, _ = _cli(["cache", "info"], env)
    assert code == 0
    assert out.startswith(f"{cache}: 6 entries, 0.0 MB (ids 1, pipeline-tables 1, prefilter 1, result 1, ruleinfo 1, rules 1)\n")
    code, out, _ = _cli(["cache", "clean"], env)
    assert (code, out) == (0, f"{cache}: removed 6 entries, 0.0 MB\n")
    assert _names(cache) == FOREIGN
    assert _cli(["cache", "info"], env)[1].startswith(f"{cache}: 0 entries, 0.0 MB\n")


def test_cache_commands_refuse_a_cache_that_is_off_or_not_a_directory(tmp_path: Path) -> None:
    off = {"OVERCLAIM_NO_CACHE": "1", "OVERCLAIM_CACHE_DIR": str(tmp_path)}
    for command in ("dir", "info", "clean"):
        assert _cli(["cache", command], off) == (2, "", "overclaim: the cache is off (OVERCLAIM_NO_CACHE is set)\n")
    plain = tmp_path / "a-file"
    plain.write_text("keep me", encoding="utf-8")
    code, _, err = _cli(["cache", "clean"], {"OVERCLAIM_CACHE_DIR": str(plain)})
    assert (code, err) == (2, f"overclaim: {plain}: the cache directory is not a directory\n")
    assert plain.read_text(encoding="utf-8") == "keep me"


def test_readme_snippet(cache: Path) -> None:
    import shlex

    from readme_snippets import commands

    where, info, empty = commands("cache-commands")
    env = {"OVERCLAIM_CACHE_DIR": str(cache)}
    assert _cli(shlex.split(where)[1:], env)[1] == f"{cache}\n"
    assert " 6 entries" in _cli(shlex.split(info)[1:], env)[1]
    assert _cli(shlex.split(empty)[1:], env)[0] == 0
    assert _names(cache) == FOREIGN
