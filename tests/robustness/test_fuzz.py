"""Fuzzing the readers and the rule loader in every test run (no spaCy for the
readers): 10,200 reader inputs, 1,000 mutated rule packs, 200 documents of
the shapes of issue 17 and 1,000 mutated rule-cache entries, the same ones
on every run (derandomized). Longer, random runs: fuzz/run.py.

Crashes found by fuzzing are pinned below as explicit regression examples.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from linter.read.document import Document
from linter.packs.loading import _blank_vocab
from linter.packs.rule_file import parse_pack
from linter.core.yaml_shapes import Checker
from linter.core.yaml_source import load_yaml
from robust_strategies import (
    html_documents,
    markdown_documents,
    mutated_cache_entries,
    read_or_input_error,
    reader_inputs,
    rule_files,
    shaped_documents,
    text_documents,
)

READER_EXAMPLES = int(os.environ.get("OVERCLAIM_FUZZ_READER_EXAMPLES", "3400"))  # per reader
RULE_EXAMPLES = int(os.environ.get("OVERCLAIM_FUZZ_RULE_EXAMPLES", "1000"))
SHAPE_EXAMPLES = int(os.environ.get("OVERCLAIM_FUZZ_SHAPE_EXAMPLES", "200"))
CACHE_EXAMPLES = int(os.environ.get("OVERCLAIM_FUZZ_CACHE_EXAMPLES", "1000"))

FUZZ = dict(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def assert_offsets_sound(doc: Document) -> None:
    """Offsets of every block: inside the source, never going backwards, and
    every character copied verbatim is the same character in the source."""
    source = doc.source
    for block in doc.blocks:
        assert block.text.strip()
        previous = -1
        for index, char in enumerate(block.text):
            start, end = block.source_span(index, index + 1)
            assert 0 <= start <= end <= len(source), (block.text, index)
            assert start >= previous, (block.text, index)
            previous = start
            original = source[start:end]
            if len(original) == 1 and not (char.isspace() and original.isspace()):
                assert original == char, (block.text, index, char, original)


# Crashes and hangs the fuzzing found, pinned (before each fix: the exception or time).
@settings(max_examples=READER_EXAMPLES, **FUZZ)
@given(reader_inputs(html_documents()))
@example(b"<![foo[bar]]> Our oil cures.")  # AssertionError in _markupbase: unknown status keyword
@example(b"<![ x")  # AssertionError: expected name token
@example(b"<a " * 3000)  # quadratic in HTMLParser (35 s for 20,000)
@example(b"<!--a>" * 3000)  # quadratic: every comment scanned to the end
@example(b'<p title="' * 3000)
def test_html_reader(data):
    doc = read_or_input_error("fuzz.html", data)
    if doc is not None:
        assert_offsets_sound(doc)


@settings(max_examples=READER_EXAMPLES, **FUZZ)
@given(reader_inputs(markdown_documents()))
@example(b"---\ntitle: " + b"[" * 3000 + b"\n---\n")  # RecursionError in PyYAML's composer
@example(b"> " * 200 + b"dropped claim")  # content past markdown-it's nesting limit was dropped silently
@example(b"<!--" * 3000)  # quadratic: a lazy regex per "<!--"
@example(b"x <!--" * 3000)  # quadratic: HTML_TAG_RE per "<!--"
@example(b"x <![CDATA[" * 3000)  # quadratic: markdown-it's inline link-label parsing
def test_markdown_reader(data):
    doc = read_or_input_error("fuzz.md", data)
    if doc is not None:
        assert_offsets_sound(doc)


@settings(max_examples=READER_EXAMPLES, **FUZZ)
@given(reader_inputs(text_documents()))
def test_text_reader(data):
    doc = read_or_input_error("fuzz.txt", data)
    if doc is not None:
        assert_offsets_sound(doc)


@pytest.fixture(scope="module")
def vocab():
    return _blank_vocab()


@settings(max_examples=RULE_EXAMPLES, **FUZZ)
@given(text=rule_files())
@example(text="a: \x00")  # ReaderError escaped load_yaml (no position)
@example(text="a: 2021-02-30")  # ValueError from PyYAML's timestamp constructor
@example(text="a: " + "[" * 3000)  # RecursionError
@example(text="a: &a [*a]\nrules: *a")  # a collection containing itself
@example(text="pack: fuzz\nrules:\n  - id: fuzz-cure\n\n        - []\n")  # a multi-line value quoted in a problem: two lines
def test_rule_loader(vocab, text):
    data, problems = load_yaml("fuzz.yaml", text)
    ck = Checker("fuzz.yaml")
    if data is not None:
        parse_pack(ck, data, "fuzz", vocab)
    for problem in [*problems, *ck.problems]:
        assert problem.path == "fuzz.yaml" and problem.line >= 1 and problem.column >= 1
        assert "\n" not in str(problem)


# --- the shapes of issue 17, and mutated cache entries ---------------------------------


def check_shaped(name: str, data: bytes) -> None:
    """Read, or one line of InputError; offsets exact in the blocks and in the
    text the rules are matched on; front-matter problems one line each."""
    from linter.engine.normalise import for_matching

    doc = read_or_input_error(name, data)
    if doc is None:
        return
    assert_offsets_sound(doc)
    for line, message in doc.notes:
        assert 1 <= line <= doc.source.count("\n") + 1 and "\n" not in message
    for block in doc.blocks:
        matched = for_matching(block)
        previous = -1
        for index in range(len(matched.text)):
            start, end = matched.source_span(index, index + 1)
            assert previous <= start <= end <= len(doc.source), (matched.text, index)
            previous = start
        # whitespace is matched as one space (a longer run is one unbounded
        # spaCy token), except inside a decoded entity, which cannot be cut
        assert "  " not in matched.text or any(not block.offsets.can_cut(i) for i in range(len(block.text)))


@settings(max_examples=SHAPE_EXAMPLES, **FUZZ)
@given(shaped_documents())
@example(("fuzz.md", b"a" * 100_000))  # 140 s: the prefilter's regex backtracked over a run with no digit
@example(("fuzz.md", "\u6cbb".encode() * 20_000))  # 5.9 s, 3.8x per doubling
@example(("fuzz.md", b"a*" * 40_000))  # 19 s
@example(("fuzz.md", "Our CBD oil cures  arthritis.\n\n<div>Our oil cures\u00a0gout.</div>".encode()))  # no finding: hidden
@example(("fuzz.md", b'---\ntitle: "\\U00110000"\noverclaim: {market: uk}\n---\nOur oil cures gout.\n'))  # internal error
@example(("fuzz.md", b"---\nloop: &a [1, *a]\n---\nOur oil cures gout.\n"))  # its packs dropped silently
def test_shapes(value):
    check_shaped(*value)


@pytest.fixture(scope="module")
def cache_entry(tmp_path_factory):
    """A real rule-cache entry for three rules of core: (path, its bytes, its header)."""
    import json

    from linter.cache import store as rulecache
    from linter.core.model import RuleSet
    from linter.packs.loading import load_rules

    full = load_rules(("core",))
    entry = tmp_path_factory.mktemp("cache") / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", RuleSet(full.rules[:3], full.lexicons[:1], ("core",)))
    good = entry.read_bytes()
    header = json.loads(good.partition(b"\n")[0])
    header.pop("sha256", None)
    return entry, good, header


def check_cache_entry(entry, data: bytes) -> None:
    """A mutated entry is a miss (None) or a checked RuleSet, never an exception."""
    from linter.cache import store as rulecache
    from linter.core.model import RuleSet

    entry.write_bytes(data)
    found = rulecache.read_entry(entry, "rules", "k", RuleSet)
    assert found is None or isinstance(found, RuleSet)


@settings(max_examples=CACHE_EXAMPLES, **FUZZ)
@given(data=st.data())
def test_mutated_cache_entries(cache_entry, data):
    entry, good, header = cache_entry
    check_cache_entry(entry, data.draw(mutated_cache_entries(good, header)))
