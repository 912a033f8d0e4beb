import pytest

from helpers import assert_offsets_exact, position_of, source_of, texts
from linter.read import read_document
from linter.read.plaintext import read_text


def read(source: str):
    doc = read_text("copy.txt", source)
    assert_offsets_exact(doc)
    return doc


def test_paragraphs_are_separated_by_blank_lines():
    doc = read("MIRACLE OIL\n\nOur CBD oil cures arthritis.\nNo side effects!\n   \n  Guaranteed results.  \n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "MIRACLE OIL"),
        ("paragraph", "Our CBD oil cures arthritis. No side effects!"),
        ("paragraph", "Guaranteed results."),
    ]
    assert source_of(doc, "arthritis") == "arthritis"
    assert position_of(doc, "No side") == (4, 1)
    assert position_of(doc, "Guaranteed") == (6, 3)


def test_line_break_is_one_space_covering_trailing_space_and_line_ending():
    doc = read("Cures  \r\n   arthritis\rfast")
    block = doc.blocks[0]
    assert block.text == "Cures arthritis fast"
    assert doc.source[slice(*block.source_span(5, 6))] == "  \r\n"
    assert doc.source[slice(*block.source_span(15, 16))] == "\r"
    assert position_of(doc, "arthritis") == (2, 4)
    assert position_of(doc, "fast") == (3, 1)


def test_non_ascii_and_curly_quotes():
    doc = read("“Don’t wait” — naïve café 🌿 remedy\n")
    assert doc.blocks[0].text == "“Don’t wait” — naïve café 🌿 remedy"
    assert position_of(doc, "remedy") == (1, 29)


def test_directive_lines_are_recorded_and_not_linted():
    source = (
        "Intro line.\n"
        "overclaim: disable-next-line cure-claim -- reviewed by legal\n"
        "Our oil cures arthritis.\n"
        "\n"
        "  # overclaim: disable-file\n"
        "#overclaim:disable-line hype\n"
        "Best ever.\n"
    )
    doc = read(source)
    assert texts(doc) == ["Intro line. Our oil cures arthritis.", "Best ever."]
    assert [(d.name, d.argument) for d in doc.directives] == [
        ("overclaim-disable-next-line", "cure-claim -- reviewed by legal"),
        ("overclaim-disable-file", ""),
        ("overclaim-disable-line", "hype"),
    ]
    first = doc.directives[0]
    assert doc.source[first.start : first.end] == source.splitlines()[1]
    assert doc.position(doc.directives[1].start) == (5, 3)


def test_a_hash_comment_that_is_not_a_directive_is_text():
    assert texts(read("# Heading\n\nBody.\n")) == ["# Heading", "Body."]


@pytest.mark.parametrize("source", ["", "\n", "\r\n\r\n", "   \n\t\n"])
def test_empty_input_has_no_blocks(source):
    assert read(source).blocks == ()


@pytest.mark.parametrize("name", ["copy.txt", "copy.unknown", "README"])
def test_read_document_reads_text_for_txt_and_unknown_extensions(name):
    doc = read_document(name, b"Cures gout.\n")
    assert doc.format == "text" and texts(doc) == ["Cures gout."]
