"""The `LEX` sugar in token patterns: "this token carries one of these lexicon tags".

Rule authors write `{LEX: conditions}` or `{LEX: [conditions, serious]}` in a
Matcher token pattern or a DependencyMatcher `RIGHT_ATTRS`. spaCy knows nothing
of LEX, so before a pattern reaches a matcher it is rewritten into a custom
attribute test on the token extension the engine fills from the lexicons:
`{"_": {"overclaim_tags": {"INTERSECTS": [...]}}}`.

Both functions are pure: they never mutate the dict they are given.
"""

from __future__ import annotations

from typing import Any, Mapping

TOKEN_TAGS_EXTENSION = "overclaim_tags"
LEX_KEY = "LEX"


def referenced_tags(token_attrs: Mapping[str, Any]) -> list[str]:
    """The lexicon/tag names a token's LEX key names, in order ([] without LEX)."""
    value = token_attrs.get(LEX_KEY)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return list(value)
    raise ValueError("LEX must be a tag name or a list of tag names")


def expand(token_attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `token_attrs` with LEX replaced by the spaCy extension test."""
    if LEX_KEY not in token_attrs:
        return dict(token_attrs)
    names = referenced_tags(token_attrs)
    expanded = {key: value for key, value in token_attrs.items() if key != LEX_KEY}
    extensions = expanded.get("_") or {}
    if not isinstance(extensions, Mapping):
        raise ValueError("'_' must be a mapping of extension attribute tests")
    extensions = dict(extensions)
    # Two tests on the same extension cannot share one dict key, and silently
    # dropping either would change what the rule matches.
    if TOKEN_TAGS_EXTENSION in extensions:
        raise ValueError(f"LEX cannot be combined with an explicit '_.{TOKEN_TAGS_EXTENSION}' test")
    extensions[TOKEN_TAGS_EXTENSION] = {"INTERSECTS": names}
    expanded["_"] = extensions
    return expanded
