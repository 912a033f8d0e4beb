"""Markdown reader: prose blocks with exact source offsets.

markdown-it-py gives the block structure (which lines form a paragraph,
heading, list item or table row) but its rendered text has no offsets. So for
each block we go back to the source lines, locate the block's content on each
line (which drops `#`, `>`, bullets, pipes and underlines), and run a small
CommonMark-aware scanner over that content that decides which characters are
markup (dropped), which are entities (decoded) and which are prose (kept).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from linter.read.document import Block, Directive, Document
from linter.core.errors import InputError
from linter.read.offsets import LineIndex, TextBuilder
from linter.read.html import directive_from_comment, entity_at, html_blocks
from linter.core.limits import MAX_FRONT_MATTER_CHARS, MAX_YAML_DEPTH

FRONT_MATTER_FIELDS = ("title", "description", "summary", "excerpt")

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\`<&!\[\]*_\n]|https?://|www\.", re.IGNORECASE)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*>")
_EMAIL_AUTOLINK = re.compile(
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\[\]`]*", re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\b", re.IGNORECASE)
_COMMENT_OPEN, _COMMENT_CLOSE = "<!--", "-->"
# markdown-it's own limit; content nested deeper is dropped by the parser, so
# a document that reaches it is reported instead of being linted in part.
MAX_NESTING = 100
_CONTAINERS = ("blockquote_open", "list_item_open")
# (opener, what must follow it, earliest offset of that from the opener); most specific first.
_HTML_CLOSERS = (("<!--", "-->", 2), ("<![CDATA[", "]]>", 9), ("<?", "?>", 2), ("<", ">", 1))
_ATX_CLOSING = re.compile(r"[ \t]+#+$")
_BLOCKQUOTE_MARKER = re.compile(r"[ \t]{0,3}>[ \t]?")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]*")
_INDENT = re.compile(r"[ \t]*")


def read_markdown(path: str, source: str) -> Document:
    """Paragraphs, headings, list items, table cells and front-matter fields.

    Code (fenced, indented, inline) is skipped; the text of HTML blocks is
    read as an HTML file's would be; `overclaim-` comments in HTML blocks and
    inline HTML become directives.
    """
    # A fresh parser per file: cheap (well under a millisecond) and keeps the
    # reader free of shared mutable state.
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").use(front_matter_plugin)
    # Only block structure is used (inline markup is scanned below, with
    # offsets); markdown-it's own inline pass is skipped: it is slow on
    # pathological brackets ("x <![CDATA[" * n takes minutes).
    parser.disable(["inline", "text_join"])
    env: dict[str, Any] = {}
    tokens = parser.parse(source, env)
    _check_nesting(path, tokens)
    lines = LineIndex(source)
    references = frozenset(env.get("references", {}))
    blocks: list[Block] = []
    directives: list[Directive] = []
    containers: list[Token] = []  # open blockquotes and list items, outermost first
    front_matter: tuple[int, int] | None = None
    notes: list[tuple[int, str]] = []

    def add(spans: list[_Span], kind: str) -> None:
        block = _Inline(source, spans, references).block(kind, directives)
        if block:
            blocks.append(block)

    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "list_item_open"):
            containers.append(token)
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type == "front_matter":
            read = _front_matter(source, lines, token)
            blocks.extend(read.blocks)
            front_matter = read.span
            notes.extend(read.notes)
        elif token.type == "html_block" and token.map:
            start, end = _line_range(source, lines, token.map[0], token.map[1])
            directives.extend(_comment_directives(source, start, end))
            # Text inside <div>, <details>, an MDX component or after a
            # leading comment is shown to readers: lint it as HTML.
            blocks.extend(html_blocks(source, start, end))
        elif token.type == "tr_open" and token.map:
            cells = _row_cells(source, lines, token.map[0], containers)
            count = _cell_count(tokens, index)
            for cell in cells[:count]:
                add([cell], "table-cell")
        elif token.type == "inline" and token.map and tokens[index - 1].type in ("paragraph_open", "heading_open"):
            if tokens[index - 1].type == "heading_open":
                kind = "heading"
            elif containers and containers[-1].type == "list_item_open":
                kind = "list-item"
            else:
                kind = "paragraph"
            add(_content_spans(source, lines, token), kind)

    directives.sort(key=lambda d: d.start)
    return Document(
        path=path,
        source=source,
        blocks=tuple(blocks),
        format="markdown",
        directives=tuple(directives),
        front_matter=front_matter,
        notes=tuple(notes),
    )


# --- locating block content in the source ------------------------------------


@dataclass(frozen=True)
class _Span:
    """Content of one source line: [start, end), and where the next line starts.

    A line break after this line becomes a space standing for [end, next_line).
    """

    start: int
    end: int
    next_line: int


def _line(source: str, lines: LineIndex, line: int) -> tuple[int, int, int]:
    """(start, end without line ending, next line start) of 0-based `line`."""
    start, next_start = lines.line_bounds(line + 1)
    if next_start < 0:
        next_start = len(source)
    end = next_start
    while end > start and source[end - 1] in "\r\n":
        end -= 1
    return start, end, next_start


def _line_range(source: str, lines: LineIndex, first: int, stop: int) -> tuple[int, int]:
    return _line(source, lines, first)[0], _line(source, lines, stop - 1)[2]


def _content_spans(source: str, lines: LineIndex, token: Token) -> list[_Span]:
    """Locate each line of an inline token's content on its source line.

    markdown-it's content line is the source line minus block markers (and,
    for ATX headings, the closing #s), so it is found as a suffix of the line.
    """
    assert token.map is not None
    spans = []
    for offset, content in enumerate(token.content.split("\n")):
        line = token.map[0] + offset
        if line >= token.map[1]:
            break
        start, end, next_line = _line(source, lines, line)
        found = _locate(source[start:end], content.strip())
        if found:
            spans.append(_Span(start + found[0], start + found[1], next_line))
    return spans


def _locate(line: str, content: str) -> tuple[int, int] | None:
    if not content:
        return None
    # markdown-it replaces NUL by U+FFFD; compare against the same text.
    line = line.replace("\0", "\ufffd")
    trimmed = line.rstrip()
    if trimmed.endswith(content):
        return len(trimmed) - len(content), len(trimmed)
    closing = _ATX_CLOSING.search(trimmed)
    if closing:
        before = trimmed[: closing.start()].rstrip()
        if before.endswith(content):
            return len(before) - len(content), len(before)
    found = line.rfind(content)
    return (found, found + len(content)) if found >= 0 else None


def _row_cells(source: str, lines: LineIndex, line: int, containers: list[Token]) -> list[_Span]:
    """Cells of a table row, split on unescaped pipes, each trimmed.

    markdown-it unescapes `\\|` in cell content, so cells are not located by
    their content but by splitting the row the same way it does.
    """
    start, end, next_line = _line(source, lines, line)
    pos = start
    for container in containers:
        if container.type == "blockquote_open":
            marker = _BLOCKQUOTE_MARKER.match(source, pos, end)
        elif container.map and container.map[0] == line:
            marker = _LIST_MARKER.match(source, pos, end)
        else:
            marker = _INDENT.match(source, pos, end)
        pos = marker.end() if marker else pos
    pieces: list[tuple[int, int]] = []
    piece_start, i = pos, pos
    while i < end:
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "|":
            pieces.append((piece_start, i))
            piece_start = i + 1
        i += 1
    pieces.append((piece_start, end))
    row = source[pos:end].strip()
    if row.startswith("|"):
        pieces.pop(0)
    if pieces and len(pieces) > 1 and not source[pieces[-1][0] : pieces[-1][1]].strip():
        pieces.pop()  # after a trailing pipe
    cells = []
    for a, b in pieces:
        text = source[a:b]
        lead = len(text) - len(text.lstrip())
        cells.append(_Span(a + lead, a + len(text.rstrip()), next_line))
    return cells


def _cell_count(tokens: list[Token], tr_index: int) -> int:
    count, index = 0, tr_index + 1
    while index < len(tokens) and tokens[index].type != "tr_close":
        count += tokens[index].type == "inline"
        index += 1
    return count


def _comment_directives(source: str, start: int, end: int) -> list[Directive]:
    # find() rather than a lazy regex: "<!--(.*?)-->" rescans to the end of
    # the range for every unclosed "<!--" (quadratic on "<!--" * n).
    found = []
    pos = source.find(_COMMENT_OPEN, start, end)
    while pos >= 0:
        close = source.find(_COMMENT_CLOSE, pos + len(_COMMENT_OPEN), end)
        if close < 0:
            break
        stop = close + len(_COMMENT_CLOSE)
        directive = directive_from_comment(source[pos + len(_COMMENT_OPEN) : close], pos, stop)
        if directive:
            found.append(directive)
        pos = source.find(_COMMENT_OPEN, stop, end)
    return found


def _check_nesting(path: str, tokens: list[Token]) -> None:
    """InputError if markdown-it dropped content nested past MAX_NESTING."""
    for token in tokens:
        if token.type in _CONTAINERS and token.level >= MAX_NESTING - 1:
            line = token.map[0] + 1 if token.map else None
            message = f"block quotes and lists nested too deeply (over {MAX_NESTING} levels), not linted"
            raise InputError(path, message, line=line)


# --- inline content ------------------------------------------------------------


@dataclass
class _Opener:
    pos: int
    image: bool
    active: bool = True


@dataclass
class _Delimiter:
    """A run of `*` or `_`; `start`/`length` shrink as emphasis consumes it."""

    char: str
    start: int
    length: int
    original: int
    can_open: bool
    can_close: bool


class _Inline:
    """Scans one block's content; the lines are joined by "\\n" into `text`.

    The scan collects edits (drop or replace a range of `text`); everything
    else is prose. Positions in `text` map back to the source line by line.
    """

    def __init__(self, source: str, spans: list[_Span], references: frozenset[str]) -> None:
        self.source = source
        self.spans = spans
        self.references = references
        self.text = "\n".join(source[s.start : s.end] for s in spans)
        self.starts: list[int] = []  # where each span begins in `text`
        position = 0
        for span in spans:
            self.starts.append(position)
            position += span.end - span.start + 1
        self.edits: list[tuple[int, int, str]] = []
        # Caches that keep pathological input (thousands of unmatched
        # backticks or link openers) linear instead of quadratic.
        self._unclosed_backticks: set[int] = set()
        self._unescaped: dict[str, list[int]] = {}
        self._last: dict[str, int] = {}  # closer -> offset of its last occurrence

    def origin(self, pos: int) -> int:
        """Source offset of text[pos] (a joining "\\n" maps to its line's end)."""
        index = bisect_right(self.starts, pos) - 1
        return self.spans[index].start + pos - self.starts[index]

    def block(self, kind: str, directives: list[Directive]) -> Block | None:
        if not self.spans:
            return None
        self._scan(directives)
        builder = TextBuilder(self.source)
        pos = 0
        for start, end, replacement in sorted(self.edits):
            self._emit(builder, pos, start)
            if replacement:
                builder.replace(self.origin(start), self.origin(end - 1) + 1, replacement)
            pos = max(pos, end)
        self._emit(builder, pos, len(self.text))
        text, offsets = builder.build()
        return Block(text, offsets, kind) if text.strip() else None

    def _emit(self, builder: TextBuilder, start: int, end: int) -> None:
        """Keep text[start:end] verbatim; each joining "\\n" becomes a space."""
        while start < end:
            newline = self.text.find("\n", start, end)
            stop = end if newline < 0 else newline
            builder.keep(self.origin(start), self.origin(start) + stop - start)
            if newline < 0:
                break
            span = self.spans[bisect_right(self.starts, newline) - 1]
            builder.replace(span.end, span.next_line, " ")
            start = newline + 1

    def _edit(self, start: int, end: int, replacement: str = "") -> None:
        """Drop text[start:end] from the prose, or stand `replacement` in for it."""
        if end > start:
            self.edits.append((start, end, replacement))

    def _scan(self, directives: list[Directive]) -> None:
        text, n = self.text, len(self.text)
        openers: list[_Opener] = []
        delimiters: list[_Delimiter] = []
        i = 0
        while True:
            match = _SPECIAL.search(text, i)
            if not match:
                break
            i = match.start()
            char = text[i]
            if char == "\\":
                if i + 1 < n and text[i + 1] in _ASCII_PUNCTUATION:
                    self._edit(i, i + 1)  # the escaped character is prose
                    i += 2
                else:
                    if i + 1 < n and text[i + 1] == "\n":
                        self._edit(i, i + 1)  # hard line break
                    i += 1
            elif char == "`":
                i = self._code_span(i)
            elif char == "<":
                i = self._angle(i, directives)
            elif char == "&":
                entity = entity_at(text, i, strict=True)
                if entity:
                    self._edit(i, entity[0], entity[1])
                    i = entity[0]
                else:
                    i += 1
            elif char == "!":
                if text.startswith("[", i + 1):
                    openers.append(_Opener(i, image=True))
                    i += 2
                else:
                    i += 1
            elif char == "[":
                openers.append(_Opener(i, image=False))
                i += 1
            elif char == "]":
                i = self._close_bracket(i, openers)
            elif char in "*_":
                run = i
                while run < n and text[run] == char:
                    run += 1
                delimiters.append(_delimiter(text, char, i, run))
                i = run
            elif char == "\n":
                i += 1
            else:
                i = self._bare_url(i)
        self._emphasis(delimiters)

    def _code_span(self, i: int) -> int:
        text = self.text
        run = i
        while run < len(text) and text[run] == "`":
            run += 1
        length = run - i
        if length in self._unclosed_backticks:
            return run
        search = run
        while True:
            close = text.find("`" * length, search)
            if close < 0:
                # No closing run: the backticks are literal, and so is every
                # later run of this length (it would have closed this one).
                self._unclosed_backticks.add(length)
                return run
            after = close + length
            if (after >= len(text) or text[after] != "`") and text[close - 1] != "`":
                self._edit(i, after)
                return after
            search = after
            while search < len(text) and text[search] == "`":
                search += 1

    def _angle(self, i: int, directives: list[Directive]) -> int:
        text = self.text
        for pattern in (_AUTOLINK, _EMAIL_AUTOLINK):
            link = pattern.match(text, i)
            if link:
                self._edit(i, link.end())
                return link.end()
        tag = HTML_TAG_RE.match(text, i) if self._may_close(i) else None
        if not tag:
            return i + 1
        if tag.group().startswith("<!--"):
            body = tag.group()[4:-3] if tag.group().endswith("-->") else ""
            directive = directive_from_comment(body, self.origin(i), self.origin(tag.end() - 1) + 1)
            if directive:
                directives.append(directive)
        # <br> separates words; other inline tags (<span>, <b>) do not.
        self._edit(i, tag.end(), " " if _BREAK_TAG.match(text, i) else "")
        return tag.end()

    def _may_close(self, i: int) -> bool:
        """Can the HTML construct opened at text[i] end anywhere? HTML_TAG_RE
        would otherwise scan to the end of the text for every unclosed
        "<!--" or "<?" (quadratic time on "x <!--" * n)."""
        for opener, closer, offset in _HTML_CLOSERS:
            if self.text.startswith(opener, i):
                last = self._last.get(closer)
                if last is None:
                    last = self._last[closer] = self.text.rfind(closer)
                return last >= i + offset
        return True

    def _bare_url(self, i: int) -> int:
        text = self.text
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "/@.:-"):
            return i + 1  # inside a word or an address, not the start of a URL
        url = _BARE_URL.match(text, i)
        assert url is not None
        end = url.end()
        # Trailing punctuation ends the sentence, not the URL (GFM autolinks);
        # a ")" belongs to the URL only if it closes a "(" inside it.
        unbalanced = text.count(")", i, end) - text.count("(", i, end)
        while end > i:
            last = text[end - 1]
            if last in "?!.,:;*_~'\"":
                end -= 1
            elif last == ")" and unbalanced > 0:
                end -= 1
                unbalanced -= 1
            else:
                break
        if end - i <= len("www."):
            return i + 1
        self._edit(i, end)
        return end

    def _close_bracket(self, i: int, openers: list[_Opener]) -> int:
        if not openers:
            return i + 1
        opener = openers.pop()
        if not opener.active:
            return i + 1
        label_start = opener.pos + (2 if opener.image else 1)
        # Link labels are at most 999 characters; longer text cannot be one
        # (and slicing it for every "]" would make nested brackets quadratic).
        link_text = self.text[label_start:i] if i - label_start <= 999 else None
        end = self._link_tail(i + 1, link_text)
        if end is None:
            return i + 1
        self._edit(opener.pos, label_start)
        self._edit(i, end)
        if not opener.image:
            # Links cannot contain links: earlier "[" can no longer open one.
            for earlier in openers:
                if not earlier.image:
                    earlier.active = False
        return end

    def _link_tail(self, pos: int, link_text: str | None) -> int | None:
        """End of `](...)`, `][label]`, `][]` or `]` if a link closes at pos - 1."""
        text = self.text
        if text.startswith("(", pos):
            end = self._inline_link_end(pos)
            if end is not None:
                return end
        label = _link_label(text, pos)
        if label is not None and label[0].strip():
            return label[1] if normalizeReference(label[0]) in self.references else None
        if link_text is not None and normalizeReference(link_text) in self.references:
            return label[1] if label is not None else pos
        return None

    def _inline_link_end(self, pos: int) -> int | None:
        """End of `(destination "title")` starting at text[pos] == "(", or None."""
        text = self.text
        pos = _skip_space(text, pos + 1)
        if text.startswith("<", pos):
            pos += 1
            while pos < len(text) and text[pos] not in "<>\n":
                pos += 2 if text[pos] == "\\" else 1
            if not text.startswith(">", pos):
                return None
            pos += 1
        else:
            depth = 0
            while pos < len(text) and not text[pos].isspace() and ord(text[pos]) >= 0x20:
                if text[pos] == "\\":
                    pos += 1
                elif text[pos] == "(":
                    depth += 1
                    if depth > 32:  # the nesting limit markdown-it uses too
                        return None
                elif text[pos] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                pos += 1
        after_destination = pos
        pos = _skip_space(text, pos)
        if pos > after_destination and pos < len(text) and text[pos] in "\"'(":
            pos = self._next_unescaped(")" if text[pos] == "(" else text[pos], pos + 1)
            if pos < 0:
                return None
            pos = _skip_space(text, pos + 1)
        return pos + 1 if text.startswith(")", pos) else None

    def _next_unescaped(self, char: str, pos: int) -> int:
        """Offset of the first `char` at or after pos not escaped by a backslash, else -1."""
        positions = self._unescaped.get(char)
        if positions is None:
            found = re.finditer(re.escape(char), self.text)
            positions = [m.start() for m in found if not _escaped(self.text, m.start())]
            self._unescaped[char] = positions
        index = bisect_left(positions, pos)
        return positions[index] if index < len(positions) else -1

    def _emphasis(self, delimiters: list[_Delimiter]) -> None:
        """CommonMark's "process emphasis", reduced to what we need: which
        delimiter characters pair up (those are dropped); the rest is text."""
        stack: list[_Delimiter] = []
        # CommonMark's "openers bottom": after a closer of some kind finds no
        # opener, later closers of that kind need not look below that point.
        bottoms: dict[tuple[str, bool, int], int] = {}
        for closer in delimiters:
            while closer.can_close and closer.length:
                kind = (closer.char, closer.can_open, closer.original % 3)
                opener_index = _find_opener(stack, closer, bottoms.get(kind, 0))
                if opener_index is None:
                    bottoms[kind] = len(stack)
                    break
                opener = stack[opener_index]
                use = 2 if opener.length >= 2 and closer.length >= 2 else 1
                opener.length -= use
                self._edit(opener.start + opener.length, opener.start + opener.length + use)
                self._edit(closer.start, closer.start + use)
                closer.start += use
                closer.length -= use
                # Delimiters between a matched pair can no longer match.
                del stack[opener_index + (0 if opener.length == 0 else 1) :]
                for key, bottom in bottoms.items():
                    bottoms[key] = min(bottom, len(stack))
            if closer.can_open and closer.length:
                stack.append(closer)


def _find_opener(stack: list[_Delimiter], closer: _Delimiter, bottom: int) -> int | None:
    for index in range(len(stack) - 1, bottom - 1, -1):
        opener = stack[index]
        if opener.char != closer.char or not opener.length:
            continue
        # The "rule of 3" keeps `*foo**bar*` from pairing the wrong runs.
        if (opener.can_close or closer.can_open) and (opener.original + closer.original) % 3 == 0:
            if opener.original % 3 or closer.original % 3:
                continue
        return index
    return None


def _is_space(char: str) -> bool:
    return char in "\t\n\f\r " or unicodedata.category(char) == "Zs"


def _is_punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or unicodedata.category(char)[0] in "PS"


def _delimiter(text: str, char: str, start: int, end: int) -> _Delimiter:
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    left = not _is_space(after) and (not _is_punctuation(after) or _is_space(before) or _is_punctuation(before))
    right = not _is_space(before) and (not _is_punctuation(before) or _is_space(after) or _is_punctuation(after))
    if char == "_":
        # Intraword underscores (snake_case) are text, not emphasis.
        can_open = left and (not right or _is_punctuation(before))
        can_close = right and (not left or _is_punctuation(after))
    else:
        can_open, can_close = left, right
    return _Delimiter(char, start, end - start, end - start, can_open, can_close)


def _escaped(text: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes > 0 and text[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _link_label(text: str, pos: int) -> tuple[str, int] | None:
    """(label, end) for a `[label]` at text[pos], or None."""
    if not text.startswith("[", pos):
        return None
    i = pos + 1
    while i < len(text) and i - pos <= 1000:
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "[":
            return None
        if text[i] == "]":
            return text[pos + 1 : i], i + 1
        i += 1
    return None


# --- front matter ------------------------------------------------------------------


def _front_matter_span(source: str, lines: LineIndex, token: Token) -> tuple[int, int]:
    """Source span of the YAML between the opening and closing `---` lines."""
    assert token.map is not None
    start = _line(source, lines, 0)[2]
    end = _line(source, lines, token.map[1] - 1)[0]  # the closing --- line
    return start, max(start, end)


@dataclass(frozen=True)
class _FrontMatter:
    blocks: list[Block]
    span: tuple[int, int] | None  # None: unreadable, so it chooses no packs
    notes: list[tuple[int, str]]  # (line, problem): reported, the body still linted


_NOT_READ = "; its fields and packs are not read, the rest of the file is linted"


def _front_matter(source: str, lines: LineIndex, token: Token) -> _FrontMatter:
    """Blocks for the linted YAML fields (other keys and non-strings are
    skipped), and the problems that kept it from being read.

    Front matter that cannot be read is reported on one line, but never
    costs the body's claims: the body is linted with the configured packs.
    """
    # YAML is read only where a page has front matter (PyYAML's import is a
    # tenth of a clean run's start-up).
    import yaml

    from linter.core.yaml_source import DepthLimitedLoader, size_problem
    from linter.read.yaml_escapes import replace_bad_escapes

    start, end = _front_matter_span(source, lines, token)
    first = lines.position(start)[0]
    if end <= start:
        return _FrontMatter([], (start, end), [])
    if end - start > MAX_FRONT_MATTER_CHARS:
        size = f"{(end - start) / 1024:,.0f} KB; the limit is {MAX_FRONT_MATTER_CHARS // 1024} KB"
        return _FrontMatter([], None, [(first, f"front matter too large ({size}){_NOT_READ}")])
    text, bad = replace_bad_escapes(source[start:end])
    notes = [
        (lines.position(start + offset)[0], f"front matter: the escape {escape} names no Unicode character; read as U+FFFD")
        for offset, escape in bad
    ]
    try:
        root = yaml.compose(text, Loader=DepthLimitedLoader)
    except RecursionError:  # not expected past DepthLimitedLoader; one line all the same
        depth = f"lists and mappings nested over {MAX_YAML_DEPTH} levels deep"
        return _FrontMatter([], None, [*notes, (first, f"invalid front matter: {depth}{_NOT_READ}")])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if mark is not None:
            line = first + mark.line
        else:  # a ReaderError (control character) has only an offset
            line = lines.position(start + getattr(error, "position", 0))[0]
        problem = getattr(error, "problem", None) or "not valid YAML"
        return _FrontMatter([], None, [*notes, (line, f"invalid front matter: {problem}{_NOT_READ}")])
    except ValueError as error:  # PyYAML converting a value it scanned; none known after replace_bad_escapes
        return _FrontMatter([], None, [*notes, (first, f"invalid front matter: {error}{_NOT_READ}")])
    if root is None:
        return _FrontMatter([], (start, end), notes)
    oversized = size_problem("", root)
    if oversized is not None:  # a recursive alias, an alias bomb, deep nesting
        line = first + oversized.line - 1
        return _FrontMatter([], None, [*notes, (line, f"invalid front matter: {oversized.message}{_NOT_READ}")])
    if not isinstance(root, yaml.MappingNode):
        return _FrontMatter([], (start, end), notes)
    blocks = []
    seen: set[int] = set()  # an alias (*name) is the anchored node again: lint it once
    for key, value in root.value:
        if (
            isinstance(key, yaml.ScalarNode)
            and key.value in FRONT_MATTER_FIELDS
            and isinstance(value, yaml.ScalarNode)
            and value.tag == "tag:yaml.org,2002:str"
            and id(value) not in seen
        ):
            seen.add(id(value))
            block = _yaml_scalar(source, start + value.start_mark.index, start + value.end_mark.index, value.style)
            if block:
                blocks.append(block)
    return _FrontMatter(blocks, (start, end), notes)


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_YAML_HEX = {"x": 2, "u": 4, "U": 8}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)*")


def _yaml_scalar(source: str, start: int, end: int, style: str | None) -> Block | None:
    """A YAML scalar's value, read from its source text so offsets stay exact.

    Quotes, escapes and block-scalar headers are dropped, and every line break
    (with the indentation around it) becomes one space: for prose, folded and
    literal scalars read the same.
    """
    properties = _YAML_PROPERTIES.match(source, start, end)  # &anchor, !tag
    start = properties.end() if properties else start
    if style in ("|", ">"):
        header = _LINE_BREAK.search(source, start, end)
        start = header.end() if header else end
    elif style in ("'", '"'):
        start, end = start + 1, end - 1
    builder = TextBuilder(source)
    pos = start
    pending: int | None = None  # start of whitespace (a line break) to turn into a space
    while pos < end:
        char = source[pos]
        if char in " \t\r\n":
            run = pos
            while run < end and source[run] in " \t\r\n":
                run += 1
            if _LINE_BREAK.search(source, pos, run):
                pending = pos if pending is None else pending
                pos = run
                continue
            if pending is None and builder.length:
                builder.keep(pos, run)
            pos = run
            continue
        if pending is not None:
            if builder.length:
                builder.replace(pending, pos, " ")
            pending = None
        if style == "'" and source.startswith("''", pos):
            builder.replace(pos, pos + 2, "'")
            pos += 2
        elif style == '"' and char == "\\" and pos + 1 < end:
            pos = _yaml_escape(source, pos, builder)
        else:
            builder.keep(pos, pos + 1)
            pos += 1
    text, offsets = builder.build()
    return Block(text, offsets, "front-matter") if text.strip() else None


def _yaml_escape(source: str, pos: int, builder: TextBuilder) -> int:
    code = source[pos + 1]
    if code in _YAML_ESCAPES:
        builder.replace(pos, pos + 2, _YAML_ESCAPES[code])
        return pos + 2
    if code in _YAML_HEX:
        digits = source[pos + 2 : pos + 2 + _YAML_HEX[code]]
        try:
            code_point = int(digits, 16)
        except ValueError:
            builder.keep(pos, pos + 2)
        else:
            # A lone surrogate or a code point past U+10FFFF is no character:
            # the replacement character stands for it (as in the HTML reader).
            valid = code_point <= 0x10FFFF and not 0xD800 <= code_point <= 0xDFFF
            builder.replace(pos, pos + 2 + len(digits), chr(code_point) if valid else "\ufffd")
        return pos + 2 + len(digits)
    if code in "\r\n":
        # An escaped line break joins the lines without a space.
        while pos + 1 < len(source) and source[pos + 1] in " \t\r\n":
            pos += 1
        return pos + 1
    builder.keep(pos, pos + 2)  # not a YAML escape; PyYAML would have refused it
    return pos + 2
