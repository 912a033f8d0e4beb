"""Output grows with the findings, not with findings times line length
(issue 17): long lines are shown as a window around each match, a meta
finding quotes at most a bounded part of its directive, and a directive that
names thousands of unknown rules gives one finding."""

from __future__ import annotations

import json

from click.testing import CliRunner

from linter.cli import cli
from linter.core.meta_rule_table import UNKNOWN_RULE
from linter.review.meta_rules import MAX_META_TEXT

CLAIM = "Our CBD oil cures arthritis. "
FILLER = "The tea is warm and the cups are blue. " * 40  # about 1,500 characters


def run(*args: str):
    return CliRunner().invoke(cli, ["check", "--no-color", "--fail-on", "never", *args])


def test_a_long_line_is_shown_as_a_window_around_each_match(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    claims = 20
    line = (FILLER + CLAIM) * claims
    (tmp_path / "long.md").write_text(line + "\n", encoding="utf-8")
    result = run("long.md")
    assert result.exit_code == 0, result.output
    blocks = [b for b in result.output.split("\n\n") if "[cure-claim]" in b]
    assert len(blocks) == claims
    for block in blocks:
        header, shown, underline = block.strip("\n").split("\n")[:3]
        assert len(shown) < 300 and shown.split(" | ", 1)[1].startswith("…")
        caret = underline.index("^")
        assert shown[caret:].startswith("oil cures arthritis")
        assert underline.count("^") == len("oil cures arthritis")
    # every finding's line is about 30,000 characters: printed in full that
    # would be well over half a megabyte
    assert len(result.output) < claims * 3 * 1500


def test_a_short_line_is_still_shown_whole(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.md").write_text("Intro. " + CLAIM + "\n", encoding="utf-8")
    result = run("short.md")
    assert "   1 | Intro. Our CBD oil cures arthritis." in result.output
    assert "…" not in result.output.split("\n")[1]


def test_a_directive_naming_thousands_of_unknown_rules_gives_one_bounded_finding(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    names = ",".join(f"no-such-rule-{i}" for i in range(5000))
    (tmp_path / "d.md").write_text(f"<!-- overclaim-disable-next-line {names} -- legacy -->\nPlain text.\n", encoding="utf-8")
    result = run("--format", "json", "d.md")
    findings = json.loads(result.output)["findings"]
    unknown = [f for f in findings if f["rule"] == UNKNOWN_RULE]
    assert len(unknown) == 1
    assert unknown[0]["message"].startswith("5000 unknown rules in ")
    assert "and 4995 more" in unknown[0]["message"]
    assert len(unknown[0]["text"]) == MAX_META_TEXT + 1 and unknown[0]["text"].endswith("…")
    assert (unknown[0]["line"], unknown[0]["column"]) == (1, 1)
    assert len(result.output) < 20_000
