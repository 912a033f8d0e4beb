"""Every way a run can fail ends in one line naming what failed and exit 2,
never a traceback with exit 1 (the "findings" code) (issue 17). Ctrl-C
exits 130; a run that selects no rules is an error, not a clean pass."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from robust_support import CLAIM


def assert_one_line(run, starts: str, reason: str) -> None:
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    assert len(run.error_lines) == 1, run.error_lines
    assert run.error_lines[0].startswith(f"overclaim: {starts}"), run.error_lines
    assert reason in run.error_lines[0], run.error_lines
    assert "Traceback" not in run.stderr


@pytest.fixture
def draft(workdir):
    (workdir / "f.md").write_text(CLAIM + "\n", encoding="utf-8")
    return "f.md"


@pytest.mark.parametrize("name, make, reason", [
    ("deep.json", lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "deep.json:1:65: invalid baseline: nested deeper than 64 levels"),
    ("digits.json", lambda p: p.write_text('{"kind": "overclaim-baseline", "version": ' + "9" * 5000 + "}"),
     "invalid baseline: a number too long to read"),
    ("fifo.json", lambda p: os.mkfifo(p), "not a regular file"),
])
def test_a_hostile_baseline_is_one_line(overclaim, workdir, draft, name, make, reason):
    make(workdir / name)
    run = overclaim("check", "--baseline", name, draft)  # the FIFO must not block
    assert_one_line(run, name, reason)


def test_a_device_as_the_baseline_is_one_line(overclaim, draft):
    assert_one_line(overclaim("check", "--baseline", "/dev/zero", draft), "/dev/zero", "not a regular file")


@pytest.mark.parametrize("entry, reason", [
    ('"a\\0b"', "embedded null byte"),
    ('"' + "x" * 5000 + '"', "File name too long"),
])
def test_an_unusable_rule_directory_is_one_line(overclaim, workdir, draft, entry, reason):
    (workdir / ".overclaim.yaml").write_text(f"rule_dirs: [{entry}]\n", encoding="utf-8")
    run = overclaim("check", draft)
    assert_one_line(run, str(workdir / ".overclaim.yaml") + ":1:", reason)
    assert len(run.error_lines[0]) < 300


def test_a_model_path_that_is_not_a_pipeline_is_one_line(overclaim, workdir, draft):
    (workdir / "mydir").mkdir()
    (workdir / ".overclaim.yaml").write_text("model: ./mydir\n", encoding="utf-8")
    assert_one_line(overclaim("check", draft), "cannot load spaCy pipeline './mydir'", "not a pipeline directory")


@pytest.mark.parametrize("setup, args, starts", [
    ("packs: []\n", (), "{config}"),
    ("", ("--packs", ","), "--packs"),
])
def test_selecting_no_rules_is_an_error(overclaim, workdir, draft, setup, args, starts):
    config = workdir / ".overclaim.yaml"
    if setup:
        config.write_text(setup, encoding="utf-8")
    run = overclaim("check", *args, draft)
    assert_one_line(run, starts.format(config=config), "no rules selected")


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "linter", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.skipif(sys.platform == "win32", reason="closing stdin of a child is POSIX")
def test_a_closed_stdin_is_one_line_for_dash_and_harmless_otherwise(workdir, draft):
    closed = {"stdin": subprocess.DEVNULL, "preexec_fn": lambda: os.close(0)}
    with_dash = _cli("check", "--no-color", "-", **closed)
    out, err = with_dash.communicate(timeout=300)
    assert with_dash.returncode == 2, err
    assert err.decode().strip().splitlines() == ["overclaim: -: standard input is closed"]
    without = _cli("check", "--no-color", draft, **closed)
    out, err = without.communicate(timeout=300)
    assert without.returncode == 1 and b"cure-claim" in out and not err, err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_exits_130_with_one_line(workdir):
    (workdir / "big.md").write_text("Our tea is warm. " * 1_000_000 + "\n", encoding="utf-8")
    run = _cli("check", "--no-color", "big.md")
    time.sleep(2)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert err.decode().strip().splitlines() == ["overclaim: interrupted"]


def test_a_user_rule_cannot_take_a_meta_rule_id(tmp_path):
    from linter.core.meta_rule_table import META_RULES
    from linter.packs.loading import validate_files

    for rule_id in META_RULES:
        pack = tmp_path / "house.yaml"
        pack.write_text(
            "pack: house\nrules:\n"
            f"  - id: {rule_id}\n    category: hype\n    severity: warning\n    message: m\n    source: s\n"
            "    suggest: s\n    match:\n      phrases: [\"miracle\"]\n    examples:\n"
            "      fire: [\"A miracle.\"]\n      pass: [\"Plain.\"]\n",
            encoding="utf-8",
        )
        problems = [str(p) for p in validate_files([pack])]
        assert problems == [f"{pack}:3:5: rule id '{rule_id}' is reserved for a built-in meta rule (suppressions); choose another id"]


# --- issue 17 item 12: every nesting limit says the number it applies ---------------


def test_a_baseline_at_the_nesting_limit_is_read_past_it_refused(overclaim, workdir, draft):
    # 64 levels is no baseline (so "not an overclaim baseline"), 65 is refused by the depth limit
    (workdir / "at.json").write_text("[" * 64 + "]" * 64, encoding="utf-8")
    assert_one_line(overclaim("check", "--baseline", "at.json", draft), "at.json", "not an overclaim baseline")
    (workdir / "past.json").write_text('{"a": "[[[[", "b": ' + "[" * 64 + "]" * 64 + "}", encoding="utf-8")
    # brackets inside a string do not count; the 65th level opens at column 20 + 63
    assert_one_line(overclaim("check", "--baseline", "past.json", draft), "past.json:1:83:", "nested deeper than 64 levels")


@pytest.mark.parametrize("depth", [70, 100_000])
def test_a_deeply_nested_pyproject_is_one_line_with_the_limit(overclaim, workdir, draft, depth):
    (workdir / "pyproject.toml").write_text(
        "[tool.overclaim]\npacks = ['core']\nx = " + "[" * depth + "]" * depth + "\n", encoding="utf-8"
    )
    run = overclaim("check", draft)
    assert_one_line(run, str(workdir / "pyproject.toml") + ":3:69:", "invalid TOML: arrays and tables nested deeper than 64 levels")


@pytest.mark.parametrize("depth", [70, 100_000])
def test_a_deeply_nested_yaml_config_is_one_line_with_the_limit(overclaim, workdir, draft, depth):
    (workdir / ".overclaim.yaml").write_text("packs: [core]\nx: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    run = overclaim("check", draft)
    assert_one_line(run, str(workdir / ".overclaim.yaml") + ":2:", "lists and mappings nested over 64 levels deep")


def test_a_config_that_disables_every_default_rule_is_an_error(overclaim, workdir, draft):
    """The default packs (no `packs:` in config) with all their rules
    disabled once crashed with a TypeError while naming the packs."""
    from linter.packs.loading import load_rules

    defaults = load_rules()
    config = workdir / ".overclaim.yaml"
    config.write_text("disable: [" + ", ".join(rule.id for rule in defaults.rules) + "]\n", encoding="utf-8")
    run = overclaim("check", draft)
    assert_one_line(run, str(config), f"no rules selected (packs: {', '.join(defaults.packs)})")
