"""Tag tokens with the lexicons they belong to.

Rules say `LEX: conditions` instead of listing every condition; this stage
makes that possible. Each lexicon term is tokenized with the pipeline's own
tokenizer (or, for a term of plain lower-case words, split at its spaces
and normalised with the pipeline's norm table, which is what the tokenizer
would give); a token sequence matches when each token's NORM (case- and
apostrophe-insensitive) is one of the regular English inflections of the
corresponding word of the term, so
"relieve" also tags "relieves", "relieved" and "relieving" and "headache" tags
"headaches", without needing the tagger or lemmatizer. A matched token carries
the lexicon name and the term's own tags (e.g. `serious`) in the token
extension read by rule patterns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Container, Iterable, Mapping, Sequence

from .lexref import TOKEN_TAGS_EXTENSION, encode_tags

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .model import Lexicon

# A Doc's lexicon tags: token index -> its tags (untagged tokens absent).
TokenTags = Mapping[int, tuple[str, ...]]


def ensure_token_extension() -> None:
    """Register the token extension spaCy's matchers read (idempotent).

    spaCy keeps extensions in a process-wide registry; registering on demand,
    never at import time, keeps importing this package free of side effects.
    """
    from spacy.tokens import Token

    if not Token.has_extension(TOKEN_TAGS_EXTENSION):
        Token.set_extension(TOKEN_TAGS_EXTENSION, default=())


def term_tag(lexicon: str, term: str) -> str:
    return f"{lexicon}:{' '.join(term.casefold().split())}"


_PLAIN_WORD = re.compile(r"[a-z]+")


def inflections(word: str) -> set[str]:
    """Regular noun and verb forms of a lower-case word (over-generation is harmless)."""
    forms = {word}
    if len(word) <= 2 or not word.isalpha():
        return forms
    forms.update({word + "s", word + "es", word + "ed", word + "ing", word + "d"})
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        forms.update({word[:-1] + "ies", word[:-1] + "ied"})
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        # stop -> stopped, stopping
        forms.update({word + word[-1] + "ed", word + word[-1] + "ing"})
    return forms


class LexiconTagger:
    """Compiled lexicons: every term's word forms, indexed by its first word."""

    def __init__(self, nlp: "Language", lexicons: Sequence["Lexicon"]) -> None:
        ensure_token_extension()
        from spacy.strings import get_string_id

        # Each entry: the forms every word accepts, and the tags it gives.
        # Indexed by the forms of its first word, so tagging a Doc is one dict
        # lookup per token (spaCy's Matcher with thousands of set-valued
        # patterns was most of the run time). Forms are kept as spaCy's
        # string hashes, the values of a token's NORM: a Doc's norms are then
        # read as one array, without a Python object per token.
        self._hash = get_string_id
        self._entries: list[tuple[tuple[frozenset[int], ...], tuple[str, ...]]] = []
        self._by_first: dict[int, list[int]] = {}
        lookups = nlp.vocab.lookups
        norms = lookups.get_table("lexeme_norm") if lookups.has_table("lexeme_norm") else {}
        special = nlp.tokenizer.rules or {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                # `lexicon:term` names the entry itself, for checks that need
                # to know which drug or condition matched (the off-label table).
                tags = tuple(sorted({*lexicon.tags_of(term), term_tag(lexicon.name, term.text)}))
                for surface in (term.text, *term.forms):
                    words = self._plain_word_forms(surface, norms, special) or self._word_forms(nlp, surface)
                    if words:
                        self._by_first_add(words, tags)

    def _by_first_add(self, words: tuple[frozenset[str], ...], tags: tuple[str, ...]) -> None:
        index = len(self._entries)
        hashed = tuple(frozenset(self._hash(form) for form in forms) for forms in words)
        self._entries.append((hashed, tags))
        for form in hashed[0]:
            self._by_first.setdefault(form, []).append(index)

    @staticmethod
    def _word_forms(nlp: "Language", surface: str) -> tuple[frozenset[str], ...]:
        """Per token of the term: the NORM values it accepts (its inflections)."""
        tokens = nlp.make_doc(surface)
        return tuple(frozenset(inflections(tok.norm_) | inflections(tok.lower_)) for tok in tokens if not tok.is_space)

    @staticmethod
    def _plain_word_forms(surface: str, norms: "Mapping[str, str]", special: "Container[str]") -> tuple[frozenset[str], ...] | None:
        """The same as `_word_forms` for a term of plain lower-case words,
        without the tokenizer (which builds a lexeme per new word: a third of
        a second for the few thousand condition names). The tokenizer splits
        such a term at its spaces and nowhere else, unless a word is one of
        its special cases; a word's NORM is its entry in the pipeline's norm
        table, or the word. None: not plain, ask the tokenizer."""
        words = surface.split()
        if not words or not all(_PLAIN_WORD.fullmatch(word) and word not in special for word in words):
            return None
        return tuple(frozenset(inflections(norms.get(word, word)) | inflections(word)) for word in words)

    def tag(self, doc: "Doc") -> "TokenTags":
        """Set the tags on every token some lexicon term covers, as its ENT_ID
        (which the matchers read, see `lexref.native`) and its tag extension
        (for an explicit `_` test), and return the same tags by token index
        (the rest of the engine reads those: far cheaper than either)."""
        from spacy.attrs import NORM

        norms = doc.to_array(NORM).tolist() if len(doc) else []
        collected: dict[int, set[str]] = {}
        for i, norm in enumerate(norms):
            for index in self._by_first.get(norm, ()):
                words, tags = self._entries[index]
                end = i + len(words)
                if end <= len(norms) and all(norms[i + k] in words[k] for k in range(1, len(words))):
                    for j in range(i, end):
                        collected.setdefault(j, set()).update(tags)
        found = {i: tuple(sorted(tags)) for i, tags in collected.items()}
        for i, tags in found.items():
            token = doc[i]
            token._.set(TOKEN_TAGS_EXTENSION, tags)
            token.ent_id_ = encode_tags(tags)
        return found


def tags_of(tags: "TokenTags", indices: Iterable[int]) -> set[str]:
    """The tags of the tokens at `indices`."""
    found: set[str] = set()
    for i in indices:
        found.update(tags.get(i, ()))
    return found
