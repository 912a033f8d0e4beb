"""Tag tokens with the lexicons they belong to.

Rules say `LEX: conditions` instead of listing every condition; this stage
makes that possible. Each lexicon term is tokenized with the pipeline's own
tokenizer and compiled into a Matcher pattern on the NORM attribute (case- and
apostrophe-insensitive) with regular English inflections of every word, so
"relieve" also tags "relieves", "relieved" and "relieving" and "headache" tags
"headaches", without needing the tagger or lemmatizer. A matched token carries
the lexicon name and the term's own tags (e.g. `serious`) in the token
extension read by rule patterns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from .lexref import TOKEN_TAGS_EXTENSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .model import Lexicon


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
    """Compiled lexicons: one shared Matcher, one match id per tag set."""

    def __init__(self, nlp: "Language", lexicons: Sequence["Lexicon"]) -> None:
        from spacy.matcher import Matcher

        ensure_token_extension()
        self._matcher = Matcher(nlp.vocab)
        self._tags_by_key: dict[int, tuple[str, ...]] = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                # `lexicon:term` names the entry itself, for checks that need
                # to know which drug or condition matched (the off-label table).
                tags = tuple(sorted({lexicon.name, *term.tags, term_tag(lexicon.name, term.text)}))
                key = nlp.vocab.strings.add("lex:" + "|".join(tags))
                self._tags_by_key[key] = tags
                for surface in (term.text, *term.forms):
                    pattern = self._pattern(nlp, surface)
                    if pattern:
                        self._matcher.add(nlp.vocab.strings[key], [pattern])

    @staticmethod
    def _pattern(nlp: "Language", surface: str) -> list[dict]:
        tokens = nlp.make_doc(surface)
        return [
            {"NORM": {"IN": sorted(inflections(tok.norm_) | inflections(tok.lower_))}}
            for tok in tokens
            if not tok.is_space
        ]

    def tag(self, doc: "Doc") -> None:
        """Set the tag extension on every token some lexicon term covers."""
        collected: dict[int, set[str]] = {}
        for key, start, end in self._matcher(doc):
            for i in range(start, end):
                collected.setdefault(i, set()).update(self._tags_by_key[key])
        for i, tags in collected.items():
            doc[i]._.set(TOKEN_TAGS_EXTENSION, tuple(sorted(tags)))


def tags_of(tokens: Iterable) -> set[str]:
    found: set[str] = set()
    for token in tokens:
        found.update(token._.get(TOKEN_TAGS_EXTENSION) or ())
    return found
