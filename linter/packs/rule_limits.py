"""Size limits and REGEX safety for rule files, checked while they are parsed.

A rule pack from elsewhere can be huge or hostile; every limit (see
`limits`) is reported like any other rule-file problem, as file:line:col
with what to change, before spaCy is asked to compile anything.
"""

from __future__ import annotations

from typing import Any

from linter.core.limits import MAX_MATCH_ITEMS, MAX_PATTERN_TOKENS, MAX_PHRASE_CHARS
from linter.packs.regex_guard import regex_problem
from linter.core.yaml_shapes import Checker
from linter.core.yaml_source import LocatedDict, LocatedList, Position

REGEX_KEY = "REGEX"
_ITEM_KEYS = ("phrases", "lemmas", "patterns", "dependency")


def count_within(ck: Checker, items: Any, at: Position, limit: int, what: str) -> bool:
    """False (with a problem) if the list `items` has more than `limit` entries."""
    if isinstance(items, LocatedList) and len(items) > limit:
        ck.error(at, f"{what} has {len(items):,} entries; the limit is {limit:,}")
        return False
    return True


def match_within_limits(ck: Checker, node: LocatedDict, where: str) -> bool:
    """False (with problems) if a `match` section is too large to compile."""
    before = len(ck.problems)
    lists = {key: node[key] for key in _ITEM_KEYS if isinstance(node.get(key), LocatedList)}
    total = sum(len(items) for items in lists.values())
    if total > MAX_MATCH_ITEMS:
        ck.error(node.at, f"{where} has {total:,} phrases and patterns; the limit is {MAX_MATCH_ITEMS:,} (split the rule)")
    for key in ("phrases", "lemmas"):
        items = lists.get(key, ())
        for index, item in enumerate(items):
            if isinstance(item, str) and len(item) > MAX_PHRASE_CHARS:
                ck.error(items.where(index), f"an item of '{key}' in {where} is {len(item):,} characters long; the limit is {MAX_PHRASE_CHARS}")
    for key in ("patterns", "dependency"):
        items = lists.get(key, ())
        for index, pattern in enumerate(items):
            if isinstance(pattern, LocatedList) and len(pattern) > MAX_PATTERN_TOKENS:
                ck.error(items.where(index), f"a pattern in '{key}' of {where} has {len(pattern)} tokens; the limit is {MAX_PATTERN_TOKENS}")
    return len(ck.problems) == before


def check_regexes(ck: Checker, token: LocatedDict, where: str) -> None:
    """A problem for every REGEX in a token's attributes that could hang the matcher."""
    for key, value in token.items():
        if not isinstance(value, LocatedDict):
            continue
        if REGEX_KEY in value:
            reason = regex_problem(value[REGEX_KEY])
            if reason:
                ck.error(value.where(REGEX_KEY), f"REGEX {value[REGEX_KEY]!r} of '{key}' in {where} {reason}")
        check_regexes(ck, value, where)  # "_": {extension: {REGEX: ...}}
