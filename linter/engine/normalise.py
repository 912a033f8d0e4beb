"""The text rules are matched against, made blind to invisible differences.

Copy can hide a claim from a literal matcher without changing what a reader
sees: two spaces, a tab, a no-break or thin space between words (spaCy
makes any whitespace other than one plain space a token of its own, so a
pattern no longer sees the words as neighbours), a zero-width space or soft
hyphen inside a word, a Cyrillic "е" or a fullwidth "ｃ" among Latin letters.
`for_matching` undoes each of these in a block's text. Every edit goes
through `Block.replace`, so a finding still points at the exact source
characters, and its `text` is the source, unchanged.
"""

from __future__ import annotations

import re
import unicodedata

from linter.read.document import Block

# Characters that show nothing and join nothing a reader sees: zero-width
# space, non-joiner and joiner, word joiner, BOM (zero-width no-break space),
# soft hyphen, Mongolian vowel separator.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# A run of whitespace and invisible characters that is not already one plain
# space (most runs are: they need no edit and are never visited). One pass:
# the first branch takes a whole run of two or more, so nothing backtracks.
_RUN = re.compile(f"[\\s{INVISIBLE}]{{2,}}|[^\\S ]|[{INVISIBLE}]")
# A word as the look-alike check sees it (letters of any script, and digits).
_WORD = re.compile(r"[^\W_]+")

# Cyrillic and Greek letters drawn like a Latin letter, used only inside a
# word that also has Latin letters (a Russian or Greek word is left alone).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l", "һ": "h", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y",
    # Greek
    "ο": "o", "α": "a", "ν": "v", "ρ": "p", "υ": "u", "ι": "i", "κ": "k",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}


def for_matching(block: Block) -> Block:
    """`block` with whitespace runs as one space, invisible characters
    dropped and look-alike letters in Latin words made Latin."""
    return _latin_lookalikes(_plain_spacing(block))


def _plain_spacing(block: Block) -> Block:
    text = block.text
    edits: list[tuple[int, int, str]] = []
    for run in _RUN.finditer(text):
        start, end = run.span()
        if any(not char.isspace() for char in run.group()):
            if not any(char.isspace() for char in run.group()):
                # Only invisible characters, inside or at the edge of a word:
                # drop them, folding their source into the letter before
                # (after, at the start) so the finding still covers them.
                if start > 0:
                    start -= 1
                    while start > 0 and not block.offsets.can_cut(start):
                        start -= 1
                    keep = text[start:run.start()]
                    edits.append((start, end, keep))
                elif end < len(text):
                    stop = end + 1
                    while stop < len(text) and not block.offsets.can_cut(stop):
                        stop += 1
                    edits.append((0, stop, text[end:stop]))
                continue
        elif run.group() == " ":
            continue
        # A run that starts or ends inside one decoded entity is collapsed
        # from the first to the last place it can be cut: only the few
        # characters of the entity itself stay as they are, so no whitespace
        # token is ever longer than one replacement (a rule's REGEX is probed
        # on tokens of at most MAX_TOKEN_CHARS; see regexguard).
        while start < end and not block.offsets.can_cut(start):
            start += 1
        while end > start and not block.offsets.can_cut(end):
            end -= 1
        if end - start < 1 or text[start:end] == " ":
            continue
        edits.append((start, end, " "))
    edits = _without_overlaps(edits)
    return block.replace(edits) if edits else block


def _without_overlaps(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


def _latin_lookalikes(block: Block) -> Block:
    text = block.text
    if text.isascii():
        return block  # no letter of another script: nothing to fold
    edits: list[tuple[int, int, str]] = []
    for word in _WORD.finditer(text):
        value = word.group()
        if value.isascii():
            continue
        has_latin = any("a" <= char.lower() <= "z" for char in value)
        for index, char in enumerate(value):
            latin = CONFUSABLES.get(char) if has_latin else None
            if latin is None and not char.isascii():
                folded = unicodedata.normalize("NFKC", char)
                latin = folded if len(folded) == 1 and folded.isascii() and folded.isalnum() else None
            position = word.start() + index
            if latin is not None and block.offsets.can_cut(position) and block.offsets.can_cut(position + 1):
                edits.append((position, position + 1, latin))
    return block.replace(edits) if edits else block
