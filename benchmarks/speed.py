"""Speed benchmark: run it, read the table. Not a test.

    python benchmarks/speed.py                 # default sizes (1M words each)
    python benchmarks/speed.py --words 200000  # quicker

Corpora are built here, not downloaded:
- ordinary prose: the documentation prose that ships with CPython
  (`pydoc_data.topics`), code lines dropped, repeated to the size asked;
- health-marketing copy: the pages of benchmarks/devset/ (written for this
  project), shuffled by paragraph and repeated.

It reports, for each corpus, words per second of the whole process for the
full-parse mode (`--full-parse`: every sentence through the tagger and
parser) and the normal mode (prefiltered), the ratio, the share of words the
normal mode parsed, peak RSS, `--jobs 2` against `--jobs 1`, cold start for
one clean file, one article with claims and twenty articles, and proselint
on the same files when it is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE / "devset"


def ordinary_prose(words: int) -> str:
    from pydoc_data.topics import topics

    paragraphs = []
    for text in topics.values():
        for paragraph in re.split(r"\n\s*\n", text):
            lines = [line.strip() for line in paragraph.splitlines()]
            if lines and all(line and not line.startswith((">>>", "...", "*", "+", "|")) and not line.endswith(":") for line in lines):
                prose = " ".join(lines)
                if len(prose.split()) >= 12 and re.search(r"[.!?]$", prose):
                    paragraphs.append(prose)
    return _repeat(paragraphs, words)


def health_copy(words: int) -> str:
    paragraphs = []
    for path in sorted(DEVSET.iterdir()):
        if path.suffix in (".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?s)^---.*?---\n", "", text)  # front matter
            paragraphs.extend(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip() and not p.startswith("```"))
    return _repeat(paragraphs, words)


def _repeat(paragraphs: list[str], words: int) -> str:
    rng = random.Random(7)
    out, count = [], 0
    while count < words:
        paragraph = rng.choice(paragraphs)
        out.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(out) + "\n"


def run(args: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall time, peak RSS (KiB) and stdout+stderr of one overclaim process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "linter", *args], cwd=cwd, stdout=out, stderr=err)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would give
        # the largest of all children so far).
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise SystemExit(f"overclaim failed ({process.returncode}): {stderr.strip()}")
    return elapsed, usage.ru_maxrss, stdout + "\n\x00" + stderr


def report_of(output: str) -> dict:
    return json.loads(output.split("\n\x00")[0])


def findings_of(output: str) -> int:
    return report_of(output)["summary"]["findings"]


def parsed_share(output: str) -> float | None:
    found = re.search(r"parsed_share=([0-9.]+)", output.split("\n\x00")[1])
    return float(found.group(1)) if found else None


def bench_corpus(name: str, text: str, workdir: Path, jobs_check: bool, proselint: str | None) -> list[str]:
    path = workdir / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    words = len(text.split())
    rows = []
    full_t, full_rss, full_out = run(["check", "--format", "json", "--full-parse", "--jobs", "1", "--stats", str(path)], workdir)
    fast_t, fast_rss, fast_out = run(["check", "--format", "json", "--jobs", "1", "--stats", str(path)], workdir)
    same = report_of(full_out)["findings"] == report_of(fast_out)["findings"]
    share = parsed_share(fast_out)
    rows.append(f"{name}: {words:,} words")
    rows.append(f"  full parse : {words / full_t:>10,.0f} words/s  {full_t:6.1f} s  peak RSS {full_rss / 1024:6.0f} MB")
    rows.append(f"  normal     : {words / fast_t:>10,.0f} words/s  {fast_t:6.1f} s  peak RSS {fast_rss / 1024:6.0f} MB")
    rows.append(f"  ratio      : {full_t / fast_t:5.1f}x   words parsed: {share:.1%}" if share is not None else f"  ratio: {full_t / fast_t:5.1f}x")
    rows.append(f"  same findings in both modes: {same} ({findings_of(fast_out)} findings)")
    if jobs_check:
        parts = workdir / f"{name}-parts"
        parts.mkdir(exist_ok=True)
        chunks = text.split("\n\n")
        per = max(1, len(chunks) // 40)
        for i in range(0, len(chunks), per):
            (parts / f"part{i // per:03d}.txt").write_text("\n\n".join(chunks[i : i + per]), encoding="utf-8")
        one_t, _, one_out = run(["check", "--format", "json", "--jobs", "1", str(parts)], workdir)
        two_t, _, two_out = run(["check", "--format", "json", "--jobs", "2", str(parts)], workdir)
        same_jobs = report_of(one_out) == report_of(two_out)
        rows.append(f"  --jobs 2 vs --jobs 1 (40 files): {one_t / two_t:4.2f}x  identical output: {same_jobs}")
    if proselint:
        elapsed = proselint_time(proselint, path)
        rows.append(f"  proselint  : {words / elapsed:>10,.0f} words/s  {elapsed:6.1f} s  (normal mode is {elapsed / fast_t:.2f}x its speed)")
    return rows


def proselint_time(proselint: str, path: Path) -> float:
    """Wall time of proselint on one file (0.16+ has a `check` command; older
    versions take the path directly)."""
    for args in ([proselint, "check", str(path)], [proselint, str(path)]):
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        if "usage:" not in done.stderr[:200]:
            return time.perf_counter() - started
    raise SystemExit(f"could not run {proselint}: {done.stderr.strip()[:200]}")


def cold_start(workdir: Path) -> list[str]:
    clean = workdir / "clean.md"
    clean.write_text("# Opening hours\n\nThe clinic is open from nine to five on weekdays.\n", encoding="utf-8")
    article = workdir / "article.md"
    article.write_text(health_copy(1000), encoding="utf-8")
    twenty = workdir / "twenty"
    twenty.mkdir(exist_ok=True)
    for i in range(20):
        (twenty / f"a{i:02d}.md").write_text(health_copy(1000 + i), encoding="utf-8")
    run(["check", str(clean)], workdir)  # warm the rule cache, as any later run would find it
    rows = ["cold start (whole process, rule cache warm):"]
    for label, target in (("one clean file", clean), ("one article with claims", article), ("twenty articles", twenty)):
        times = sorted(run(["check", str(target)], workdir)[0] for _ in range(3))
        rows.append(f"  {label:<24} {times[1]:5.2f} s")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--no-jobs", action="store_true", help="skip the --jobs comparison")
    parser.add_argument("--proselint", default=shutil.which("proselint"), help="proselint to compare with (default: on PATH)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("OVERCLAIM_CACHE_DIR", str(workdir / "cache"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        for line in cold_start(workdir):
            print(line)
        for name, text in (("ordinary-prose", ordinary_prose(options.words)), ("health-copy", health_copy(options.words))):
            for line in bench_corpus(name, text, workdir, not options.no_jobs, options.proselint):
                print(line, flush=True)


if __name__ == "__main__":
    main()
