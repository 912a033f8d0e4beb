"""Rule pack and lexicon validation: every error kind, as the exact `file:line:col: message`."""

from pathlib import Path

import pytest

from linter.packs import lex_sugar as lexref
from linter.packs import loading as packs
from linter.packs import pack_files
from linter.core.errors import ConfigError, RuleFileError
from linter.core.model import Severity

# Line numbers below refer to this layout: the rule starts on line 3.
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
    escalate:
      - {tag: serious, severity: error}
    examples:
      fire: ["Our tea cures arthritis."]
      pass: ["No tea cures arthritis."]
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
      satisfied_by: {phrases: [not medical advice]}
    examples:
      fire: ["Our tea cures arthritis."]
      pass: ["Our tea cures arthritis. This is not medical advice."]
"""

LEXICON = """\
lexicon: ailments
terms:
  - arthritis
  - {term: cancer, tags: [serious]}
"""


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Work in tmp_path, with an empty built-in rules directory."""
    monkeypatch.chdir(tmp_path)
    Path("builtin/lexicons").mkdir(parents=True)
    monkeypatch.setattr(pack_files, "builtin_rules_dir", lambda: Path("builtin"))
    Path("lexicons").mkdir()
    Path("lexicons/ailments.yaml").write_text(LEXICON, encoding="utf-8")


def validate(text: str, name: str = "house") -> list[str]:
    path = Path(f"{name}.yaml")
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in packs.validate_files([path])]


def pack(rules: str = RULE) -> str:
    return "pack: house\nrules:\n" + rules


def rule_with(old: str, new: str) -> str:
    assert old in RULE
    return pack(RULE.replace(old, new))


def test_valid_pack_has_no_problems():
    assert validate(pack(RULE + DOC_RULE)) == []


def test_unknown_rule_key_suggests_the_right_one():
    assert validate(rule_with("    suggest:", "    sugest:")) == [
        "house.yaml:3:5: missing required key 'suggest' in rule 'tea-cure'",
        "house.yaml:8:5: unknown key 'sugest' in rule 'tea-cure' (did you mean 'suggest'?)",
    ]


def test_unknown_match_key():
    assert validate(rule_with("      phrases:", "      phrase:")) == [
        "house.yaml:10:7: unknown key 'phrase' in 'match' of rule 'tea-cure' (did you mean 'phrases'?)"
    ]


def test_unknown_top_level_key():
    assert validate("pack: house\nrulez: []\n") == [
        "house.yaml:1:1: missing required key 'rules' in pack 'house'",
        "house.yaml:2:1: unknown key 'rulez' in pack 'house' (did you mean 'rules'?)",
    ]


def test_missing_required_key_points_at_the_rule():
    assert validate(rule_with("    source: FDCA 201(g)(1)\n", "")) == [
        "house.yaml:3:5: missing required key 'source' in rule 'tea-cure'"
    ]


def test_wrong_type():
    assert validate(rule_with('message: "“{match}” claims a cure."', "message: [a]")) == [
        "house.yaml:6:14: 'message' in rule 'tea-cure' must be a string, not a list"
    ]


def test_empty_string():
    assert validate(rule_with("source: FDCA 201(g)(1)", 'source: " "')) == [
        "house.yaml:7:13: 'source' in rule 'tea-cure' must not be empty"
    ]


def test_rule_id_must_be_kebab_case():
    assert validate(rule_with("id: tea-cure", "id: Tea_Cure")) == [
        "house.yaml:3:9: 'id' in rule 'Tea_Cure' must be kebab-case like 'cure-claim', not 'Tea_Cure'"
    ]


def test_unknown_category():
    assert validate(rule_with("category: cure", "category: curez")) == [
        "house.yaml:4:15: unknown category 'curez' in rule 'tea-cure' (did you mean 'cure'?)"
    ]


def test_unknown_severity_lists_the_choices():
    assert validate(rule_with("severity: warning", "severity: high")) == [
        "house.yaml:5:15: unknown severity 'high' in rule 'tea-cure' (expected error, warning or info)"
    ]


def test_message_placeholder_other_than_match():
    assert validate(rule_with("“{match}” claims", "{product} claims")) == [
        "house.yaml:6:14: unknown placeholder '{product}' in 'message' of rule 'tea-cure' (only {match} is allowed)"
    ]


def test_message_with_a_stray_brace():
    assert validate(rule_with("“{match}” claims", "“{match” claims")) == [
        "house.yaml:6:14: 'message' in rule 'tea-cure' is not a valid template: "
        "expected '}' before end of string (write '{{' for a literal brace)"
    ]


def test_unknown_cue():
    text = rule_with("    escalate:", "    unless: [negated, hedge]\n    escalate:")
    assert validate(text) == ["house.yaml:13:23: unknown cue 'hedge' in rule 'tea-cure' (did you mean 'hedged'?)"]


def test_invalid_token_pattern_is_reported_by_spacy_in_one_line():
    assert validate(rule_with("{LEMMA: cure}", "{LEMA: cure}")) == [
        "house.yaml:12:11: invalid token pattern in 'match' of rule 'tea-cure': "
        "[pattern -> 0 -> LEMA] Extra inputs are not permitted"
    ]


def test_empty_token_pattern():
    assert validate(rule_with("[{LEMMA: cure}, {LEX: ailments}]", "[]")) == [
        "house.yaml:12:11: token pattern in 'match' of rule 'tea-cure' must not be empty"
    ]


def test_unquoted_yaml_boolean_in_a_pattern():
    assert validate(rule_with("{LEMMA: cure}", "{LOWER: {IN: [cure, no]}}")) == [
        "house.yaml:12:32: 'LOWER: IN' in a pattern of 'match' of rule 'tea-cure' contains a boolean; "
        "quote it (YAML reads unquoted yes/no/on/off/true/false as booleans)"
    ]


def test_unknown_lexicon_or_tag_in_lex():
    assert validate(rule_with("{LEX: ailments}", "{LEX: [serious, ailment]}")) == [
        "house.yaml:12:43: unknown lexicon or tag 'ailment' in LEX of 'match' of rule 'tea-cure' (did you mean 'ailments'?)"
    ]


def test_lex_of_the_wrong_type():
    assert validate(rule_with("{LEX: ailments}", "{LEX: {a: b}}")) == [
        "house.yaml:12:33: LEX in 'match' of rule 'tea-cure' must be a lexicon or tag name "
        "or a non-empty list of names, not a mapping"
    ]


DEPENDENCY = """\
      dependency:
        - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: cure}}
          - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: object, RIGHT_ATTRS: {LEX: ailments}}
"""


def test_valid_dependency_pattern_expands_lex():
    path = Path("house.yaml")
    path.write_text(rule_with("    escalate:", DEPENDENCY + "    escalate:"), encoding="utf-8")
    ruleset = packs.load_rules(["house"], [Path(".")])
    (pattern,) = ruleset.rules[0].match.dependency
    assert pattern[1]["RIGHT_ATTRS"] == {"_": {"overclaim_tags": {"INTERSECTS": ["ailments"]}}}


def test_invalid_dependency_pattern_is_reported_by_spacy():
    text = rule_with("    escalate:", DEPENDENCY.replace("LEFT_ID: verb", "LEFT_ID: verbb") + "    escalate:")
    assert validate(text) == [
        "house.yaml:14:11: invalid dependency pattern in 'match' of rule 'tea-cure': [E101] RIGHT_ID should be "
        "a new node and LEFT_ID should already have have been declared in previous edges."
    ]


def test_unknown_dependency_key():
    text = rule_with("    escalate:", DEPENDENCY.replace("RIGHT_ATTRS: {LEMMA", "RIGHT_ATRS: {LEMMA") + "    escalate:")
    assert validate(text) == [
        "house.yaml:14:30: unknown key 'RIGHT_ATRS' in dependency pattern in 'match' of rule 'tea-cure' "
        "(did you mean 'RIGHT_ATTRS'?)"
    ]


def test_escalation_tag_must_be_known():
    assert validate(rule_with("tag: serious", "tag: grave")) == [
        "house.yaml:14:15: unknown lexicon or tag 'grave' in 'escalate' of rule 'tea-cure'"
    ]


def test_examples_need_fire_and_pass():
    assert validate(rule_with('      pass: ["No tea cures arthritis."]\n', "").replace('fire: ["Our tea cures arthritis."]', "fire: []")) == [
        "house.yaml:16:7: missing required key 'pass' in 'examples' of rule 'tea-cure'",
        "house.yaml:16:13: 'fire' in 'examples' of rule 'tea-cure' must have at least 1 item",
    ]


def test_empty_match():
    text = rule_with("      phrases: [miracle cure]\n      patterns:\n        - [{LEMMA: cure}, {LEX: ailments}]\n", "")
    assert validate(text.replace("    match:\n", "    match: {}\n")) == [
        "house.yaml:9:12: 'match' of rule 'tea-cure' must have at least one of phrases, lemmas, patterns, dependency"
    ]


def test_line_level_rule_needs_match():
    text = rule_with("      phrases: [miracle cure]\n      patterns:\n        - [{LEMMA: cure}, {LEX: ailments}]\n", "")
    assert validate(text.replace("    match:\n", "")) == ["house.yaml:3:5: missing required key 'match' in rule 'tea-cure'"]


def test_duplicate_rule_id_across_packs_names_the_first():
    Path("first.yaml").write_text("pack: first\nrules:\n" + RULE, encoding="utf-8")
    Path("second.yaml").write_text("pack: second\ndescription: Again.\nrules:\n" + RULE, encoding="utf-8")
    problems = packs.validate_files([Path("first.yaml"), Path("second.yaml")])
    assert [str(p) for p in problems] == ["second.yaml:4:5: duplicate rule id 'tea-cure' (first defined at first.yaml:3)"]


def test_duplicate_rule_id_against_a_builtin_pack():
    Path("builtin/core.yaml").write_text("pack: core\nrules:\n" + RULE, encoding="utf-8")
    assert validate(pack()) == ["house.yaml:3:5: duplicate rule id 'tea-cure' (first defined at builtin/core.yaml:3)"]


def test_pack_name_must_match_file_name():
    assert validate(pack(), name="other") == ["other.yaml:1:7: pack name 'house' must match the file name 'other'"]


def test_document_level_rule_checks():
    text = pack(RULE + DOC_RULE.replace("category: disclaimer", "category: cure")
                .replace("rules: [tea-cure]", "rules: [tea-cur]")
                .replace("requires: medical-advice", "requires: medical")
                .replace("    disclaimer:", "    match: {phrases: [x]}\n    disclaimer:"))
    assert validate(text) == [
        "house.yaml:19:15: document-level rule 'needs-advice' must have category 'disclaimer', not 'cure'",
        "house.yaml:24:5: 'match' is not allowed in document-level rule 'needs-advice' (use 'disclaimer.triggered_by.match')",
        "house.yaml:26:17: unknown disclaimer 'medical' in 'disclaimer' of rule 'needs-advice' (did you mean 'medical-advice'?)",
        "house.yaml:28:17: unknown rule 'tea-cur' in 'disclaimer.triggered_by' of rule 'needs-advice' (did you mean 'tea-cure'?)",
    ]


def test_disclaimer_category_needs_a_disclaimer_section():
    assert validate(rule_with("category: cure", "category: disclaimer")) == [
        "house.yaml:4:15: category 'disclaimer' in rule 'tea-cure' needs a 'disclaimer' section"
    ]


def test_disclaimer_needs_a_trigger():
    text = pack(DOC_RULE.replace("        rules: [tea-cure]\n        categories: [cure]\n", "").replace(
        "triggered_by:", "triggered_by: {}"))
    assert validate(text) == [
        "house.yaml:11:21: 'disclaimer.triggered_by' of rule 'needs-advice' must have at least one of categories, rules, match"
    ]


def test_disclaimer_is_triggered_by_line_level_rules_only():
    second = DOC_RULE.replace("id: needs-advice", "id: needs-more").replace("rules: [tea-cure]", "rules: [needs-advice]")
    assert validate(pack(RULE + DOC_RULE + second)) == [
        "house.yaml:42:17: rule 'needs-advice' in 'disclaimer.triggered_by' of rule 'needs-more' is document-level; "
        "only line-level rules can trigger a disclaimer"
    ]


def test_a_rule_with_problems_still_counts_as_defined():
    broken = RULE.replace("severity: warning", "severity: high")
    problems = validate(pack(broken + DOC_RULE))
    assert problems == ["house.yaml:5:15: unknown severity 'high' in rule 'tea-cure' (expected error, warning or info)"]


def test_lexicon_problems():
    Path("lexicons/ailments.yaml").write_text(
        "lexicon: ailment\nterms:\n  - arthritis\n  - Arthritis\n  - {term: gout, tag: [Serious]}\n"
        "  - {term: lupus, tags: [Serious]}\n  - 3\n",
        encoding="utf-8",
    )
    assert [str(p) for p in packs.validate_files([Path("lexicons/ailments.yaml")])] == [
        "lexicons/ailments.yaml:1:10: lexicon name 'ailment' must match the file name 'ailments'",
        "lexicons/ailments.yaml:4:5: duplicate term 'Arthritis' in lexicon 'ailments' (first at line 3)",
        "lexicons/ailments.yaml:5:18: unknown key 'tag' in term 'gout' of lexicon 'ailments' (did you mean 'tags'?)",
        "lexicons/ailments.yaml:6:26: tag 'Serious' in term 'lupus' of lexicon 'ailments' must be kebab-case like 'serious'",
        "lexicons/ailments.yaml:7:5: terms of lexicon 'ailments' must be non-empty strings or mappings with 'term', not a number",
    ]


def test_yaml_errors_are_problems():
    assert validate("pack: house\nrules: [\n") == [
        "house.yaml:3:1: invalid YAML: expected the node content, but found '<stream end>' (while parsing a flow node at line 3)"
    ]
    assert validate("pack: house\npack: home\nrules: []\n") == ["house.yaml:2:1: duplicate key 'pack' (first defined at line 1)"]


def test_file_that_is_neither_pack_nor_lexicon():
    assert validate("hello: world\n") == [
        "house.yaml:1:1: not a rule pack or lexicon: expected a top-level 'pack' or 'lexicon' key"
    ]


def test_all_problems_of_all_files_are_reported_at_once():
    Path("lexicons/more.yaml").write_text("lexicon: more\nterms: [gout, gout]\n", encoding="utf-8")
    text = rule_with("severity: warning", "severity: high").replace("sugg", "sug").replace("{LEMMA", "{LEMA")
    Path("house.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        packs.load_rules(["house"], [Path(".")])
    assert str(raised.value).splitlines() == [
        "house.yaml:3:5: missing required key 'suggest' in rule 'tea-cure'",
        "house.yaml:5:15: unknown severity 'high' in rule 'tea-cure' (expected error, warning or info)",
        "house.yaml:8:5: unknown key 'sugest' in rule 'tea-cure' (did you mean 'suggest'?)",
        "house.yaml:12:11: invalid token pattern in 'match' of rule 'tea-cure': [pattern -> 0 -> LEMA] Extra inputs are not permitted",
        "lexicons/more.yaml:2:15: duplicate term 'gout' in lexicon 'more' (first at line 2)",
    ]


def test_load_rules_builds_the_ruleset():
    Path("house.yaml").write_text(pack(RULE + DOC_RULE), encoding="utf-8")
    ruleset = packs.load_rules(None, [Path(".")])  # packs from an added directory load by default
    assert ruleset.packs == ("house",)
    assert [rule.id for rule in ruleset.rules] == ["tea-cure", "needs-advice"]
    rule = ruleset.rules[0]
    assert rule.severity is Severity.WARNING
    assert rule.unless == {"negated", "hedged", "question", "conditional", "reported", "quoted"}
    assert rule.match.patterns == (({"LEMMA": "cure"}, {"_": {"overclaim_tags": {"INTERSECTS": ["ailments"]}}}),)
    assert str(rule.defined_at) == "house.yaml:3:5"
    assert ruleset.rules[1].disclaimer.triggered_by_rules == ("tea-cure",)
    assert [lexicon.name for lexicon in ruleset.lexicons] == ["ailments"]
    assert ruleset.tag_names == {"ailments", "serious"}


def test_default_packs_are_core_and_us_where_present():
    Path("builtin/core.yaml").write_text("pack: core\nrules: []\n", encoding="utf-8")
    Path("builtin/eu.yaml").write_text("pack: eu\nrules: []\n", encoding="utf-8")
    assert packs.load_rules().packs == ("core",)
    assert sorted(pack_files.available_packs()) == ["core", "eu"]


def test_empty_builtin_directory_loads_nothing():
    assert packs.load_rules().rules == ()


def test_unknown_pack_names_the_available_ones():
    Path("builtin/core.yaml").write_text("pack: core\nrules: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^unknown rule pack 'cor' \(did you mean 'core'\?\) \(available: core\)$"):
        packs.load_rules(["cor"])


def test_missing_rule_directory():
    with pytest.raises(ConfigError, match="^rule directory not found: nowhere$"):
        packs.load_rules(None, [Path("nowhere")])


def test_real_builtin_rules_dir_is_a_directory(monkeypatch):
    monkeypatch.undo()
    assert pack_files.builtin_rules_dir().is_dir()


def test_lexref_expand_and_referenced_tags():
    token = {"LEX": ["a", "b"], "POS": "NOUN", "_": {"other": True}}
    assert lexref.referenced_tags(token) == ["a", "b"]
    assert lexref.referenced_tags({"LEX": "a"}) == ["a"]
    assert lexref.referenced_tags({"POS": "NOUN"}) == []
    assert lexref.expand(token) == {"POS": "NOUN", "_": {"other": True, "overclaim_tags": {"INTERSECTS": ["a", "b"]}}}
    assert token["LEX"] == ["a", "b"]  # not mutated
    assert lexref.expand({"LOWER": "x"}) == {"LOWER": "x"}
    with pytest.raises(ValueError):
        lexref.expand({"LEX": "a", "_": {"overclaim_tags": {"IN": ["b"]}}})


def test_lexicon_level_tags_are_loaded_and_given_to_every_term():
    Path("lexicons/rare-ailments.yaml").write_text(
        "lexicon: rare-ailments\ntags: [ailments, rare]\nterms:\n  - spondylosis\n  - {term: kuru, tags: [serious]}\n",
        encoding="utf-8",
    )
    assert packs.validate_files([Path("lexicons/rare-ailments.yaml")]) == []
    ruleset = packs.load_rules(None, [Path(".")])
    rare = next(lexicon for lexicon in ruleset.lexicons if lexicon.name == "rare-ailments")
    assert rare.tags == ("ailments", "rare")
    assert [rare.tags_of(term) for term in rare.terms] == [
        ("rare-ailments", "ailments", "rare"),
        ("rare-ailments", "ailments", "rare", "serious"),
    ]
    assert ruleset.tag_names == {"ailments", "rare-ailments", "rare", "serious"}


def test_lexicon_level_tag_problems():
    Path("lexicons/ailments.yaml").write_text("lexicon: ailments\ntags: [rare, Grave]\nterms: [gout]\n", encoding="utf-8")
    Path("lexicons/more.yaml").write_text("lexicon: more\ntags: rare\nterms: [gout]\n", encoding="utf-8")
    assert [str(p) for p in packs.validate_files([Path("lexicons/ailments.yaml"), Path("lexicons/more.yaml")])] == [
        "lexicons/ailments.yaml:2:14: tag 'Grave' in lexicon 'ailments' must be kebab-case like 'serious'",
        "lexicons/more.yaml:2:7: 'tags' in lexicon 'more' must be a list, not a string",
    ]


def test_lexref_native_tests_the_tags_on_ent_id():
    import re

    expanded = lexref.expand({"LEX": ["conditions", "serious"], "POS": "NOUN"})
    native = lexref.native(expanded)
    assert "_" not in native and native["POS"] == "NOUN"
    pattern = re.compile(native[lexref.NATIVE_ATTR]["REGEX"])
    assert pattern.search(lexref.encode_tags(("brands", "serious")))
    assert pattern.search(lexref.encode_tags(("conditions",)))
    assert not pattern.search(lexref.encode_tags(("conditions:gout", "not-serious")))  # whole tags only
    assert not pattern.search("")  # an untagged token
    assert expanded == lexref.expand({"LEX": ["conditions", "serious"], "POS": "NOUN"})  # not mutated
    # Other extension tests stay; a tag test other than INTERSECTS is left to the extension.
    assert lexref.native({"_": {"other": True, "overclaim_tags": {"INTERSECTS": ["a"]}}})["_"] == {"other": True}
    assert lexref.native({"_": {"overclaim_tags": {"IN": ["a"]}}}) == {"_": {"overclaim_tags": {"IN": ["a"]}}}
