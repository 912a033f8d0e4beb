"""One open document's text -> its findings, or the reason it was not linted.

The editor's buffer is linted as it is (unsaved edits included): the text is
handed to the format's reader directly, so offsets refer to exactly the text
the editor holds. Suppression directives are applied as the CLI applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from linter.core.errors import InputError, OverclaimError
from linter.core.limits import MAX_INPUT_BYTES
from linter.read import read_html, read_markdown, read_text
from linter.run.one_file import internal_error
from linter.review.suppressions import apply_suppressions

if TYPE_CHECKING:
    from linter.core.model import Finding, Rule
    from linter.lsp.workspace import Settings

READERS = {"markdown": read_markdown, "html": read_html, "text": read_text}

# LSP language ids the server lints, and the format each is read as.
LANGUAGE_FORMATS = {"markdown": "markdown", "mdx": "markdown", "html": "html", "plaintext": "text", "text": "text"}


@dataclass(frozen=True)
class LintResult:
    findings: tuple["Finding", ...] = ()
    rules: tuple[tuple[str, "Rule"], ...] = ()  # the rules that ran, for hover
    refused: InputError | None = None  # the document could not be linted: why
    notes: tuple[InputError, ...] = ()  # linted, but part of it could not be read (front matter): why


def lint_text(settings: "Settings", path: str, source: str, format: str) -> LintResult:
    """Lint the editor's text of one document as `format`."""
    try:
        if len(source.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
            raise InputError(path, f"larger than {MAX_INPUT_BYTES // 1_000_000} MB, not linted")
        document = READERS[format](path, source)
        engine = settings.choose(document)
        found = engine.lint(document)
    except InputError as error:
        return LintResult(refused=error)
    except OverclaimError as error:  # no spaCy model; a pack the front matter chose that fails to load
        return LintResult(refused=InputError(path, " ".join(str(error).split())))
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not kill the server
        return LintResult(refused=internal_error(path, exc))
    active = frozenset(engine.rules)
    outcome = apply_suppressions(document, found, settings.known_rules | active, active, settings.meta)
    notes = tuple(InputError(path, message, line=line) for line, message in document.notes)
    return LintResult(findings=tuple(outcome.findings), rules=tuple(engine.rules.items()), notes=notes)
