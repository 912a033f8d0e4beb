"""The integration snippets of README.md, run as written, and the files they rely on:
.pre-commit-hooks.yaml and action.yml.

(The pre-commit snippet is run for real, with pre-commit, in test_precommit.py.)
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from readme_snippets import commands, snippet

from linter.cli import cli
from linter.config import load_config
from linter.read.document_packs import document_packs
from linter.read import read_document

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CURE = "Our turmeric blend cures arthritis."
HYPE = "Discover our revolutionary herbal tea."


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "content").mkdir()
    return tmp_path


def cli_run(command: str):
    """Run an `overclaim ...` command line in-process (shared pipeline)."""
    args = shlex.split(command)
    assert args[0] == "overclaim"
    return CliRunner().invoke(cli, args[1:])


def shell(script: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a script with bash, as a CI step would, with this venv's overclaim on PATH."""
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    environment.pop("GITHUB_ACTIONS", None)
    environment.update(env or {})
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


# --- pre-commit --------------------------------------------------------------------


def test_hook_manifest():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "overclaim" and hook["language"] == "python" and hook["require_serial"] is True
    from identify.identify import ALL_TAGS

    assert set(hook["types_or"]) <= ALL_TAGS
    assert {"markdown", "html", "plain-text"} <= set(hook["types_or"])
    program, *args = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert program in scripts and args == ["check", "--force-exclude"]


def test_pre_commit_snippet_uses_the_hook():
    config = yaml.safe_load(snippet("pre-commit-config"))
    (repo,) = config["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == ["overclaim"]
    assert repo["repo"].startswith("https://") and repo["rev"]
    assert commands("pre-commit-install", "pre-commit") == ["pre-commit install", "pre-commit run overclaim --all-files"]


# --- GitHub Actions ----------------------------------------------------------------


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def expand(text: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        assert match[1] in values, f"action.yml uses ${{{{ {match[1]} }}}}, which this test does not provide"
        return values[match[1]]

    return EXPRESSION.sub(value, text)


def run_action(inputs: dict[str, str], workspace: Path, runner_temp: Path) -> subprocess.CompletedProcess:
    """Run action.yml's steps the way the runner would, with this checkout as the action.

    The install step must install `github.action_path` into the venv the
    lint step uses; here that venv is this test run's own (already has this
    checkout installed), linked where the install step would create it.
    """
    spec = action()
    assert spec["runs"]["using"] == "composite"
    values = {f"inputs.{name}": str(inputs.get(name, item.get("default", ""))) for name, item in spec["inputs"].items()}
    values["github.action_path"] = str(ROOT)
    install, lint = spec["runs"]["steps"]
    assert re.search(r'pip install (--quiet )?"\$\{\{ github.action_path \}\}"', install["run"])
    venv = re.search(r'"\$RUNNER_TEMP/([\w.-]+)/bin/python" -m pip install', install["run"])
    assert venv and f'"$RUNNER_TEMP/{venv[1]}/bin/overclaim" check' in lint["run"]
    (runner_temp / venv[1]).symlink_to(Path(sys.prefix), target_is_directory=True)
    env = {key: expand(str(value), values) for key, value in lint.get("env", {}).items()}
    env.update(RUNNER_TEMP=str(runner_temp), GITHUB_ACTIONS="true")
    assert lint["shell"] == "bash"
    return shell(expand(lint["run"], values), workspace, env)


def test_workflow_snippet_runs_the_action_and_annotates(project, tmp_path_factory):
    workflow = yaml.safe_load(snippet("workflow"))
    steps = workflow["jobs"]["copy"]["steps"]
    (step,) = [s for s in steps if re.fullmatch(r"[\w.-]+/overclaim@[\w.-]+", s.get("uses", ""))]
    inputs = step.get("with", {})
    assert set(inputs) <= set(action()["inputs"])
    Path("content/joints.md").write_text(f"# Joints\n\n{HYPE}\n", encoding="utf-8")
    Path("content/clean.md").write_text("Our ginger tea is warm and spicy.\n", encoding="utf-8")
    done = run_action(inputs, project, tmp_path_factory.mktemp("runner-temp"))
    assert done.returncode == 1, done.stderr  # --fail-on warning, and the hype claim is a warning
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::warning file=content/joints.md,line=3,col=")
    assert ",title=overclaim miracle-hype::" in lines[0]
    assert lines[-1].startswith("Found 1 finding in 2 files")


def test_action_defaults_lint_the_workspace(project, tmp_path_factory):
    Path("content/clean.md").write_text("Our ginger tea is warm and spicy.\n", encoding="utf-8")
    done = run_action({}, project, tmp_path_factory.mktemp("runner-temp"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "No claims found in 1 file."


def test_sarif_workflow_snippet_writes_a_valid_log(project):
    steps = yaml.safe_load(snippet("workflow-sarif"))["jobs"]["copy"]["steps"]
    runs = [s["run"] for s in steps if "run" in s and s["run"].startswith("overclaim ")]
    assert len(runs) == 1
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    Path("content/joints.md").write_text(f"{CURE}\n", encoding="utf-8")
    done = shell(runs[0], project)
    assert done.returncode == 0, done.stderr  # --fail-on never
    log = json.loads(Path(upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "tests" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert "cure-claim" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_junit_snippet(project):
    (command,) = commands("junit")
    Path("content/joints.md").write_text(f"{CURE}\n", encoding="utf-8")
    Path("content/clean.md").write_text("Our ginger tea is warm and spicy.\n", encoding="utf-8")
    done = shell(command, project)
    assert done.returncode == 0, done.stderr
    suite = ET.parse(command.rsplit("> ", 1)[1]).getroot()[0]
    assert [case.get("name") for case in suite] == ["content/clean.md", "content/joints.md"]
    assert suite[1].find("failure").get("type") == "cure-claim"


# --- suppressions, baselines, thresholds, front matter -----------------------------------


def _normalise(line: str) -> str:
    # The exact span of a suppressed claim belongs to the rule pack; its line and rule are checked.
    return re.sub(r"^(  suppressed [^:]+:\d+):\d+(: \w+ \[[a-z0-9-]+\]) “[^”]*”$", r"\1:…\2 “…”", line)


def test_suppressions_snippet_prints_what_the_readme_shows(project):
    Path("page.md").write_text(snippet("suppressions-example"), encoding="utf-8")
    result = cli_run("overclaim check page.md --report-suppressions --no-color")
    assert result.exit_code == 0, result.output
    output = [_normalise(line) for line in result.stdout.splitlines()]
    expected = [_normalise(line) for line in snippet("suppressions-output").splitlines() if line != "…"]
    position = 0
    for line in expected:
        assert line in output[position:], f"README line not in the output (in order): {line!r}\n{result.stdout}"
        position = output.index(line, position) + 1
    assert output[-1] == expected[-1]


def test_baseline_snippet(project):
    write_baseline, check = commands("baseline")
    joints = Path("content/joints.md")
    joints.write_text(f"# Joints\n\n{CURE}\n", encoding="utf-8")
    result = cli_run(write_baseline)
    assert result.exit_code == 0, result.output
    assert json.loads(Path("overclaim-baseline.json").read_text(encoding="utf-8"))["version"] == 1
    result = cli_run(check)
    assert result.exit_code == 0 and "in the baseline" in result.stdout
    joints.write_text("New intro.\n\n" + joints.read_text(encoding="utf-8") + "\nThis tea will cure your insomnia.\n",
                      encoding="utf-8")
    result = cli_run(check + " --format json")
    assert result.exit_code == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["cure-claim"]


def test_thresholds_snippet(project):
    Path(".overclaim.yaml").write_text(snippet("thresholds-config"), encoding="utf-8")
    config = load_config(Path(".overclaim.yaml"))
    assert config.fail_on_category["hype"] is None
    Path("content/hype.md").write_text(f"{HYPE}\n", encoding="utf-8")
    assert cli_run("overclaim check content/hype.md").exit_code == 0
    Path("content/waived.md").write_text(
        f"<!-- overclaim-disable-next-line miracle-hype -->\n{HYPE}\n", encoding="utf-8")
    result = cli_run("overclaim check content/waived.md --no-color")
    assert result.exit_code == 1 and "[suppression-without-reason]" in result.stdout


def test_front_matter_snippet(project):
    Path("page.md").write_text(snippet("front-matter"), encoding="utf-8")
    chosen = document_packs(read_document("page.md", Path("page.md").read_bytes()), ("core", "us", "uk", "eu"))
    assert chosen is not None and chosen.packs == ("core", "uk")
    assert cli_run("overclaim check page.md").exit_code == 0
