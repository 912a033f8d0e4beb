"""Every scan is linear in its input (issue 17): reading and linting a
document twice as large takes about twice as long, never four times.

Each shape is a known worst case of some scan: the prefilter's word
splitting (a run of letters, of CJK characters, of digits), Markdown's
emphasis, code-span and link scans, quote pairing, whitespace and invisible
characters between words, HTML blocks in Markdown and stray references in
HTML. Times are the best of several runs, on inputs big enough to be stable;
the bound (3x for 2x the input) is generous for a busy machine and still
far below what a quadratic scan takes (4x, growing).
"""

from __future__ import annotations

import gc
import time

import pytest

from linter.read import read_document

SHAPES = {
    "a run of letters": ("md", lambda n: "a" * n),
    "a run of CJK characters": ("md", lambda n: "\u6cbb" * n),
    "a run of digits and letters": ("md", lambda n: "1a" * (n // 2)),
    "emphasis runs": ("md", lambda n: "a*" * (n // 2)),
    "underscores": ("md", lambda n: "_a" * (n // 2)),
    "backticks": ("md", lambda n: "`a " * (n // 3)),
    "link openers": ("md", lambda n: "[a " * (n // 3)),
    "straight quotes": ("md", lambda n: '"a ' * (n // 3)),
    "curly quotes": ("md", lambda n: "\u201ca " * (n // 3)),
    "whitespace variants": ("md", lambda n: "cures \u00a0\t\u2009\u200b" * (n // 10)),
    "look-alike letters": ("md", lambda n: "cur\u0435s " * (n // 6)),
    "HTML blocks in Markdown": ("md", lambda n: "<div>Our ginger  tea is warm, spicy and good on cold days.</div>\n\n" * (n // 70)),
    "stray character references": ("html", lambda n: "<p>" + "&#" * (n // 2) + "</p>"),
}

SIZE = 20_000
REPEATS = 3


def _best_time(lint, text: str, extension: str) -> float:
    best = float("inf")
    data = (text + "\n").encode("utf-8")
    for _ in range(REPEATS):
        # The cyclic garbage collector's pauses depend on everything else the
        # test process holds (the pipeline, earlier tests): not what is measured.
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            lint(read_document(f"shape.{extension}", data))
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


@pytest.mark.parametrize("shape", SHAPES)
def test_twice_the_input_takes_about_twice_the_time(engine, shape):
    extension, make = SHAPES[shape]
    lint = engine.lint
    small = _best_time(lint, make(SIZE), extension)
    large = _best_time(lint, make(2 * SIZE), extension)
    # Below a few milliseconds, timer and scheduling noise dominate: allow for it.
    assert large <= 3 * small + 0.05, f"{shape}: {small:.3f} s for {SIZE} characters, {large:.3f} s for {2 * SIZE}"
