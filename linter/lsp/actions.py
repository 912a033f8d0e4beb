"""Quick fixes for a finding.

- Accept with a reason: the format's suppression directive for the rule,
  inserted on its own line above the finding's first line (indented like it),
  with ` -- reason` for the writer to replace with the real reason. In
  Markdown, a line inside a paragraph (the line above it has text) gets a
  `disable-line` comment at its end instead: an HTML comment on a line of
  its own ends a Markdown paragraph, which would cut the claim's sentence
  in two and change what is linted.
- Disable the rule in config: the rule id added to `disable` in the config
  file the document is linted with (only when there is one).

No rewrite is offered: rules carry a suggestion in prose (`suggest`), not a
replacement for the matched words, so there is nothing to substitute.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from linter.config import PYPROJECT
from linter.review.directives import LINE, NEXT_LINE, PREFIX, REASON_SEPARATOR
from linter.core.meta_rule_table import META_RULES
from linter.core.located import LocatedDict, LocatedList
from linter.core.yaml_source import load_yaml
from linter.lsp.positions import LineStarts

if TYPE_CHECKING:
    from linter.core.model import Finding

REASON_PLACEHOLDER = "reason"


def directive_line(format: str, rule: str, kind: str = NEXT_LINE) -> str:
    """The directive that accepts `rule` (on the next line, by default), in `format`'s comment syntax."""
    argument = f"{rule} {REASON_SEPARATOR} {REASON_PLACEHOLDER}"
    if format == "text":
        return f"overclaim: {kind} {argument}"
    return f"<!-- {PREFIX}{kind} {argument} -->"


def line_break(text: str) -> str:
    """The document's own line ending (its first one), so an insertion matches it."""
    found = re.search(r"\r\n|\r|\n", text)
    return found.group(0) if found else "\n"


def accept_insertion(finding: "Finding", text: str, format: str) -> tuple[int, str] | None:
    """(offset, text) to insert so that the finding is accepted; None for a
    meta rule, which cannot be suppressed inline."""
    if finding.rule in META_RULES:
        return None
    lines = LineStarts.of(text)
    start = lines.starts[finding.line - 1]
    if format == "markdown" and finding.line > 1 and _line(text, lines, finding.line - 2).strip():
        last = _line(text, lines, finding.end_line - 1)
        end = lines.starts[finding.end_line - 1] + len(last.rstrip("\r\n"))
        return end, f" {directive_line(format, finding.rule, LINE)}"
    indent = re.match(r"[ \t]*", text[start:]).group(0)  # type: ignore[union-attr]  # matches the empty string
    return start, f"{indent}{directive_line(format, finding.rule)}{line_break(text)}"


def _line(text: str, lines: LineStarts, index: int) -> str:
    """Line `index` (0-based) of the text, with its line ending."""
    end = lines.starts[index + 1] if index + 1 < len(lines.starts) else len(text)
    return text[lines.starts[index] : end]


def disable_insertion(config_path: Path, text: str, rule: str) -> tuple[int, str] | None:
    """(offset, text) that adds `rule` to `disable` in a config file's text;
    None when the rule is already there or the file's layout is one this
    edit does not handle (e.g. a multi-line TOML array)."""
    if config_path.name == PYPROJECT:
        return _toml_disable(text, rule)
    return _yaml_disable(text, rule)


def _yaml_disable(text: str, rule: str) -> tuple[int, str] | None:
    data, problems = load_yaml("config", text)
    if problems or not (data is None or isinstance(data, LocatedDict)):
        return None
    lines = LineStarts.of(text)
    newline = line_break(text)
    items = data.get("disable") if data else None
    if items is None:
        prefix = "" if not text or text.endswith(("\n", "\r")) else newline
        return len(text), f"{prefix}disable:{newline}  - {rule}{newline}"
    if not isinstance(items, LocatedList) or rule in items:
        return None
    if not items:
        return None
    line, column = items.where(len(items) - 1)
    start = lines.starts[line - 1]
    if text[start : start + column - 1].strip() not in ("", "-"):
        return None  # a flow list ([a, b]): not edited
    item_line = text[start:]
    indent = re.match(r"[ \t]*-?[ \t]*", item_line).group(0)  # type: ignore[union-attr]  # matches the empty string
    end = lines.starts[line] if line < len(lines.starts) else len(text)
    prefix = "" if end < len(text) or text.endswith(("\n", "\r")) else newline
    return end, f"{prefix}{indent}{rule}{newline}"


_TOOL_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*overclaim\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_DISABLE = re.compile(r"^\s*disable\s*=\s*\[(?P<items>[^\]]*)\](?P<rest>\s*(#.*)?)$")


def _toml_disable(text: str, rule: str) -> tuple[int, str] | None:
    lines = LineStarts.of(text)
    newline = line_break(text)
    header = None
    for number, start in enumerate(lines.starts):
        end = lines.starts[number + 1] if number + 1 < len(lines.starts) else len(text)
        content = text[start:end].rstrip("\r\n")
        if _TOOL_HEADER.match(content):
            header = end
            continue
        if header is None:
            continue
        if _ANY_HEADER.match(content):
            break
        if re.match(r"^\s*disable\s*=", content):
            found = _DISABLE.match(content)
            if not found or f'"{rule}"' in found["items"] or f"'{rule}'" in found["items"]:
                return None
            close = start + found.start("rest") - 1  # the closing bracket
            separator = ", " if found["items"].strip() else ""
            if found["items"].rstrip().endswith(","):
                separator = " "
            return close, f'{separator}"{rule}"'
    if header is None:
        return None
    prefix = "" if header < len(text) or text.endswith(("\n", "\r")) else newline
    return header, f'{prefix}disable = ["{rule}"]{newline}'
