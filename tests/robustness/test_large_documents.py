"""Large documents: blocks are cut into bounded pieces with exact offset maps,
parsed in bounded batches, and linted completely with exact positions.

Peak memory on a 20 MB document is measured by benchmarks/large_document.py,
not here (it takes minutes).
"""

from __future__ import annotations

import time

import pytest

from helpers import assert_offsets_exact
from linter.engine.parse_limits import ParseLimits
from linter.engine.units import break_long_runs, pieces, split_block
from linter.read.document import Block, Document
from linter.engine.rule_engine import Engine
from linter.read.offsets import OffsetMap, Segment
from linter.read import read_document
from robust_support import CLAIM

HTML = "<p>Caf&eacute; &amp; spa: our oil&nbsp;cures arthritis. Dr. Smith agrees! Results? Visit now&hellip; done.</p>"
MARKDOWN = "Our *oil* cures [arthritis](http://x.y) in `3` days. It is **safe**.\nNo side effects! Guaranteed."


def _block(source: str, name: str) -> tuple[Document, Block]:
    doc = read_document(name, source.encode())
    return doc, doc.blocks[0]


def _assert_same_positions(original: Block, piece: Block, start: int) -> None:
    """Every character of the piece maps where the same character of the original maps."""
    for index in range(len(piece.text)):
        assert piece.text[index] == original.text[start + index]
        assert piece.source_span(index, index + 1) == original.source_span(start + index, start + index + 1)


# --- Block.slice / Block.insert --------------------------------------------------


@pytest.mark.parametrize("source, name", [(HTML, "page.html"), (MARKDOWN, "post.md"), ("a  b\r\nc\rd", "x.txt")])
def test_slices_keep_exact_positions(source, name):
    doc, block = _block(source, name)
    cuts = [i for i in range(len(block.text) + 1) if block.offsets.can_cut(i)]
    for start in cuts[:: max(1, len(cuts) // 12)]:
        for end in cuts:
            if end > start:
                piece = block.slice(start, end)
                _assert_same_positions(block, piece, start)
                assert piece.kind == block.kind
    assert_offsets_exact(Document(doc.path, doc.source, tuple(block.slice(a, b) for a, b in zip(cuts, cuts[1:])), doc.format))


def test_a_slice_cannot_cut_inside_a_replacement():
    # "&hellip;" is one character standing for eight: no position inside it.
    offsets = OffsetMap.of([Segment(0, 0, 3, 3), Segment(3, 3, 2, 8), Segment(5, 11, 4, 4)])
    assert [offsets.can_cut(i) for i in range(10)] == [True, True, True, True, False, True, True, True, True, True]
    with pytest.raises(ValueError, match="inside a replacement"):
        offsets.slice(0, 4)
    sliced = offsets.slice(3, 9)
    assert sliced.segments == (Segment(0, 3, 2, 8), Segment(2, 11, 4, 4))


def test_inserted_spaces_map_to_no_source_text():
    doc, block = _block(HTML, "page.html")
    positions = [i for i in range(5, len(block.text), 7) if block.offsets.can_cut(i)]
    spaced = block.insert(positions)
    assert spaced.text.replace(" ", "") == block.text.replace(" ", "")
    shift = 0
    for index in range(len(block.text)):
        while shift < len(positions) and positions[shift] <= index:
            inserted = index + shift
            start, end = spaced.source_span(inserted, inserted + 1)
            assert start == end == block.source_span(index, index + 1)[0]  # zero-length, before the next char
            shift += 1
        assert spaced.source_span(index + shift, index + shift + 1) == block.source_span(index, index + 1)


# --- cutting huge blocks -------------------------------------------------------------


def test_split_prefers_sentence_boundaries_and_never_splits_titles():
    text = "Dr. Smith says it works. J. Doe agrees! Does it? Yes. " * 40
    doc, block = _block(text, "x.txt")
    parts = split_block(block, 200)
    assert "".join(p.text for p in parts) == block.text
    for part in parts[:-1]:
        assert len(part.text) <= 200
        assert part.text.endswith((". ", "! ", "? ")), part.text[-20:]
        assert not part.text.endswith(("Dr. ", "J. "))
    for part, start in zip(parts, _starts(parts)):
        _assert_same_positions(block, part, start)


def test_split_falls_back_to_whitespace_then_to_a_hard_cut():
    doc, block = _block("word " * 100 + "x" * 500, "x.txt")
    parts = split_block(block, 64)
    assert "".join(p.text for p in parts) == block.text
    assert all(len(p.text) <= 64 for p in parts)
    assert all(p.text.endswith(" ") for p in parts[:8])  # between words while there are words
    assert parts[-1].text.startswith("x")


def test_split_never_cuts_inside_an_entity():
    source = "<p>" + "&hellip;" * 300 + "</p>"
    doc, block = _block(source, "x.html")
    parts = split_block(block, 7)
    assert "".join(p.text for p in parts) == block.text == "…" * 300
    for part, start in zip(parts, _starts(parts)):
        _assert_same_positions(block, part, start)


def test_small_blocks_are_not_touched():
    doc, block = _block(MARKDOWN, "post.md")
    assert split_block(block, 10_000) == [block]
    assert list(pieces(block)) == [block]


def test_long_runs_without_spaces_are_broken_for_the_tokenizer():
    doc, block = _block("Buy " + "!" * 1000 + " now " + "https://example.com/" + "a" * 450, "x.txt")
    broken = break_long_runs(block, 200)
    assert max(len(word) for word in broken.text.split()) <= 200
    assert broken.text.replace(" ", "") == block.text.replace(" ", "")
    assert break_long_runs(broken, 200) is broken  # nothing left to break


def _starts(parts: list[Block]) -> list[int]:
    starts, position = [], 0
    for part in parts:
        starts.append(position)
        position += len(part.text)
    return starts


# --- streaming through spaCy --------------------------------------------------------


def test_the_engine_parses_in_bounded_batches(nlp, ruleset, monkeypatch):
    batches = []
    real_pipe = nlp.pipe

    def spy(docs, **kwargs):
        docs = list(docs)
        batches.append((len(docs), sum(len(d.text) for d in docs)))
        return real_pipe(docs, **kwargs)

    monkeypatch.setattr(nlp, "pipe", spy)
    source = "\n\n".join([CLAIM + " It works.", "The shop opens at nine on weekdays."] * 150)
    limits = ParseLimits(batch_docs=16, batch_chars=2_000, chunk_chars=1_000)
    findings = Engine(ruleset, nlp, limits=limits).lint(read_document("big.txt", source.encode()))
    assert len([f for f in findings if f.rule == "cure-claim"]) == 150
    assert len(batches) > 1
    assert max(count for count, _ in batches) <= 16
    assert max(chars for _, chars in batches) <= 2_000 + 1_000  # the last piece may pass the bound


def test_blocks_longer_than_spacys_limit_are_parsed(nlp, ruleset, monkeypatch):
    engine = Engine(ruleset, nlp, limits=ParseLimits(chunk_chars=10**9))
    monkeypatch.setattr(nlp, "max_length", 3_000)
    source = " ".join([CLAIM] * 400)  # 11,600 characters in one block
    findings = engine.lint(read_document("long.txt", source.encode()))
    cure = [f for f in findings if f.rule == "cure-claim"]
    assert len(cure) == 400
    assert all(source[f.start_offset : f.end_offset] == f.text == "oil cures arthritis" for f in cure)


def test_chunked_and_whole_parsing_agree(nlp, ruleset):
    sentences = [
        "Our CBD oil cures arthritis.",
        "Ketamine may help some patients.",
        "It is not a cure for chronic pain.",
        "Guaranteed results in 3 days!",
        "Can CBD cure anxiety?",
        "Advocates claim that it can cure cancer.",
        "This treatment is 100% safe with no side effects.",
        "Dr. Smith says you don't have to suffer anymore.",
    ]
    source = " ".join(sentences * 25)  # one block of about 6,000 characters
    document = read_document("wall.txt", source.encode())
    whole = Engine(ruleset, nlp, limits=ParseLimits(chunk_chars=10**9)).lint(document)
    chunked = Engine(ruleset, nlp, limits=ParseLimits(chunk_chars=500, batch_chars=1_000)).lint(document)
    assert len(whole) > 50
    assert chunked == whole


def test_a_five_megabyte_line_is_linted_completely(engine):
    """One line, no blank lines: one 5 MB block, cut into pieces; claims at the
    start, the middle (where pieces are cut) and the end are all found, exactly."""
    filler = ("x" * 199 + " ") * 500  # 100,000 characters with no sentence boundary
    line = CLAIM + " " + filler * 25 + CLAIM + " " + filler * 25 + CLAIM
    assert len(line) > 5_000_000 and "\n" not in line
    started = time.monotonic()
    findings = engine.lint(read_document("huge.txt", line.encode()))
    assert time.monotonic() - started < 120
    cure = [f for f in findings if f.rule == "cure-claim"]
    assert [f.column for f in cure] == [9, 2_500_038, 5_000_067]
    assert all(f.line == 1 and line[f.start_offset : f.end_offset] == f.text == "oil cures arthritis" for f in cure)


def test_a_long_run_of_punctuation_does_not_stall_the_tokenizer(nlp):
    # spaCy's tokenizer takes about 35 s on 20,000 "(" in a row (quadratic in
    # the length of a run without whitespace); pieces never hold such a run.
    source = CLAIM + " " + "(" * 20_000 + "!" * 20_000 + "“" * 20_000 + " " + CLAIM
    doc = read_document("shouting.txt", source.encode())
    started = time.monotonic()
    tokens = [token for piece in pieces(doc.blocks[0]) for token in nlp.tokenizer(piece.text)]
    assert time.monotonic() - started < 10
    assert max(len(token.text) for token in tokens) <= 200
    assert sum(1 for token in tokens if token.text == "cures") == 2


def test_claims_around_a_long_run_of_punctuation(engine):
    source = CLAIM + " " + "(" * 1_500 + "!" * 1_500 + " " + CLAIM
    findings = engine.lint(read_document("shouting.txt", source.encode()))
    cure = [f for f in findings if f.rule == "cure-claim"]
    assert [(f.column, f.text) for f in cure] == [(9, "oil cures arthritis"), (3039, "oil cures arthritis")]
