"""One engine per pack selection: the run's default, or a document's own.

A document whose front matter names packs (see `metadata`) is linted by an
engine for exactly those packs, built on first use and reused for every
other document with the same choice. All engines share one spaCy pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from linter.packs.pack_files import available_packs
from linter.config import Config, apply_config
from linter.read.document_packs import document_packs
from linter.cache.store import load_rules_cached

if TYPE_CHECKING:
    from spacy.language import Language

    from linter.read.document import Document
    from linter.engine.rule_engine import Engine
    from linter.engine.rule_engine import IndexSource
    from linter.run.rule_selection import Selection
    from linter.core.model import RuleSet


class EngineChooser:
    def __init__(
        self,
        config: Config,
        default: "RuleSet",
        load_nlp: "Callable[[], Language]",
        full_parse: bool = False,
        indexes: "IndexSource | None" = None,
        selection: "Selection | None" = None,
    ) -> None:
        """`indexes`: where each engine's prefilter index and lexicon tagger
        come from (a run passes the cache's, `cache.store.CachedIndexes`)."""
        from linter.engine.rule_engine import Engine

        self._config = config
        self._load_nlp = load_nlp
        self._full_parse = full_parse
        self._indexes = indexes
        self._selection = selection  # --select/--ignore, for the documents that choose their packs too
        self._default_packs = default.packs
        self._available = tuple(available_packs(config.rule_dirs))
        self._engines: dict[tuple[str, ...], Engine] = {
            default.packs: Engine(default, load_nlp=load_nlp, full_parse=full_parse, indexes=indexes)
        }

    @property
    def default(self) -> "Engine":
        return self._engines[self._default_packs]

    def __call__(self, document: "Document") -> "Engine":
        """The engine for `document`; raises InputError for a bad front-matter choice."""
        chosen = document_packs(document, self._available)
        packs = chosen.packs if chosen else self._default_packs
        if packs not in self._engines:
            from linter.engine.rule_engine import Engine

            ruleset = apply_config(load_rules_cached(packs, self._config.rule_dirs), self._config, strict=False)
            if self._selection is not None:
                ruleset = self._selection.apply(ruleset)
            self._engines[packs] = Engine(
                ruleset, load_nlp=self._load_nlp, full_parse=self._full_parse, indexes=self._indexes
            )
        return self._engines[packs]
