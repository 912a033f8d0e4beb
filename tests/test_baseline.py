"""Baselines: record today's findings, report only new ones afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli

CURE = "Our turmeric blend cures arthritis."
GUARANTEE = "It is guaranteed to work for everyone."
NEW_CLAIM = "This tea will cure your insomnia."

DRAFT = f"""\
# Turmeric

{CURE}

{GUARANTEE}

Our ginger tea is warm and spicy.
"""


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, [*args, "--no-color"] if args[0] == "check" else list(args))


def findings(*args: str) -> list[dict]:
    result = run("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def test_baseline_survives_ten_lines_inserted_above_and_reports_only_the_new_claim(project):
    page = Path("drafts/page.md")
    page.write_text(DRAFT, encoding="utf-8")
    before = findings("drafts")
    assert {f["rule"] for f in before} >= {"cure-claim", "guaranteed-results"}

    written = run("check", "--write-baseline", "overclaim-baseline.json", "drafts")
    assert written.exit_code == 0, written.output
    assert "wrote overclaim-baseline.json" in written.output

    intro = "".join(f"Intro paragraph {n} about our tea garden.\n\n" for n in range(5))  # ten lines
    page.write_text(intro + DRAFT + f"\n{NEW_CLAIM}\n", encoding="utf-8")
    after = findings("drafts")
    moved = [(f["rule"], f["line"]) for f in after if f["text"] != "tea will cure your insomnia"]
    assert sorted(moved) == sorted((f["rule"], f["line"] + 10) for f in before)

    result = run("check", "--format", "json", "--baseline", "overclaim-baseline.json", "drafts")
    reported = json.loads(result.output)["findings"]
    assert [(f["rule"], f["line"]) for f in reported] == [("cure-claim", DRAFT.count("\n") + 12)]
    assert "insomnia" in reported[0]["text"]
    assert result.exit_code == 1

    text = run("check", "--baseline", "overclaim-baseline.json", "drafts")
    assert text.output.rstrip().endswith(f"; {len(before)} in the baseline.")


def test_a_reworded_claim_is_new_but_whitespace_changes_are_not(project):
    page = Path("drafts/page.md")
    page.write_text(DRAFT, encoding="utf-8")
    assert run("check", "--write-baseline", "b.json", "drafts").exit_code == 0
    # Runs of spaces and trailing whitespace change nothing:
    page.write_text(DRAFT.replace(CURE, "Our  turmeric   blend cures  arthritis. "), encoding="utf-8")
    assert findings("--baseline", "b.json", "drafts") == []
    page.write_text(DRAFT.replace("cures arthritis", "cures gout"), encoding="utf-8")
    reworded = findings("--baseline", "b.json", "drafts")
    assert "cure-claim" in {f["rule"] for f in reworded}
    assert {f["line"] for f in reworded} == {3}  # only what sits on the reworded line


def test_duplicates_are_counted(project):
    page = Path("drafts/page.md")
    page.write_text(f"{CURE}\n\n{CURE}\n", encoding="utf-8")
    assert run("check", "--write-baseline", "b.json", "drafts").exit_code == 0
    entries = json.loads(Path("b.json").read_text(encoding="utf-8"))["findings"]
    assert [e["count"] for e in entries if e["rule"] == "cure-claim"] == [2]

    page.write_text(f"{CURE}\n\n{CURE}\n\n{CURE}\n", encoding="utf-8")
    assert [(f["rule"], f["line"]) for f in findings("--baseline", "b.json", "drafts")] == [("cure-claim", 5)]
    page.write_text(f"{CURE}\n", encoding="utf-8")
    assert findings("--baseline", "b.json", "drafts") == []


def test_baseline_file_is_versioned_sorted_stable_and_relative_to_itself(project, monkeypatch):
    Path("drafts/b.md").write_text(f"{GUARANTEE}\n\n{CURE}\n", encoding="utf-8")
    Path("drafts/a.md").write_text(f"{CURE}\n", encoding="utf-8")
    assert run("check", "--write-baseline", "b.json", "drafts").exit_code == 0
    first = Path("b.json").read_bytes()
    data = json.loads(first)
    assert data["kind"] == "overclaim-baseline" and data["version"] == 1
    keys = [(e["path"], e["rule"], e["fingerprint"]) for e in data["findings"]]
    assert keys == sorted(keys)
    assert {e["path"] for e in data["findings"]} == {"drafts/a.md", "drafts/b.md"}
    assert set(data["findings"][0]) == {"path", "rule", "fingerprint", "count", "text"}
    assert first.endswith(b"\n") and b"\r" not in first
    assert run("check", "--write-baseline", "b.json", "drafts").exit_code == 0
    assert Path("b.json").read_bytes() == first  # the same findings write the same bytes

    # Run from inside drafts/ with a different spelling of the paths: still matched.
    monkeypatch.chdir("drafts")
    assert findings("--baseline", "../b.json", "a.md", "./b.md") == []


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "b.json: baseline file not found (create it with --write-baseline)"),
        ('{"kind": "overclaim-baseline",\n "version": 1,\n "findings": [}\n', "b.json:3:15: invalid baseline: Expecting value"),
        ('{"findings": []}', "b.json: invalid baseline: not an overclaim baseline"),
        ('{"kind": "overclaim-baseline", "version": 7, "findings": []}', "b.json: invalid baseline: version 7 is not supported"),
        ('{"kind": "overclaim-baseline", "version": 1, "findings": [{"path": "a.md", "rule": "x"}]}',
         "b.json: invalid baseline: finding 1: 'fingerprint' must be a non-empty string"),
        ('{"kind": "overclaim-baseline", "version": 1, "findings": [{"path": "a.md", "rule": "x", "fingerprint": "f", "count": 0}]}',
         "b.json: invalid baseline: finding 1: 'count' must be a positive whole number"),
    ],
)
def test_a_bad_baseline_is_one_line_and_exit_2(project, content, message):
    Path("drafts/page.md").write_text(DRAFT, encoding="utf-8")
    if content is not None:
        Path("b.json").write_text(content, encoding="utf-8")
    result = run("check", "--baseline", "b.json", "drafts")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"overclaim: {message}"), result.output


def test_baseline_options_exclude_each_other(project):
    Path("drafts/page.md").write_text(DRAFT, encoding="utf-8")
    result = run("check", "--baseline", "a.json", "--write-baseline", "b.json", "drafts")
    assert result.exit_code == 2
    assert result.output.strip() == "overclaim: --baseline and --write-baseline cannot be used together"


def test_no_baseline_written_when_a_file_cannot_be_read(project):
    Path("drafts/page.md").write_text(DRAFT, encoding="utf-8")
    Path("drafts/bad.md").write_bytes(b"\x00\x01\x02binary")
    result = run("check", "--write-baseline", "b.json", "drafts")
    assert result.exit_code == 2
    assert not Path("b.json").exists()
    assert "baseline not written" in result.output


def test_a_baseline_is_never_written_over_an_input(project):
    draft = project / "drafts" / "page.md"
    draft.write_text(DRAFT, encoding="utf-8")
    for target in ("drafts/page.md", "./drafts/../drafts/page.md"):
        result = run("check", "--write-baseline", target, "drafts/page.md")
        assert result.exit_code == 2
        assert result.output.strip() == f"overclaim: {target}: refusing to write the baseline over a file being linted"
    result = run("check", "--write-baseline", "drafts/page.md", "drafts")
    assert result.exit_code == 2
    assert draft.read_text(encoding="utf-8") == DRAFT
