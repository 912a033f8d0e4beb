"""Parse time per pipeline component: spaCy's stock components against
overclaim's shims. Run it, read the table. Not a test.

    python benchmarks/components.py                        # 20,000 words of generated health copy
    python benchmarks/components.py --words 50000
    python benchmarks/components.py --realcopy ../shared/realcopy   # the lines of real pages instead
    python benchmarks/components.py --repeat 5             # median of five processes each

Each pipeline runs in a fresh process, in turns with the other, so the
memos of the shims and spaCy's own lemmatizer cache start empty, as in a
run of overclaim. The copy's lines go through the pipeline in batches of
64, and each component's CPU seconds are added up. Both pipelines multiply
their matrices with NumPy's BLAS on one thread (`linter/nlp/matrix_ops.py`),
so the shims of `linter/spacy_compat/` (the attribute ruler's index, the
lemmatizer's arrays and word lists) are all that differs; the script also
checks that every token gets the same tag, POS, morphology, lemma and
dependency from both. Real pages are read where they are and never stored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCH = 64


def copy_lines(words: int, realcopy: Path | None) -> list[str]:
    sys.path.insert(0, str(HERE))
    if realcopy is not None:
        from speed import real_pages

        text = "\n".join(page.read_text(encoding="utf-8", errors="replace") for page in real_pages(realcopy))
    else:
        from healthgen import generate

        text = generate(words)
    return [line.strip() for line in text.splitlines() if line.strip()]


def load(kind: str):
    """overclaim's pipeline, or the same pipeline with spaCy's stock components."""
    from functools import partial

    from linter.nlp.loading import EXCLUDED_COMPONENTS, candidate_models, load_pipeline
    from linter.nlp.matrix_ops import load_with_numpy_ops

    if kind == "overclaim":
        return load_pipeline()
    import spacy

    for name in candidate_models(None):
        try:
            return load_with_numpy_ops(partial(spacy.load, name, exclude=list(EXCLUDED_COMPONENTS)))
        except OSError:
            continue
    raise SystemExit("no English pipeline installed")


def child(kind: str, lines_file: Path) -> None:
    """Time one pipeline over the lines; print its times and a digest of its annotations."""
    from linter.nlp.matrix_ops import OneThread

    lines = json.loads(lines_file.read_text(encoding="utf-8"))
    nlp = load(kind)
    docs = [nlp.make_doc(line) for line in lines]
    times: Counter[str] = Counter()
    digest = hashlib.sha256()
    with OneThread()():
        for start in range(0, len(docs), BATCH):
            batch = docs[start : start + BATCH]
            for name, component in nlp.pipeline:
                began = time.process_time()
                batch = list(component.pipe(batch, batch_size=BATCH))
                times[name] += time.process_time() - began
            for doc in batch:
                for token in doc:
                    digest.update(f"{token.tag_}\t{token.pos_}\t{token.morph}\t{token.lemma_}\t{token.dep_}\n".encode())
    print(json.dumps({"times": times, "digest": digest.hexdigest()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20_000, help="words of generated health copy (default 20,000)")
    parser.add_argument("--realcopy", type=Path, help="a directory of real pages (DIR/pages/*.txt or DIR/*.txt) instead")
    parser.add_argument("--repeat", type=int, default=3, help="processes per pipeline, in turns (default 3)")
    parser.add_argument("--child", choices=("stock", "overclaim"), help=argparse.SUPPRESS)
    parser.add_argument("--lines", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.lines)
        return

    import tempfile

    lines = copy_lines(options.words, options.realcopy)
    words = sum(len(line.split()) for line in lines)
    runs: dict[str, list[dict]] = {"stock": [], "overclaim": []}
    with tempfile.TemporaryDirectory() as workdir:
        lines_file = Path(workdir) / "lines.json"
        lines_file.write_text(json.dumps(lines), encoding="utf-8")
        for _ in range(options.repeat):
            for kind in runs:
                done = subprocess.run([sys.executable, __file__, "--child", kind, "--lines", str(lines_file)],
                                      capture_output=True, text=True, check=True)
                runs[kind].append(json.loads(done.stdout.splitlines()[-1]))
    digests = {run["digest"] for kind in runs for run in runs[kind]}
    components = list(runs["stock"][0]["times"])
    print(f"{words:,} words in {len(lines):,} lines, {'real pages' if options.realcopy else 'generated health copy'};"
          f" median CPU seconds of {options.repeat} processes each")
    print("| component | spaCy's stock | overclaim |")
    print("|---|---|---|")
    for name in [*components, "total"]:
        medians = []
        for kind in runs:
            values = [sum(run["times"].values()) if name == "total" else run["times"][name] for run in runs[kind]]
            medians.append(statistics.median(values))
        print(f"| {name} | {medians[0]:.3f} | {medians[1]:.3f} |")
    print("same annotations on every token: " + ("yes" if len(digests) == 1 else "NO"))
    if len(digests) != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
