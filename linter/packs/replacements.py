"""Safe rewrites a rule names for some of the words it matches.

"instant relief" → "relief" removes a speed claim and keeps the sentence;
most claims have no such rewrite and are left to the writer (the rule's
suggestion says how). A rewrite is offered only where the finding's words,
as written in the source, are exactly one of the rule's listed phrases
(compared case-insensitively, any run of spaces as one), so markup or other
words inside a match never get rewritten. overclaim never applies one: the
formats show it, and an editor or reviewer may apply it.
"""

from __future__ import annotations

from typing import Iterable


def phrase_key(text: str) -> str:
    """How a listed phrase and a finding's words are compared."""
    return " ".join(text.split()).casefold()


def replacement_for(pairs: Iterable[tuple[str, str]], text: str) -> str | None:
    """The replacement for `text` (the finding's source words), its first
    letter upper-case when the words began with one; None when the rule
    lists no rewrite for exactly these words."""
    key = phrase_key(text)
    for phrase, replacement in pairs:
        if phrase_key(phrase) == key:
            if text[:1].isupper() and replacement[:1].islower():
                return replacement[:1].upper() + replacement[1:]
            return replacement
    return None
