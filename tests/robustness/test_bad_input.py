"""Bad input files: each gives correct findings or one error line naming the
file, the run exits 2 if any file could not be linted, and every other file
of the same run is still linted.

Every case runs the real CLI (in-process) on a bad file placed between two
good ones, `a-good.md` and `z-good.md`, which must keep their findings.
"""

from __future__ import annotations

import codecs
import json
import os
import time
from pathlib import Path

import pytest

from linter.files.discovery import expand
from linter.run.runner import lint_targets
from robust_support import CLAIM, assert_exact, decode_like_a_reader

GOOD = CLAIM + "\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def lint_between_good_files(overclaim, workdir: Path, name: str, data: bytes | None, *extra: str):
    """Lint a-good.md, the bad file and z-good.md; return (run, findings by path)."""
    (workdir / "a-good.md").write_text(GOOD, encoding="utf-8")
    (workdir / "z-good.md").write_text(GOOD, encoding="utf-8")
    if data is not None:
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_bytes(data)
    run = overclaim("check", "--format", "json", *extra, "a-good.md", name, "z-good.md")
    findings: dict[str, list[dict]] = {}
    for finding in json.loads(run.stdout)["findings"]:
        findings.setdefault(finding["path"], []).append(finding)
    for good in ("a-good.md", "z-good.md"):
        assert "cure-claim" in {f["rule"] for f in findings.get(good, [])}, (good, run.stderr)
    return run, findings


def assert_one_error(run, name: str, reason: str) -> None:
    assert run.exit_code == 2
    assert len(run.error_lines) == 1, run.error_lines
    line = run.error_lines[0]
    assert line.startswith(f"overclaim: {name}"), line
    assert reason in line, line


def assert_no_error(run) -> None:
    assert run.error_lines == [] and run.exit_code == 1  # the good files have error-level claims


# --- files that are linted, correctly ---------------------------------------------


@pytest.mark.parametrize("name, data", [("empty.md", b""), ("blank.txt", b"  \n\t\r\n \r  \n"), ("blank.html", b" \n ")])
def test_empty_and_whitespace_only_files_have_no_findings(overclaim, workdir, name, data):
    run, findings = lint_between_good_files(overclaim, workdir, name, data)
    assert_no_error(run)
    assert name not in findings
    alone = overclaim("check", name)
    assert alone.exit_code == 0 and alone.stderr == "" and alone.stdout.startswith("No claims found in 1 file")


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom_is_decoded_and_positioned(overclaim, workdir, codec, bom):
    source = "# Joint care\r\n\r\nNaïve “copy”: " + CLAIM + "\r\n"
    run, findings = lint_between_good_files(overclaim, workdir, "word-export.md", bom + source.encode(codec))
    assert_no_error(run)
    cure = [f for f in findings["word-export.md"] if f["rule"] == "cure-claim"]
    assert [(f["line"], f["column"], f["text"]) for f in cure] == [(3, 23, "oil cures arthritis")]
    assert_exact(source, findings["word-export.md"])


def test_mixed_line_endings_give_editor_line_numbers(overclaim, workdir):
    source = "First line.\r\nSecond line.\rThird line.\n\r\n" + CLAIM + "\r" + "More copy.\n"
    run, findings = lint_between_good_files(overclaim, workdir, "mixed.txt", source.encode())
    assert_no_error(run)
    cure = [f for f in findings["mixed.txt"] if f["rule"] == "cure-claim"]
    assert [(f["line"], f["column"]) for f in cure] == [(5, 9)]
    assert_exact(source, findings["mixed.txt"])


@pytest.mark.parametrize(
    "name, source",
    [
        ("nested.html", "<div>" * 10_000 + "<p>" + CLAIM + "</p>" + "</div>" * 10_000),
        ("inline.html", "<p>" + "<b><i>" * 5_000 + CLAIM + "</i></b>" * 5_000 + "</p>"),
        ("unclosed.html", "<html><body><div><p>Intro<p><b>" + CLAIM + "<li><span>more"),
        # quadratic in HTMLParser before the fix (35 s for 20,000 "<a"); see test_reader_scaling.py
        ("unclosed-tag.html", "<p>" + CLAIM + " <a href='x" + " <a" * 5_000),
        ("open-comment.html", "<p>" + CLAIM + "</p><!-- left open <p>Our pills cure cancer.</p>"),
    ],
)
def test_deep_and_malformed_html_is_linted(overclaim, workdir, name, source):
    started = time.monotonic()
    run, findings = lint_between_good_files(overclaim, workdir, name, source.encode())
    assert time.monotonic() - started < 30
    assert_no_error(run)
    cure = [f for f in findings[name] if f["rule"] == "cure-claim"]
    assert [f["text"] for f in cure] == ["oil cures arthritis"]  # not the commented-out claim
    assert_exact(source, findings[name])


def test_unclosed_markdown_constructs_are_linted(overclaim, workdir):
    source = "[open link " + "*" * 3 + "`code " + CLAIM + " <span>\n\n> quote\n```\nunclosed fence\n"
    run, findings = lint_between_good_files(overclaim, workdir, "unclosed.md", source.encode())
    assert_no_error(run)
    assert "cure-claim" in {f["rule"] for f in findings["unclosed.md"]}
    assert_exact(source, findings["unclosed.md"])


# --- files that cannot be linted: one line each, exit 2 -------------------------


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("data.md", b"Our oil\x00\x01\x02 cures", "binary file, not linted"),
        ("photo.md", PNG, "binary file, not linted"),
        ("latin1.md", b"# Title\n\nCaf\xe9 oil cures arthritis.\n", "latin1.md:3: cannot decode as UTF-8 (invalid byte 0xe9 at line 3)"),
        ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "cannot decode as UTF-16-LE"),
        ("deep.md", b"> " * 10_000 + CLAIM.encode(), "deep.md:1: block quotes and lists nested too deeply"),
        ("deep-list.md", b"".join(b"  " * i + b"- item\n" for i in range(120)), "nested too deeply"),
    ],
)
def test_unreadable_content_is_one_error_line(overclaim, workdir, name, data, reason):
    run, findings = lint_between_good_files(overclaim, workdir, name, data)
    assert_one_error(run, name, reason)
    assert name not in findings


# --- front matter that cannot be read: one line, exit 2, the body still linted -------

NOT_READ = "; its fields and packs are not read, the rest of the file is linted"


@pytest.mark.parametrize(
    "name, front, reason",
    [
        ("front.md", "title: [unclosed\nother: x\n", "front.md:3: invalid front matter: expected ',' or ']', but got ':'" + NOT_READ),
        ("deep-front.md", "title: " + "[" * 5000 + "\n", "deep-front.md:2: invalid front matter: lists and mappings nested over 64 levels deep" + NOT_READ),
        ("deep-front-64.md", "title: " + "[" * 70 + "]" * 70 + "\n",
         "deep-front-64.md:2: invalid front matter: lists and mappings nested over 64 levels deep" + NOT_READ),
        ("big-front.md", "title: x\n" + "k: v\n" * 60_000, "big-front.md:2: front matter too large (293 KB; the limit is 256 KB)" + NOT_READ),
        ("loop-front.md", "loop: &a [1, *a]\n",
         "loop-front.md:2: invalid front matter: a recursive alias (a collection that contains itself) is not allowed" + NOT_READ),
        ("bomb-front.md", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
         "bomb-front.md:2: invalid front matter: the document holds over 200,000 values once its aliases are expanded" + NOT_READ),
    ],
)
def test_front_matter_that_cannot_be_read_is_one_line_and_the_body_is_linted(overclaim, workdir, name, front, reason):
    # The market the front matter would choose (uk) is not silently dropped:
    # the line says its packs were not read, and the run exits 2.
    source = f"---\n{front}overclaim: {{market: uk}}\n---\n{CLAIM}\n"
    run, findings = lint_between_good_files(overclaim, workdir, name, source.encode())
    assert run.error_lines == [f"overclaim: {reason}"]
    assert run.exit_code == 2
    assert [f["text"] for f in findings[name] if f["rule"] == "cure-claim"] == ["oil cures arthritis"]
    assert_exact(source, findings[name])


@pytest.mark.parametrize("escape", ["\\U00110000", "\\uD800", "\\uDFFF"])
def test_an_escape_that_names_no_character_keeps_the_claims_and_the_packs(overclaim, workdir, escape):
    source = f'---\ntitle: "Our oil {escape} cures arthritis."\noverclaim: {{market: uk}}\n---\n{CLAIM} It is NHS approved.\n'
    run, findings = lint_between_good_files(overclaim, workdir, "escape-front.md", source.encode())
    shown = escape.replace("\\\\", "\\")
    assert run.error_lines == [f"overclaim: escape-front.md:2: front matter: the escape {shown} names no Unicode character; read as U+FFFD"]
    assert run.exit_code == 2
    rules = [(f["line"], f["rule"]) for f in findings["escape-front.md"]]
    assert (2, "cure-claim") in rules and (5, "cure-claim") in rules
    assert (5, "uk-official-approval-claim") in rules  # the uk market still applies
    assert_exact(source, findings["escape-front.md"])


def test_an_escaped_backslash_is_no_bad_escape(overclaim, workdir):
    source = '---\ntitle: "C:\\\\uD800 dir"\n---\n' + CLAIM + "\n"
    run, findings = lint_between_good_files(overclaim, workdir, "path-front.md", source.encode())
    assert_no_error(run)


def test_nesting_just_under_the_markdown_limit_is_linted(overclaim, workdir):
    source = "> " * 90 + CLAIM + "\n"
    run, findings = lint_between_good_files(overclaim, workdir, "quoted.md", source.encode())
    assert_no_error(run)
    assert [f["text"] for f in findings["quoted.md"] if f["rule"] == "cure-claim"] == ["oil cures arthritis"]


def test_unreadable_file(overclaim, workdir, deny_reads):
    (workdir / "secret.md").write_text(GOOD, encoding="utf-8")
    deny_reads(workdir / "secret.md")
    run, _ = lint_between_good_files(overclaim, workdir, "secret.md", None)
    assert_one_error(run, "secret.md", "permission denied")


def test_unlistable_directory_is_reported_not_skipped(overclaim, workdir, deny_reads):
    (workdir / "tree" / "private").mkdir(parents=True)
    (workdir / "tree" / "private" / "hidden-claim.md").write_text(GOOD, encoding="utf-8")
    (workdir / "tree" / "public.md").write_text(GOOD, encoding="utf-8")
    deny_reads(workdir / "tree" / "private")
    run, findings = lint_between_good_files(overclaim, workdir, "tree", None)
    assert_one_error(run, os.path.join("tree", "private"), "permission denied")
    assert "cure-claim" in {f["rule"] for f in findings[os.path.join("tree", "public.md")]}


def test_symlink_loops_in_a_directory_argument(overclaim, workdir):
    tree = workdir / "site"
    (tree / "blog").mkdir(parents=True)
    (tree / "blog" / "post.md").write_text(GOOD, encoding="utf-8")
    (tree / "blog" / "again").symlink_to("..")  # a directory loop: site/blog/again/blog/again/...
    (tree / "self").symlink_to("self")  # a link to itself
    (tree / "ping.md").symlink_to("pong.md")  # two links pointing at each other
    (tree / "pong.md").symlink_to("ping.md")
    started = time.monotonic()
    run, findings = lint_between_good_files(overclaim, workdir, "site", None)
    assert time.monotonic() - started < 30
    assert run.exit_code == 2
    assert sorted(run.error_lines) == [
        f"overclaim: {os.path.join('site', 'ping.md')}: cannot read: Too many levels of symbolic links",
        f"overclaim: {os.path.join('site', 'pong.md')}: cannot read: Too many levels of symbolic links",
    ]
    post = os.path.join("site", "blog", "post.md")
    assert [f["rule"] for f in findings[post]].count("cure-claim") == 1  # linted once, not once per loop
    assert set(findings) == {"a-good.md", post, "z-good.md"}


def test_symlink_loop_named_directly(overclaim, workdir):
    (workdir / "loop.md").symlink_to("loop.md")
    run, _ = lint_between_good_files(overclaim, workdir, "loop.md", None)
    assert_one_error(run, "loop.md", "Too many levels of symbolic links")


def test_file_deleted_between_listing_and_reading(workdir, engine):
    for name in ("a.md", "b.md", "c.md"):
        (workdir / name).write_text(GOOD, encoding="utf-8")
    targets, missing = expand(["."])
    assert [t.display for t in targets] == ["a.md", "b.md", "c.md"] and not missing
    (workdir / "b.md").unlink()
    report = lint_targets(engine, targets, lambda: b"")
    assert [str(error) for error in report.errors] == ["b.md: file not found (deleted or a broken link?)"]
    assert {f.path for f in report.findings if f.rule == "cure-claim"} == {"a.md", "c.md"}


def test_file_deleted_during_a_cli_run(overclaim, workdir, monkeypatch):
    import linter.run.config_scope

    real_files_of = linter.run.config_scope.files_of

    def list_then_delete(*args, **kwargs):
        found = real_files_of(*args, **kwargs)
        (workdir / "gone.md").unlink()
        return found

    monkeypatch.setattr(linter.run.config_scope, "files_of", list_then_delete)
    run, _ = lint_between_good_files(overclaim, workdir, "gone.md", GOOD.encode())
    assert_one_error(run, "gone.md", "file not found (deleted or a broken link?)")


def test_fifo_is_not_opened_for_a_blocking_read(overclaim, workdir):
    os.mkfifo(workdir / "pipe.md")  # reading it would wait for a writer forever
    started = time.monotonic()
    run, _ = lint_between_good_files(overclaim, workdir, "pipe.md", None)
    assert time.monotonic() - started < 30
    assert_one_error(run, "pipe.md", "not a regular file (a FIFO, socket or device), not linted")


def test_directory_named_like_a_document(overclaim, workdir):
    (workdir / "notes.md").mkdir()
    (workdir / "notes.md" / "inner.md").write_text(GOOD, encoding="utf-8")
    run, findings = lint_between_good_files(overclaim, workdir, "notes.md", None)
    assert_no_error(run)  # a directory argument is walked, whatever its name
    assert "cure-claim" in {f["rule"] for f in findings[os.path.join("notes.md", "inner.md")]}


def test_file_over_the_size_limit(overclaim, workdir, monkeypatch):
    import linter.run.one_file

    monkeypatch.setattr(linter.run.one_file, "MAX_INPUT_BYTES", 10_000)
    run, _ = lint_between_good_files(overclaim, workdir, "dump.html", b"<p>" + b"x" * 20_000)
    assert_one_error(run, "dump.html", "file too large (0.0 MB; the limit is 0.0 MB), not linted")


def test_odd_file_names_print_on_one_line(overclaim, workdir):
    names = [os.fsdecode(b"caf\xe9-latin1-name.md"), "line\nbreak.md", "tab\there.md", "emoji-🌿.md"]
    for name in names:
        (workdir / "odd").mkdir(exist_ok=True)
        (workdir / "odd" / name).write_text(GOOD, encoding="utf-8")
    for output in ("json", "text"):
        run = overclaim("check", "--format", output, "odd")
        assert run.exit_code == 1 and run.stderr == ""
    run = overclaim("check", "--format", "json", "odd")
    paths = {f["path"] for f in json.loads(run.stdout)["findings"]}
    assert paths == {
        os.path.join("odd", "caf\\xe9-latin1-name.md"),
        os.path.join("odd", "line\\nbreak.md"),
        os.path.join("odd", "tab\\there.md"),
        os.path.join("odd", "emoji-🌿.md"),
    }


def test_binary_on_stdin(overclaim, workdir):
    run = overclaim("check", "--stdin-filename", "pasted.md", "-", input=PNG)
    assert_one_error(run, "pasted.md", "binary file, not linted")


def test_a_reader_bug_loses_no_other_file(overclaim, workdir, monkeypatch):
    import linter.run.one_file

    real_read = linter.run.one_file.read_document

    def buggy(path, data, format=None):
        if path == "trigger.md":
            raise RecursionError("maximum recursion depth exceeded\nwhile parsing")
        return real_read(path, data, format)

    monkeypatch.setattr(linter.run.one_file, "read_document", buggy)
    run, findings = lint_between_good_files(overclaim, workdir, "trigger.md", GOOD.encode())
    assert_one_error(run, "trigger.md", "internal error, not linted (RecursionError: maximum recursion depth exceeded while parsing)")
    assert "trigger.md" not in findings


def test_many_bad_files_in_one_run_each_get_their_line(overclaim, workdir, deny_reads):
    bad = {
        "b1.md": b"\x00\x00",
        "b2.md": b"\xff\xfe\x00",
        "b3.md": b"caf\xe9",
        "b4.md": b"---\na: [\n---\n",
    }
    for name, data in bad.items():
        (workdir / name).write_bytes(data)
    (workdir / "b5.md").write_text(GOOD, encoding="utf-8")
    deny_reads(workdir / "b5.md")
    run = overclaim("check", "--format", "json", "a.md", *bad, "b5.md", "missing.md", "z.md")
    assert run.exit_code == 2
    named = sorted(line.split(":")[1].strip() for line in run.error_lines)
    assert named == ["a.md", "b1.md", "b2.md", "b3.md", "b4.md", "b5.md", "missing.md", "z.md"]
    assert json.loads(run.stdout)["findings"] == []


def test_linting_never_writes_to_the_files(overclaim, workdir):
    sources = {
        "page.html": "<p>" + CLAIM + "</p>",
        "post.md": "---\ntitle: Cures everything\n---\n" + CLAIM,
        "raw.txt": CLAIM,
        "utf16.md": codecs.BOM_UTF16_LE + CLAIM.encode("utf-16-le"),
    }
    for name, data in sources.items():
        (workdir / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in workdir.iterdir()}
    overclaim("check", "--format", "json", *sources)
    overclaim("check", *sources)
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in workdir.iterdir()} == before
    for data in sources.values():
        raw = data if isinstance(data, bytes) else data.encode()
        assert decode_like_a_reader(raw)  # still decodable: nothing was rewritten
