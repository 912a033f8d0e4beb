"""The same input gives byte-identical output: finding order, numbers, paths
relative as given, error lines. Each run is a fresh process with its own hash
seed, so nothing may depend on set or dict iteration order of strings."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from robust_support import CLAIM

DRAFTS = {
    "drafts/landing.md": (
        "---\ntitle: Miracle relief for chronic pain\n---\n\n# Feel better\n\n"
        "You don’t have to suffer anymore. Our ketamine infusions relieve depression, "
        "PTSD and migraines, guaranteed. 9 out of 10 patients felt better.\n\n"
        "- 100% safe with no side effects\n- Clinically proven\n"
    ),
    "drafts/page.html": "<h1>Detox</h1><p>Our tea cures arthritis &amp; gout.</p><p>It is not a cure for cancer.</p>",
    "drafts/notes.txt": CLAIM + "\r\n\r\nStudies show it works.\rResults may vary.\n",
    "drafts/word.md": codecs.BOM_UTF16_LE + ("Naïve “copy”: " + CLAIM).encode("utf-16-le"),
    "drafts/broken.md": b"\x00\x01binary",
    "drafts/sub/deeper.markdown": "## FDA approved\n\nThe only treatment that works when nothing else does.\n",
}


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("determinism")
    for name, content in DRAFTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def overclaim(cwd: Path, hash_seed: str, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", *args], cwd=cwd, env=env, capture_output=True, timeout=300
    )


@pytest.mark.parametrize("output", ["json", "text"])
def test_two_runs_are_byte_identical(drafts, output):
    arguments = ("--format", output, "--no-color", "drafts", "./drafts/page.html", "drafts/../drafts/notes.txt")
    first = overclaim(drafts, "1", *arguments)
    second = overclaim(drafts, "4242", *arguments)
    assert first.returncode == second.returncode == 2  # drafts/broken.md is binary
    assert first.stdout == second.stdout and first.stderr == second.stderr
    assert first.stderr.decode() == "overclaim: drafts/broken.md: binary file, not linted\n"
    if output == "json":
        paths = [finding["path"] for finding in json.loads(first.stdout)["findings"]]
        assert paths == sorted(paths)
        # Paths are reported as given: a file named directly keeps its spelling.
        assert {"drafts/landing.md", "./drafts/page.html", "drafts/../drafts/notes.txt", "drafts/word.md"} <= set(paths)
        assert "drafts/sub/deeper.markdown" in paths
