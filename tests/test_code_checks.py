"""The static checks configured in pyproject.toml, run with the suite (and
so by .ci/run): ruff over all Python in the repository, mypy over the
package. A finding fails the suite like any other test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    run = _run("ruff", "check", "--no-cache", "linter", "tests", "benchmarks", "tools", "fuzz")
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_nothing():
    # The files and settings come from [tool.mypy] in pyproject.toml.
    run = _run("mypy")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success" in run.stdout
