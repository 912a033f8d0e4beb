"""The `overclaim` command line: exit codes, errors, output formats, rule commands.

Most tests go through click's CliRunner with the session's spaCy pipeline
(the `fast_cli` fixture); a few run the installed script for real.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.model import DISCLAIMERS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "overclaim"

CLEAN = "Our herbal tea tastes of mint and honey.\n\nSteep it for four minutes.\n"
ERROR_CLAIM = "# Joint tea\n\nOur balm cures eczema.\n"  # cure-claim: error
WARNING_ONLY = "Discover our revolutionary herbal tea.\n"  # miracle-hype: warning
INFO_ONLY = "Studies show that walking after dinner is pleasant.\n"  # unsourced-research-reference: info

FINDING_KEYS = {
    "path", "line", "column", "end_line", "end_column", "rule", "category", "severity",
    "message", "text", "suggestion", "source", "requires", "cues", "url", "replacement", "span_group",
}
HEADER = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) "
                    r"\[(?P<rule>[a-z0-9-]+)\] (?P<message>.+)$")

GROUP_HEADER = re.compile(r"^.+?:\d+:\d+: (error|warning|info) \[[a-z0-9-]+(, [a-z0-9-]+)+\] \d+ findings on the same words",
                          re.MULTILINE)

# The default output format depends on the environment (GitHub Actions).
PLAIN_ENV = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}


def write(path: Path | str, text: str | bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def check_json(*args: str, input=None) -> tuple[int, dict]:
    result = run("check", "--format", "json", *args, input=input)
    return result.exit_code, json.loads(result.stdout)


def one_error_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("overclaim: ")
    return lines[0]


# --- exit codes -------------------------------------------------------------


def test_clean_copy_exits_0(project):
    write("clean.md", CLEAN)
    result = run("check", "clean.md")
    assert result.exit_code == 0
    assert result.stdout == "No claims found in 1 file.\n"
    assert result.stderr == ""


def test_error_finding_exits_1(project):
    write("claim.md", ERROR_CLAIM)
    result = run("check", "claim.md")
    assert result.exit_code == 1
    assert re.search(r"^claim\.md:3:\d+: error \[cure-claim\] ", result.stdout, re.M)


@pytest.mark.parametrize(("text", "fail_on", "code"), [
    (WARNING_ONLY, None, 0),
    (WARNING_ONLY, "error", 0),
    (WARNING_ONLY, "warning", 1),
    (WARNING_ONLY, "info", 1),
    (INFO_ONLY, None, 0),
    (INFO_ONLY, "warning", 0),
    (INFO_ONLY, "info", 1),
    (ERROR_CLAIM, "warning", 1),
    (CLEAN, "info", 0),
])
def test_fail_on(project, text, fail_on, code):
    write("copy.md", text)
    args = ["check", "copy.md"] + (["--fail-on", fail_on] if fail_on else [])
    assert run(*args).exit_code == code


def test_fail_on_from_config_and_the_flag_overrides_it(project):
    write("copy.md", WARNING_ONLY)
    write(".overclaim.yaml", "fail_on: warning\n")
    assert run("check", "copy.md").exit_code == 1
    assert run("check", "copy.md", "--fail-on", "error").exit_code == 0


# --- errors: exit 2, one line on stderr -------------------------------------


def test_missing_path_exits_2_naming_it(project):
    write("claim.md", ERROR_CLAIM)
    result = run("check", "claim.md", "no-such-draft.md")
    assert result.exit_code == 2
    assert "no-such-draft.md" in one_error_line(result)


def test_missing_path_does_not_hide_the_other_files(project):
    write("claim.md", ERROR_CLAIM)
    result = run("check", "claim.md", "no-such-draft.md")
    assert result.exit_code == 2
    assert re.search(r"^claim\.md:3:\d+: error \[cure-claim\] ", result.stdout, re.M)


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.md", "Caf\u00e9 cr\u00e8me\n".encode("latin-1"), "cannot decode"),
])
def test_unreadable_file_exits_2_and_the_others_are_still_reported(project, name, data, reason):
    write("a-claim.md", ERROR_CLAIM)
    write(name, data)
    write("z-claim.txt", WARNING_ONLY)
    result = run("check", "a-claim.md", name, "z-claim.txt")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert name in line and reason in line
    assert re.search(r"^a-claim\.md:3:\d+: error \[cure-claim\] ", result.stdout, re.M)
    assert "z-claim.txt:1:14: warning [miracle-hype]" in result.stdout


def test_unreadable_file_in_json_output(project):
    write("claim.md", ERROR_CLAIM)
    write("blob.txt", b"\x00\x01\x02")
    result = run("check", "--format", "json", "claim.md", "blob.txt")
    assert result.exit_code == 2
    payload = json.loads(result.stdout)  # stdout stays valid JSON; the error goes to stderr
    assert {f["path"] for f in payload["findings"]} == {"claim.md"}
    assert "blob.txt" in one_error_line(result)


@pytest.mark.parametrize("how", ["--config", "discovered", "discovered-from-subdir"])
def test_bad_config_exits_2_with_its_position(project, monkeypatch, how):
    write("copy.md", CLEAN)
    write("settings/house.yaml" if how == "--config" else ".overclaim.yaml", "packs: [core]\nfail_onn: warning\n")
    if how == "--config":
        result = run("check", "--config", "settings/house.yaml", "copy.md")
        where = "settings/house.yaml"
    else:
        if how == "discovered-from-subdir":
            (project / "drafts").mkdir()
            monkeypatch.chdir(project / "drafts")
            write("copy.md", CLEAN)
        result = run("check", "copy.md")
        where = ".overclaim.yaml"
    assert result.exit_code == 2
    line = one_error_line(result)
    assert re.search(re.escape(where) + r":2:1: unknown key 'fail_onn' \(did you mean 'fail_on'\?\)$", line), line
    assert result.stdout == ""


def test_bad_packs_name_exits_2(project):
    write("copy.md", CLEAN)
    result = run("check", "--packs", "core,nonexistent", "copy.md")
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "'nonexistent'" in line and "core" in line


def test_model_not_installed_exits_2_naming_it(project):
    write("copy.md", CLEAN)
    write(".overclaim.yaml", "model: not_a_model\n")
    result = run("check", "copy.md")
    assert result.exit_code == 2
    assert "not_a_model" in one_error_line(result)
    assert result.stdout == ""


def test_unknown_output_format_is_a_usage_error(project):
    write("copy.md", CLEAN)
    assert run("check", "--format", "xml", "copy.md").exit_code == 2


# --- stdin and directories --------------------------------------------------


def test_stdin_with_a_filename_uses_that_name_and_its_format(project):
    source = "Our balm cures eczema.\n\n```\nThis tea cures arthritis.\n```\n"
    code, payload = check_json("-", "--stdin-filename", "draft.md", input=source.encode())
    assert code == 1
    found = [(f["path"], f["line"], f["rule"]) for f in payload["findings"] if f["requires"] is None]
    assert found == [("draft.md", 1, "cure-claim")]  # read as Markdown: the fenced claim is code
    assert payload["summary"]["files"] == 1


def test_stdin_as_html(project):
    source = "<p>Our balm <b>cures</b> eczema.</p>"
    code, payload = check_json("-", "--stdin-filename", "page.html", input=source.encode())
    assert code == 1
    (cure,) = [f for f in payload["findings"] if f["rule"] == "cure-claim"]
    assert cure["path"] == "page.html"
    assert "<b>cures</b> eczema" in cure["text"]  # read as HTML: the tags are inside the match
    assert source[cure["column"] - 1 : cure["end_column"] - 1] == cure["text"]


def test_directory_recursion_picks_prose_files_only(project):
    claim = "Our balm cures eczema.\n"
    for name in ["site/a.md", "site/b.html", "site/c.txt", "site/deep/er/d.markdown", "site/e.htm", "site/f.mdx"]:
        write(name, claim if not name.endswith(("html", "htm")) else f"<p>{claim}</p>")
    for name in ["site/g.py", "site/h.json", "site/i.yaml", "site/.hidden.md", "site/.cache/j.md", "site/k.md.bak"]:
        write(name, claim)
    code, payload = check_json("site")
    assert code == 1
    paths = sorted({f["path"] for f in payload["findings"]})
    expected = ["a.md", "b.html", "c.txt", "deep/er/d.markdown", "e.htm", "f.mdx"]
    assert paths == sorted(str(Path("site", p)) for p in expected)
    assert payload["summary"]["files"] == len(expected)


def test_a_file_named_directly_is_linted_whatever_its_extension(project):
    write("notes.draft", "Our balm cures eczema.\n")
    code, payload = check_json("notes.draft")
    assert code == 1 and {f["path"] for f in payload["findings"]} == {"notes.draft"}


# --- JSON format ------------------------------------------------------------

MIXED = """\
# Sleep gummies

Our balm cures eczema. It has no side effects.
Studies show that walking after dinner is pleasant.

> “I lost 12 kg before the wedding.”

Discover our revolutionary herbal tea.
"""


@pytest.fixture
def mixed_json(project):
    write("b.md", MIXED)
    write("a.txt", "Guaranteed results with every cup.\n\nOur tea cures arthritis.\n")
    write("c.md", CLEAN)
    code, payload = check_json("b.md", "c.md", "a.txt")
    return code, payload


def test_json_has_exactly_the_documented_keys(mixed_json):
    code, payload = mixed_json
    assert code == 1
    assert set(payload) == {"version", "findings", "summary"}
    assert payload["version"] == 1
    assert set(payload["summary"]) == {"files", "not_linted", "findings", "error", "warning", "info"}
    assert payload["findings"]
    for finding in payload["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["cues"], list)
        for key in ("line", "column", "end_line", "end_column"):
            assert isinstance(finding[key], int) and finding[key] >= 1


def test_json_summary_counts_the_findings(mixed_json):
    _, payload = mixed_json
    findings, summary = payload["findings"], payload["summary"]
    assert summary["files"] == 3
    assert summary["findings"] == len(findings)
    for level in ("error", "warning", "info"):
        assert summary[level] == sum(f["severity"] == level for f in findings)
    assert summary["error"] and summary["warning"] and summary["info"]


def test_json_findings_are_sorted(mixed_json):
    _, payload = mixed_json
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in payload["findings"]]
    assert keys == sorted(keys)
    assert keys[0][0] == "a.txt"  # sorted by path, not by argument order


def test_json_requires_only_on_disclaimer_findings(mixed_json):
    _, payload = mixed_json
    for finding in payload["findings"]:
        if finding["category"] == "disclaimer":
            assert finding["requires"] in DISCLAIMERS
        else:
            assert finding["requires"] is None
    assert {f["requires"] for f in payload["findings"]} >= {None, "medical-advice", "results-vary", "risk-info"}


def test_json_text_is_the_source_between_the_positions(mixed_json, project, ruleset):
    _, payload = mixed_json
    templates = {rule.id: rule.message for rule in ruleset.rules}
    for finding in payload["findings"]:
        lines = (project / finding["path"]).read_text(encoding="utf-8").splitlines()
        assert finding["line"] == finding["end_line"]
        line = lines[finding["line"] - 1]
        assert line[finding["column"] - 1 : finding["end_column"] - 1] == finding["text"]
        # no markup in these files, so the message quotes the match verbatim
        template = templates[finding["rule"]]
        assert finding["message"] == template.replace("{match}", finding["text"])


def test_json_cues_are_listed(project):
    write("quote.md", "“Our gummies have no side effects, according to a 2020 study.” — Ana\n")
    _, payload = check_json("quote.md")
    (safety,) = [f for f in payload["findings"] if f["rule"] == "absolute-safety-claim"]
    assert safety["cues"] == ["sourced", "testimony"]


def test_json_strings_have_no_stray_whitespace(mixed_json):
    _, payload = mixed_json
    for finding in payload["findings"]:
        for key in ("message", "suggestion", "source"):
            assert finding[key] == " ".join(finding[key].split()), (finding["rule"], key, finding[key])


# --- text format ------------------------------------------------------------


def parse_text_report(stdout: str) -> tuple[list[dict], str]:
    """Split the text report into finding blocks and the summary line (a
    block of findings on the same words is left out: see test_same_words.py)."""
    *blocks, summary = stdout.rstrip("\n").split("\n\n")
    parsed = []
    for block in blocks:
        lines = block.split("\n")
        if GROUP_HEADER.match(lines[0]):
            continue
        header = HEADER.match(lines[0])
        assert header, lines[0]
        parsed.append({**header.groupdict(), "lines": lines[1:]})
    return parsed, summary


def test_text_format_blocks(project):
    write("b.md", MIXED)
    result = run("check", "b.md")
    _, payload = check_json("b.md")
    blocks, summary = parse_text_report(result.stdout)
    alone = [finding for finding in payload["findings"] if finding["span_group"] is None]
    assert len(blocks) == len(alone)
    groups = {finding["span_group"] for finding in payload["findings"]} - {None}
    assert len(GROUP_HEADER.findall(result.stdout)) == len(groups)
    source_lines = MIXED.splitlines()
    for block, finding in zip(blocks, alone):
        assert (block["path"], int(block["line"]), int(block["column"]), block["severity"], block["rule"]) == (
            finding["path"], finding["line"], finding["column"], finding["severity"], finding["rule"])
        assert block["message"] == finding["message"]
        gutter, caret, *rest = block["lines"]
        number = f"{finding['line']:>4}"
        assert gutter == f"{number} | {source_lines[finding['line'] - 1]}"
        assert caret == " " * len(number) + " | " + " " * (finding["column"] - 1) + "^" * len(finding["text"])
        assert rest[-2] == f"  = source: {finding['source']}"
        assert rest[-1] == f"  = docs: docs/rules.md#{finding['rule']}"
        assert rest[0] == f"  = suggestion: {' '.join(finding['suggestion'].split())}"
    s = payload["summary"]
    assert summary == (f"Found {s['findings']} findings in 1 file "
                       f"({s['error']} error{'s' if s['error'] != 1 else ''}, "
                       f"{s['warning']} warning{'s' if s['warning'] != 1 else ''}, {s['info']} info).")


def test_text_format_caret_under_wide_characters(project):
    write("cjk.txt", "草本茶 — it has no side effects.\n")
    result = run("check", "cjk.txt")
    block = result.stdout.split("\n\n")[0].split("\n")
    assert block[0].startswith("cjk.txt:1:14: warning [absolute-safety-claim]")
    # three wide characters take two cells each in a terminal
    assert block[2] == "     | " + " " * (3 * 2 + len(" — it has ")) + "^" * len("no side effects")


def test_text_format_caret_runs_to_the_end_of_the_line_for_a_wrapped_match(project):
    write("wrapped.txt", "Our balm has no side\neffects at all.\n")
    result = run("check", "wrapped.txt")
    block = result.stdout.split("\n\n")[0].split("\n")
    assert block[0].startswith("wrapped.txt:1:14: warning [absolute-safety-claim]")
    assert block[1:3] == ["   1 | Our balm has no side", "     |              ^^^^^^^"]


@pytest.mark.parametrize(("files", "summary"), [
    ({"a.md": CLEAN}, "No claims found in 1 file."),
    ({"a.md": CLEAN, "b.md": CLEAN}, "No claims found in 2 files."),
    ({"a.md": INFO_ONLY}, "Found 1 finding in 1 file (0 errors, 0 warnings, 1 info)."),
    ({"a.md": WARNING_ONLY, "b.md": INFO_ONLY}, "Found 2 findings in 2 files (0 errors, 1 warning, 1 info)."),
])
def test_text_summary_line(project, files, summary):
    for name, text in files.items():
        write(name, text)
    result = run("check", *files)
    assert result.stdout.splitlines()[-1] == summary


def test_no_ansi_escapes_when_not_a_terminal(project):
    write("claim.md", ERROR_CLAIM)
    for args in (["check", "claim.md"], ["check", "--no-color", "claim.md"]):
        result = run(*args)
        assert result.exit_code == 1
        assert "\x1b[" not in result.stdout


def test_color_flag_forces_ansi_escapes(project):
    write("claim.md", ERROR_CLAIM)
    result = run("check", "--color", "claim.md")
    assert "\x1b[31m" in result.stdout  # errors in red
    assert "\x1b[1m" in result.stdout  # bold position


def test_colour_style_is_only_markup(project):
    """With colour forced through click itself, stripping the escapes gives the plain report."""
    write("claim.md", ERROR_CLAIM)
    coloured = CliRunner().invoke(cli, ["check", "--color", "claim.md"], color=True)
    plain = run("check", "--no-color", "claim.md")
    assert "\x1b[" in coloured.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout) == plain.stdout


# --- rules commands ---------------------------------------------------------


@pytest.fixture(scope="module")
def every_rule():
    """`rules list` and `rules explain` cover every available pack, not just the default ones."""
    from linter.packs.loading import load_rules
    from linter.packs.pack_files import available_packs

    return load_rules(tuple(available_packs())).rules


def test_rules_list(project, every_rule):
    result = run("rules", "list")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert sorted(row[0] for row in rows) == sorted(r.id for r in every_rule)
    by_id = {r.id: r for r in every_rule}
    for rule_id, severity, category, pack in rows:
        assert (severity, category, pack) == (by_id[rule_id].severity.label, by_id[rule_id].category, by_id[rule_id].pack)


def test_rules_list_markdown(project, every_rule):
    result = run("rules", "list", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# overclaim rules"
    table = [line for line in lines if line.startswith("| `")]
    assert len(table) == len(every_rule)
    assert "| id | category | severity | pack | source | message |" in lines
    for line in table:
        assert line.endswith(" |") and line.count(" | ") >= 5


def test_rules_list_json(project, every_rule):
    result = run("rules", "list", "--format", "json")
    rows = json.loads(result.stdout)
    assert {row["id"] for row in rows} == {r.id for r in every_rule}


def test_rules_list_of_one_pack(project, every_rule):
    result = run("rules", "list", "--packs", "core")
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.splitlines()}
    assert listed == {r.id for r in every_rule if r.pack == "core"}


def test_rules_explain(project, ruleset):
    rule = ruleset.rule("cure-claim")
    result = run("rules", "explain", "cure-claim")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("cure-claim")
    assert " ".join(rule.source.split()) in out
    assert " ".join(rule.suggest.split()) in out
    for example in (*rule.examples.fire, *rule.examples.pass_):
        assert f"  - {' '.join(example.split())}" in out
    fire, never = f"  - {' '.join(rule.examples.fire[0].split())}", f"  - {' '.join(rule.examples.pass_[0].split())}"
    assert out.index("Fires on:") < out.index(fire) < out.index("Does not fire on:") < out.index(never)


def test_rules_explain_unknown_rule_exits_2(project):
    result = run("rules", "explain", "cure-claims")
    assert result.exit_code == 2
    assert "cure-claims" in one_error_line(result)


def test_rules_validate_good_file(project):
    result = run("rules", "validate", str(ROOT / "rules" / "core.yaml"))
    assert result.exit_code == 0, result.stderr
    valid, examples = result.stdout.splitlines()
    assert valid == "1 file valid"
    assert examples.startswith("examples: ") and examples.endswith(" passed, 0 failed")


BROKEN_PACK = """\
pack: broken
rules:
  - id: Not_Kebab
    category: miracles
    severity: fatal
    message: "x"
    source: "y"
    suggest: "z"
    match:
      phrases: [miracle tea]
    examples:
      fire: ["miracle tea"]
      pass: ["green tea"]
"""


def test_rules_validate_broken_file(project):
    write("broken.yaml", BROKEN_PACK)
    result = run("rules", "validate", "broken.yaml")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) >= 3
    for line in lines:
        assert re.match(r"^broken\.yaml:\d+:\d+: \S", line), line
    positions = {tuple(map(int, line.split(":")[1:3])) for line in lines}
    assert {(3, 9), (4, 15), (5, 15)} <= positions  # the id, category and severity values


def test_rules_validate_missing_file(project):
    result = run("rules", "validate", "nothing-here.yaml")
    assert result.exit_code == 2
    assert "nothing-here.yaml" in one_error_line(result)


# --- the files are never touched ---------------------------------------------


def test_input_files_are_never_modified(project):
    files = {
        "d/a.md": "\ufeff---\ntitle: Our tea cures arthritis\n---\r\n\r\nIt has no side effects.\r\n".encode(),
        "d/b.html": b"<p>Caf&eacute; &mdash; our tea cures arthritis.</p>",
        "d/c.txt": "Our balm cures\reczema.\r".encode(),
        "d/e.txt": b"\x00binary",
    }
    for name, data in files.items():
        write(name, data)
    before = {name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in files}
    mtimes = {name: Path(name).stat().st_mtime_ns for name in files}
    assert run("check", "d").exit_code == 2
    assert run("check", "--format", "json", "d/a.md", "d/b.html").exit_code == 1
    assert {name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in files} == before
    assert {name: Path(name).stat().st_mtime_ns for name in files} == mtimes
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == sorted(files)


# --- the installed script, for real (each run loads spaCy: keep these few) ----

needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="overclaim script not installed in this venv")


@needs_script
def test_script_end_to_end_json(tmp_path):
    write(tmp_path / "drafts" / "claim.md", ERROR_CLAIM)
    write(tmp_path / "drafts" / "clean.txt", CLEAN)
    write(tmp_path / "drafts" / "broken.html", b"<p>\xff\xfe\x00\x00</p>")
    proc = subprocess.run([str(SCRIPT), "check", "--format", "json", "drafts"], cwd=tmp_path,
                          capture_output=True, timeout=120, env=PLAIN_ENV)
    assert proc.returncode == 2
    payload = json.loads(proc.stdout.decode("utf-8"))
    assert payload["summary"]["error"] >= 1
    assert {f["path"] for f in payload["findings"]} == {str(Path("drafts", "claim.md"))}
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith("overclaim: ") and "broken.html" in line


@needs_script
def test_script_end_to_end_text_from_stdin_piped(tmp_path):
    proc = subprocess.run([str(SCRIPT), "check", "-", "--stdin-filename", "post.md"], cwd=tmp_path,
                          input=ERROR_CLAIM.encode(), capture_output=True, timeout=120, env=PLAIN_ENV)
    assert proc.returncode == 1
    out = proc.stdout.decode("utf-8")
    assert re.match(r"post\.md:3:\d+: error \[cure-claim\] “[^”]*cures eczema”", out)
    assert "\x1b[" not in out  # a pipe is not a terminal
    assert out.endswith("(1 error, 1 warning, 0 info).\n")
    assert proc.stderr == b""


def test_python_dash_m_linter_help():
    proc = subprocess.run([sys.executable, "-m", "linter", "--help"], capture_output=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert out.startswith("Usage: ") and "check" in out and "rules" in out


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"overclaim, version \d+\.\d+\.\d+\S*\n", result.stdout)


def test_the_pipeline_loads_without_spacy_command_line_modules():
    # spaCy's own CLI (typer, weasel...) is a third of its import time.
    code = (
        "import sys\n"
        "from linter.nlp.loading import load_pipeline\n"
        "nlp = load_pipeline()\n"
        "print(sorted(m for m in sys.modules if m.startswith('spacy.cli')))\n"
        "import spacy\n"
        "print(callable(spacy.info), [t.text for t in nlp('It works.')])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == ["[]", "True ['It', 'works', '.']"]


@pytest.mark.parametrize("chosen, expected", [(None, "1"), ("3", "3")])
def test_the_command_starts_openblas_with_one_thread_unless_the_user_chose(project, chosen, expected):
    # Through `main`, as the console script runs; the exit hook reports what
    # NumPy would have read when the pipeline loaded.
    import os
    import subprocess
    import sys

    (project / "draft.md").write_text("The clinic opens at nine.\n", encoding="utf-8")
    script = (
        "import atexit, os, sys\n"
        "sys.settrace(lambda *args: None)\n"
        "atexit.register(lambda: print('threads', os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr))\n"
        "sys.argv = ['overclaim', 'check', 'draft.md']\n"
        "from linter.cli import main\n"
        "main()\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        environment["OPENBLAS_NUM_THREADS"] = chosen
    done = subprocess.run([sys.executable, "-c", script], cwd=project, env=environment, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.split("threads")[1].split() == [expected]


def test_the_command_makes_full_garbage_collections_rare(project):
    # Run through `main` as the console script does; a trace function makes
    # main leave through sys.exit, so the exit hook can report the thresholds.
    import subprocess
    import sys

    from linter.cli import FULL_COLLECTION_EVERY

    (project / "draft.md").write_text("The clinic opens at nine.\n", encoding="utf-8")
    script = (
        "import atexit, gc, sys\n"
        "sys.settrace(lambda *args: None)\n"
        "print('before', *gc.get_threshold(), file=sys.stderr)\n"
        "atexit.register(lambda: print('after', *gc.get_threshold(), file=sys.stderr))\n"
        "sys.argv = ['overclaim', 'check', 'draft.md']\n"
        "from linter.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before = [int(n) for n in done.stderr.split("before")[1].split("\n")[0].split()]
    after = [int(n) for n in done.stderr.split("after")[1].split()]
    assert after == [before[0], before[1], FULL_COLLECTION_EVERY]  # young generations as CPython has them
    assert before[2] < FULL_COLLECTION_EVERY
