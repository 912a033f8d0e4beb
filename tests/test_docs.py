"""The documentation tells the truth: generated rule docs are current, and the
README's first commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

from linter.packs.loading import load_rules

from linter.packs.pack_files import available_packs
from linter.packs.docs import render_rule_list

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_is_current():
    ruleset = load_rules(tuple(available_packs()))
    expected = render_rule_list(ruleset.rules, "markdown")
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `overclaim rules list --format markdown > docs/rules.md`"


def test_readme_starts_with_install_and_test_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    install, test = (line.split("#")[0].strip() for line in block)
    assert install.startswith("pip install") and "overclaim check examples/" in install
    sample = install.split("overclaim check ")[1].split()[0]
    assert (ROOT / sample).is_file()
    assert test == "python -m pytest -q"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install --quiet -e ".[test]"' in ci and f"overclaim check {sample}" in ci
    assert ci.rstrip().endswith(test)
