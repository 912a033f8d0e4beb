"""`--jobs N`: worker processes change nothing in the output.

Runs the real command (workers are forked processes, so this is a
subprocess test) on a directory large enough for workers to be used, with
claims, clean files and a file that cannot be linted in between.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from linter.run import workers as parallel
from linter.files.discovery import Target

PARAGRAPHS = (
    "Our ketamine infusions relieve depression in hours, with no side effects.",
    "Guaranteed results in 7 days or your money back.",
    "The clinic is open from nine to five on weekdays; parking is free.",
    "Ketamine may help some adults with depression, but it is not a cure.",
    "“My back pain was gone after one session,” says Lena, 47.",
    "Clinically proven: 93% of patients felt better within a week.",
    "Is CBD oil right for you? Talk to your doctor before you start.",
)


def _corpus(root: Path) -> list[Path]:
    paths = []
    for index in range(parallel.MIN_FILES + 4):
        path = root / f"page{index:02d}.md"
        if index in (1, 5):
            path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # not text: an error, reported in its place
        elif index == 8:
            path.write_text("# Opening hours\n\n" + f"{PARAGRAPHS[2]}\n\n" * 80, encoding="utf-8")  # clean
        else:
            # Each file a different mix, so that files differ in findings and length.
            # The first file is the longest: a worker still busy with it must
            # not let the files after it overtake it in the report.
            chosen = [PARAGRAPHS[(index + k) % len(PARAGRAPHS)] for k in range(3 + index % 4)]
            copies = 300 if index == 0 else 40
            path.write_text(f"# Page {index}\n\n" + "\n\n".join(chosen * copies) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", *args, "."],
        cwd=root, capture_output=True, text=True, timeout=300,
    )


def test_two_workers_give_byte_identical_output(tmp_path):
    paths = _corpus(tmp_path)
    targets = [Target(path.name, path) for path in paths]
    assert parallel.worth_it(targets, jobs=2)  # the run below really uses workers
    for output_format in ("json", "junit"):  # JUnit lists every file, in the order linted
        one = _run(tmp_path, "--format", output_format, "--jobs", "1")
        two = _run(tmp_path, "--format", output_format, "--jobs", "2")
        assert one.returncode == two.returncode == 2  # the PNG files
        assert one.stderr.index("page01.md") < one.stderr.index("page05.md")
        assert two.stdout == one.stdout
        assert two.stderr == one.stderr
    assert one.stdout.index("page00.md") < one.stdout.index("page02.md")
    assert one.stdout.count("<failure") > 100
