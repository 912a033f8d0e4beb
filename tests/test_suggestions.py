"""Each rule's suggestion fits its category and names nothing the rule
does not match; safe rewrites (`replacements`) reach text, JSON and SARIF
(issue 15, defect 8)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.packs.loading import validate_files
from linter.packs.replacements import replacement_for

# Words naming one condition, result or product: a suggestion that names one
# reads wrong on every other claim the rule fires on ("If pain affects your
# daily life…" on a weight-loss hook).
TOPIC = re.compile(r"\b(pain|painful|weight|lb|lbs|pounds|kg|sleep|insomnia|ketamine|ketalar|wegovy|semaglutide|"
                   r"arthritis|depression|migraines?|obesity|anaesthetic)\b", re.IGNORECASE)
# A rule made for one topic may name it.
TOPIC_RULES = {"weight-loss-amount-claim": {"weight"}}
# What a suggestion of each category must speak of.
CATEGORY_WORDS = {
    "cure": ("cure",), "efficacy": ("effect", "evidence", "claim", "benefit"), "guarantee": ("certain", "vary", "who"),
    "safety": ("risk", "side effect"), "evidence": ("study", "cite"), "regulatory": ("approv", "registration", "statutory", "consultation"),
    "hype": ("plain", "comparison"), "suffering": ("pressure", "suffering", "warning"), "statistic": ("source", "figure", "amount"),
    "speed": ("when", "how long"), "testimonial": ("testimonial", "endorsement"), "discourage": ("treatment", "medication"),
    "offlabel": ("off-label",), "disclaimer": ("add", "state", "name"),
}


def test_every_suggestion_fits_its_category_and_names_no_other_topic(ruleset):
    for rule in ruleset.rules:
        allowed = TOPIC_RULES.get(rule.id, set())
        named = {word.lower() for word in TOPIC.findall(rule.suggest)} - allowed
        assert not named, f"{rule.id} ({rule.category}) suggests with {sorted(named)}: {rule.suggest}"
        words = CATEGORY_WORDS[rule.category]
        assert any(word in rule.suggest.lower() for word in words), f"{rule.id}: suggestion says none of {words}"


def test_replacement_needs_the_exact_words_and_keeps_a_capital():
    pairs = (("instant relief", "relief"),)
    assert replacement_for(pairs, "Instant  relief") == "Relief"
    assert replacement_for(pairs, "instant relief") == "relief"
    assert replacement_for(pairs, "instant **relief**") is None


def test_replacements_are_validated(tmp_path):
    pack = tmp_path / "mine.yaml"
    pack.write_text("""pack: mine
rules:
  - id: tea-hype
    category: hype
    severity: warning
    message: "“{match}” is hype."
    source: "CAP Code 12.1"
    suggest: "Describe the tea plainly."
    match: {phrases: [miracle tea]}
    replacements: {miracle tea: ""}
    examples: {fire: ["Try our miracle tea."], pass: ["Try our mint tea."]}
""", encoding="utf-8")
    problems = validate_files([pack])
    assert [p.line for p in problems] == [10] and "replacements" in str(problems[0]), problems


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    Path("page.md").write_text("Feel instant relief today.\n\nOur clinic offers a revolutionary scan.\n", encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, ["check", "--no-color", "page.md", *args])


def test_replacements_in_text_and_json(project):
    assert "replace with: “relief” (for “instant relief”; not applied)" in run().stdout
    findings = json.loads(run("--format", "json").stdout)["findings"]
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["speed-permanence-claim"]["replacement"] == "relief"
    assert by_rule["miracle-hype"]["replacement"] == "new"
    assert all(f["replacement"] is None for f in findings if f["rule"] not in by_rule or f["category"] == "disclaimer")


def test_replacements_are_sarif_fixes_and_the_draft_is_untouched(project):
    before = Path("page.md").read_bytes()
    log = json.loads(run("--format", "sarif").stdout)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    fix = results["miracle-hype"]["fixes"][0]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "page.md"
    assert change["replacements"] == [{"deletedRegion": {"startLine": 3, "startColumn": 21, "endLine": 3, "endColumn": 34},
                                       "insertedContent": {"text": "new"}}]
    assert "fixes" not in results.get("missing-medical-advice-disclaimer", {})
    assert Path("page.md").read_bytes() == before
    schema = json.loads((Path(__file__).with_name("sarif-schema-2.1.0.json")).read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert not [error.message for error in validator.iter_errors(log)]


def test_rules_explain_lists_the_rewrites(fast_cli):
    result = CliRunner().invoke(cli, ["rules", "explain", "speed-permanence-claim"])
    assert result.exit_code == 0
    assert "Rewrites:   “instant relief” → “relief”" in result.stdout
