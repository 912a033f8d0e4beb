"""Output formats: each turns a Report into text for one audience."""

from __future__ import annotations

import importlib
from typing import Callable

# Format name -> the module whose `render` writes it. Imported when chosen:
# the HTML report's templating (Jinja2) is a tenth of a clean run's import time.
_MODULES = {
    "text": "text_format",
    "concise": "concise",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
    "junit": "junit",
    "html": "html_format",
}
FORMAT_NAMES = tuple(_MODULES)


def formatter(name: str) -> Callable[..., str]:
    """The `render` function of format `name` (one of FORMAT_NAMES)."""
    render: Callable[..., str] = importlib.import_module(f"linter.formats.{_MODULES[name]}").render
    return render
