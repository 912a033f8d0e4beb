"""Every rule's own examples behave: `fire` sentences produce a finding of
that rule, `pass` sentences do not. Plus the shape every rule must have."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.engine.rule_examples import iter_examples, rule_ids_for, wrong_reason
from linter.core.model import CATEGORIES, CUES, Severity
from linter.packs.loading import DEFAULT_PACKS, load_rules
from linter.packs.pack_files import available_packs

# Every available pack, not only the default ones: a pack a user can select
# must have working examples too. Loaded at import, since parametrisation
# needs the rules before any fixture runs.
ALL_PACKS = tuple(available_packs())
RULES = load_rules(ALL_PACKS).rules
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")


def _cases():
    for rule in RULES:
        counters = {"fire": 0, "pass": 0}
        for expectation, text, because in iter_examples(rule):
            index = counters[expectation]
            counters[expectation] += 1
            yield pytest.param(rule.id, expectation, text, because, id=f"{rule.id}/{expectation}/{index}")


@pytest.fixture(scope="module")
def every_pack_engine(nlp):
    from linter.engine.rule_engine import Engine

    return Engine(load_rules(ALL_PACKS), nlp)


@pytest.mark.parametrize(("rule_id", "expectation", "text", "because"), list(_cases()))
def test_example(every_pack_engine, rule_id, expectation, text, because):
    found = rule_ids_for(every_pack_engine, text)
    if expectation == "fire":
        assert rule_id in found, f"{rule_id} should fire on {text!r}; fired: {found}"
        return
    assert rule_id not in found, f"{rule_id} should not fire on {text!r}; fired: {found}"
    if because is not None:
        rule = every_pack_engine.rules[rule_id]
        assert not wrong_reason(every_pack_engine, rule, text, because), wrong_reason(every_pack_engine, rule, text, because)


def test_there_are_rules_and_examples():
    assert len(RULES) >= 10
    assert len(list(_cases())) >= 4 * len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_shape(rule):
    assert rule.examples.fire, f"{rule.id} has no `fire` example"
    assert rule.examples.pass_, f"{rule.id} has no `pass` example"
    assert KEBAB.match(rule.id), f"{rule.id!r} is not kebab-case"
    assert rule.category in CATEGORIES
    assert isinstance(rule.severity, Severity)
    assert rule.unless <= set(CUES)
    assert rule.message.strip() and rule.source.strip() and rule.suggest.strip()
    # Document-level rules and only they are in the `disclaimer` category.
    assert (rule.category == "disclaimer") == (rule.disclaimer is not None)


def test_rule_ids_are_unique():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))


def test_examples_are_distinct_within_a_rule():
    for rule in RULES:
        assert not set(rule.examples.fire) & set(rule.examples.pass_), rule.id


@pytest.mark.parametrize("packs", [(), ALL_PACKS], ids=["default-packs", "every-pack"])
def test_rules_test_command_passes(fast_cli, tmp_path, monkeypatch, packs):
    monkeypatch.chdir(tmp_path)  # no config file around
    result = CliRunner().invoke(cli, ["rules", "test", *packs])
    selected = packs or tuple(p for p in DEFAULT_PACKS if p in ALL_PACKS)
    total = sum(len(r.examples.fire) + len(r.examples.pass_) for r in RULES if r.pack in selected)
    assert result.exit_code == 0, result.output
    assert result.output == f"{total} passed, 0 failed\n"  # nothing but the summary line


@pytest.mark.parametrize("rule", [r for r in RULES if r.disclaimer is None], ids=lambda r: r.id)
def test_every_built_in_pass_example_says_why_it_passes(rule):
    """A pass example that gives no reason could pass for the wrong one (a
    typo that stops the match, a cue nobody meant)."""
    unexplained = [text for text, because in rule.examples.passes() if because is None]
    assert not unexplained, f"{rule.id}: pass examples without `because`: {unexplained}"
