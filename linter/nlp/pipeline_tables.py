"""What the pipeline would make of a word, known without running it.

The prefilter decides from raw text whether a pattern could match, so it
must foresee two things the English pipeline does to words:

- the tokenizer's special cases split some words and give others a norm:
  "dont" is "do" + "nt", "gonna" is "gon" + "na", "'cause" has the norm
  "because";
- the vocabulary's norm table gives some words another spelling's norm
  ("anaemia" -> "anemia"); it is keyed by spaCy's 64-bit string hash, which
  is computed here the same way (`string_hash`);
- the lemmatizer is rule-based, so the words that can carry a lemma can be
  worked out in reverse: a token has lemma X only if its lower-cased text
  is X itself, X re-inflected by one of the lemmatizer's suffix rules
  ("relieve" <- "relieves", "relieved"), an irregular form listed for X in
  its exception table ("find" <- "found"), or a word the attribute ruler
  assigns X to ("be" <- "'s").

The tables are read from the installed pipeline's own files (tokenizer
exceptions, norm table, lemmatizer lookups, attribute-ruler patterns)
without importing spaCy, and kept in overclaim's cache, keyed by those files. Where they
cannot be read, the prefilter does without: a LEMMA test is then treated as
satisfiable by any word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from linter.nlp.raw_words import words_of
from linter.spacy_compat.model_files import NORM_ID, ORTH_ID, read_model_tables, string_hash

if TYPE_CHECKING:
    from spacy.language import Language

_RUN = re.compile(r"[^\W_]+")


def lower_word(word: str) -> str:
    """A word as the tables hold it: lower case, straight apostrophes."""
    return word.lower().replace("’", "'").replace("‘", "'")


@dataclass(frozen=True)
class PipelineTables:
    pipeline: str  # "name version" of the pipeline the tables describe
    suffix_rules: tuple[tuple[str, str], ...]  # (suffix of the word, suffix of the lemma)
    irregular: Mapping[str, frozenset[str]]  # lemma -> words that carry it
    unknown: frozenset[str]  # lemmas assigned by patterns that cannot be inverted
    # A word of a special case (its longest letter run) -> the token texts
    # and norms the case produces that the raw words do not show.
    special_cases: Mapping[str, frozenset[str]]
    norms: Mapping[int, str]  # string hash of a word -> its norm, where not its lower case

    def lemma_forms(self, lemma: str) -> frozenset[str] | None:
        """Every lower-case word that can have this lemma (over-generated),
        or None if that cannot be known."""
        if lemma in self.unknown or lemma.lower() in self.unknown:
            return None
        # A proper noun keeps its own text as its lemma; other words are lower-cased.
        base = lemma.lower()
        words = {base}
        for word_suffix, lemma_suffix in self.suffix_rules:
            if base.endswith(lemma_suffix):
                words.add(base[: len(base) - len(lemma_suffix)] + word_suffix)
        words.update(self.irregular.get(lemma, ()))
        words.update(self.irregular.get(base, ()))
        return frozenset(words)

    def special_words(self, words: Iterable[str]) -> set[str]:
        """Token texts and norms the tokenizer's special cases could add to `words`."""
        return special_words_in(self.special_cases, words)

    def norms_of(self, word: str) -> frozenset[str]:
        """The norms a lower-case word can have besides itself (its table
        entry depends on its case: "Colour" and "colour" have one, "COLOUR"
        has none)."""
        return norms_in(self.norms, word)

    @classmethod
    def from_tables(
        cls,
        pipeline: str,
        exceptions: Mapping[str, Sequence[Mapping[Any, str]]],
        norms: Mapping[int, str],
        lemma_rules: Iterable[Iterable[Sequence[str]]],
        lemma_exc: Iterable[Mapping[str, Sequence[str]]],
        ruler_patterns: Iterable[Mapping[str, Any]],
    ) -> "PipelineTables":
        """From the tokenizer's special cases, the lemmatizer's rule and
        exception tables (one per part of speech) and the attribute ruler's
        patterns."""


        special: dict[str, set[str]] = {}
        for text, pieces in exceptions.items():
            runs = _RUN.findall(lower_word(text))
            if not runs:
                continue  # emoticons and other punctuation: no rule names them
            produced = {lower_word(str(p.get(key, ""))) for p in pieces for key in (ORTH_ID, NORM_ID, "ORTH", "NORM")}
            missing = produced - words_of(text) - {""}
            if missing:
                special.setdefault(max(runs, key=len), set()).update(missing)
        rules = {(old, new) for pos_rules in lemma_rules for old, new in pos_rules}
        irregular: dict[str, set[str]] = {}
        for table in lemma_exc:
            for word, lemmas in table.items():
                for lemma in lemmas:
                    irregular.setdefault(lemma, set()).add(word.lower())
        unknown: set[str] = set()
        for entry in ruler_patterns:
            lemma = entry["attrs"].get("LEMMA")
            if lemma is None:
                continue
            for pattern in entry["patterns"]:
                words = _literal_words(pattern[entry.get("index", 0)])
                if words is None:
                    unknown.add(lemma)
                else:
                    irregular.setdefault(lemma, set()).update(words)
        return cls(
            pipeline,
            tuple(sorted(rules)),
            {lemma: frozenset(words) for lemma, words in irregular.items()},
            frozenset(unknown),
            {word: frozenset(extra) for word, extra in special.items()},
            dict(norms),
        )


def special_words_in(special_cases: Mapping[str, frozenset[str]], words: Iterable[str]) -> set[str]:
    """`PipelineTables.special_words` with these special cases."""
    extra: set[str] = set()
    for word in words:
        extra.update(special_cases.get(word, ()))
    return extra


def norms_in(norms: Mapping[int, str], word: str) -> frozenset[str]:
    """`PipelineTables.norms_of` with this norm table."""
    found = {norms.get(string_hash(form)) for form in (word, word.capitalize())}
    return frozenset(lower_word(norm) for norm in found if norm is not None and norm != word)


def describe(nlp: "Language") -> str:
    return f"{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}"


def from_pipeline(nlp: "Language") -> PipelineTables:
    """The tables of a loaded pipeline (what `from_files` must agree with)."""
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]  # a Lemmatizer
    norms = nlp.vocab.lookups.get_table("lexeme_norm") if nlp.vocab.lookups.has_table("lexeme_norm") else {}
    return PipelineTables.from_tables(
        describe(nlp),
        nlp.tokenizer.rules,  # type: ignore[union-attr]  # spaCy's Tokenizer
        dict(norms.items()),
        lookups.get_table("lemma_rules").values(),
        lookups.get_table("lemma_exc").values(),
        nlp.get_pipe("attribute_ruler").patterns,  # type: ignore[attr-defined]  # an AttributeRuler
    )


def from_files(data_dir: Path) -> PipelineTables | None:
    """The tables of the pipeline stored in `data_dir`, read without spaCy;
    None if they cannot be (see `spacy_compat.model_files`)."""
    raw = read_model_tables(data_dir)
    if raw is None:
        return None
    return PipelineTables.from_tables(raw.pipeline, raw.exceptions, raw.norms, raw.lemma_rules, raw.lemma_exc, raw.ruler_patterns)


def _literal_words(token: Mapping[str, Any]) -> set[str] | None:
    for key in ("LOWER", "NORM", "ORTH", "TEXT"):
        value = token.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, Mapping) and set(value) == {"IN"}:
            return {str(v).lower() for v in value["IN"]}
        if value is not None:
            return None  # a REGEX or other test
    return None
