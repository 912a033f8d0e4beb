"""The lemmatizer, run over the Doc's token arrays, with word lists it can search.

spaCy's rule lemmatizer checks each candidate lemma against the pipeline's
list of known words of that part of speech (57,000 nouns) with `in`: a
scan of the list, about a tenth of a millisecond for each new word, twice
what the tagger and parser spend on a word. The lists are given set
membership here (the same members, the same order for anything that
iterates them).

It also visits each token as a Python Token, builds its
morphology's key (a MorphAnalysis per token) to look in its cache, and sets
the lemma by string: a tenth of the parse. A token's lemma depends only on
its text, part of speech and morphology (the rule and lookup modes read
nothing else), so here the three are read as arrays, each distinct
combination is lemmatized once by the stock method and remembered, and the
lemmas written back in one call. A test compares every token's lemma with
the stock component on the repository's prose.

Swapping the component's class relies on how spaCy's Lemmatizer is built,
so it is done only on a spaCy release it was checked against
(`versions.CHECKED_SPACY`), and only for the modes named above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.spacy_compat.versions import spacy_checked

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Modes whose lemma is a function of the token's text, POS and morphology.
ARRAY_MODES = frozenset({"rule", "lookup"})
# (text, POS, morphology) combinations remembered before the memo starts again.
LEMMA_MEMO_SIZE = 200_000


def lemmatize_by_arrays(nlp: "Language", spacy_version: str | None = None) -> bool:
    """Make the pipeline's lemmatizer (if it has one, in a mode above) run
    over token arrays, on a checked spaCy release; whether it did."""
    if not spacy_checked(spacy_version) or "lemmatizer" not in nlp.pipe_names:
        return False
    from spacy.pipeline import Lemmatizer

    lemmatizer = nlp.get_pipe("lemmatizer")
    stock = type(lemmatizer)
    if not isinstance(lemmatizer, Lemmatizer) or issubclass(stock, ArrayLemmatizing) or lemmatizer.mode not in ARRAY_MODES:
        return False
    index = lemmatizer.lookups.get_table("lemma_index") if lemmatizer.lookups.has_table("lemma_index") else {}
    for pos, words in list(index.items()):
        if type(words) is list:  # noqa: E721 - exactly a list: anything else is left as it is
            index[pos] = WordList(words)
    # The same component (tables, cache, settings), with the array __call__.
    lemmatizer.__class__ = type(f"Array{stock.__name__}", (ArrayLemmatizing, stock), {})
    lemmatizer._lemma_memo = {}  # type: ignore[attr-defined]  # (orth, pos, morph) -> lemma hash
    return True


class WordList(list):
    """A list of words whose membership test is a set's (made when first asked:
    a run may never lemmatize an adverb). A word (a str) is looked up in the
    set; anything else, or a list holding anything but words, is scanned as
    a list would be. The pipeline's tables are not changed after loading."""

    def __init__(self, words: list) -> None:
        super().__init__(words)
        self._members: frozenset[str] | None = None
        self._all_words: bool | None = None

    def __contains__(self, item: object) -> bool:
        if self._all_words is None:
            self._all_words = all(type(word) is str for word in self)
            self._members = frozenset(self) if self._all_words else None
        if self._members is None or type(item) is not str:
            return super().__contains__(item)
        return item in self._members


class ArrayLemmatizing:
    """Mixed in before spaCy's Lemmatizer class (see the module's note)."""

    def __call__(self, doc: "Doc") -> "Doc":
        from spacy.errors import Errors

        stock: Any = self  # a spaCy Lemmatizer underneath
        if not stock._validated:
            stock._validate_tables(Errors.E1004)
        error_handler = stock.get_error_handler()
        try:
            _lemmatize(stock, doc)
            return doc
        except Exception as e:  # noqa: BLE001 - handled as the stock component handles it
            error_handler(stock.name, stock, [doc], e)
            return None  # type: ignore[return-value]  # as the stock component returns


def _lemmatize(lemmatizer: Any, doc: "Doc") -> None:
    import numpy
    from spacy.attrs import LEMMA, MORPH, ORTH, POS

    memo: dict[tuple[int, int, int], int] = lemmatizer._lemma_memo
    if len(memo) > LEMMA_MEMO_SIZE:
        memo.clear()  # text of unbounded vocabulary: start again
        # The stock method's own cache, filled on every miss of the memo
        # ((word, part of speech) -> lemmas), would otherwise grow for as
        # long as the process lives (a language server runs for days).
        stock_cache = getattr(lemmatizer, "cache", None)
        if isinstance(stock_cache, dict):
            stock_cache.clear()
    rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
    lemmas = [row[3] for row in rows]
    overwrite, add = lemmatizer.overwrite, doc.vocab.strings.add
    changed = False
    for position, (orth, pos, morph, lemma) in enumerate(rows):
        if overwrite or lemma == 0:  # the stock condition: a lemma the attribute ruler set stays
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = add(lemmatizer.lemmatize(doc[position])[0])
            lemmas[position] = found
            changed = True
    if changed:
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))  # type: ignore[arg-type]  # uint64, as spaCy wants
