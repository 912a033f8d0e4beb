"""The language server's pure parts: position conversion and config edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.config import load_config
from linter.lsp.actions import accept_insertion, disable_insertion
from linter.lsp.positions import UTF8, UTF16, UTF32, LineStarts


@pytest.mark.parametrize("text", ["a😀b cure\r\nx😀 y\rz\n", "héllo\n\n𝔘 cure"])
def test_offsets_round_trip_in_every_encoding(text: str):
    lines = LineStarts.of(text)
    for encoding in (UTF8, UTF16, UTF32):
        for offset, char in enumerate(text):
            if char in "\r\n":
                continue
            line, character = lines.position(offset, encoding)
            assert lines.offset(line, character, encoding) == offset


def test_utf16_counts_an_emoji_as_two_units():
    lines = LineStarts.of("x\r\n😀 cures")
    assert lines.position(5, UTF16) == (1, 3)
    assert lines.position(5, UTF32) == (1, 2)
    assert lines.position(5, UTF8) == (1, 5)
    assert lines.offset(1, 99) == len("x\r\n😀 cures")  # past the end of a line: its end


def apply(text: str, insertion) -> str:
    offset, added = insertion
    return text[:offset] + added + text[offset:]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("fail_on: error\n", "fail_on: error\ndisable:\n  - cure-claim\n"),
        ("disable:\n    - miracle-hype\npacks: [core]\n", "disable:\n    - miracle-hype\n    - cure-claim\npacks: [core]\n"),
        ("disable:\n- miracle-hype", "disable:\n- miracle-hype\n- cure-claim\n"),
    ],
)
def test_disable_in_yaml_config(tmp_path: Path, before: str, after: str):
    path = tmp_path / ".overclaim.yaml"
    edited = apply(before, disable_insertion(path, before, "cure-claim"))
    assert edited == after
    path.write_text(edited, encoding="utf-8")
    assert "cure-claim" in load_config(path).disable


def test_disable_not_offered_twice_or_for_flow_lists(tmp_path: Path):
    path = tmp_path / ".overclaim.yaml"
    assert disable_insertion(path, "disable:\n  - cure-claim\n", "cure-claim") is None
    assert disable_insertion(path, "disable: [miracle-hype]\n", "cure-claim") is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('[project]\nname = "x"\n\n[tool.overclaim]\nfail_on = "error"\n',
         '[project]\nname = "x"\n\n[tool.overclaim]\ndisable = ["cure-claim"]\nfail_on = "error"\n'),
        ('[tool.overclaim]\ndisable = ["miracle-hype"]\n\n[tool.other]\n',
         '[tool.overclaim]\ndisable = ["miracle-hype", "cure-claim"]\n\n[tool.other]\n'),
    ],
)
def test_disable_in_pyproject(tmp_path: Path, before: str, after: str):
    path = tmp_path / "pyproject.toml"
    edited = apply(before, disable_insertion(path, before, "cure-claim"))
    assert edited == after
    path.write_text(edited, encoding="utf-8")
    assert "cure-claim" in load_config(path).disable


def test_accept_keeps_indentation_and_line_ending():
    from linter.core.model import Finding, Severity

    text = "Intro.\r\n\r\n  - This tea cures diabetes.\r\n"
    start = text.index("tea cures diabetes")
    finding = Finding("x.md", 3, start - text.index("  -") + 1, 3, 0, "cure-claim", "cure", Severity.ERROR,
                      "m", "tea cures diabetes", "s", "src", None, (), start, start + 18)
    offset, added = accept_insertion(finding, text, "markdown")
    assert offset == text.index("  -")
    assert added == "  <!-- overclaim-disable-next-line cure-claim -- reason -->\r\n"
