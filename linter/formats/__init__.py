"""Output formats: each turns a Report into text for one audience."""

from __future__ import annotations

from typing import Callable


from linter.formats import concise
from linter.formats import github
from linter.formats import html_format
from linter.formats import json_format
from linter.formats import junit
from linter.formats import sarif
from linter.formats import text_format

FORMATTERS: dict[str, Callable[..., str]] = {
    "text": text_format.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "html": html_format.render,
    "concise": concise.render,
}
