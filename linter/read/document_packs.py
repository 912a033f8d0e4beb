"""Rule packs chosen by a document's own metadata (Markdown front matter).

    ---
    title: Turmeric for joints
    overclaim:
      market: uk            # core + uk; a list (market: [uk, eu]) adds each
    ---

or, naming the packs directly:

    overclaim:
      packs: [core, uk]

The choice overrides the packs from config and from `--packs` for that
document only. Every problem is an InputError naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Collection

from linter.core.errors import InputError
from linter.core.yaml_shapes import hint, type_name
from linter.core.located import LocatedDict, LocatedList
from linter.read.yaml_escapes import replace_bad_escapes

if TYPE_CHECKING:
    from linter.read.document import Document

FRONT_MATTER_KEY = "overclaim"
KEYS = ("packs", "market")
MARKETS = ("us", "uk", "eu")
BASE_PACK = "core"


@dataclass(frozen=True)
class DocumentPacks:
    packs: tuple[str, ...]
    line: int  # where the choice was written


def document_packs(document: "Document", available: Collection[str]) -> DocumentPacks | None:
    """The packs a document's front matter selects, or None when it selects none."""
    if document.front_matter is None:
        return None
    start, end = document.front_matter
    text, _ = replace_bad_escapes(document.source[start:end])  # the reader reported them
    from linter.core.yaml_source import load_yaml  # only for a page that names packs

    data, problems = load_yaml(document.path, text)
    first_line = document.position(start)[0] - 1  # YAML line 1 is this source line + 1
    if data is None and problems:
        # The reader checks what load_yaml checks, so this is not expected;
        # if it happens, the packs must not be dropped without a word.
        raise InputError(document.path, f"front matter could not be read: {problems[0].message}", line=first_line + problems[0].line)
    if not isinstance(data, LocatedDict) or FRONT_MATTER_KEY not in data:
        return None

    def fail(at: tuple[int, int], message: str) -> InputError:
        return InputError(document.path, f"front matter '{FRONT_MATTER_KEY}': {message}", line=first_line + at[0])

    node = data[FRONT_MATTER_KEY]
    if not isinstance(node, LocatedDict):
        raise fail(data.where(FRONT_MATTER_KEY), f"must be a mapping such as '{{market: uk}}' or '{{packs: [core, uk]}}', not {type_name(node)}")
    for key in node:
        if key not in KEYS:
            raise fail(node.key_at(key), f"unknown key '{key}'{hint(str(key), KEYS) or ' (expected packs or market)'}")
    if "packs" in node and "market" in node:
        raise fail(node.key_at("market"), "give either 'packs' or 'market', not both")
    key = "packs" if "packs" in node else "market"
    if key not in node:
        raise fail(data.key_at(FRONT_MATTER_KEY), "expected 'packs' or 'market'")
    names = _names(node, key, fail)
    if key == "market":
        for name, at in names:
            if name not in MARKETS:
                raise fail(at, f"unknown market '{name}'{hint(name, MARKETS)} (expected {', '.join(MARKETS)})")
        names = [(BASE_PACK, node.where(key))] + names
    for name, at in names:
        if name not in available:
            listed = ", ".join(sorted(available)) or "none"
            raise fail(at, f"unknown rule pack '{name}'{hint(name, list(available))} (available: {listed})")
    return DocumentPacks(tuple(dict.fromkeys(name for name, _ in names)), first_line + node.key_at(key)[0])


def _names(node: LocatedDict, key: str, fail: Any) -> list[tuple[str, tuple[int, int]]]:
    """A string or a non-empty list of strings, each with its position."""
    value = node[key]
    if isinstance(value, str) and value.strip():
        return [(value.strip(), node.where(key))]
    if isinstance(value, LocatedList) and value and all(isinstance(v, str) and v.strip() for v in value):
        return [(v.strip(), value.where(i)) for i, v in enumerate(value)]
    raise fail(node.where(key), f"'{key}' must be a name or a non-empty list of names, not {type_name(value)}")
