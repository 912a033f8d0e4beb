import codecs

import pytest

from linter.core.errors import InputError
from linter.read import read_document
from linter.read.decode import decode


def test_utf8_without_bom_keeps_line_endings():
    assert decode("a.txt", "Heals\r\nall\rfast\n".encode()) == "Heals\r\nall\rfast\n"


def test_utf8_bom_is_stripped():
    assert decode("a.txt", codecs.BOM_UTF8 + "Don’t".encode()) == "Don’t"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding):
    text = "“Cures” arthritis\r\n🌿\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode("a.txt", data) == text


def test_empty_file():
    assert decode("a.txt", b"") == ""


def test_nul_bytes_mean_binary():
    with pytest.raises(InputError) as error:
        decode("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert str(error.value) == "logo.png: binary file, not linted"
    assert error.value.line is None


def test_bom_less_utf16_is_treated_as_binary():
    with pytest.raises(InputError, match="binary file"):
        decode("a.txt", "Cures".encode("utf-16-le"))


def test_nul_after_the_sniffed_prefix_is_decoded():
    data = b"a" * 9000 + b"\x00"
    assert decode("a.txt", data) == "a" * 9000 + "\x00"


def test_invalid_utf8_names_byte_and_line():
    with pytest.raises(InputError) as error:
        decode("copy.md", "Line one\r\nLine two\rThree \xe9".encode() + b"\xff tail")
    assert str(error.value) == "copy.md:3: cannot decode as UTF-8 (invalid byte 0xff at line 3)"
    assert error.value.line == 3


def test_invalid_utf8_after_bom():
    with pytest.raises(InputError) as error:
        decode("copy.md", codecs.BOM_UTF8 + b"ok\n\xc3(")
    assert error.value.line == 2
    assert "invalid byte 0xc3" in str(error.value)


def test_truncated_utf16_is_an_error():
    with pytest.raises(InputError, match="cannot decode as UTF-16-LE"):
        decode("a.txt", codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00")


def test_read_document_reports_decode_errors():
    with pytest.raises(InputError, match="binary file"):
        read_document("x.md", b"\x00\x01")
