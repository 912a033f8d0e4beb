"""Pathological input must take linear time.

Each case is a construct repeated until a quadratic reader would need far
more than the time limit (the "before" figures were measured on the code
before the fix); a linear one needs well under a second.
"""

from __future__ import annotations

import time

import pytest

from linter.engine.units import pieces
from linter.core.errors import InputError
from linter.read import read_document
from robust_support import CLAIM

LIMIT_SECONDS = 5.0

CASES = [
    # (name, source) -- before the fix
    ("unclosed-tags.html", "<a " * 20_000 + CLAIM),  # 35 s: HTMLParser retries each "<" to the end
    ("unclosed-end-tags.html", "</a " * 200_000 + CLAIM),  # ~30 s
    ("unclosed-comments.html", "<!--" * 100_000 + CLAIM),  # ~100 s
    ("comments-without-close.html", "<!--a>" * 60_000 + CLAIM),  # ~50 s: each scans for "-->"
    ("marked-sections.html", "<![CDATA[a>" * 100_000),  # ~20 s
    ("processing-instructions.html", "<?x" * 200_000),  # ~18 s
    ("unclosed-attributes.html", '<p title="' * 20_000 + CLAIM),  # 32 s
    ("comments.md", "<!--" * 50_000 + CLAIM),  # ~40 s: a lazy regex per "<!--"
    ("inline-comments.md", "x <!--" * 50_000 + CLAIM),  # 114 s: HTML_TAG_RE scans to the end per "<!--"
    ("inline-comments-closed.md", "x <!--" * 50_000 + CLAIM + " -->"),
    ("inline-instructions.md", "x <?" * 50_000 + CLAIM),
    ("inline-cdata.md", "x <![CDATA[" * 50_000 + CLAIM),
    ("inline-declarations.md", "x <!A " * 50_000 + CLAIM),
    ("inline-attributes.md", "x <a b='" * 50_000 + CLAIM),
    ("brackets.md", "[" * 50_000 + CLAIM),
    ("links.md", "[a](" * 50_000 + CLAIM),
    ("emphasis.md", "*a _b " * 50_000 + CLAIM),
    ("backticks.md", "`a ``b " * 50_000),
    ("lines.txt", "a\r" * 200_000),
]


@pytest.mark.parametrize("name, source", CASES, ids=[name for name, _ in CASES])
def test_reader_time_is_linear(name, source):
    started = time.monotonic()
    try:
        read_document(name, source.encode())
    except InputError:
        pass
    assert time.monotonic() - started < LIMIT_SECONDS


@pytest.mark.parametrize(
    "text",
    ["!" * 200_000, "! " + "(" * 200_000, ". ” " * 50_000, "!”" * 100_000, "Dr. " * 50_000],
    ids=["bangs", "openers", "closers", "alternating", "titles"],
)
def test_cutting_huge_blocks_takes_linear_time(text):
    block = read_document("wall.txt", text.encode()).blocks[0]
    started = time.monotonic()
    cut = list(pieces(block))
    assert time.monotonic() - started < LIMIT_SECONDS
    assert "".join(piece.text for piece in cut).replace(" ", "") == block.text.replace(" ", "")
