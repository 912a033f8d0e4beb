"""How fast overclaim could lint a corpus while spaCy parses it: a floor,
measured. Run it, read the table. Not a test.

    python benchmarks/floor.py --realcopy ../shared/realcopy                      # the real pages once
    python benchmarks/floor.py --realcopy ../shared/realcopy --realcopy-repeat 4  # four copies of each
    python benchmarks/floor.py --words 50000                                      # generated health copy
    python benchmarks/floor.py --repeat 5                                         # medians/minimums of five

`speed.py` says how fast overclaim is; this says how fast it could be, to
tell a target that more engineering can reach from one that needs a
different design. Every figure is CPU seconds (a shared machine's wall
time says more about the load than about the program), and each is
generous to overclaim:

- proselint on the same files with its result limit raised (median);
- overclaim now: the whole `check --jobs 1 --no-cache` process (median);
- start-up: a fresh process that only imports spaCy and loads the
  pipeline as overclaim does (median); any run that parses pays it;
- the parse of every sentence the prefilter sends to the parser, as
  overclaim batches it (64 at a time, one BLAS thread), with a freshly
  loaded pipeline (minimum);
- the oracle's parse: only the sentences whose parse then gave a match of
  a rule that needed the parse, or settled the context cues of a match
  (the others could, at best, have been skipped by a perfect prefilter),
  timed the same way (minimum);
- the matrix products of that parse: billions of floating-point
  operations and the rate the machine did them at, beside the rate of
  NumPy's BLAS on one thread for one product of the same shape alone
  (the most the parse's products could reach).

The floor is start-up plus the oracle's parse: what a run would cost if
reading, tokenizing, tagging with the lexicons, matching and reporting
took no time at all and a perfect prefilter parsed only the sentences
whose parse mattered. "Unbounded corpus" sets start-up aside (many copies
of the same pages): overclaim's run less its start-up, and the oracle's
parse, against proselint's whole run. Real pages are read where they are and never stored.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from speed import LAST_CPU, LINT, copy_pages, health_copy, proselint_run, real_pages, run, run_command, warm_up, words_in  # noqa: E402

# What overclaim's own start-up does before its first parse, and nothing else.
STARTUP = (
    "from linter.nlp.matrix_ops import one_blas_thread_from_the_start; one_blas_thread_from_the_start()\n"
    "from linter.nlp.loading import load_pipeline; load_pipeline()\n"
)


def parsed_sentences(corpus: Path) -> list[tuple[str, bool]]:
    """Every piece of text overclaim parses in a `check` of `corpus`, with
    whether its parse mattered: it gave a match of a rule that needed the
    parse, or it was parsed for the context cues of its matches.
    Observed by wrapping the pattern matchers of this process only (they
    return what they found, unchanged)."""
    from contextlib import redirect_stdout
    from io import StringIO

    from linter.cli import cli
    from linter.engine import matching

    seen: list[tuple[str, bool]] = []
    original = matching.PatternMatchers.__call__

    def observed(self: matching.PatternMatchers, doc, keys):
        found = original(self, doc, keys)
        if doc.has_annotation("DEP"):
            needed = {self._entries[key].label for key in keys if key in self._entries and self._entries[key].needs_parse}
            # No entry needed the parse: it was parsed for its matches' cues,
            # which only the parse could settle, so it mattered.
            seen.append((doc.text, not needed or any(match.label in needed for match in found)))
        return found

    matching.PatternMatchers.__call__ = observed
    try:
        with redirect_stdout(StringIO()):
            cli(["check", *LINT, "--jobs", "1", str(corpus)], standalone_mode=False)
    except SystemExit:
        pass  # exit 1: findings
    finally:
        matching.PatternMatchers.__call__ = original
    return seen


def parse_in_batches(nlp, docs: list, batch: int, one_thread) -> None:
    """Parse `docs` in batches of `batch` on one BLAS thread, as the engine does."""
    from linter.nlp.matrix_ops import parse_all

    for at in range(0, len(docs), batch):
        parse_all(nlp, docs[at : at + batch], one_thread)


def parse_seconds(texts: list[str], repeat: int, batch: int) -> float:
    """The least CPU time, over `repeat` freshly loaded pipelines, to parse
    `texts` in batches of `batch`, as overclaim does."""
    from linter.nlp.loading import load_pipeline
    from linter.nlp.matrix_ops import OneThread

    best = float("inf")
    for _ in range(repeat):
        nlp = load_pipeline()  # fresh: the shims' memos start empty, as in a run
        one_thread = OneThread()
        docs = [nlp.make_doc(text) for text in texts]
        started = time.process_time()
        parse_in_batches(nlp, docs, batch, one_thread)
        best = min(best, time.process_time() - started)
    return best


def matrix_products(texts: list[str], batch: int) -> tuple[float, float]:
    """Billions of floating-point operations in the matrix products of
    parsing `texts`, and the rate (GFLOP/s) they ran at."""
    from thinc.backends import ops

    from linter.nlp.loading import load_pipeline
    from linter.nlp.matrix_ops import OneThread

    counted = [0, 0.0]
    original = ops.Ops.gemm

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        started = time.perf_counter()
        result = original(self, x, y, out=out, trans1=trans1, trans2=trans2)
        counted[1] += time.perf_counter() - started
        rows, inner = (x.shape[1], x.shape[0]) if trans1 else x.shape
        columns = y.shape[0] if trans2 else y.shape[1]
        counted[0] += 2 * rows * inner * columns
        return result

    nlp = load_pipeline()
    one_thread = OneThread()
    ops.Ops.gemm = gemm
    try:
        parse_in_batches(nlp, [nlp.make_doc(text) for text in texts], batch, one_thread)
    finally:
        ops.Ops.gemm = original
    return counted[0] / 1e9, counted[0] / 1e9 / counted[1] if counted[1] else 0.0


def blas_rate() -> float:
    """GFLOP/s of NumPy's BLAS on one thread for a product of the tok2vec
    layer's shape (2,000 tokens by 288, by 288 by 288): what the parse's
    matrix products could reach at best on this machine."""
    import numpy

    from linter.nlp.matrix_ops import OneThread

    left = numpy.random.default_rng(0).random((2000, 288), dtype=numpy.float32)
    right = numpy.random.default_rng(1).random((288, 288), dtype=numpy.float32)
    rounds, best = 100, float("inf")
    with OneThread()():
        left @ right
        for _ in range(10):  # the best of ten: the most it reaches, not the load's effect
            started = time.perf_counter()
            for _ in range(rounds):
                left @ right
            best = min(best, time.perf_counter() - started)
    return 2 * 2000 * 288 * 288 * rounds / 1e9 / best


def analyse(corpus: Path, repeat: int) -> dict:
    """The parse figures for `corpus` (run in a child process of its own)."""
    from linter.core.limits import BATCH_DOCS as batch
    seen = parsed_sentences(corpus)
    every = [text for text, _ in seen]
    needed = [text for text, useful in seen if useful]
    gflop, rate = matrix_products(needed, batch)
    return {
        "parsed": len(every), "parsed_words": sum(len(t.split()) for t in every),
        "needed": len(needed), "needed_words": sum(len(t.split()) for t in needed),
        "parse_all_cpu": parse_seconds(every, repeat, batch), "parse_needed_cpu": parse_seconds(needed, repeat, batch),
        "gflop": gflop, "gflops": rate, "blas_gflops": blas_rate(),
    }


def measure(corpus: Path, workdir: Path, proselint: str | None, repeat: int) -> list[str]:
    words = words_in(corpus)
    ours, theirs, startup = [], [], []
    counts = None
    for _ in range(repeat):
        run(["check", *LINT, "--jobs", "1", str(corpus)], workdir)
        ours.append(LAST_CPU[0])
        run_command([sys.executable, "-c", STARTUP], workdir, (0,))
        startup.append(LAST_CPU[0])
        if proselint:
            _, cpu, counts = proselint_run(proselint, corpus, workdir, counts)
            theirs.append(cpu)
    done = subprocess.run([sys.executable, __file__, "--analyse", str(corpus), "--repeat", str(repeat)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"analysis failed: {done.stderr.strip()[-500:]}")
    parse = json.loads(done.stdout.splitlines()[-1])
    ours_cpu, start_cpu = statistics.median(ours), statistics.median(startup)
    floor_all = start_cpu + parse["parse_all_cpu"]
    floor = start_cpu + parse["parse_needed_cpu"]
    files = sum(1 for _ in corpus.iterdir()) if corpus.is_dir() else 1
    rows = [f"{words:,} words in {files} files; CPU seconds (medians of {repeat} processes; parses: least of {repeat})",
            f"  {'':58s} {'CPU-s':>6s} {'words/CPU-s':>12s}  vs proselint"]
    base = statistics.median(theirs) if theirs else None

    def row(label: str, seconds: float) -> None:
        ratio = f"{base / seconds:10.2f}x" if base else ""
        rows.append(f"  {label:58s} {seconds:6.2f} {words / seconds:12,.0f}  {ratio}")

    if base:
        row("proselint, limit raised", base)
    row("overclaim now (check --jobs 1 --no-cache)", ours_cpu)
    row("start-up alone (import spaCy, load the pipeline)", start_cpu)
    row(f"start-up + parse as the prefilter sends ({parse['parsed_words']:,} words)", floor_all)
    row(f"floor: start-up + the oracle's parse ({parse['needed_words']:,} words)", floor)
    rows.append(f"  sentences parsed {parse['parsed']:,}; their parse mattered for {parse['needed']:,}"
                f" ({parse['needed_words'] / max(1, parse['parsed_words']):.0%} of the parsed words)")
    rows.append(f"  matrix products of the oracle's parse: {parse['gflop']:.1f} GFLOP at {parse['gflops']:.0f} GFLOP/s"
                f" (NumPy's BLAS on one thread, a product of the same shape alone: {parse['blas_gflops']:.0f} GFLOP/s)")
    if base:
        # Many copies of the same pages: start-up shrinks to nothing beside
        # the rest (proselint's own start-up is left in, to overclaim's favour).
        now = base / (ours_cpu - start_cpu)
        unbounded = base / parse["parse_needed_cpu"] if parse["parse_needed_cpu"] else float("inf")
        rows.append(f"  unbounded corpus (start-up set aside): now {now:.2f}x proselint; floor {unbounded:.2f}x")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50_000, help="generated health copy, if no --realcopy (default 50,000)")
    parser.add_argument("--realcopy", type=Path, help="a directory of real pages (DIR/pages/*.txt or DIR/*.txt), read at run time")
    parser.add_argument("--realcopy-repeat", type=int, default=1, help="copies of the real pages (default 1)")
    parser.add_argument("--proselint", default=None, help="proselint to compare with (default: on PATH)")
    parser.add_argument("--repeat", type=int, default=3, help="processes per figure (default 3)")
    parser.add_argument("--analyse", type=Path, help=argparse.SUPPRESS)  # the child process's part
    options = parser.parse_args()
    if options.analyse:
        from linter.nlp.matrix_ops import one_blas_thread_from_the_start

        one_blas_thread_from_the_start()  # as the command does, before NumPy loads
        print(json.dumps(analyse(options.analyse, options.repeat)))
        return
    import shutil

    proselint = shutil.which(options.proselint or "proselint")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("OVERCLAIM_CACHE_DIR", str(workdir / "cache"))
        warm_up(workdir)
        if options.realcopy:
            corpus = copy_pages(real_pages(options.realcopy), workdir / "real", options.realcopy_repeat)
        else:
            corpus = workdir / "health"
            corpus.mkdir()
            # pages of about 300 words, like the real ones
            paragraphs = health_copy(options.words).split("\n\n")
            for at in range(0, len(paragraphs), 6):
                (corpus / f"page{at // 6:04d}.md").write_text("\n\n".join(paragraphs[at : at + 6]) + "\n", encoding="utf-8")
        print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}"
              + ("" if proselint else "; proselint not found (--proselint PATH)"))
        print("\n".join(measure(corpus, workdir, proselint, max(1, options.repeat))))


if __name__ == "__main__":
    main()
