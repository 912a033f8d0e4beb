"""The command line as ruff and Vale users expect it (issue 15): truthful
summaries, the nearest config per file, rule selection, concise output and
statistics, rule documentation links, and the rough edges around them
(Ctrl-C, did-you-mean, folders of rule files, HTML on stdin, examples
silenced by a default cue). The README snippets of these options run here.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from readme_snippets import commands, snippet

from linter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "overclaim"

CURE = "Our balm cures eczema.\n"  # cure-claim (error) and a missing medical-advice disclaimer
CLEAN = "Our herbal tea tastes of mint and honey.\n"
HYPE = "Discover our revolutionary herbal tea.\n"  # miracle-hype (hype, warning)
MHRA = "Our balm is MHRA approved.\n"  # uk-official-approval-claim in the uk pack; official-approval-claim in core
BAD_FRONT_MATTER = "---\noverclaim: {packs: [nope]}\n---\nOur tea cures arthritis.\n"  # unknown pack: not linted


def write(path: str, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def as_json(*args: str, input=None) -> tuple[int, dict]:
    result = run("check", "--format", "json", *args, input=input)
    return result.exit_code, json.loads(result.stdout)


def rules_of(payload: dict) -> set[tuple[str, str]]:
    return {(f["path"], f["rule"]) for f in payload["findings"]}


# --- 1. summaries count linted and unlinted files apart -------------------------------


def test_a_missing_file_is_not_counted_as_linted(project):
    result = run("check", "nope.md")
    assert result.exit_code == 2
    assert result.stdout == "No file linted; 1 file could not be linted.\n"
    code, payload = as_json("nope.md")
    assert code == 2 and payload["summary"]["files"] == 0 and payload["summary"]["not_linted"] == 1


def test_a_folder_of_unreadable_files_is_not_a_clean_pass(project):
    for name in "abcd":
        write(f"drafts/{name}.md", BAD_FRONT_MATTER)
    write("drafts/e.md", CLEAN)
    result = run("check", "drafts")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "No claims found in 1 file; 4 files could not be linted."
    assert len(result.stderr.splitlines()) == 4


def test_sarif_and_junit_count_the_unlinted_files(project):
    write("a.md", CURE)
    sarif = json.loads(run("check", "--format", "sarif", "a.md", "nope.md").stdout)
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["properties"] == {"filesLinted": 1, "filesNotLinted": 1}
    assert not invocation["executionSuccessful"] and len(invocation["toolExecutionNotifications"]) == 1
    junit = ET.fromstring(run("check", "--format", "junit", "a.md", "nope.md").stdout.encode())
    assert (junit.get("tests"), junit.get("errors"), junit.get("failures")) == ("2", "1", "1")


def test_an_empty_folder_is_said_and_exits_2(project):
    Path("drafts").mkdir()
    write("drafts/notes.docs", CURE)  # no extension overclaim reads
    result = run("check", "drafts")
    assert result.exit_code == 2
    assert result.stdout == "No files to lint.\n"
    assert result.stderr.startswith("overclaim: drafts: no file to lint (no .md ")


def test_an_empty_folder_next_to_linted_files_is_said_but_does_not_fail(project):
    Path("empty").mkdir()
    write("a.md", CLEAN)
    result = run("check", "a.md", "empty")
    assert result.exit_code == 0
    assert "overclaim: empty: no file to lint" in result.stderr
    assert result.stdout == "No claims found in 1 file.\n"


# --- 2. the nearest config above each file ------------------------------------------


def test_each_file_gets_the_nearest_config(project):
    write(".overclaim.yaml", "packs: [core]\n")
    write("uk/.overclaim.yaml", "packs: [core, uk]\n")
    write("home.md", MHRA)
    write("uk/home.md", MHRA)
    code, payload = as_json(".")
    found = rules_of(payload)
    assert ("uk/home.md", "uk-official-approval-claim") in found
    assert ("home.md", "official-approval-claim") in found
    assert not any(path == "home.md" and rule.startswith("uk-") for path, rule in found)


def test_each_file_fails_by_its_own_config(project):
    write("relaxed/.overclaim.yaml", "fail_on: never\n")
    write("relaxed/a.md", CURE)
    write("strict/a.md", CURE)
    assert run("check", "relaxed").exit_code == 0
    assert run("check", "relaxed", "strict").exit_code == 1


def test_configs_that_select_the_same_rules_share_one_engine(project):
    from linter.run.config_scope import ConfigFinder, ConfigLoader, plan_run
    from linter.run.config_groups import prepare
    from linter.run.rule_selection import Selection

    write("a/.overclaim.yaml", "fail_on: never\n")
    write("b/.overclaim.yaml", 'exclude: ["old/*"]\n')
    write("c/.overclaim.yaml", "packs: [core, uk]\n")
    for name in ("a/x.md", "b/x.md", "c/x.md", "y.md"):
        write(name, CURE)
    plan = plan_run(["."], ConfigFinder(), ConfigLoader())
    assert len(plan.groups) == 4
    runs = prepare(plan, ConfigLoader(), None, Selection(), False, False)
    assert sorted(sorted(run.governing) for run in runs) == [["a/x.md", "b/x.md", "y.md"], ["c/x.md"]]


def test_dot_yml_config_is_read(project):
    write(".overclaim.yml", "disable: [cure-claim]\n")
    write("a.md", CURE)
    _, payload = as_json("a.md")
    assert "cure-claim" not in {f["rule"] for f in payload["findings"]}


def test_a_misnamed_pyproject_table_is_said(project):
    write("pyproject.toml", '[project]\nname = "site"\n\n[tools.overclaim]\ndisable = ["cure-claim"]\n')
    write("a.md", CURE)
    result = run("check", "a.md")
    assert "overclaim: warning: " in result.stderr
    assert "pyproject.toml:4: table [tools.overclaim] is not read by overclaim; did you mean [tool.overclaim]?" in result.stderr


def test_exclude_of_a_nested_config_is_relative_to_it(project):
    write("uk/.overclaim.yaml", 'exclude: ["archive/*"]\n')
    write("uk/archive/old.md", CURE)
    write("uk/new.md", CURE)
    _, payload = as_json(".")
    assert {path for path, _ in rules_of(payload)} == {"uk/new.md"}


def test_force_exclude_applies_exclude_to_named_files(project):
    write(".overclaim.yaml", 'exclude: ["drafts/archive/*"]\n')
    write("drafts/archive/old.md", CURE)
    assert run("check", "drafts/archive/old.md").exit_code == 1  # named: linted
    result = run("check", "--force-exclude", "drafts/archive/old.md")
    assert result.exit_code == 0 and result.stdout == "No files to lint.\n"


def test_config_command_shows_which_config_applies(project):
    write("uk/.overclaim.yaml", "packs: [core, uk]\nfail_on: warning\n")
    write("uk/landing.md", MHRA)
    result = run("config", "uk/landing.md", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert Path(shown["config"]) == (project / "uk" / ".overclaim.yaml").resolve()
    assert shown["packs"] == ["core", "uk"] and shown["fail_on"] == "warning" and not shown["excluded"]
    assert "uk-official-approval-claim" in shown["rules"]
    text = run("config", "landing.md").stdout
    assert "config:" in text and "none found (defaults)" in text


def test_the_pre_commit_hook_forces_exclude():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "entry: overclaim check --force-exclude" in hooks


# --- 5. --jobs says what it does: tests/test_parallel.py (the default is decided there) ---


# --- 6. Ctrl-C, did-you-mean, rule folders, HTML on stdin --------------------------------


def _blocked_on_stdin(process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the process waits for standard input (its handlers are set by then)."""
    wchan = Path(f"/proc/{process.pid}/wchan")
    if not wchan.exists():
        pytest.skip("needs /proc to see when the process waits for input")
    deadline = time.monotonic() + timeout
    while "pipe" not in wchan.read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the process never read standard input"
        time.sleep(0.05)


@pytest.mark.parametrize("command", [["check", "-"], ["report", "-", "-o", "report.html"]])
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path, command):
    process = subprocess.Popen([str(SCRIPT), *command], cwd=tmp_path, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _blocked_on_stdin(process)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stdout == b"" and stderr.strip() == b"overclaim: interrupted"
    assert not (tmp_path / "report.html").exists()


def test_rules_explain_suggests_the_rule_meant(project):
    result = run("rules", "explain", "cure-clam")
    assert result.exit_code == 2
    assert "did you mean 'cure-claim'?" in result.stderr


def test_rules_validate_accepts_a_directory(project):
    write("my-rules/conspiracy.yaml", snippet("validate-pack").replace("[big pharma]", "[big pharma]\n    unless: []"))
    write("my-rules/lexicons/brands.yml", "lexicon: brands\nterms: [acme]\n")
    write("my-rules/notes/broken.yaml", "pack: broken\nrules: 3\n")
    result = run("rules", "validate", "my-rules")
    assert result.exit_code == 2
    assert "broken.yaml" in result.stderr and "conspiracy.yaml" not in result.stderr
    Path("my-rules/notes/broken.yaml").unlink()
    result = run("rules", "validate", "my-rules")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["2 files valid", "examples: 2 passed, 0 failed"]


def test_html_on_stdin_is_read_as_html(project):
    page = "<!DOCTYPE html>\n<html><body><p>Our balm <b>cures</b> eczema.</p><script>var cure = 1;</script></body></html>\n"
    code, payload = as_json("-", input=page.encode())
    assert code == 1
    (cure,) = [f for f in payload["findings"] if f["rule"] == "cure-claim"]
    assert cure["text"] == "balm <b>cures</b> eczema"  # read as HTML: tags inside the match


def test_plain_text_on_stdin_stays_plain_text(project):
    code, payload = as_json("-", input=b"# Not a heading\n\nOur balm cures eczema.\n")
    assert code == 1 and payload["findings"][0]["path"] == "-"


# --- 7. an example silenced by a default cue says so ----------------------------------


def test_rules_validate_runs_examples_and_names_the_cue(project):
    write("my-rules/conspiracy.yaml", snippet("validate-pack"))
    (command,) = commands("validate-examples")
    result = run(*shlex.split(command)[1:])
    assert result.exit_code == 1
    expected = [line for line in _text_after("validate-examples").splitlines()]
    assert result.stdout.splitlines() == expected
    assert "'negated'" in result.stdout and "unless: []" in result.stdout


def test_rules_validate_without_examples(project):
    write("my-rules/conspiracy.yaml", snippet("validate-pack"))
    result = run("rules", "validate", "--no-examples", "my-rules")
    assert result.exit_code == 0 and result.stdout == "1 file valid\n"


# --- selection, statistics, concise, documentation links ---------------------------------


def test_select_ignore_and_extend_select(project):
    write("a.md", CURE + "\n" + HYPE + "\n" + MHRA)
    everything = {rule for _, rule in rules_of(as_json("a.md")[1])}
    assert {"cure-claim", "miracle-hype"} <= everything and "uk-official-approval-claim" not in everything
    assert {rule for _, rule in rules_of(as_json("a.md", "--select", "cure-claim")[1])} == {"cure-claim"}
    assert {rule for _, rule in rules_of(as_json("a.md", "--select", "hype")[1])} == {"miracle-hype"}  # a category
    ignored = {rule for _, rule in rules_of(as_json("a.md", "--ignore", "hype,disclaimer")[1])}
    assert ignored == everything - {"miracle-hype"} - {r for r in everything if r.startswith("missing-")}
    extended = {rule for _, rule in rules_of(as_json("a.md", "--extend-select", "uk")[1])}
    # (core's general official-approval-claim stands back where the uk rule reports the same words)
    assert extended == everything - {"official-approval-claim"} | {"uk-official-approval-claim"}
    one = {rule for _, rule in rules_of(as_json("a.md", "--select", "uk-official-approval-claim")[1])}
    assert one == {"uk-official-approval-claim"}


def test_an_unknown_selector_is_an_error_with_a_hint(project):
    write("a.md", CURE)
    result = run("check", "a.md", "--select", "cure-clam")
    assert result.exit_code == 2
    assert result.stderr.startswith("overclaim: --select: 'cure-clam' is not a rule id, category or pack (did you mean 'cure-claim'?)")


def test_selection_applies_to_documents_that_choose_their_packs(project):
    write("a.md", "---\npacks: [core, uk]\n---\n" + CURE + "\n" + MHRA)
    assert {rule for _, rule in rules_of(as_json("a.md", "--ignore", "uk,disclaimer")[1])} == {"cure-claim", "official-approval-claim"}


def test_statistics_count_findings_per_rule(project):
    write("a.md", CURE + "\nThis tea cures arthritis.\n\n" + HYPE)
    result = run("check", "a.md", "--statistics")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["2", "cure-claim", "error", "cure"]
    assert lines[-1].startswith("Found ")
    rows = json.loads(run("check", "a.md", "--statistics", "--format", "json").stdout)
    assert rows[0] == {"rule": "cure-claim", "count": 2, "severity": "error", "category": "cure"}
    assert sum(row["count"] for row in rows) == len(as_json("a.md")[1]["findings"])
    assert run("check", "a.md", "--statistics", "--format", "sarif").exit_code == 2


def test_concise_format_is_one_line_per_finding(project):
    write("a.md", CURE + "\n" + HYPE)
    _, payload = as_json("a.md")
    lines = run("check", "a.md", "--format", "concise").stdout.splitlines()
    assert lines[:-1] == [f"{f['path']}:{f['line']}:{f['column']}: {f['severity']} [{f['rule']}] {f['message']}"
                          for f in payload["findings"]]
    assert lines[-1].startswith("Found ")


def test_findings_link_to_their_rule_documentation(project):
    write("a.md", CURE)
    _, payload = as_json("a.md")
    assert {f["url"] for f in payload["findings"] if f["rule"] == "cure-claim"} == {"docs/rules.md#cure-claim"}
    assert "  = docs: docs/rules.md#cure-claim" in run("check", "a.md").stdout.splitlines()
    write(".overclaim.yaml", "docs_url: https://example.org/overclaim/docs/rules.md\n")
    sarif = json.loads(run("check", "a.md", "--format", "sarif").stdout)
    described = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert described["cure-claim"]["helpUri"] == "https://example.org/overclaim/docs/rules.md#cure-claim"


def test_every_rule_has_its_anchor_in_rules_md():
    from linter.packs.loading import load_rules
    from linter.packs.pack_files import available_packs

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in load_rules(tuple(available_packs())).rules:
        assert f'<a id="{rule.id}"></a>' in text


def test_a_custom_rule_has_no_link(project):
    write("my-rules/conspiracy.yaml", snippet("validate-pack").replace("[big pharma]", "[big pharma]\n    unless: []"))
    write(".overclaim.yaml", "rule_dirs: [my-rules]\n")
    write("a.md", "Big Pharma doesn't want you to know.\n")
    _, payload = as_json("a.md")
    (finding,) = [f for f in payload["findings"] if f["rule"] == "big-pharma-conspiracy"]
    assert finding["url"] is None


# --- README snippets ----------------------------------------------------------------------


def _text_after(name: str) -> str:
    """The ```text block that follows snippet `name` in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rest = readme[readme.index(f"<!-- snippet: {name} -->"):]
    start = rest.index("```text\n") + len("```text\n")
    return rest[start:rest.index("```", start)]


def test_concise_and_statistics_snippet(project):
    write("content/joints.md", "Our turmeric blend cures arthritis.\n")
    concise, statistics = commands("concise")
    shown = _text_after("concise").splitlines()
    out = run(*shlex.split(concise)[1:]).stdout.splitlines() + run(*shlex.split(statistics)[1:]).stdout.splitlines()
    assert out == shown


def test_select_snippet(project):
    write("content/a.md", CURE + "\n" + HYPE + "\nGuaranteed results with every cup.\n\n" + MHRA)
    only, without, extended, one = commands("select")

    def findings(command: str) -> list[dict]:
        result = run(*shlex.split(command)[1:], "--format", "json")
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)["findings"]

    assert {f["category"] for f in findings(only)} == {"cure", "guarantee"}
    left = {f["category"] for f in findings(without)}
    assert left and not left & {"hype", "disclaimer"}
    assert {"uk-official-approval-claim", "cure-claim", "miracle-hype"} <= {f["rule"] for f in findings(extended)}
    assert {f["rule"] for f in findings(one)} == {"uk-official-approval-claim"}


def test_config_show_snippet(project):
    write("uk/.overclaim.yaml", "packs: [core, uk]\n")
    write("uk/landing.md", MHRA)
    text, as_json_command = commands("config-show")
    assert "packs:" in run(*shlex.split(text)[1:]).stdout
    assert json.loads(run(*shlex.split(as_json_command)[1:]).stdout)["packs"] == ["core", "uk"]


def test_force_exclude_snippet(project):
    write(".overclaim.yaml", 'exclude: ["drafts/archive/*"]\n')
    write("drafts/archive/2019-launch.md", CURE)
    (command,) = commands("force-exclude")
    assert run(*shlex.split(command)[1:]).exit_code == 0


def test_install_snippet_is_for_users_not_developers():
    lines = [line.split("#")[0].strip() for line in snippet("install").splitlines()]
    venv, install, first = lines
    assert venv.startswith("python3 -m venv ")
    assert "pip install ./overclaim" in install and "[test]" not in install
    sample = first.split("overclaim check ")[1]
    assert sample.startswith("overclaim/") and (ROOT / sample.removeprefix("overclaim/")).is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Install") < readme.index("## Usage")


def test_install_snippet_first_lint_runs(project):
    # The checkout as the snippet names it: ./overclaim
    os.symlink(ROOT, project / "overclaim")
    first = snippet("install").splitlines()[2].split("#")[0].strip()
    result = run(*shlex.split(first.split("bin/", 1)[1])[1:])
    assert result.exit_code == 1 and result.stdout.splitlines()[-1].startswith("Found ")
