"""Result cache benchmark: a second run over an unchanged tree. Not a test.

    python benchmarks/result_cache.py              # 300 drafts
    python benchmarks/result_cache.py --files 600

Builds a tree of drafts (pages of benchmarks/devset/, each copied under
several names with a line that makes it unique), then runs `overclaim check`
on it three times with a fresh cache directory: the first run lints and
fills the cache, the second reads it (nothing changed), the third runs with
`--no-cache`. Each run is a new process, so the figures include starting
Python and importing overclaim; CPU is the child's user + system time,
which load from other processes does not inflate as it does wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE / "devset"


def overclaim() -> list[str]:
    script = Path(sys.executable).parent / "overclaim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "linter"]


def build_tree(root: Path, files: int) -> None:
    pages = sorted(p for p in DEVSET.iterdir() if p.suffix in {".md", ".html", ".txt"})
    for index in range(files):
        page = pages[index % len(pages)]
        text = page.read_text(encoding="utf-8")
        # A unique line keeps every draft's content (and so its cache key) its own.
        target = root / f"{index:04d}-{page.name}"
        marker = f"<!-- draft {index} -->\n" if page.suffix in {".md", ".html"} else f"Draft {index}.\n\n"
        target.write_text(marker + text, encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="overclaim-cache-bench-"))
    try:
        tree = work / "drafts"
        tree.mkdir()
        build_tree(tree, args.files)
        env = {**os.environ, "OVERCLAIM_CACHE_DIR": str(work / "cache")}
        env.pop("OVERCLAIM_NO_CACHE", None)
        command = [*overclaim(), "check", "--format", "json", str(tree)]
        runs = [("first run (fills the cache)", command), ("second run (unchanged tree)", command),
                ("--no-cache", [*command, "--no-cache"])]
        load = os.getloadavg()[0]
        print(f"{args.files} drafts, {sum(p.stat().st_size for p in tree.iterdir()) // 1024} KB; load average {load:.1f}")
        print(f"{'run':<30} {'wall':>8} {'CPU':>8}")
        for label, cmd in runs:
            wall, cpu = timed(cmd, env)
            print(f"{label:<30} {wall:>7.2f}s {cpu:>7.2f}s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
