"""The standard library's HTML parser, defended against hostile input, and
the spans of a start tag's attribute values.

Two of `HTMLParser`'s undocumented methods are overridden, because on
crafted input they take quadratic time or raise:

- `parse_comment`: every "<!--" of "<!--a>" * n scans to the end of the file
  for a close that is not there. Once no close follows an offset, none
  follows a later one, so the answer is remembered.
- `parse_html_declaration`: "<![" outside SVG/MathML is a bogus comment ending
  at the next ">" (as browsers read it); the marked-section parser instead
  raises AssertionError on "<![foo[" and scans the whole file for "]]>".

`attribute_spans` finds where each attribute value lies in the raw start
tag, with the parser's own (undocumented) regular expressions, so the spans
are those of the values it parsed.

On a Python release these were not checked against
(`versions.CHECKED_PYTHON`) the stock methods run, and attribute values are
found by a scanner written here instead of the parser's regexes.
"""

from __future__ import annotations

import html.parser
import re
from html.parser import HTMLParser

from linter.spacy_compat.versions import python_checked

# Spans only: an attribute name, then optionally "=" and a quoted or bare value.
_OWN_TAG_NAME = re.compile(r"<\s*[^\s/>]+")
_OWN_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>=][^\s/>=]*)(\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


class TolerantHTMLParser(HTMLParser):
    """HTMLParser with linear-time comments and browser-like "<![" handling."""

    def __init__(self, *, convert_charrefs: bool = True) -> None:
        # (len(rawdata), offset): rawdata had no comment close at or after
        # that offset, so no later comment can close either.
        self._unclosed_comment: tuple[int, int] | None = None
        self._tolerant = python_checked()
        super().__init__(convert_charrefs=convert_charrefs)

    def parse_comment(self, i: int, report: int = 1) -> int:
        if not self._tolerant:
            return super().parse_comment(i, report)  # type: ignore[arg-type]  # CPython passes 0 or 1
        known = self._unclosed_comment
        if known and known[0] == len(self.rawdata) and i >= known[1]:
            return -1
        end = super().parse_comment(i, report)  # type: ignore[arg-type]  # CPython passes 0 or 1
        if end < 0:
            self._unclosed_comment = (len(self.rawdata), i)
        return end

    def parse_html_declaration(self, i: int) -> int:
        if self._tolerant and self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)


def attribute_spans(raw_tag: str) -> list[tuple[str, tuple[int, int]]]:
    """(lower-case name, value span) for each attribute with a value in a raw
    start tag; the span excludes the quotes."""
    tag_name = getattr(html.parser, "tagfind_tolerant", None)
    attribute = getattr(html.parser, "attrfind_tolerant", None)
    if not python_checked() or tag_name is None or attribute is None:
        tag_name, attribute = _OWN_TAG_NAME, _OWN_ATTRIBUTE
        match = tag_name.match(raw_tag)
    else:
        match = tag_name.match(raw_tag, 1)
    values = []
    pos = match.end() if match else len(raw_tag)
    while pos < len(raw_tag):
        attr = attribute.match(raw_tag, pos)
        if not attr or attr.end() == pos:
            break
        if attr.group(2) and attr.group(3) is not None:
            start, end = attr.span(3)
            if end - start >= 2 and raw_tag[start] in "'\"" and raw_tag[end - 1] == raw_tag[start]:
                start, end = start + 1, end - 1
            values.append((attr.group(1).lower(), (start, end)))
        pos = attr.end()
    return values
