"""Checking a `match:` section (also used for disclaimer triggers and satisfiers).

Token and dependency patterns are checked by spaCy itself: each one is added
to a throwaway Matcher/DependencyMatcher built with `validate=True` on the
vocab passed in, after LEX expansion, so the linter accepts exactly what the
engine will later compile. spaCy is imported by the caller that makes the vocab,
never here, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from linter.packs import lex_sugar as lexref
from linter.core.model import MatchSpec
from linter.packs.rule_limits import check_regexes, match_within_limits
from linter.core.yaml_shapes import Checker, hint, type_name
from linter.core.located import LocatedDict, LocatedList, Position

if TYPE_CHECKING:
    from spacy.vocab import Vocab

MATCH_KEYS = ("phrases", "lemmas", "patterns", "dependency")
DEPENDENCY_KEYS = ("RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP")
# Token attributes whose values are text: an unquoted `no` there is a YAML
# boolean, which spaCy reports only as an obscure union-type error.
TEXT_ATTRS = frozenset({"ORTH", "TEXT", "NORM", "LOWER", "LEMMA", "POS", "TAG", "DEP", "SHAPE", "ENT_TYPE", "MORPH"})


def parse_match(ck: Checker, value: Any, at: Position, where: str, vocab: "Vocab | None") -> MatchSpec | None:
    """A MatchSpec for a `match`-shaped mapping, or None if it has problems.

    With `vocab` None, patterns are checked for shape only (no spaCy).
    """
    node = ck.mapping(value, at, where)
    if node is None:
        return None
    before = len(ck.problems)
    ck.keys(node, MATCH_KEYS, (), where)
    if not match_within_limits(ck, node, where):
        return None
    phrases = ck.strings(node, "phrases", where) or ()
    lemmas = ck.strings(node, "lemmas", where) or ()
    patterns = _patterns(ck, node, "patterns", where, vocab)
    dependency = _patterns(ck, node, "dependency", where, vocab)
    spec = MatchSpec(tuple(phrases), tuple(lemmas), patterns, dependency)
    if len(ck.problems) == before and spec.empty:
        ck.error(node.at, f"{where} must have at least one of {', '.join(MATCH_KEYS)}")
    return spec if len(ck.problems) == before else None


def _patterns(ck: Checker, node: LocatedDict, key: str, where: str, vocab: "Vocab | None") -> tuple:
    """The `patterns` (token) or `dependency` list: shape, LEX, then spaCy's own check."""
    expand_item: Callable[[Checker, LocatedDict, Position, str], dict | None]
    if key == "patterns":
        what, expand_item, add = f"token pattern in {where}", _expand, _add_token
    else:
        what, expand_item, add = f"dependency pattern in {where}", _dependency_node, _add_dependency
    patterns = ck.items(node, key, where) or LocatedList()
    good = []
    for index, pattern in enumerate(patterns):
        at = patterns.where(index)
        items = _token_list(ck, pattern, at, what)
        if items is None:
            continue
        expanded = [expand_item(ck, item, items.where(i), where) for i, item in enumerate(items)]
        if any(item is None for item in expanded):
            continue
        if vocab is not None and not _spacy_accepts(ck, at, what, add, vocab, expanded):
            continue
        good.append(tuple(expanded))
    return tuple(good)


def _token_list(ck: Checker, pattern: Any, at: Position, what: str) -> LocatedList | None:
    """A non-empty list of mappings (the shape shared by both pattern kinds)."""
    if not isinstance(pattern, LocatedList):
        ck.error(at, f"{what} must be a list of token mappings, not {type_name(pattern)}")
        return None
    if not pattern:
        ck.error(at, f"{what} must not be empty")
        return None
    for index, token in enumerate(pattern):
        if not isinstance(token, LocatedDict):
            ck.error(pattern.where(index), f"items of {what} must be mappings, not {type_name(token)}")
            return None
    return pattern


def _dependency_node(ck: Checker, item: LocatedDict, at: Position, where: str) -> dict | None:
    what = f"dependency pattern in {where}"
    before = len(ck.problems)
    for key in item:
        if key not in DEPENDENCY_KEYS:
            ck.error(item.key_at(key), f"unknown key '{key}' in {what}{hint(str(key), DEPENDENCY_KEYS)}")
    result = _plain(item)
    if "RIGHT_ATTRS" in item:
        attrs = ck.mapping(item["RIGHT_ATTRS"], item.where("RIGHT_ATTRS"), f"RIGHT_ATTRS in {what}")
        result["RIGHT_ATTRS"] = _expand(ck, attrs, item.where("RIGHT_ATTRS"), where) if attrs is not None else None
    return result if len(ck.problems) == before else None


def _expand(ck: Checker, token: LocatedDict, at: Position, where: str) -> dict | None:
    """The token's attributes with LEX expanded; LEX names recorded for resolution."""
    before = len(ck.problems)
    for key in TEXT_ATTRS.intersection(token):
        _no_booleans(ck, token, key, where)
    check_regexes(ck, token, where)
    if lexref.LEX_KEY in token:
        value = token[lexref.LEX_KEY]
        lex_at = token.where(lexref.LEX_KEY)
        if isinstance(value, str):
            ck.ref(ck.tag_refs, value, lex_at, f"LEX of {where}")
        elif isinstance(value, LocatedList) and value and all(isinstance(name, str) for name in value):
            for index, name in enumerate(value):
                ck.ref(ck.tag_refs, name, value.where(index), f"LEX of {where}")
        else:
            names = "a lexicon or tag name or a non-empty list of names"
            ck.error(lex_at, f"LEX in {where} must be {names}, not {type_name(value)}")
    if len(ck.problems) > before:
        return None
    try:
        return lexref.expand(_plain(token))
    except ValueError as exc:
        ck.error(at, f"{exc} in {where}")
        return None


def _no_booleans(ck: Checker, token: LocatedDict, key: str, where: str) -> None:
    value = token[key]
    quote = "quote it (YAML reads unquoted yes/no/on/off/true/false as booleans)"
    if isinstance(value, bool):
        ck.error(token.where(key), f"'{key}' in a pattern of {where} is a boolean; {quote}")
    elif isinstance(value, LocatedDict):
        for op in ("IN", "NOT_IN"):
            items: Any = value.get(op)
            for index, item in enumerate(items if isinstance(items, LocatedList) else ()):
                if isinstance(item, bool):
                    ck.error(items.where(index), f"'{key}: {op}' in a pattern of {where} contains a boolean; {quote}")


def _add_token(vocab: "Vocab", pattern: list) -> None:
    from spacy.matcher import Matcher

    Matcher(vocab, validate=True).add("pattern", [pattern])


def _add_dependency(vocab: "Vocab", pattern: list) -> None:
    from spacy.matcher import DependencyMatcher

    DependencyMatcher(vocab, validate=True).add("pattern", [pattern])


def _spacy_accepts(ck: Checker, at: Position, what: str, add: Any, vocab: "Vocab", pattern: list) -> bool:
    try:
        add(vocab, pattern)
    # spaCy signals a bad pattern with ValueError, MatchPatternError, KeyError
    # or re.error (a bad REGEX); all of them mean "the rule author must fix it".
    except Exception as exc:  # noqa: BLE001
        ck.error(at, f"invalid {what}: {_first_meaningful_line(exc)}")
        return False
    return True


_NOISE = re.compile(r"^(Invalid token patterns for matcher rule .*|Pattern \d+:|Key: .*)$")


def _first_meaningful_line(exc: Exception) -> str:
    for line in str(exc).splitlines():
        line = line.strip()
        if line and not _NOISE.match(line):
            return line.removeprefix("- ")
    return type(exc).__name__


def _plain(value: Any) -> Any:
    """Plain dicts and lists: patterns outlive the YAML and may cross processes."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
