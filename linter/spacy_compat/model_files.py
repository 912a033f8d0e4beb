"""Reading an installed pipeline's tables from its files, without spaCy.

The prefilter needs the tokenizer's special cases, the norm table, the
lemmatizer's lookups and the attribute ruler's patterns before it decides
whether to load spaCy at all (loading costs about half a second). They are
read here from the pipeline's serialised files, which is spaCy's private
layout: msgpack files at fixed paths, token attributes written as spaCy's
numeric attribute ids, the norm table keyed by spaCy's 64-bit string hash
(`string_hash`, MurmurHash64A as spaCy computes it).

Done only on a spaCy release this was checked against
(`versions.CHECKED_SPACY`); on any other, or when a file is missing or not
in the expected form, the result is None and the prefilter does without
the tables (every lemma test is then taken as satisfiable: slower, never
wrong). tests/test_spacy_compat.py compares the result with the loaded
pipeline's own tables and the hash with spaCy's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from linter.spacy_compat.versions import spacy_checked

# spaCy's attribute ids in serialised tokenizer exceptions.
ORTH_ID, NORM_ID = 65, 67
FILES = ("meta.json", "tokenizer", "vocab/lookups.bin", "lemmatizer/lookups/lookups.bin", "attribute_ruler/patterns")


@dataclass(frozen=True)
class ModelTables:
    pipeline: str  # "name version"
    exceptions: Mapping[str, Sequence[Mapping[Any, str]]]
    norms: Mapping[int, str]
    lemma_rules: Iterable[Iterable[Sequence[str]]]
    lemma_exc: Iterable[Mapping[str, Sequence[str]]]
    ruler_patterns: Iterable[Mapping[str, Any]]


def read_model_tables(data_dir: Path, spacy_version: str | None = None) -> ModelTables | None:
    """The raw tables of the pipeline stored in `data_dir`; None if they are
    not all there in the expected form, or spaCy is of an unchecked release."""
    if not spacy_checked(spacy_version):
        return None
    if not all((data_dir / name).is_file() for name in FILES):
        return None
    import srsly  # spaCy's own serialisation library, light to import

    meta_file, tokenizer_file, vocab_file, lookups_file, patterns_file = (data_dir / name for name in FILES)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        tokenizer = srsly.msgpack_loads(tokenizer_file.read_bytes())
        vocab_tables = srsly.msgpack_loads(vocab_file.read_bytes())
        tables = srsly.msgpack_loads(lookups_file.read_bytes())
        patterns = srsly.msgpack_loads(patterns_file.read_bytes())
        return ModelTables(
            f"{meta.get('name', '')} {meta.get('version', '')}",
            tokenizer["exceptions"],
            vocab_tables.get("lexeme_norm", {}),
            tables["lemma_rules"].values(),
            tables["lemma_exc"].values(),
            patterns,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


MASK = (1 << 64) - 1
MURMUR_M = 0xC6A4A7935BD1E995


def string_hash(text: str) -> int:
    """spaCy's string hash (MurmurHash64A of the UTF-8 bytes, seed 1), as
    `spacy.strings.get_string_id` computes it."""
    if not text:
        return 0  # spaCy reserves 0 for the empty string
    data = text.encode("utf-8")
    length = len(data)
    h = (1 ^ (length * MURMUR_M)) & MASK
    whole = length - length % 8
    for start in range(0, whole, 8):
        k = int.from_bytes(data[start : start + 8], "little")
        k = (k * MURMUR_M) & MASK
        k ^= k >> 47
        k = (k * MURMUR_M) & MASK
        h ^= k
        h = (h * MURMUR_M) & MASK
    tail = data[whole:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * MURMUR_M) & MASK
    h ^= h >> 47
    h = (h * MURMUR_M) & MASK
    h ^= h >> 47
    return h
