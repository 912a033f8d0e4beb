"""The editors' JSON Schema of rule files (schema/overclaim-rules.schema.json):
up to date with the validator's constants, valid for every built-in rule
file, and rejecting each broken file the validator rejects."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from linter.packs import loading as packs
from linter.packs import pack_files
from linter.packs.rule_schema import FLAG_ATTRIBUTES, REL_OPS, TEXT_ATTRIBUTES, build_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema" / "overclaim-rules.schema.json"

RULE = """\
  - id: tea-cure
    category: cure
    severity: warning
    message: "“{match}” claims a cure."
    source: FDCA 201(g)(1)
    suggest: Say what studies found.
    match:
      phrases: [miracle cure]
      patterns:
        - [{LEMMA: cure}, {LEX: ailments}]
      dependency:
        - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: cure}}
          - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: object, RIGHT_ATTRS: {DEP: dobj, LEX: ailments}}
    escalate:
      - {tag: serious, severity: error}
    examples:
      fire: ["Our tea cures arthritis."]
      pass:
        - {text: "No tea cures arthritis.", because: negated}
        - "Tea is nice."
"""

DOC_RULE = """\
  - id: needs-advice
    category: disclaimer
    severity: warning
    message: Say this is not medical advice.
    source: FTC-HPCG
    suggest: Add "This is not medical advice."
    disclaimer:
      requires: medical-advice
      triggered_by:
        rules: [tea-cure]
        categories: [cure]
      satisfied_by: [{phrases: [not medical advice]}, {lemmas: [consult doctor]}]
    examples:
      fire: ["Our tea cures arthritis."]
      pass: ["Our tea cures arthritis. This is not medical advice."]
"""

LEXICON = """\
lexicon: ailments
description: Things to cure.
tags: [health-target]
terms:
  - arthritis
  - {term: cancer, tags: [serious], forms: [carcinoma]}
  - {term: lupus, forms: [SLE]}
"""

PACK = "pack: house\ndescription: House rules.\nrules:\n" + RULE + DOC_RULE


def _rule(old: str, new: str) -> str:
    assert old in PACK, old
    return PACK.replace(old, new, 1)


def _lexicon(old: str, new: str) -> str:
    assert old in LEXICON, old
    return LEXICON.replace(old, new, 1)


# Each broken file: the validator reports a problem, and so must the schema.
BROKEN_PACKS = {
    "unknown rule key": _rule("    suggest: Say", "    sugest: Say"),
    "missing required key": _rule("    source: FDCA 201(g)(1)\n", ""),
    "unknown category": _rule("category: cure", "category: curez"),
    "unknown severity": _rule("severity: warning", "severity: high"),
    "unknown placeholder": _rule("“{match}” claims", "{product} claims"),
    "stray brace": _rule("“{match}” claims", "“{match” claims"),
    "blank source": _rule("source: FDCA 201(g)(1)", 'source: " "'),
    "id not kebab-case": _rule("id: tea-cure", "id: Tea_Cure"),
    "line rule without match": _rule("    match:\n      phrases: [miracle cure]\n", "    match_:\n      phrases: [miracle cure]\n"),
    "empty match": _rule("      phrases: [miracle cure]\n      patterns:\n        - [{LEMMA: cure}, {LEX: ailments}]\n      dependency:\n"
                         "        - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: cure}}\n"
                         "          - {LEFT_ID: verb, REL_OP: \">\", RIGHT_ID: object, RIGHT_ATTRS: {DEP: dobj, LEX: ailments}}\n",
                         "      phrases: []\n"),
    "unknown match key": _rule("      phrases: [miracle", "      phrase: [miracle"),
    "empty token pattern": _rule("        - [{LEMMA: cure}, {LEX: ailments}]", "        - []"),
    "token not a mapping": _rule("        - [{LEMMA: cure}, {LEX: ailments}]", "        - [cure]"),
    "unquoted no": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LOWER: no}, {LEX: ailments}]"),
    "boolean in IN": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LOWER: {IN: [cure, no]}}, {LEX: ailments}]"),
    "unknown token attribute": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LEMMAS: cure}, {LEX: ailments}]"),
    "bad operator": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LEMMA: cure, OP: '{x}'}, {LEX: ailments}]"),
    "flag not a boolean": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{IS_ALPHA: 'yes please'}, {LEX: ailments}]"),
    "empty LEX list": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LEMMA: cure}, {LEX: []}]"),
    "REGEX too long": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LOWER: {REGEX: '" + "a" * 201 + "'}}]"),
    "phrase too long": _rule("phrases: [miracle cure]", "phrases: [" + "a" * 501 + "]"),
    "pattern too long": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[" + ", ".join(["{LOWER: a}"] * 51) + "]"),
    "unknown dependency operator": _rule('REL_OP: ">"', 'REL_OP: "~~"'),
    "unknown dependency key": _rule("RIGHT_ATTRS: {DEP: dobj", "RIGHT_ATTR: {DEP: dobj"),
    "anchor with an operator": _rule("{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: cure}}", "{RIGHT_ID: verb, REL_OP: '>', LEFT_ID: x, RIGHT_ATTRS: {LEMMA: cure}}"),
    "node without REL_OP": _rule('{LEFT_ID: verb, REL_OP: ">", RIGHT_ID', "{LEFT_ID: verb, RIGHT_ID"),
    "unknown cue": _rule("    escalate:\n", "    unless: [sarcastic]\n    escalate:\n"),
    "flag not true or false": _rule("    escalate:\n", "    unapproved_use_only: sometimes\n    escalate:\n"),
    "unknown fallback category": _rule("    escalate:\n", "    fallback_for: [cures]\n    escalate:\n"),
    "replacement not a string": _rule("    escalate:\n", "    replacements: {tea cures: [tea]}\n    escalate:\n"),
    "replacements on a document-level rule": _rule("    disclaimer:\n      requires", "    replacements: {tea: herbal tea}\n    disclaimer:\n      requires"),
    "escalation without severity": _rule("{tag: serious, severity: error}", "{tag: serious}"),
    "examples without pass": _rule("      pass:\n        - {text: \"No tea cures arthritis.\", because: negated}\n        - \"Tea is nice.\"\n", ""),
    "no fire example": _rule('fire: ["Our tea cures arthritis."]\n      pass:\n        - {text', "fire: []\n      pass:\n        - {text"),
    "unknown reason": _rule("because: negated", "because: obvious"),
    "reason without text": _rule('{text: "No tea cures arthritis.", because: negated}', "{because: negated}"),
    "disclaimer rule of another category": _rule("category: disclaimer", "category: cure"),
    "disclaimer rule with match": _rule("    disclaimer:\n      requires", "    match: {phrases: [tea]}\n    disclaimer:\n      requires"),
    "disclaimer category without disclaimer": _rule("category: cure", "category: disclaimer"),
    "unknown disclaimer": _rule("requires: medical-advice", "requires: medical-adv"),
    "empty trigger": _rule("      triggered_by:\n        rules: [tea-cure]\n        categories: [cure]\n", "      triggered_by: {}\n"),
    "trigger by disclaimer category": _rule("categories: [cure]", "categories: [disclaimer]"),
    "empty satisfied_by list": _rule("satisfied_by: [{phrases: [not medical advice]}, {lemmas: [consult doctor]}]", "satisfied_by: []"),
    "reason on a document example": _rule('pass: ["Our tea cures arthritis. This is not medical advice."]',
                                          'pass: [{text: "Our tea cures. Not medical advice.", because: no-match}]'),
    "unknown top-level key": "pack: house\nrulez: []\n",
    "rules not a list": "pack: house\nrules: {}\n",
    "pack name not kebab-case": "pack: House Rules\nrules: []\n",
}

BROKEN_LEXICONS = {
    "no terms": _lexicon("terms:\n  - arthritis\n  - {term: cancer, tags: [serious], forms: [carcinoma]}\n  - {term: lupus, forms: [SLE]}\n", "terms: []\n"),
    "tag not kebab-case": _lexicon("tags: [serious]", "tags: [Very Serious]"),
    "unknown term key": _lexicon("forms: [carcinoma]", "form: [carcinoma]"),
    "term without text": _lexicon("{term: cancer, tags: [serious], forms: [carcinoma]}", "{tags: [serious]}"),
    "blank term": _lexicon("  - arthritis\n", '  - " "\n'),
    "unknown lexicon key": _lexicon("description: Things", "describe: Things"),
    "lexicon-level tag not kebab-case": _lexicon("tags: [health-target]", "tags: [Health_Target]"),
}

# Valid variants: both must accept them.
VALID = {
    "the base pack": PACK,
    "a pass example without a reason": _rule("{text: \"No tea cures arthritis.\", because: negated}", "\"No tea cures arthritis.\""),
    "satisfied_by as one spec": _rule("satisfied_by: [{phrases: [not medical advice]}, {lemmas: [consult doctor]}]",
                                      "satisfied_by: {phrases: [not medical advice]}"),
    "a bounded gap and a negated end": _rule("[{LEMMA: cure}, {LEX: ailments}]",
                                             "[{LEMMA: cure}, {IS_ALPHA: true, OP: '{0,3}'}, {LEX: [ailments, serious]}, {LOWER: {IN: [for, only]}, OP: '!'}]"),
    "only_when with its reason": _rule("because: negated", "because: not-hedged").replace("    escalate:\n", "    only_when: [hedged]\n    escalate:\n", 1),
    "safe rewrites": _rule("    escalate:\n", "    replacements: {cures arthritis: may ease arthritis}\n    escalate:\n"),
    "a REGEX and a LENGTH": _rule("[{LEMMA: cure}, {LEX: ailments}]", "[{LOWER: {REGEX: '^cur'}}, {LENGTH: {'>=': 3}}, {LEX: ailments}]"),
}


@pytest.fixture(scope="module")
def schema():
    loaded = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(loaded)
    return jsonschema.Draft7Validator(loaded)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """A directory with the `ailments` lexicon, and no built-in rules to clash with."""
    monkeypatch.chdir(tmp_path)
    Path("builtin/lexicons").mkdir(parents=True)
    monkeypatch.setattr(pack_files, "builtin_rules_dir", lambda: Path("builtin"))
    Path("lexicons").mkdir()
    Path("lexicons/ailments.yaml").write_text(LEXICON, encoding="utf-8")
    return tmp_path


def _validator_problems(text: str, name: str) -> list[str]:
    path = Path(f"{name}.yaml")
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in packs.validate_files([path])]


def _schema_errors(schema, text: str) -> list[str]:
    return [error.message for error in schema.iter_errors(yaml.safe_load(text))]


def test_the_schema_file_is_up_to_date():
    spec = importlib.util.spec_from_file_location("build_rule_schema", ROOT / "tools" / "build_rule_schema.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == builder.render(), "run: python tools/build_rule_schema.py"


@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_built_in_rule_file_is_valid(schema, path):
    assert _schema_errors(schema, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("case", sorted(VALID))
def test_both_accept_a_valid_pack(schema, isolated, case):
    assert _validator_problems(VALID[case], "house") == []
    assert _schema_errors(schema, VALID[case]) == []


def test_both_accept_a_valid_lexicon(schema, isolated):
    assert _validator_problems(LEXICON, "lexicons/ailments") == []
    assert _schema_errors(schema, LEXICON) == []


@pytest.mark.parametrize("case", sorted(BROKEN_PACKS))
def test_both_reject_a_broken_pack(schema, isolated, case):
    text = BROKEN_PACKS[case]
    assert _validator_problems(text, "house"), "the validator accepts it"
    assert _schema_errors(schema, text), "the schema accepts it"


@pytest.mark.parametrize("case", sorted(BROKEN_LEXICONS))
def test_both_reject_a_broken_lexicon(schema, isolated, case):
    text = BROKEN_LEXICONS[case]
    assert _validator_problems(text, "lexicons/ailments"), "the validator accepts it"
    assert _schema_errors(schema, text), "the schema accepts it"


def test_token_attributes_are_spacys():
    from spacy.schemas import TokenPattern

    spacy_names = {field.alias for field in TokenPattern.model_fields.values()}
    ours = {*TEXT_ATTRIBUTES, *FLAG_ATTRIBUTES, "LENGTH", "ENT_IOB", "OP", "_"}
    assert ours == spacy_names


def test_dependency_operators_are_spacys(nlp):
    from spacy.matcher import DependencyMatcher

    def accepted(op: str) -> bool:
        pattern = [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LOWER": "x"}},
                   {"LEFT_ID": "a", "REL_OP": op, "RIGHT_ID": "b", "RIGHT_ATTRS": {"LOWER": "y"}}]
        try:
            DependencyMatcher(nlp.vocab, validate=True).add("p", [pattern])
        except ValueError:
            return False
        return True

    assert all(accepted(op) for op in REL_OPS)
    assert not any(accepted(op) for op in ("~~", ">>>", "<>"))


def test_the_schema_is_built_from_the_validators_constants():
    from linter.core.model import CATEGORIES, CUES, DISCLAIMERS, SEVERITY_NAMES
    from linter.packs.rule_file import LEXICON_KEYS, PACK_KEYS, RULE_KEYS, TERM_KEYS

    definitions = build_schema()["definitions"]
    rule = definitions["rule"]["properties"]
    assert set(rule) == set(RULE_KEYS)
    assert set(definitions["pack"]["properties"]) == set(PACK_KEYS)
    assert set(definitions["lexicon"]["properties"]) == set(LEXICON_KEYS)
    assert set(definitions["lexicon"]["properties"]["terms"]["items"]["anyOf"][1]["properties"]) == set(TERM_KEYS)
    assert rule["category"]["enum"] == list(CATEGORIES)
    assert rule["severity"]["enum"] == list(SEVERITY_NAMES)
    assert rule["unless"]["items"]["enum"] == list(CUES)
    assert rule["disclaimer"]["properties"]["requires"]["enum"] == list(DISCLAIMERS)


def test_the_readme_vscode_settings_cover_every_rule_file():
    from fnmatch import fnmatch

    from readme_snippets import snippet

    settings = json.loads(snippet("vscode-rule-schema"))
    assert settings["yaml.yamlVersion"] == "1.1"
    ((schema_path, globs),) = settings["yaml.schemas"].items()
    assert (ROOT / schema_path).resolve() == SCHEMA_FILE
    for path in (ROOT / "rules").rglob("*.yaml"):
        relative = "/" + path.relative_to(ROOT).as_posix()
        assert any(fnmatch(relative, glob) and relative.count("/") == glob.count("/") for glob in globs), relative


def test_the_readme_modeline_example_is_a_valid_pack(schema, isolated):
    from readme_snippets import snippet

    text = snippet("rule-schema-modeline")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (ROOT / "rules" / first.split("=", 1)[1]).resolve() == SCHEMA_FILE  # as seen from rules/house.yaml
    assert _schema_errors(schema, text) == []
    assert _validator_problems(text, "house") == []
