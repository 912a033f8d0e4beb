"""Output formats: each turns a Report into text for one audience."""

from __future__ import annotations

from typing import Callable

from . import github, html_format, json_format, junit, sarif, text_format

FORMATTERS: dict[str, Callable[..., str]] = {
    "text": text_format.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "html": html_format.render,
}
