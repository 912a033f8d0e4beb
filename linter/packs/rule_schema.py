"""A JSON Schema (draft-07) of rule packs and lexicons, for editors.

The validator (`packs.rule_file`, `packs.match_section`, `packs.loading`) is the authority on what a
rule file may say; this schema describes the same shapes so that an editor
can complete keys, offer the allowed values and flag mistakes while a rule is
typed. It is built from the same constants the validator uses (categories,
cues, severities, disclaimers, keys, limits), and written to
`schema/overclaim-rules.schema.json` by `tools/build_rule_schema.py`; a test
checks that file is up to date and that schema and validator reject the same
broken files.

What only the validator checks: names that point into other files (LEX tags,
rule ids, the pack or lexicon name matching the file name), a `because`
that the rule's own `unless`/`only_when` allows, duplicate terms, the total
of 500 phrases and patterns in one `match`, a REGEX that could hang, and
spaCy's own pattern checks beyond their shape.
"""

from __future__ import annotations

from typing import Any

from linter.core.limits import (
    MAX_LEXICON_TERMS, MAX_MATCH_ITEMS, MAX_PATTERN_TOKENS, MAX_PHRASE_CHARS, MAX_REGEX_CHARS, MAX_RULES_PER_PACK,
)
from linter.core.model import ABSENT, CATEGORIES, CUES, DISCLAIMERS, NO_MATCH, SEVERITY_NAMES
from linter.core.yaml_shapes import KEBAB

Schema = dict[str, Any]

DRAFT = "http://json-schema.org/draft-07/schema#"
# Text that is not only whitespace (the validator strips strings).
NON_BLANK = r"\S"
# A message: literal text, "{{" and "}}" for braces, and the {match} placeholder.
MESSAGE_TEMPLATE = r"^(?:[^{}]|\{\{|\}\}|\{match\})*$"
# Dependency operators spaCy's DependencyMatcher knows.
REL_OPS = (
    "<", ">", "<<", ">>", ".", ".*", ";", ";*", "$+", "$-", "$++", "$--",
    ">+", ">-", ">++", ">--", "<+", "<-", "<++", "<--",
)

# Token attributes of spaCy's Matcher (spacy.schemas.TokenPattern), by the
# kind of value they test.
TEXT_ATTRIBUTES = {
    "ORTH": "The exact text of the token.",
    "TEXT": "The exact text of the token (same as ORTH).",
    "LOWER": "The token's text, lower-cased.",
    "NORM": "The token's normalised form (lower-cased, spelling variants unified): what `phrases` compare.",
    "LEMMA": "The token's base form (needs the parse: 'cures' has lemma 'cure').",
    "POS": "Coarse part of speech (needs the parse): VERB, NOUN, ADJ...",
    "TAG": "Fine part-of-speech tag (needs the parse): VBZ, NN...",
    "MORPH": "Morphological features (needs the parse).",
    "DEP": "Dependency label (needs the parse): nsubj, dobj, neg...",
    "SHAPE": "The token's shape: 'Xxxx', 'dd', 'd%'.",
    "ENT_TYPE": "Named-entity label (the pipeline here has no entity recogniser).",
    "ENT_ID": "Entity id (the pipeline here has no entity recogniser).",
    "ENT_KB_ID": "Knowledge-base id (the pipeline here has no entity recogniser).",
}
FLAG_ATTRIBUTES = (
    "SPACY", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_STOP", "IS_SENT_START",
    "SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
)
STRING_TESTS = ("IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS")
FUZZY_TESTS = ("FUZZY", *(f"FUZZY{n}" for n in range(1, 10)))
NUMBER_COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
# spaCy also accepts attribute and test names in lower case.
LOWER_CASE_NAME = r"^[a-z][a-z0-9_]*$"


def _text(description: str, **more: Any) -> Schema:
    return {"type": "string", "pattern": NON_BLANK, "description": description, **more}


def _texts(description: str, item: Schema | None = None, **more: Any) -> Schema:
    return {"type": "array", "items": item or {"type": "string", "pattern": NON_BLANK}, "description": description, **more}


def _name(description: str) -> Schema:
    return {"type": "string", "pattern": KEBAB.pattern, "description": description}


def _choice(values: tuple[str, ...], description: str) -> Schema:
    return {"type": "string", "enum": list(values), "description": description}


def _choices(values: tuple[str, ...], description: str) -> Schema:
    return {"type": "array", "items": {"type": "string", "enum": list(values)}, "description": description}


def _object(properties: Schema, required: tuple[str, ...] = (), description: str = "", **more: Any) -> Schema:
    made: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        made["required"] = list(required)
    if description:
        made["description"] = description
    return {**made, **more}


def _one_of_present(keys: tuple[str, ...]) -> list[Schema]:
    """At least one of `keys` present and not empty."""
    return [{"required": [key], "properties": {key: {"minItems": 1}}} for key in keys]


def _definitions() -> Schema:
    string_test: Schema = {
        "type": "object",
        "description": "A test on the attribute's text.",
        "properties": {
            **{name: {"type": "array", "items": {"type": "string"}} for name in STRING_TESTS},
            "REGEX": {
                "anyOf": [{"type": "string", "maxLength": MAX_REGEX_CHARS}, {"$ref": "#/definitions/stringTest"}],
                "description": f"A regular expression the text must contain a match of (at most {MAX_REGEX_CHARS} characters).",
            },
            **{name: {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/stringTest"}]} for name in FUZZY_TESTS},
        },
        "patternProperties": {LOWER_CASE_NAME: {}},
        "additionalProperties": False,
    }
    string_test["properties"]["IN"]["description"] = "Any of these values."
    string_test["properties"]["NOT_IN"]["description"] = "None of these values."
    number_test: Schema = {
        "type": "object",
        "properties": {
            "REGEX": {"type": "string", "maxLength": MAX_REGEX_CHARS},
            **{name: {"type": "array", "items": {"type": "integer"}} for name in STRING_TESTS},
            **{name: {"type": "number"} for name in NUMBER_COMPARISONS},
        },
        "patternProperties": {LOWER_CASE_NAME: {}},
        "additionalProperties": False,
    }
    text_value = {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/stringTest"}]}
    token: Schema = {
        "type": "object",
        "description": "One token of a spaCy Matcher pattern: every attribute given must hold.",
        "properties": {
            **{name: {**text_value, "description": text} for name, text in TEXT_ATTRIBUTES.items()},
            "LENGTH": {"anyOf": [{"type": "number"}, number_test], "description": "The token's length in characters."},
            **{name: {"type": "boolean", "description": f"spaCy's {name} flag."} for name in FLAG_ATTRIBUTES},
            "ENT_IOB": {"enum": ["", "I", "O", "B", 0, 1, 2, 3], "description": "Entity IOB tag."},
            "OP": {
                "anyOf": [
                    {"type": "string", "enum": ["+", "*", "?", "!"]},
                    {"type": "string", "pattern": r"^(\{\d+\}|\{\d+,\d*\}|\{\d*,\d+\})$"},
                ],
                "description": "How often the token may occur: + (one or more), * (any), ? (optional), "
                "! (must not occur: at the end of a pattern, 'not followed by'), {n}, {n,m}, {n,}, {,m}. "
                "A gap written {0,n} is best the only repeated element of its pattern.",
            },
            "LEX": {
                "anyOf": [
                    {"type": "string", "pattern": KEBAB.pattern},
                    {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": KEBAB.pattern}},
                ],
                "description": "overclaim: a token tagged by this lexicon or tag (a list: any of them).",
            },
            "_": {"type": "object", "description": "Tests on custom token attributes."},
        },
        "patternProperties": {LOWER_CASE_NAME: {}},
        "additionalProperties": False,
    }
    token_pattern: Schema = {
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_PATTERN_TOKENS,
        "items": {"$ref": "#/definitions/token"},
        "description": "A spaCy Matcher pattern: one mapping per token, in order.",
    }
    node_attrs = {
        "allOf": [
            {"$ref": "#/definitions/token"},
            {"properties": {"OP": {"not": {"enum": ["?", "*", "+"]}}}},
        ],
        "description": "The token attributes this node must have (no ?, * or + operator).",
    }
    first_node = _object(
        {"RIGHT_ID": _text("A name for this node."), "RIGHT_ATTRS": node_attrs},
        ("RIGHT_ID", "RIGHT_ATTRS"),
        "The anchor: context cues are judged from it.",
    )
    next_node = _object(
        {
            "LEFT_ID": _text("The name of an earlier node."),
            "REL_OP": _choice(REL_OPS, "How the earlier node relates to this one: > (is its head), >> (an ancestor), . (comes right before)..."),
            "RIGHT_ID": _text("A name for this node."),
            "RIGHT_ATTRS": node_attrs,
        },
        ("LEFT_ID", "REL_OP", "RIGHT_ID", "RIGHT_ATTRS"),
    )
    dependency_pattern: Schema = {
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_PATTERN_TOKENS,
        "items": [first_node],
        "additionalItems": next_node,
        "description": "A spaCy DependencyMatcher pattern: the anchor node, then nodes related to earlier ones.",
    }
    phrase = {"type": "string", "pattern": NON_BLANK, "maxLength": MAX_PHRASE_CHARS}
    match = _object(
        {
            "phrases": _texts("Literal phrases, case-insensitive (compared on spaCy's NORM).", phrase, maxItems=MAX_MATCH_ITEMS),
            "lemmas": _texts("Lemma sequences: \"cure for\" also matches \"cures for\".", phrase, maxItems=MAX_MATCH_ITEMS),
            "patterns": {"type": "array", "items": {"$ref": "#/definitions/tokenPattern"},
                         "maxItems": MAX_MATCH_ITEMS, "description": "spaCy Matcher token patterns."},
            "dependency": {"type": "array", "items": {"$ref": "#/definitions/dependencyPattern"},
                           "maxItems": MAX_MATCH_ITEMS, "description": "spaCy DependencyMatcher patterns."},
        },
        description=f"What to look for: at least one of phrases, lemmas, patterns, dependency (at most {MAX_MATCH_ITEMS} in all).",
        anyOf=_one_of_present(("phrases", "lemmas", "patterns", "dependency")),
    )
    return {
        "stringTest": string_test,
        "token": token,
        "tokenPattern": token_pattern,
        "dependencyPattern": dependency_pattern,
        "match": match,
        "pack": _pack(),
        "rule": _rule(),
        "lexicon": _lexicon(),
    }


def _pass_reasons() -> tuple[str, ...]:
    return (NO_MATCH, *CUES, *(f"{ABSENT}{cue}" for cue in CUES))


def _examples() -> Schema:
    sentence = {"type": "string", "pattern": NON_BLANK}
    explained = _object(
        {
            "text": _text("The sentence."),
            "because": _choice(
                _pass_reasons(),
                f"Why it passes: '{NO_MATCH}' (the rule does not match it), a cue of the rule's `unless` "
                f"that the match carries, or '{ABSENT}' and a cue of its `only_when` that is absent.",
            ),
        },
        ("text", "because"),
    )
    return _object(
        {
            "fire": _texts("Sentences that must produce a finding of this rule (documents, for a disclaimer rule).", sentence, minItems=1),
            "pass": {
                "type": "array",
                "minItems": 1,
                "items": {"anyOf": [sentence, explained]},
                "description": "Sentences that must not produce one; say why with {text, because} where you can.",
            },
        },
        ("fire", "pass"),
        "Checked by `overclaim rules test` and the test suite.",
    )


def _disclaimer() -> Schema:
    line_categories = tuple(c for c in CATEGORIES if c != "disclaimer")
    triggers = _object(
        {
            "categories": _choices(line_categories, "A reported finding of these categories calls for the disclaimer."),
            "rules": _texts("A reported finding of these rules calls for it."),
            "match": {"$ref": "#/definitions/match", "description": "A mention calls for it (prefer categories)."},
            "in_sentence_with": {
                "$ref": "#/definitions/match",
                "description": "A trigger counts only in a sentence that also matches this "
                "(or anywhere, once part of `satisfied_by` is found).",
            },
        },
        description="What makes the disclaimer necessary: at least one of categories, rules, match.",
        anyOf=_one_of_present(("categories", "rules")) + [{"required": ["match"]}],
    )
    return _object(
        {
            "requires": _choice(DISCLAIMERS, "The disclaimer the document needs."),
            "triggered_by": triggers,
            "satisfied_by": {
                "anyOf": [
                    {"$ref": "#/definitions/match"},
                    {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/match"}},
                ],
                "description": "Wording anywhere in the document that satisfies it; a list: every part must be found.",
            },
            "only_if": {"$ref": "#/definitions/match", "description": "The document must also mention this for any trigger to count."},
        },
        ("requires", "triggered_by", "satisfied_by"),
        "A document-level rule: reported at the first trigger when the disclaimer is missing.",
    )


def _rule() -> Schema:
    properties = {
        "id": _name("Unique across all loaded packs, kebab-case."),
        "category": _choice(CATEGORIES, "The kind of claim."),
        "severity": _choice(SEVERITY_NAMES, "How serious a finding is."),
        "message": {
            "type": "string",
            "allOf": [{"pattern": NON_BLANK}, {"pattern": MESSAGE_TEMPLATE}],
            "description": "The finding's message; {match} stands for the matched words ('{{' for a literal brace).",
        },
        "source": _text("The regulatory basis."),
        "suggest": _text("A compliant rephrasing or advice."),
        "description": _text("Longer documentation shown by `overclaim rules explain`."),
        "match": {"$ref": "#/definitions/match"},
        "unless": _choices(CUES, "Context cues that make a match not the writer's claim "
                           "(default: negated, hedged, question, conditional, reported, quoted)."),
        "only_when": _choices(CUES, "Report only when all of these cues are present."),
        "unapproved_use_only": {"type": "boolean", "description": "Keep a match only if it names a drug for a condition outside the drug's approved_for list."},
        "escalate": {
            "type": "array",
            "items": _object(
                {"tag": _text("A lexicon or tag name on a matched token."), "severity": _choice(SEVERITY_NAMES, "The raised severity.")},
                ("tag", "severity"),
            ),
            "description": "Raise the severity where a matched token carries a lexicon tag.",
        },
        "fallback_for": _choices(CATEGORIES, "Stand back wherever a rule of these categories reports overlapping words."),
        "replacements": {
            "type": "object",
            "propertyNames": {"pattern": NON_BLANK},
            "additionalProperties": _text("The replacement words."),
            "description": "Safe rewrites: matched words, as written, -> replacement words (offered, never applied).",
        },
        "disclaimer": _disclaimer(),
        "examples": _examples(),
    }
    document_level = {
        "properties": {
            "category": {"const": "disclaimer"},
            "examples": {"properties": {"pass": {"items": {"type": "string"}}}},
        },
        # A document-level rule matches no words, so it has none to replace.
        "not": {"anyOf": [{"required": ["match"]}, {"required": ["replacements"]}]},
    }
    line_level = {"required": ["match"], "properties": {"category": {"not": {"const": "disclaimer"}}}}
    return _object(
        properties,
        ("id", "category", "severity", "message", "source", "suggest", "examples"),
        "A rule: line-level (with `match`) or document-level (with `disclaimer`).",
        **{"if": {"required": ["disclaimer"]}, "then": document_level, "else": line_level},
    )


def _pack() -> Schema:
    return _object(
        {
            "pack": _name("The pack's name: the file name without .yaml."),
            "description": _text("What this pack covers."),
            "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}, "maxItems": MAX_RULES_PER_PACK},
        },
        ("pack", "rules"),
        "A rule pack (rules/NAME.yaml).",
    )


def _lexicon() -> Schema:
    tags = {"type": "array", "items": {"type": "string", "pattern": KEBAB.pattern}}
    term = _object(
        {
            "term": _text("The term."),
            "tags": {**tags, "description": "Tags a rule can name (LEX, escalate), e.g. serious."},
            "forms": _texts("Other surface forms, e.g. an abbreviation."),
            "approved_for": _texts("For drugs: the condition terms the drug is approved for (the off-label table)."),
        },
        ("term",),
    )
    return _object(
        {
            "lexicon": _name("The lexicon's name: the file name without .yaml."),
            "description": _text("What the terms have in common."),
            "tags": {**tags, "description": "Tags every term of this lexicon also carries."},
            "terms": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_LEXICON_TERMS,
                "items": {"anyOf": [{"type": "string", "pattern": NON_BLANK}, term]},
                "description": "Matched case-insensitively, with regular English inflections of every word.",
            },
        },
        ("lexicon", "terms"),
        "A lexicon (rules/lexicons/NAME.yaml).",
    )


def build_schema() -> Schema:
    """The schema of a rule file: a lexicon (a `lexicon` or `terms` key, as
    the validator decides) or else a rule pack."""
    return {
        "$schema": DRAFT,
        "title": "overclaim rule pack or lexicon",
        "description": "A rule pack (rules/*.yaml) or a lexicon (rules/lexicons/*.yaml); see docs/rule-format.md.",
        "if": {"anyOf": [{"required": ["lexicon"]}, {"required": ["terms"]}]},
        "then": {"$ref": "#/definitions/lexicon"},
        "else": {"$ref": "#/definitions/pack"},
        "definitions": _definitions(),
    }
