"""Lint one very large document and report time and peak memory.

    python benchmarks/large_document.py                 # a 20 MB Markdown draft
    python benchmarks/large_document.py --megabytes 2   # quicker

The draft is health-marketing copy in paragraphs, with one 5 MB paragraph on
a single line in the middle (one block, which the engine cuts between
sentences). A marker claim is planted every few hundred characters; the
benchmark checks that `overclaim check --format json` reports every one of
them at its exact line and column (the document was linted completely), and
prints the wall time and the peak resident memory of the overclaim process.
Not a test: it takes about three minutes at 20 MB (2-core machine).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARKER = "Our CBD oil cures arthritis."
COPY = (
    "Ketamine may help some patients with treatment-resistant depression.",
    "Talk to your doctor before starting any new treatment.",
    "It is not a complete cure for chronic pain.",
    "Book a free consultation with our friendly team today.",
    "Steep the tea for four minutes and enjoy it warm.",
    "Results vary from person to person.",
    "Our clinic has served the community since 1998.",
    "Can CBD help with anxiety?",
)


def build(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)

    def sentences(size: int) -> str:
        parts, length = [], 0
        while length < size:
            part = MARKER if len(parts) % 8 == 0 else rng.choice(COPY)
            parts.append(part)
            length += len(part) + 1
        return " ".join(parts)

    paragraphs, length = [], 0
    long_line_at = target // 2
    while length < target:
        if length >= long_line_at and long_line_at:
            paragraph = sentences(min(5_000_000, target // 4))  # one line, one block
            long_line_at = 0
        else:
            heading = rng.random() < 0.1
            paragraph = ("## " if heading else "") + sentences(rng.randint(200, 1200))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def marker_positions(source: str) -> set[tuple[int, int]]:
    """(line, column) of "oil" in every marker, counted independently of the linter."""
    positions = set()
    for number, line in enumerate(source.split("\n"), start=1):
        start = line.find(MARKER)
        while start >= 0:
            positions.add((number, start + len("Our CBD ") + 1))
            start = line.find(MARKER, start + 1)
    return positions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    source = build(args.megabytes)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "large-draft.md"
        path.write_text(source, encoding="utf-8")
        size = path.stat().st_size
        longest = max(len(line) for line in source.split("\n"))
        print(f"document: {size / 1e6:.1f} MB, {source.count(chr(10)) + 1} lines, longest line {longest / 1e6:.1f} MB")
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "linter", "check", "--format", "json", "--fail-on", "never", str(path)],
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    findings = json.loads(result.stdout)["findings"]
    found = {(f["line"], f["column"]) for f in findings if f["rule"] == "cure-claim" and f["text"] == "oil cures arthritis"}
    expected = marker_positions(source)
    missing = expected - found
    print(f"time: {elapsed:.0f} s ({size / elapsed / 1000:.1f} kB/s)")
    print(f"peak RSS of the overclaim process: {peak:.0f} MB")
    print(f"findings: {len(findings)}; planted claims found at their exact position: {len(expected) - len(missing)}/{len(expected)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
