"""Golden output: the full report on a sample landing page, byte for byte.

tests/fixtures/golden/draft.md is a supplement landing page with claims of
several kinds, sentences that must stay clean (negated, hedged, a question, a
conditional) and prose the reader must skip (front-matter keys other than
title/description, a code block, inline code).

The expected outputs are the CLI's own, run from the repository root:

    overclaim check --no-color tests/fixtures/golden/draft.md > tests/fixtures/golden/draft.expected.txt
    overclaim check --format json tests/fixtures/golden/draft.md > tests/fixtures/golden/draft.expected.json

To regenerate both after an intended change (rules, messages, format):

    OVERCLAIM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

then read the diff: every finding must be right, and nothing must be missed.
test_golden_findings_are_the_right_ones guards the essentials either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path("tests", "fixtures", "golden")
DRAFT = GOLDEN / "draft.md"
EXPECTED_TEXT = GOLDEN / "draft.expected.txt"
EXPECTED_JSON = GOLDEN / "draft.expected.json"
UPDATE = os.environ.get("OVERCLAIM_UPDATE_GOLDEN") == "1"
SCRIPT = Path(sys.executable).parent / "overclaim"


def compare_or_update(expected_path: Path, actual: bytes) -> None:
    path = ROOT / expected_path
    if UPDATE:
        path.write_bytes(actual)
        pytest.skip(f"updated {expected_path}")
    assert path.is_file(), f"{expected_path} is missing: run OVERCLAIM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"
    expected = path.read_bytes()
    # Compared as text first for a readable diff, then as bytes for exactness.
    assert actual.decode("utf-8") == expected.decode("utf-8"), (
        f"output differs from {expected_path}; if the change is intended, regenerate with "
        "OVERCLAIM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py and review the diff")
    assert actual == expected


def test_golden_text_output_end_to_end():
    """The installed script, run for real from the repository root."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "linter"]
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}  # text is the default format elsewhere
    proc = subprocess.run([*command, "check", "--no-color", str(DRAFT)], cwd=ROOT, capture_output=True, timeout=120,
                          env=env)
    assert proc.stderr == b""
    assert proc.returncode == 1  # the draft has error-level claims
    compare_or_update(EXPECTED_TEXT, proc.stdout)


def test_golden_json_output(fast_cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(DRAFT)], catch_exceptions=False)
    assert result.exit_code == 1
    compare_or_update(EXPECTED_JSON, result.stdout_bytes)


def test_golden_findings_are_the_right_ones():
    """What any regenerated golden file must still say about the draft."""
    payload = json.loads((ROOT / EXPECTED_JSON).read_text(encoding="utf-8"))
    found = {(f["line"], f["rule"]) for f in payload["findings"]}
    must = {
        (2, "absolute-safety-claim"),  # front-matter title: "100% safe"
        (7, "miracle-hype"),  # heading: "revolutionary"
        (9, "cure-claim"),  # "gummies cure insomnia"
        (9, "unsupported-evidence-claim"),  # "clinically proven"
        (10, "unsourced-statistic"),  # "92% of users"
        (16, "outcome-testimonial"),  # quoted testimonial
        (27, "fda-registration-misstatement"),
    }
    assert must <= found
    disclaimers = {f["requires"] for f in payload["findings"] if f["requires"]}
    assert {"medical-advice", "results-vary", "risk-info", "fda-dshea"} <= disclaimers
    line_level = {line for line, rule in found if rule in {f["rule"] for f in payload["findings"] if not f["requires"]}}
    # negated, hedged, question, conditional, front-matter keywords, code block, inline code
    assert not line_level & {3, 4, 12, 13, 14, 20, 23, 26}
    draft = (ROOT / DRAFT).read_text(encoding="utf-8").splitlines()
    for finding in payload["findings"]:
        assert finding["path"] == DRAFT.as_posix()
        line = draft[finding["line"] - 1]
        assert line[finding["column"] - 1 : finding["end_column"] - 1] == finding["text"]
