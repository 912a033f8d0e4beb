"""The `LEX` sugar in token patterns: "this token carries one of these lexicon tags".

Rule authors write `{LEX: conditions}` or `{LEX: [conditions, serious]}` in a
Matcher token pattern or a DependencyMatcher `RIGHT_ATTRS`. spaCy knows nothing
of LEX, so before a pattern reaches a matcher it is rewritten into a custom
attribute test on the token extension the engine fills from the lexicons:
`{"_": {"overclaim_tags": {"INTERSECTS": [...]}}}`.

Those functions are pure: they never mutate the dict they are given.

spaCy's Matcher pays dearly for an extension test: at every token it builds
the token's `_` accessor and runs the test in Python. So where the matchers
are built, `native` turns the extension test into a regular-expression test
on the token's ENT_ID, a string attribute the pipeline leaves unused (its
entity recogniser is not run) and which the lexicon tagger fills with the
same tags (`encode_tags`). Untagged tokens carry the empty string, which no
test matches.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

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


# Between tags in the ENT_ID string, and around them: a tag is matched whole.
TAG_SEPARATOR = "\x1f"
NATIVE_ATTR = "ENT_ID"


def encode_tags(tags: Iterable[str]) -> str:
    """A token's tags as the ENT_ID string the native test reads."""
    return TAG_SEPARATOR + TAG_SEPARATOR.join(tags) + TAG_SEPARATOR


def native(token_attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an expanded token test (see `expand`) with its lexicon-tag
    extension test made a test on ENT_ID; other tests, and a tag test that
    cannot be rewritten (not INTERSECTS, or a name holding the separator),
    stay as they are."""
    result = dict(token_attrs)
    extensions = result.get("_")
    if not isinstance(extensions, Mapping) or NATIVE_ATTR in result:
        return result
    test = extensions.get(TOKEN_TAGS_EXTENSION)
    if not (isinstance(test, Mapping) and set(test) == {"INTERSECTS"} and isinstance(test["INTERSECTS"], list)):
        return result
    names = test["INTERSECTS"]
    if not names or not all(isinstance(name, str) and TAG_SEPARATOR not in name for name in names):
        return result
    rest = {key: value for key, value in extensions.items() if key != TOKEN_TAGS_EXTENSION}
    if rest:
        result["_"] = rest
    else:
        del result["_"]
    alternatives = "|".join(re.escape(name) for name in sorted(set(names)))
    result[NATIVE_ATTR] = {"REGEX": f"{TAG_SEPARATOR}(?:{alternatives}){TAG_SEPARATOR}"}
    return result
