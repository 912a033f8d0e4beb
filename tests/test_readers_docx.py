"""Word (.docx) drafts: read with python-docx, positioned by paragraph
number, instead of "binary file, not linted" (issue 15). Fixtures are built
here with python-docx; no binary file is kept in the repository."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.errors import InputError
from linter.read import read_document


def word_file(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(str(path))
    return path


def blank_document_paragraphs() -> int:
    """python-docx's default template may start with paragraphs of its own."""
    return len(docx.Document().paragraphs)


def run(*args: str):
    return CliRunner().invoke(cli, ["check", "--no-color", *args])


def test_one_paragraph_is_one_line_and_tables_are_read(tmp_path):
    path = word_file(tmp_path / "d.docx", ["Joint care", "", "Our turmeric\tblend cures arthritis."], [["Fast", "Safe for everyone."]])
    document = read_document("d.docx", path.read_bytes())
    skip = blank_document_paragraphs()
    lines = document.source.split("\n")
    assert lines[skip:] == ["Joint care", "", "Our turmeric blend cures arthritis.", "Fast", "Safe for everyone."]
    assert [block.text for block in document.blocks] == ["Joint care", "Our turmeric blend cures arthritis.", "Fast", "Safe for everyone."]


def test_findings_are_placed_by_paragraph_number(project):
    word_file(Path("draft.docx"), ["Joint care", "", "Try it today. Our turmeric blend cures arthritis."])
    result = run("draft.docx", "--format", "json")
    assert result.exit_code == 1, result.output
    cure = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "cure-claim")
    paragraph = blank_document_paragraphs() + 3
    assert (cure["path"], cure["line"], cure["end_line"]) == ("draft.docx", paragraph, paragraph)
    words = "Try it today. Our turmeric blend cures arthritis."
    assert cure["column"] == words.index(cure["text"]) + 1 and cure["text"].endswith("cures arthritis")
    text = run("draft.docx").stdout
    assert f"draft.docx:{paragraph}:{cure['column']}: error" in text
    assert f"{paragraph:>4} | Try it today. Our turmeric blend cures arthritis." in text


def test_a_folder_lints_its_word_files_and_directives_apply(project):
    Path("copy").mkdir()
    word_file(Path("copy/waived.docx"), [
        "overclaim: disable-next-line cure-claim -- the reviewer accepted it",
        "Our turmeric blend cures arthritis.",
    ])
    result = run("copy", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["summary"]["files"] == 1
    assert "cure-claim" not in {f["rule"] for f in payload["findings"]}


@pytest.mark.parametrize(("content", "reason"), [
    (b"PK\x03\x04 not really a zip", "not a ZIP package"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a ZIP package"),
    (None, "cannot read as a Word document"),  # a ZIP without Word's parts
])
def test_a_broken_word_file_is_one_line_naming_it(project, content, reason):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a document")
        content = buffer.getvalue()
    Path("broken.docx").write_bytes(content)
    word_file(Path("good.docx"), ["Our turmeric blend cures arthritis."])
    result = run("broken.docx", "good.docx")
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("overclaim: broken.docx: cannot read as a Word document (.docx)")
    assert reason in errors[0]
    assert "good.docx" in result.stdout  # the other file is still linted


def test_a_decompression_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    import linter.read.docx as reader

    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 1000)
    path = word_file(tmp_path / "big.docx", ["word " * 1000])
    with pytest.raises(InputError, match="unpacks to"):
        read_document("big.docx", path.read_bytes())


def test_readme_snippet(project):
    import shlex

    from readme_snippets import commands

    Path("drafts").mkdir()
    word_file(Path("drafts/launch.docx"), ["Launch copy", "Our turmeric blend cures arthritis."])
    for command in commands("docx"):
        result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "--no-color"])
        assert result.exit_code == 1, result.output
        assert f"drafts/launch.docx:{blank_document_paragraphs() + 2}:" in result.stdout
