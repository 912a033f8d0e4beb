"""Fixtures for the robustness tests: a working directory to lint in, the CLI
run in-process with the session's spaCy pipeline (`fast_cli` from
tests/conftest.py), and unreadable files even when the tests run as root."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


@pytest.fixture
def workdir(tmp_path, monkeypatch, fast_cli) -> Path:
    """An empty current directory without config; CLI runs reuse the session pipeline."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


@pytest.fixture
def overclaim(workdir):
    """overclaim(*args) -> Run, in-process."""

    def run(*args: str, input: bytes | None = None) -> Run:
        result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def deny_reads(monkeypatch):
    """chmod 000 denies reading, also as root.

    The kernel lets root read any file, so when the tests run as root the
    denial is simulated at the system call the linter makes (os.open), from
    the file's real mode bits: the code path taken is the real one, from
    PermissionError up. Returns the function that makes a path unreadable.
    """
    if os.geteuid() == 0:
        real_open = os.open

        def guarded_open(path, flags, *args, **kwargs):
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = None
            if mode is not None and not mode & (stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)

        real_scandir = os.scandir

        def guarded_scandir(path="."):
            if not os.stat(path).st_mode & stat.S_IRUSR:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", guarded_scandir)

    made: list[Path] = []

    def deny(path: Path) -> Path:
        path.chmod(0)
        made.append(path)
        return path

    yield deny
    for path in made:
        path.chmod(stat.S_IRWXU)
