"""Size limits and REGEX safety for rule files, checked while they are parsed.

A rule pack from elsewhere can be huge or hostile; every limit (see
`limits`) is reported like any other rule-file problem, as file:line:col
with what to change, before spaCy is asked to compile anything.
"""

from __future__ import annotations

import re
from typing import Any

from linter.packs.regex_guard import regex_problem
from linter.core.yaml_shapes import Checker
from linter.core.located import LocatedDict, LocatedList, Position
from linter.core.limits import (
    MAX_MATCH_ITEMS,
    MAX_PATTERN_OPTIONAL,
    MAX_PATTERN_TOKENS,
    MAX_PATTERN_UNBOUNDED,
    MAX_PHRASE_CHARS,
    MAX_TERM_CHARS,
    MAX_TERM_WORDS,
)

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
            elif key == "patterns" and isinstance(pattern, LocatedList):
                problem = quantifier_problem(pattern)
                if problem:
                    ck.error(items.where(index), f"a pattern in '{key}' of {where} {problem}")
    return len(ck.problems) == before


_RANGE = re.compile(r"\{(\d*)(,?)(\d*)\}")
_RUN_AS_GAP = re.compile(r"\{([01]?),(\d+)\}")  # see matching._unbounded


def quantifier_problem(pattern: list) -> str | None:
    """Why the quantifiers ("OP") of a token pattern would make spaCy's
    Matcher take exponential time or memory (see MAX_PATTERN_OPTIONAL), or None."""
    ops = [str(token["OP"]) for token in pattern if isinstance(token, dict) and token.get("OP") is not None]
    if len(ops) == 1 and _RUN_AS_GAP.fullmatch(ops[0]):
        return None  # run as a single "*" or "+" gap, its length checked on the match
    optional = unbounded = 0
    for op in ops:
        bounds = _RANGE.fullmatch(op)
        if op == "?":
            optional += 1
        elif op in ("*", "+"):
            unbounded += 1
        elif bounds and bounds.group(2):
            low = int(bounds.group(1) or 0)
            if not bounds.group(3):
                unbounded += 1
            elif int(bounds.group(3)) > MAX_PATTERN_TOKENS:
                return f"repeats a token up to {int(bounds.group(3)):,} times ('{op}'); the limit is {MAX_PATTERN_TOKENS}"
            else:
                optional += max(0, int(bounds.group(3)) - low)
        # "!", "{n}" and operators spaCy refuses add no paths (spaCy reports the latter)
    if optional > MAX_PATTERN_OPTIONAL:
        return (
            f"has {optional} optional tokens ('?' counts 1, '{{m,n}}' counts n-m); the limit is "
            f"{MAX_PATTERN_OPTIONAL}, since the matcher's work doubles with each (split the pattern)"
        )
    if unbounded > MAX_PATTERN_UNBOUNDED:
        return f"has {unbounded} unbounded gaps ('*', '+', '{{m,}}'); the limit is {MAX_PATTERN_UNBOUNDED} (split the pattern)"
    return None


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


def term_problem(text: str) -> str | None:
    """Why a lexicon term (or one of its forms) is too long to match at every run, or None."""
    if len(text) > MAX_TERM_CHARS:
        return f"'{text[:20]}…' is {len(text):,} characters long; the limit is {MAX_TERM_CHARS}"
    words = len(text.split())
    if words > MAX_TERM_WORDS:
        return f"'{text[:20]}…' has {words:,} words; the limit is {MAX_TERM_WORDS}"
    return None
