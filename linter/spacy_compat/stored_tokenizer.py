"""The pipeline's tokenizer built once, from its stored data.

`spacy.load` first builds the language's default tokenizer (English: 1,347
special cases, each validated and given its lexemes, and the affix
expressions compiled) and then loads the pipeline's own tokenizer over it:
`Tokenizer.from_bytes` clears the rules, affixes and token matches and sets
each from the stored data. The first tokenizer is thrown away unused, and
building it is about a sixth of the pipeline's load.

Where the pipeline stores its tokenizer and configures spaCy's stock one
(`spacy.Tokenizer.v1`), the load is given a factory that makes an empty
`Tokenizer` instead; the stored data then fills it exactly as it would have
replaced the default one (tests/test_spacy_compat.py compares the
serialised tokenizers and every token of the corpus). The pipeline's config
still names the stock factory afterwards, so it describes what was loaded
and saves as a pipeline spaCy alone can load. On a spaCy release this was
not checked against (`versions.CHECKED_SPACY`), or a pipeline that
configures another tokenizer or stores none, the load is left as it is.
"""

from __future__ import annotations

import configparser
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from linter.spacy_compat.versions import spacy_checked

if TYPE_CHECKING:
    from spacy.language import Language

STOCK_FACTORY = "spacy.Tokenizer.v1"
EMPTY_FACTORY = "overclaim.EmptyTokenizer.v1"


def stored_tokenizer_override(data_dir: Path | None, spacy_version: str | None = None) -> dict | None:
    """The config override that has `spacy.load` build only the stored
    tokenizer of the pipeline in `data_dir`, or None where the load must
    build it as configured. spaCy must be imported (the factory is
    registered with it)."""
    if data_dir is None or not spacy_checked(spacy_version) or not (data_dir / "tokenizer").is_file():
        return None
    if configured_tokenizer(data_dir / "config.cfg") != {"@tokenizers": STOCK_FACTORY}:
        return None
    _register_empty_factory()
    return {"nlp": {"tokenizer": {"@tokenizers": EMPTY_FACTORY}}}


def restore_config_record(nlp: "Language") -> None:
    """Record the stock factory again in the pipeline's config: the
    tokenizer in use is the one it describes."""
    nlp._config["nlp"]["tokenizer"] = {"@tokenizers": STOCK_FACTORY}  # noqa: SLF001 - spaCy keeps the config here


def configured_tokenizer(config_file: Path) -> Any:
    """The `[nlp] tokenizer` value of a pipeline's config.cfg (None if unreadable)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(config_file.read_text(encoding="utf-8"))
        return json.loads(parser["nlp"]["tokenizer"])
    except (OSError, UnicodeDecodeError, configparser.Error, KeyError, ValueError):
        return None


def _register_empty_factory() -> None:
    from spacy.util import registry

    if EMPTY_FACTORY not in registry.tokenizers:
        registry.tokenizers.register(EMPTY_FACTORY, func=_empty_tokenizer_factory)


def _empty_tokenizer_factory() -> "Callable[[Language], Any]":
    from spacy.tokenizer import Tokenizer

    def create(nlp: "Language") -> Tokenizer:
        return Tokenizer(nlp.vocab)  # no rules, affixes or matches: the stored data sets them

    return create
