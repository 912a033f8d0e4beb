"""HTML reader: visible text, alt/title attributes and the meta description.

The standard library parser finds tags; we never use the text it hands us,
only *where* it is: every text run is re-read from the source by offset, so
entities are decoded here with their exact source span and whitespace runs
are collapsed to one space that covers the whole run.

Text is grouped into blocks at block-level element boundaries, so the last
words of a heading never run into the first words of the next paragraph.
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant  # type: ignore[attr-defined]  # private

from ..document import Block, Directive, Document
from ..offsets import TextBuilder

# Elements whose content is not prose a reader sees (or is code).
SKIP = frozenset({"script", "style", "code", "pre", "template", "noscript", "svg", "math"})

# Elements that start or end a block: text on either side never merges.
BLOCK = frozenset(
    """address article aside blockquote body br button caption dd details dialog
    div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header
    hgroup hr html legend li main menu nav ol option p pre section select summary
    table tbody td textarea tfoot th thead title tr ul""".split()
)

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

KINDS = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list-item",
    "dt": "list-item",
    "dd": "list-item",
    "td": "table-cell",
    "th": "table-cell",
    "title": "title",
}

TEXT_ATTRIBUTES = ("alt", "title")

# HTML whitespace only: a no-break space is content ("100&nbsp;mg").
_SPACE = re.compile(r"[ \t\n\r\f]+")
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*))(;?)")
_STRICT_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}))(;)")
_SPECIAL = re.compile(r"[& \t\n\r\f]")
_COMMENT_CLOSE = re.compile(r"--!?\s*>")
_LINE_FEED = re.compile(r"\n")
# Anything that opens a tag, comment or declaration in a browser.
_MARKUP_OPEN = re.compile(r"<[A-Za-z/!?]")


def entity_at(text: str, pos: int, end: int | None = None, strict: bool = False) -> tuple[int, str] | None:
    """Decode the character reference starting at text[pos] ("&...").

    Returns (end, replacement) or None when it is not a reference (a lone
    "&" is just text). `strict` is the CommonMark rule: the ";" is required
    and names must be known; HTML also accepts legacy names without ";".
    """
    match = (_STRICT_ENTITY if strict else _ENTITY).match(text, pos, len(text) if end is None else end)
    if not match:
        return None
    hex_digits, dec_digits, name, semicolon = match.groups()
    if name is None:
        digits = hex_digits if hex_digits is not None else dec_digits
        if len(digits) > 8:  # out of range anyway; int() of 5000 digits would raise
            return match.end(), "\ufffd"
        if not strict:
            # HTML maps &#150; and friends through windows-1252, as Word exports rely on.
            return match.end(), html.unescape(match.group().rstrip(";") + ";")
        code = int(digits, 16) if hex_digits is not None else int(digits)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return match.end(), chr(code) if valid else "\ufffd"
    if semicolon and name + ";" in html5:
        return match.end(), html5[name + ";"]
    if strict:
        return None
    # Legacy references such as "&copy" work without ";": take the longest
    # known prefix, as browsers do, and leave the rest as text.
    for length in range(len(name), 1, -1):
        if name[:length] in html5:
            return pos + 1 + length, html5[name[:length]]
    return None


def directive_from_comment(body: str, start: int, end: int) -> Directive | None:
    """`<!-- overclaim-NAME ARGUMENT -->` -> Directive spanning the whole comment."""
    body = body.strip()
    if not body.startswith("overclaim-"):
        return None
    name, *rest = body.split(None, 1)
    return Directive(name=name, argument=rest[0].strip() if rest else "", start=start, end=end)


def html_text_block(source: str, ranges: list[tuple[int, int]], kind: str) -> Block | None:
    """A block from source ranges of HTML text: entities decoded, whitespace collapsed.

    Each whitespace run becomes one space mapped to the whole run; leading and
    trailing whitespace is dropped. Ranges are concatenated without any
    separator, because inline tags (<b>C</b>ures) do not separate words.
    """
    builder = TextBuilder(source)
    pending: tuple[int, int] | None = None  # a whitespace run not yet emitted

    def flush_space() -> None:
        nonlocal pending
        if pending and builder.length:
            builder.replace(pending[0], pending[1], " ")
        pending = None

    for start, end in ranges:
        pos = start
        while pos < end:
            space = _SPACE.match(source, pos, end)
            if space:
                pending = pending or (space.start(), space.end())
                pos = space.end()
                continue
            if source[pos] == "&":
                entity = entity_at(source, pos, end)
                if entity:
                    flush_space()
                    builder.replace(pos, entity[0], entity[1])
                    pos = entity[0]
                    continue
            special = _SPECIAL.search(source, pos + 1, end)
            stop = special.start() if special else end
            flush_space()
            builder.keep(pos, stop)
            pos = stop
    text, offsets = builder.build()
    if not text.strip():
        return None
    return Block(text, offsets, kind)


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        # HTMLParser counts lines by "\n" only; columns run from the last "\n".
        self._line_starts = [0] + [m.end() for m in _LINE_FEED.finditer(source)]
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self._ranges: list[tuple[int, int]] = []
        self._open = _OpenTags()  # open block elements, each with its block kind
        self._skipped = _OpenTags()  # open SKIP elements
        self._hidden_from = len(source)  # start of an unclosed comment
        # (len(rawdata), offset): HTMLParser's rawdata had no comment close at
        # or after that offset, so no later comment can close either.
        self._unclosed_comment: tuple[int, int] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _kind(self) -> str:
        return self._open.top_kind or "paragraph"

    def flush(self) -> None:
        block = html_text_block(self.source, self._ranges, self._kind())
        if block:
            self.blocks.append(block)
        self._ranges = []

    def _add_text(self, start: int, end: int) -> None:
        if self._skipped.depth or end <= start:
            return
        if self._ranges and self._ranges[-1][1] == start:
            self._ranges[-1] = (self._ranges[-1][0], end)
        else:
            self._ranges.append((start, end))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK:
            self.flush()
        if tag in SKIP:
            if tag not in VOID:
                self._skipped.push(tag, "")
            return
        if self._skipped.depth:
            return
        self._read_attributes(tag, attrs)
        if tag in BLOCK and tag not in VOID:
            self._open.push(tag, KINDS.get(tag) or self._kind())

    def handle_endtag(self, tag: str) -> None:
        if self._skipped.depth:
            self._skipped.close(tag)
            return
        if tag in BLOCK:
            self.flush()
            self._open.close(tag)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if start >= self._hidden_from:
            return
        if data[:1] == "<" and self.source.startswith("<!--", start) and self.source.find("-->", start) < 0:
            # A comment left open hides the rest of the file in a browser;
            # HTMLParser hands it over as text instead.
            self._hidden_from = start
            return
        self._add_text(start, start + len(data))

    def read_tail(self, start: int) -> None:
        """The unclosable tail (see `unclosed_tail`) as text, up to a comment
        left open (which hides the rest of the file)."""
        comment = self.source.find("<!--", start)
        end = len(self.source) if comment < 0 else comment
        if start < min(end, self._hidden_from):
            self._add_text(start, min(end, self._hidden_from))

    # --- HTMLParser internals, overridden for hostile input --------------------

    def parse_comment(self, i: int, report: int = 1) -> int:
        # Once no comment close follows an offset, none follows any later one:
        # without this, every "<!--" of "<!--a>" * n would scan to the end of
        # the file (quadratic time).
        known = self._unclosed_comment
        if known and known[0] == len(self.rawdata) and i >= known[1]:
            return -1
        end = super().parse_comment(i, report)  # type: ignore[arg-type]  # CPython passes 0 or 1
        if end < 0:
            self._unclosed_comment = (len(self.rawdata), i)
        return end

    def parse_html_declaration(self, i: int) -> int:
        # "<![" outside SVG/MathML is a bogus comment ending at the next ">"
        # in a browser; HTMLParser's marked-section parser instead raises
        # AssertionError on "<![foo[" and scans the whole file for "]]>".
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def handle_entityref(self, name: str) -> None:
        start = self._offset()
        end = start + 1 + len(name)
        self._add_text(start, end + (self.source.startswith(";", end)))

    def handle_charref(self, name: str) -> None:
        start = self._offset()
        end = start + 2 + len(name)
        self._add_text(start, end + (self.source.startswith(";", end)))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        if not self.source.startswith("<!--", start):
            return  # a bogus comment such as <!x> or </ x>
        body_end = start + 4 + len(data)
        close = _COMMENT_CLOSE.match(self.source, body_end)
        directive = directive_from_comment(data, start, close.end() if close else body_end)
        if directive:
            self.directives.append(directive)

    def _read_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = set(TEXT_ATTRIBUTES)
        if tag == "meta" and any(k == "name" and (v or "").strip().lower() == "description" for k, v in attrs):
            wanted.add("content")
        raw = self.get_starttag_text()
        if not raw:
            return
        tag_start = self._offset()
        for name, (start, end) in _attribute_values(raw):
            if name in wanted:
                block = html_text_block(self.source, [(tag_start + start, tag_start + end)], "attribute")
                if block:
                    self.blocks.append(block)


def _attribute_values(raw_tag: str) -> list[tuple[str, tuple[int, int]]]:
    """(name, value span) for each attribute in a raw start tag, unquoted.

    Uses the same regular expressions as HTMLParser itself, so the spans are
    the values it parsed.
    """
    values = []
    match = tagfind_tolerant.match(raw_tag, 1)
    pos = match.end() if match else len(raw_tag)
    while pos < len(raw_tag):
        attr = attrfind_tolerant.match(raw_tag, pos)
        if not attr:
            break
        if attr.group(2) and attr.group(3) is not None:
            start, end = attr.span(3)
            if end - start >= 2 and raw_tag[start] in "'\"" and raw_tag[end - 1] == raw_tag[start]:
                start, end = start + 1, end - 1
            values.append((attr.group(1).lower(), (start, end)))
        pos = attr.end()
    return values


class _OpenTags:
    """A stack of open elements that tolerates malformed HTML in linear time.

    An end tag closes the innermost open element of that name and everything
    left unclosed inside it; an end tag for an element that is not open is
    ignored (found in O(1) through the per-name count, not by a search).
    """

    def __init__(self) -> None:
        self._stack: list[tuple[str, str]] = []  # (tag, kind)
        self._counts: dict[str, int] = {}

    @property
    def depth(self) -> int:
        return len(self._stack)

    @property
    def top_kind(self) -> str | None:
        return self._stack[-1][1] if self._stack else None

    def push(self, tag: str, kind: str) -> None:
        self._stack.append((tag, kind))
        self._counts[tag] = self._counts.get(tag, 0) + 1

    def close(self, tag: str) -> None:
        if not self._counts.get(tag):
            return
        while self._stack:
            name, _ = self._stack.pop()
            self._counts[name] -= 1
            if name == tag:
                return


def unclosed_tail(source: str) -> int:
    """Where the unclosable tail of the file starts (its length if there is none).

    A tag, comment or declaration opened after the last ">" of the file can
    never be closed. HTMLParser retries each such "<" against the rest of the
    file, which takes quadratic time on "<a <a <a ...", so the tail is never
    handed to it: `read_html` reads it as the text HTMLParser would in the end
    have made of it.
    """
    opened = _MARKUP_OPEN.search(source, source.rfind(">") + 1)
    return opened.start() if opened else len(source)


# "&#" that does not start a character reference HTMLParser accepts. On one
# of these HTMLParser stops and, unless a ";" follows somewhere, hands the
# whole rest of the file over as text (tags included) when it is closed.
_STRAY_CHARREF = re.compile(r"&#(?!(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F])")


def _defused(source: str) -> str:
    """`source` with the "#" of every stray "&#" replaced by "_" (same length,
    so every offset HTMLParser reports is still an offset into `source`).
    The reader takes its text from the source by offset, so the "&#" is still
    read as text; only the parser no longer stalls on it."""
    return _STRAY_CHARREF.sub("&_", source)


def read_html(path: str, source: str) -> Document:
    reader = _Reader(source)
    tail = unclosed_tail(source)
    reader.feed(_defused(source[:tail]))
    reader.close()
    reader.read_tail(tail)
    reader.flush()
    return Document(
        path=path,
        source=source,
        # Attribute blocks are made when their tag opens, before the text
        # around them is flushed: restore source order.
        blocks=tuple(sorted(reader.blocks, key=lambda block: block.offsets.source_start(0))),
        format="html",
        directives=tuple(reader.directives),
    )


def html_blocks(source: str, start: int, end: int) -> list[Block]:
    """The prose blocks of the HTML in source[start:end] (an HTML block in
    Markdown), read by the rules of an HTML file, positioned in `source`."""
    return [block.moved(start) for block in read_html("", source[start:end]).blocks]
