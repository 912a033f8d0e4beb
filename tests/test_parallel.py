"""`--jobs N`: worker processes change nothing in the output.

Runs the real command (workers are forked processes, so this is a
subprocess test) on a directory large enough for workers to be used, with
claims, clean files and a file that cannot be linted in between.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from linter.files.discovery import Target
from linter.run import workers as parallel
from linter.run.workers import AUTO_BYTES_PER_WORKER, decide_workers

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
    for index in range(12):
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
    assert parallel.worker_count(targets, 2) == 2  # the run below really uses workers
    for output_format in ("json", "junit"):  # JUnit lists every file, in the order linted
        one = _run(tmp_path, "--format", output_format, "--jobs", "1")
        two = _run(tmp_path, "--format", output_format, "--jobs", "2")
        assert one.returncode == two.returncode == 2  # the PNG files
        assert one.stderr.index("page01.md") < one.stderr.index("page05.md")
        assert two.stdout == one.stdout
        assert two.stderr == one.stderr
    assert one.stdout.index("page00.md") < one.stdout.index("page02.md")
    assert one.stdout.count("<failure") > 100


# --- How many processes (issue 12): the default pays for workers only on large runs. ---



@pytest.mark.parametrize(("requested", "files", "total_bytes", "cores", "expected"), [
    (None, 60, 480_000, 2, 1),                              # sixty articles: one process
    (None, 200, 4 * AUTO_BYTES_PER_WORKER, 2, 2),           # large: one worker per core
    (None, 200, 4 * AUTO_BYTES_PER_WORKER, 64, 4),          # a 64-core runner: by the size of the work
    (None, 200, 1000 * AUTO_BYTES_PER_WORKER, 64, 64),      # never more than the cores
    (None, 3, 1000 * AUTO_BYTES_PER_WORKER, 64, 3),         # never more than the files
    (None, 1, 1000 * AUTO_BYTES_PER_WORKER, 64, 1),         # one huge file: no worker to share it with
    (None, 500, 2 * AUTO_BYTES_PER_WORKER - 1, 8, 1),       # just under two workers' worth
    (4, 2, 100, 8, 2),                                      # asked for: capped by the files
    (8, 100, 100, 2, 2),                                    # and by the cores
    (2, 10, 100, 2, 2),                                     # but not by the size: the user asked
    (1, 1000, 10**9, 64, 1),
])
def test_decide_workers(requested, files, total_bytes, cores, expected):
    assert decide_workers(requested, files, total_bytes, cores) == expected


def _articles(root: Path, count: int) -> list[Target]:
    targets = []
    for index in range(count):
        path = root / f"article{index:02d}.md"
        path.write_text("\n\n".join(PARAGRAPHS) * 3 + "\n", encoding="utf-8")
        targets.append(Target(path.name, path))
    return targets


def test_a_small_run_uses_one_process_by_default(tmp_path, monkeypatch, engine):
    from linter.run.runner import lint_targets

    def refuse(*args, **kwargs):
        raise AssertionError("workers were started")

    monkeypatch.setattr(parallel, "lint_all", refuse)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 64)
    targets = _articles(tmp_path, 20)
    report = lint_targets(engine, targets, lambda: b"", jobs=None)
    assert len(report.paths) == 20 and report.findings


def test_a_large_run_uses_one_worker_per_core_by_default(tmp_path, monkeypatch):
    targets = _articles(tmp_path, 20)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 3)
    assert parallel.worker_count(targets, None) == 1
    monkeypatch.setattr(parallel, "AUTO_BYTES_PER_WORKER", 1024)
    assert parallel.worker_count(targets, None) == 3
    assert parallel.worker_count([*targets, Target("-", None)], None) == 1  # standard input: never


def test_the_help_states_the_default():
    from click.testing import CliRunner

    from linter.cli import cli

    shown = " ".join(CliRunner().invoke(cli, ["check", "--help"]).output.split())
    assert f"one worker per {AUTO_BYTES_PER_WORKER // 1024} KB" in shown
    assert f"runs of {2 * AUTO_BYTES_PER_WORKER // (1024 * 1024)} MB and more" in shown
    assert "never more than files or cores" in shown


def test_workers_get_runs_of_consecutive_files_bounded_in_count_and_bytes(tmp_path, monkeypatch):
    from linter.files.discovery import Target
    from linter.run import workers

    monkeypatch.setattr(workers, "TASK_FILES", 3)
    monkeypatch.setattr(workers, "TASK_BYTES", 100)
    sizes = [10, 10, 10, 10, 90, 500, 5, 5]
    targets = []
    for index, size in enumerate(sizes):
        (tmp_path / f"{index}.md").write_text("x" * size, encoding="utf-8")
        targets.append(Target(f"{index}.md", tmp_path / f"{index}.md"))
    runs = [[t.display for t in run] for run in workers.tasks(targets)]
    assert runs == [["0.md", "1.md", "2.md"], ["3.md", "4.md"], ["5.md"], ["6.md", "7.md"]]
