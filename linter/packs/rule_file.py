"""One rule pack or lexicon file → model objects, with every problem collected.

Only what one file can tell is checked here; names pointing into other files
(LEX tags, escalation tags, `triggered_by.rules`) and rule ids that must be
unique across packs are checked in `packs`.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from linter.core.limits import MAX_LEXICON_TERMS, MAX_RULES_PER_PACK
from linter.core.model import (
    ABSENT, CATEGORIES, CUES, DISCLAIMERS, NO_MATCH, SEVERITY_NAMES, DisclaimerSpec, Escalation, Examples, Lexicon, LexiconTerm, MatchSpec,
    Rule, Severity, SourceRef,
)
from linter.packs.match_section import parse_match
from linter.packs.rule_limits import term_problem
from linter.packs.rule_limits import count_within
from linter.core.yaml_shapes import KEBAB, Checker, type_name
from linter.core.located import LocatedDict, LocatedList, Position

if TYPE_CHECKING:
    from spacy.vocab import Vocab

PACK_KEYS = ("pack", "description", "rules")
RULE_KEYS = (
    "id", "category", "severity", "message", "source", "suggest", "description",
    "match", "unless", "escalate", "examples", "disclaimer", "unapproved_use_only", "only_when",
    "fallback_for", "replacements",
)
RULE_REQUIRED = ("id", "category", "severity", "message", "source", "suggest", "examples")
DEFAULT_UNLESS = frozenset({"negated", "hedged", "question", "conditional", "reported", "quoted"})
LEXICON_KEYS = ("lexicon", "description", "tags", "terms")
TERM_KEYS = ("term", "tags", "forms", "approved_for")


def parse_pack(ck: Checker, data: Any, stem: str, vocab: "Vocab | None") -> tuple[Rule, ...]:
    where = f"pack '{stem}'"
    node = ck.mapping(data, (1, 1), f"rule pack '{stem}'")
    if node is None:
        return ()
    ck.keys(node, PACK_KEYS, ("pack", "rules"), where)
    name = ck.name(node, "pack", where)
    if name is not None and name != stem:
        ck.error(node.where("pack"), f"pack name '{name}' must match the file name '{stem}'")
    ck.string(node, "description", where)
    rules = ck.items(node, "rules", where) or LocatedList()
    if not count_within(ck, rules, node.where("rules"), MAX_RULES_PER_PACK, f"'rules' of {where}"):
        return ()
    parsed = (_rule(ck, item, rules.where(index), index, stem, vocab) for index, item in enumerate(rules))
    return tuple(rule for rule in parsed if rule is not None)


def _rule(ck: Checker, item: Any, at: Position, index: int, pack: str, vocab: "Vocab | None") -> Rule | None:
    raw_id = item.get("id") if isinstance(item, LocatedDict) else None
    where = f"rule '{raw_id}'" if isinstance(raw_id, str) and raw_id.strip() else f"rule #{index + 1}"
    node = ck.mapping(item, at, where)
    if node is None:
        return None
    before = len(ck.problems)
    ck.keys(node, RULE_KEYS, RULE_REQUIRED, where)
    rule_id = ck.name(node, "id", where)
    if isinstance(raw_id, str):
        ck.rule_ids.add(raw_id)
    category = ck.choice(node, "category", CATEGORIES, "category", where)
    severity = ck.choice(node, "severity", SEVERITY_NAMES, "severity", where)
    message = _message(ck, node, where)
    unless = ck.choices(node, "unless", CUES, "cue", where)
    only_when = ck.choices(node, "only_when", CUES, "cue", where) or ()
    match: MatchSpec | None = MatchSpec()
    disclaimer = None
    if "disclaimer" in node:
        if category is not None and category != "disclaimer":
            message = f"document-level {where} must have category 'disclaimer', not '{category}'"
            ck.error(node.where("category"), message)
        if "match" in node:
            message = f"'match' is not allowed in document-level {where} (use 'disclaimer.triggered_by.match')"
            ck.error(node.key_at("match"), message)
        disclaimer = _disclaimer(ck, node, where, vocab)
    else:
        if category == "disclaimer":
            ck.error(node.where("category"), f"category 'disclaimer' in {where} needs a 'disclaimer' section")
        if "match" not in node:
            ck.error(node.at, f"missing required key 'match' in {where}")
        else:
            match = parse_match(ck, node["match"], node.where("match"), f"'match' of {where}", vocab)
    rule = Rule(
        id=rule_id or "",
        pack=pack,
        category=category or "",
        severity=Severity.parse(severity) if severity else Severity.ERROR,
        message=message or "",
        source=ck.string(node, "source", where) or "",
        suggest=ck.string(node, "suggest", where) or "",
        match=match or MatchSpec(),
        unless=frozenset(unless) if unless is not None else DEFAULT_UNLESS,
        examples=_examples(ck, node, where, _pass_reasons(unless, only_when), "disclaimer" in node),
        defined_at=SourceRef(ck.path, *node.key_at("id")),
        description=ck.string(node, "description", where) or "",
        escalate=_escalate(ck, node, where),
        disclaimer=disclaimer,
        unapproved_use_only=_flag(ck, node, "unapproved_use_only", where),
        only_when=frozenset(only_when),
        fallback_for=frozenset(ck.choices(node, "fallback_for", CATEGORIES, "category", where) or ()),
        replacements=_replacements(ck, node, where),
    )
    return rule if len(ck.problems) == before else None


def _replacements(ck: Checker, node: LocatedDict, where: str) -> tuple[tuple[str, str], ...]:
    """`replacements: {matched words: replacement words}`, both non-empty strings."""
    if "replacements" not in node:
        return ()
    inner = f"'replacements' of {where}"
    table = ck.mapping(node["replacements"], node.where("replacements"), inner)
    if table is None:
        return ()
    if "disclaimer" in node:
        ck.error(node.key_at("replacements"), f"{inner}: a document-level rule has no words to replace")
        return ()
    pairs = []
    for phrase in table:
        if not isinstance(phrase, str) or not phrase.strip():
            ck.error(table.key_at(phrase), f"keys of {inner} must be the matched words, not {type_name(phrase)}")
            continue
        replacement = ck.string(table, phrase, inner)
        if replacement is not None:
            pairs.append((" ".join(phrase.split()), replacement))
    return tuple(pairs)


def _flag(ck: Checker, node: LocatedDict, key: str, where: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        ck.error(node.where(key), f"'{key}' in {where} must be true or false, not {type_name(value)}")
        return False
    return value


def _message(ck: Checker, node: LocatedDict, where: str) -> str | None:
    message = ck.string(node, "message", where)
    if message is None:
        return None
    try:
        parsed = list(string.Formatter().parse(message))
    except ValueError as exc:
        hint = "(write '{{' for a literal brace)"
        ck.error(node.where("message"), f"'message' in {where} is not a valid template: {exc} {hint}")
        return None
    for _, name, spec, conversion in parsed:
        if name is not None and (name, conversion, spec) != ("match", None, ""):
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            text = f"unknown placeholder '{shown}' in 'message' of {where} (only {{match}} is allowed)"
            ck.error(node.where("message"), text)
            return None
    return message


def _pass_reasons(unless: tuple[str, ...] | None, only_when: tuple[str, ...]) -> frozenset[str]:
    """What a line rule's pass example may give as its reason: no match, a cue
    of `unless` that is present, or a cue of `only_when` that is absent."""
    present = frozenset(unless) if unless is not None else DEFAULT_UNLESS
    return frozenset({NO_MATCH, *present, *(f"{ABSENT}{cue}" for cue in only_when)})


def _examples(ck: Checker, node: LocatedDict, where: str, allowed_reasons: frozenset[str], document_level: bool) -> Examples:
    if "examples" not in node:
        return Examples()
    examples = ck.mapping(node["examples"], node.where("examples"), f"'examples' in {where}")
    if examples is None:
        return Examples()
    inner = f"'examples' of {where}"
    ck.keys(examples, ("fire", "pass"), ("fire", "pass"), inner)
    fire = ck.strings(examples, "fire", inner, minimum=1) or ()
    items = ck.items(examples, "pass", inner, minimum=1) or LocatedList()
    texts: list[str] = []
    reasons: list[str | None] = []
    for index, item in enumerate(items):
        at = items.where(index)
        if isinstance(item, str) and item.strip():
            texts.append(item)
            reasons.append(None)
            continue
        if not isinstance(item, LocatedDict):
            shown = "an empty string" if isinstance(item, str) else type_name(item)
            ck.error(at, f"items of 'pass' in {inner} must be sentences or {{text, because}} mappings, not {shown}")
            continue
        pass_where = f"a pass example of {where}"
        ck.keys(item, ("text", "because"), ("text", "because"), pass_where)
        text, because = ck.string(item, "text", pass_where), ck.string(item, "because", pass_where)
        if text is None or because is None:
            continue
        allowed = frozenset() if document_level else allowed_reasons
        if because not in allowed:
            ck.error(item.where("because"), _unknown_reason(because, allowed, document_level, pass_where))
            continue
        texts.append(text)
        reasons.append(because)
    return Examples(fire, tuple(texts), tuple(reasons) if any(r is not None for r in reasons) else ())


def _unknown_reason(because: str, allowed: frozenset[str], document_level: bool, where: str) -> str:
    if document_level:
        return f"'because' is not allowed in {where}: a document-level rule's pass examples are whole documents"
    listed = ", ".join(sorted(allowed))
    return f"'because' of {where} must be one of {listed} ('{NO_MATCH}', a cue of 'unless', or '{ABSENT}' and a cue of 'only_when'), not '{because}'"


def _escalate(ck: Checker, node: LocatedDict, where: str) -> tuple[Escalation, ...]:
    items = ck.items(node, "escalate", where) or LocatedList()
    escalations = []
    inner = f"'escalate' of {where}"
    for index, item in enumerate(items):
        entry = ck.mapping(item, items.where(index), f"items of {inner}")
        if entry is None:
            continue
        ck.keys(entry, ("tag", "severity"), ("tag", "severity"), inner)
        tag = ck.string(entry, "tag", inner)
        raised = ck.choice(entry, "severity", SEVERITY_NAMES, "severity", inner)
        if tag is not None:
            ck.ref(ck.tag_refs, tag, entry.where("tag"), inner)
        # An escalation to the rule's own level is not a no-op: config may
        # lower the rule, and serious matches should still come out raised.
        if raised is not None and tag is not None:
            escalations.append(Escalation(tag, Severity.parse(raised)))
    return tuple(escalations)


def _disclaimer(ck: Checker, node: LocatedDict, where: str, vocab: "Vocab | None") -> DisclaimerSpec | None:
    inner = f"'disclaimer' of {where}"
    spec = ck.mapping(node["disclaimer"], node.where("disclaimer"), inner)
    if spec is None:
        return None
    ck.keys(spec, ("requires", "triggered_by", "satisfied_by", "only_if"), ("requires", "triggered_by", "satisfied_by"), inner)
    requires = ck.choice(spec, "requires", DISCLAIMERS, "disclaimer", inner)
    satisfied = None
    also: list[MatchSpec] = []
    if "satisfied_by" in spec:
        satisfied_where = f"'disclaimer.satisfied_by' of {where}"
        value = spec["satisfied_by"]
        # A list of match specs: every one must be found in the document.
        parts = list(enumerate(value)) if isinstance(value, LocatedList) else [(None, value)]
        if not parts:
            ck.error(spec.where("satisfied_by"), f"{satisfied_where} must not be an empty list")
        for index, part in parts:
            at = value.where(index) if index is not None else spec.where("satisfied_by")
            parsed = parse_match(ck, part, at, satisfied_where, vocab)
            if parsed is None:
                satisfied = None
                break
            if satisfied is None:
                satisfied = parsed
            else:
                also.append(parsed)
    if "triggered_by" not in spec:
        return None
    trigger_where = f"'disclaimer.triggered_by' of {where}"
    triggers = ck.mapping(spec["triggered_by"], spec.where("triggered_by"), trigger_where)
    if triggers is None:
        return None
    ck.keys(triggers, ("categories", "rules", "match", "in_sentence_with"), (), trigger_where)
    line_categories = tuple(c for c in CATEGORIES if c != "disclaimer")
    categories = ck.choices(triggers, "categories", line_categories, "category", trigger_where) or ()
    rules = ck.strings(triggers, "rules", trigger_where) or ()
    rule_list: Any = triggers.get("rules")
    for index, rule_id in enumerate(rule_list if isinstance(rule_list, LocatedList) else ()):
        if isinstance(rule_id, str):
            ck.ref(ck.rule_refs, rule_id, rule_list.where(index), trigger_where)
    trigger = MatchSpec()
    if "match" in triggers:
        match_where = f"'disclaimer.triggered_by.match' of {where}"
        trigger = parse_match(ck, triggers["match"], triggers.where("match"), match_where, vocab) or MatchSpec()
    if not any(triggers.get(key) for key in ("categories", "rules", "match")):
        ck.error(triggers.at, f"{trigger_where} must have at least one of categories, rules, match")
    near = MatchSpec()
    if "in_sentence_with" in triggers:
        near_where = f"'disclaimer.triggered_by.in_sentence_with' of {where}"
        near = parse_match(ck, triggers["in_sentence_with"], triggers.where("in_sentence_with"), near_where, vocab) or MatchSpec()
    only_if = MatchSpec()
    if "only_if" in spec:
        only_if_where = f"'disclaimer.only_if' of {where}"
        only_if = parse_match(ck, spec["only_if"], spec.where("only_if"), only_if_where, vocab) or MatchSpec()
    if requires is None or satisfied is None:
        return None
    return DisclaimerSpec(requires, tuple(categories), tuple(rules), trigger, satisfied, tuple(also), only_if, near)


def parse_lexicon(ck: Checker, data: Any, stem: str) -> Lexicon | None:
    where = f"lexicon '{stem}'"
    node = ck.mapping(data, (1, 1), where)
    if node is None:
        return None
    before = len(ck.problems)
    ck.keys(node, LEXICON_KEYS, ("lexicon", "terms"), where)
    name = ck.name(node, "lexicon", where)
    if name is not None and name != stem:
        ck.error(node.where("lexicon"), f"lexicon name '{name}' must match the file name '{stem}'")
    description = ck.string(node, "description", where) or ""
    tags = _tags(ck, node, where)
    items = ck.items(node, "terms", where, minimum=1) or LocatedList()
    if not count_within(ck, items, node.where("terms"), MAX_LEXICON_TERMS, f"'terms' of {where}"):
        return None
    terms: list[LexiconTerm] = []
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        term = _term(ck, item, items.where(index), where)
        if term is None:
            continue
        # Phrase matching ignores case and spacing, so these are the same term.
        key = " ".join(term.text.casefold().split())
        line = items.where(index)[0]
        if key in first_seen:
            ck.error(items.where(index), f"duplicate term '{term.text}' in {where} (first at line {first_seen[key]})")
            continue
        first_seen[key] = line
        terms.append(term)
    if name is None and len(ck.problems) > before:
        return None
    # A bad term is reported and left out, but the lexicon still loads, so
    # one typo does not also make every rule that names it "unknown".
    return Lexicon(name or stem, description, tuple(terms), SourceRef(ck.path, *node.at), tags)


def _term(ck: Checker, item: Any, at: Position, where: str) -> LexiconTerm | None:
    if isinstance(item, str) and item.strip():
        problem = term_problem(item)
        if problem:
            ck.error(at, f"{where}: term {problem}")
            return None
        return LexiconTerm(item)
    if not isinstance(item, LocatedDict):
        ck.error(at, f"terms of {where} must be non-empty strings or mappings with 'term', not {type_name(item)}")
        return None
    before = len(ck.problems)
    text = item.get("term")
    inner = f"term '{text}' of {where}" if isinstance(text, str) else f"a term of {where}"
    ck.keys(item, TERM_KEYS, ("term",), inner)
    text = ck.string(item, "term", inner)
    tags = _tags(ck, item, inner)
    forms = ck.strings(item, "forms", inner) or ()
    approved_for = ck.strings(item, "approved_for", inner) if "approved_for" in item else None
    if text is not None and term_problem(text):
        ck.error(item.where("term"), f"{where}: term {term_problem(text)}")
    forms_list = item.get("forms")
    for index, form in enumerate(forms_list if isinstance(forms_list, LocatedList) else ()):
        if isinstance(form, str) and term_problem(form):
            ck.error(forms_list.where(index), f"{inner}: form {term_problem(form)}")  # type: ignore[union-attr]  # a LocatedList here
    if text is None or len(ck.problems) > before:
        return None
    approved = tuple(approved_for) if approved_for is not None else None
    return LexiconTerm(text, tuple(tags), tuple(forms), approved, SourceRef(ck.path, *at))


def _tags(ck: Checker, node: LocatedDict, where: str) -> tuple[str, ...]:
    """The `tags` list of a term or of a whole lexicon: kebab-case names."""
    tags = ck.strings(node, "tags", where) or ()
    tag_list: Any = node.get("tags")
    for index, tag in enumerate(tag_list if isinstance(tag_list, LocatedList) else ()):
        if isinstance(tag, str) and tag.strip() and not KEBAB.match(tag):
            ck.error(tag_list.where(index), f"tag '{tag}' in {where} must be kebab-case like 'serious'")
    return tuple(tags)
