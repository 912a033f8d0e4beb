"""The words spaCy might see in raw text, worked out without running it.

Shared by the prefilter (which needs every form a sentence's words can take)
and the pipeline tables (which keep only what the tokenizer adds beyond
these). Over-generated on purpose: a word listed here that spaCy would not
produce costs a little speed; a word missing could hide a claim.
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:['-][^\W_]+)+")
_APOSTROPHE_SUFFIX = re.compile(r"(?<=[^\W_])('[^\W_]+)")
_PUNCT = re.compile(r"[^\w\s]+")
# Numbers and letters apart: the tokenizer splits "10mg" and "9am".
_NUMBER_OR_LETTERS = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# A run of letters and digits with its decimals ("1.5", "b12"); those that
# hold a digit are split further. (Matching "a run holding a digit" directly,
# [^\W_]*\d[^\W_]*, backtracks over every run without one: quadratic.)
_RUN_WITH_DECIMALS = re.compile(r"[^\W_]+(?:[.,]\d+)*")
_DIGIT = re.compile(r"\d")
_NEGATED_CONTRACTION = re.compile(r"([^\W_]+)n't")
_CONTRACTIONS = {"n't": ("not",), "'ll": ("will",), "'re": ("are",), "'ve": ("have",), "'m": ("am",), "'d": ("would", "had"), "'s": ("is", "has")}


def normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def words_of(text: str) -> set[str]:
    """Every form under which spaCy might see a word of `text` (over-generated)."""
    lowered = normalise(text)
    words = set(_RUN.findall(lowered))
    # Each pass below runs only where its characters occur (most sentences
    # have no digit, hyphen or apostrophe): the prefilter asks this of
    # every sentence.
    if _DIGIT.search(lowered):
        for mixed in _RUN_WITH_DECIMALS.findall(lowered):
            if not mixed.isalpha():
                words.update(_NUMBER_OR_LETTERS.findall(mixed))
    for run in set(_PUNCT.findall(lowered)):
        words.add(run)  # "---", "...": one token
        words.update(run)  # and each mark on its own
    if "cannot" in lowered:
        words.update({"can", "ca", "not", "n't"})  # one word, two tokens: "can" + "not"
    if "-" not in lowered and "'" not in lowered:
        return words  # the rest is about compounds and contractions
    words.update(_COMPOUND.findall(lowered))
    if "'" in lowered:
        for suffix in _APOSTROPHE_SUFFIX.findall(lowered):
            words.add(suffix)
            words.update(_CONTRACTIONS.get(suffix, ()))
        if "n't" in lowered:
            for stem in _NEGATED_CONTRACTION.findall(lowered):
                words.update({stem, "n't", "not"})  # "don't" -> do + n't
    if "can't" in lowered:
        words.update({"can", "ca", "not", "n't"})
    if "won't" in lowered:
        words.update({"will", "wo", "not", "n't"})
    return words
