"""The per-file result cache: a second run over unchanged files reads
their results instead of linting them; content, config and options that
change findings are part of the key; a damaged entry is a miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import linter.engine.rule_engine
from linter.cli import cli

CLAIMS = "# Joints\n\nOur turmeric blend cures arthritis. It is completely safe.\n"


@pytest.fixture
def result_cache(tmp_path, monkeypatch, fast_cli):
    """A project with one draft and an empty cache directory of its own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("OVERCLAIM_NO_CACHE", raising=False)
    monkeypatch.setenv("OVERCLAIM_CACHE_DIR", str(tmp_path / "cache"))
    Path("drafts").mkdir()
    Path("drafts/joints.md").write_text(CLAIMS, encoding="utf-8")
    Path("drafts/tea.md").write_text("Discover our revolutionary herbal tea.\n", encoding="utf-8")
    return tmp_path / "cache" / "results"


@pytest.fixture
def lint_calls(monkeypatch):
    """How many documents the engine linted."""
    calls = []
    real = linter.engine.rule_engine.Engine.lint_many  # lint() calls it too

    def counting(self, documents, *args, **kwargs):
        calls.extend(document.path for document in documents)
        return real(self, documents, *args, **kwargs)

    monkeypatch.setattr(linter.engine.rule_engine.Engine, "lint_many", counting)
    return calls


def run(*args: str):
    return CliRunner().invoke(cli, ["check", "--no-color", *args])


def test_second_run_reads_the_cache_and_prints_the_same(result_cache, lint_calls):
    first = run("drafts", "--format", "json")
    assert sorted(lint_calls) == ["drafts/joints.md", "drafts/tea.md"]
    assert len(list(result_cache.glob("result-*.json"))) == 2
    second = run("drafts", "--format", "json")
    assert len(lint_calls) == 2  # nothing linted again
    assert second.exit_code == first.exit_code == 1
    assert second.stdout == first.stdout
    sarif = [run("drafts", "--format", "sarif").stdout for _ in range(2)]
    assert sarif[0] == sarif[1]


def test_changed_content_and_changed_config_are_linted_again(result_cache, lint_calls):
    run("drafts")
    Path("drafts/tea.md").write_text("Our tea cures eczema.\n", encoding="utf-8")
    findings = json.loads(run("drafts", "--format", "json").stdout)["findings"]
    assert lint_calls[2:] == ["drafts/tea.md"]
    assert "cure-claim" in {f["rule"] for f in findings if f["path"] == "drafts/tea.md"}
    Path(".overclaim.yaml").write_text("disable: [cure-claim]\n", encoding="utf-8")
    findings = json.loads(run("drafts", "--format", "json").stdout)["findings"]
    assert len(lint_calls) == 5
    assert "cure-claim" not in {f["rule"] for f in findings}
    run("drafts", "--full-parse")
    assert len(lint_calls) == 7  # an option that could change findings is part of the key


def test_no_cache_lints_everything_and_writes_nothing(result_cache, lint_calls):
    run("drafts", "--no-cache")
    run("drafts", "--no-cache")
    assert len(lint_calls) == 4
    assert not result_cache.exists() or not list(result_cache.iterdir())


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[: len(data) // 2],
    lambda data: data + b" ",  # valid JSON, but the body no longer matches its SHA-256
    lambda data: b"\x80\x04\x95pickle" + data,
    lambda data: data.split(b"\n", 1)[0] + b"\n" + json.dumps({"c": "os.system", "v": {}}).encode(),
])
def test_a_damaged_entry_is_a_miss(result_cache, lint_calls, damage):
    expected = run("drafts", "--format", "json").stdout
    for entry in result_cache.glob("result-*.json"):
        entry.write_bytes(damage(entry.read_bytes()))
    assert run("drafts", "--format", "json").stdout == expected
    assert len(lint_calls) == 4  # both files linted again
    assert run("drafts", "--format", "json").stdout == expected
    assert len(lint_calls) == 4  # and the entries were rewritten


def test_damaged_rule_descriptions_are_a_miss_and_rewritten(result_cache, lint_calls):
    expected = run("drafts", "--format", "sarif").stdout
    for entry in result_cache.glob("ruleinfo-*.json"):
        entry.write_bytes(b"{}")
    assert run("drafts", "--format", "sarif").stdout == expected
    assert len(lint_calls) == 4
    assert run("drafts", "--format", "sarif").stdout == expected
    assert len(lint_calls) == 4


def test_entries_are_json_data_written_whole(result_cache):
    run("drafts")
    entries = list(result_cache.iterdir())
    assert entries and not [e for e in entries if e.name.endswith(".tmp")]
    for entry in entries:
        header, body = entry.read_bytes().split(b"\n", 1)
        assert json.loads(header)["format"].startswith("overclaim-cache/")
        json.loads(body)


def test_unreadable_files_are_never_cached(result_cache, lint_calls):
    Path("drafts/bad.md").write_bytes(b"caf\xe9\n")
    for _ in range(2):
        result = run("drafts")
        assert result.exit_code == 2 and "drafts/bad.md" in result.stderr


def test_readme_snippet(result_cache, lint_calls):
    import shlex

    from readme_snippets import commands

    first, second, no_cache = commands("result-cache")
    outputs = []
    for command, linted in ((first, 2), (second, 2), (no_cache, 4)):
        result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--no-color"])
        assert result.exit_code == 1, result.output
        assert len(lint_calls) == linted, command
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
