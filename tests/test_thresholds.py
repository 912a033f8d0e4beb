"""Fail thresholds: --fail-on, fail_on in config, and per-category fail_on_category."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.config import load_config
from linter.core.errors import ConfigError
from linter.core.model import Finding, Severity
from linter.review.thresholds import FailPolicy

CURE = "Our turmeric blend cures arthritis.\n"  # cure-claim: error (and a disclaimer warning)
HYPE = "Discover our revolutionary herbal tea.\n"  # miracle-hype: warning


def finding(category: str, severity: Severity) -> Finding:
    return Finding("a.md", 1, 1, 1, 2, "r", category, severity, "m", "t", "", "", None, (), 0, 1)


def test_policy_uses_the_category_level_before_the_default():
    policy = FailPolicy(Severity.ERROR, {"hype": None, "cure": Severity.INFO})
    assert policy.fails(finding("cure", Severity.INFO))
    assert not policy.fails(finding("hype", Severity.ERROR))
    assert policy.fails(finding("safety", Severity.ERROR))
    assert not policy.fails(finding("safety", Severity.WARNING))
    assert not FailPolicy(None).any_fails([finding("cure", Severity.ERROR)])


def test_config_reads_fail_on_category(tmp_path):
    path = tmp_path / ".overclaim.yaml"
    path.write_text("fail_on: warning\nfail_on_category:\n  cure: info\n  hype: never\n  suppression: warning\n")
    config = load_config(path)
    assert config.fail_on is Severity.WARNING
    assert dict(config.fail_on_category) == {"cure": Severity.INFO, "hype": None, "suppression": Severity.WARNING}


def test_config_accepts_never_as_fail_on(tmp_path):
    path = tmp_path / ".overclaim.yaml"
    path.write_text("fail_on: never\n")
    assert load_config(path).fail_on is None


def test_pyproject_fail_on_category_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.overclaim]\nfail_on = "info"\n\n[tool.overclaim.fail_on_category]\nhype = "never"\ncuer = "info"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == f"{path}:6:1: unknown category 'cuer' in 'fail_on_category' (did you mean 'cure'?)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("fail_on_category:\n  cuer: info\n", ":2:3: unknown category 'cuer' in 'fail_on_category' (did you mean 'cure'?)"),
        ("fail_on_category:\n  cure: loud\n", ":2:9: unknown level 'loud' in 'fail_on_category' (expected error, warning, info or never)"),
        ("fail_on_category: [cure]\n", ":1:19: 'fail_on_category' must be a mapping, not a list"),
        ("fail_on_categories: {}\n", ":1:1: unknown key 'fail_on_categories' (did you mean 'fail_on_category'?)"),
    ],
)
def test_config_errors_point_at_file_line_and_column(tmp_path, text, message):
    path = tmp_path / ".overclaim.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value) == f"{path}{message}"


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    Path("hype.md").write_text(HYPE, encoding="utf-8")
    Path("cure.md").write_text(CURE, encoding="utf-8")
    return tmp_path


def exit_code(*args: str) -> int:
    result = CliRunner().invoke(cli, ["check", "--no-color", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


def test_category_thresholds_decide_the_exit_code(project):
    assert exit_code("hype.md", "--fail-on", "warning") == 1
    Path(".overclaim.yaml").write_text("fail_on: warning\nfail_on_category: {hype: never}\n")
    assert exit_code("hype.md") == 0
    assert exit_code("cure.md") == 1
    Path(".overclaim.yaml").write_text("fail_on_category: {cure: never, disclaimer: never}\n")
    assert exit_code("cure.md") == 0
    # --fail-on replaces the default level; the categories config names keep theirs.
    assert exit_code("cure.md", "--fail-on", "info") == 0
    assert exit_code("hype.md", "--fail-on", "info") == 1


def test_fail_on_never_reports_but_never_fails(project):
    result = CliRunner().invoke(cli, ["check", "--no-color", "--fail-on", "never", "cure.md"])
    assert result.exit_code == 0
    assert "error [cure-claim]" in result.output
