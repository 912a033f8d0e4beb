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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Container, Iterable, Mapping, Sequence

from linter.packs.lex_sugar import TOKEN_TAGS_EXTENSION, encode_tags
from linter.engine.lexicon_terms import PACKED_ENTRY, TermIndex, WordBases, term_surfaces

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from linter.core.model import Lexicon

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


_PLAIN_WORD = re.compile(r"[a-z]+")
_PACKED_LINES = re.compile(f"(?:{PACKED_ENTRY.pattern})(?:\n(?:{PACKED_ENTRY.pattern}))*")


@dataclass(frozen=True)
class TaggerIndex:
    """The lexicon tagger's index as text (`TermIndex.packed`): kept in the
    cache, so that a run that loads the pipeline reads it instead of
    working every term out again (and decoding the lexicons for it)."""

    by_first: Mapping[str, str]

    def consistent(self) -> bool:
        """Is every entry written as `TermIndex.packed` writes them? The
        cache's codec checks types only; an index that fails this is a
        miss, never an error in the middle of a run."""
        return all(self.by_first) and (not self.by_first or bool(_PACKED_LINES.fullmatch("\n".join(self.by_first.values()))))


# The classes a cached tagger index may be built from (see cache.codec).
TAGGER_CLASSES: dict[str, type] = {"TaggerIndex": TaggerIndex}


class LexiconTagger:
    """Compiled lexicons: every term's word forms, indexed by its first word."""

    def __init__(self, nlp: "Language", lexicons: Sequence["Lexicon"]) -> None:
        ensure_token_extension()
        # Indexed by the forms of a term's first word, so tagging a Doc is one
        # dict lookup per token (spaCy's Matcher with thousands of set-valued
        # patterns was most of the run time).
        self._index = TermIndex()
        lookups = nlp.vocab.lookups
        norms = lookups.get_table("lexeme_norm") if lookups.has_table("lexeme_norm") else {}
        special = nlp.tokenizer.rules or {}  # type: ignore[union-attr]  # spaCy's Tokenizer
        for surface in term_surfaces(lexicons):
            words = self._plain_word_bases(surface.text, norms, special) or self._word_bases(nlp, surface.text)
            self._index.add(words, surface.tags)

    @classmethod
    def from_index(cls, index: TaggerIndex) -> "LexiconTagger":
        """The tagger whose `index()` this is (spaCy must be imported)."""
        ensure_token_extension()
        tagger = cls.__new__(cls)
        tagger._index = TermIndex(index.by_first)
        return tagger

    def index(self) -> TaggerIndex | None:
        """This tagger's index as data (None if it cannot be packed)."""
        packed = self._index.packed()
        return None if packed is None else TaggerIndex(packed)

    @staticmethod
    def _word_bases(nlp: "Language", surface: str) -> WordBases:
        """Per token of the term: the words whose inflections its NORM may be."""
        tokens = nlp.make_doc(surface)
        return tuple(frozenset({tok.norm_, tok.lower_}) for tok in tokens if not tok.is_space)

    @staticmethod
    def _plain_word_bases(surface: str, norms: "Mapping[str, str]", special: "Container[str]") -> WordBases | None:
        """The same as `_word_bases` for a term of plain lower-case words,
        without the tokenizer (which builds a lexeme per new word: a third of
        a second for the few thousand condition names). The tokenizer splits
        such a term at its spaces and nowhere else, unless a word is one of
        its special cases; a word's NORM is its entry in the pipeline's norm
        table, or the word. None: not plain, ask the tokenizer."""
        words = surface.split()
        if not words or not all(_PLAIN_WORD.fullmatch(word) and word not in special for word in words):
            return None
        return tuple(frozenset({norms.get(word, word), word}) for word in words)

    def tag(self, doc: "Doc") -> "TokenTags":
        """Set the tags on every token some lexicon term covers, as its ENT_ID
        (which the matchers read, see `lex_sugar.native`) and its tag extension
        (for an explicit `_` test), and return the same tags by token index
        (the rest of the engine reads those: far cheaper than either)."""
        collected = self._index.covering([token.norm_ for token in doc])
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
