import os
from pathlib import Path

import pytest

from linter.config import Config, apply_config, find_config, load_config
from linter.core.errors import ConfigError
from linter.core.model import Examples, MatchSpec, Rule, RuleSet, Severity, SourceRef


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(path: str, text: str) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def errors(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return str(raised.value).splitlines()


def test_find_config_prefers_overclaim_yaml_and_searches_upward(tmp_path):
    write("pyproject.toml", "[tool.overclaim]\npacks = ['core']\n")
    write(".overclaim.yaml", "packs: [core]\n")
    Path("a/b").mkdir(parents=True)
    assert find_config(Path("a/b")) == tmp_path / ".overclaim.yaml"
    os.remove(".overclaim.yaml")
    assert find_config(Path("a/b")) == tmp_path / "pyproject.toml"
    assert find_config(write("a/b/page.md", "text")) == tmp_path / "pyproject.toml"


def test_find_config_skips_pyproject_without_the_table(tmp_path):
    write("pyproject.toml", "[tool.overclaim]\n")
    write("sub/pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(Path("sub")) == tmp_path / "pyproject.toml"


def test_defaults_without_a_config_file():
    config = load_config(None)
    assert config == Config()
    assert config.packs is None and config.fail_on is Severity.ERROR and config.path is None


def test_yaml_config_values(tmp_path):
    Path("house-rules").mkdir()
    path = write(".overclaim.yaml", """\
packs: [core, us]
disable: [hype-superlative]
severity:
  cure-claim: warning
fail_on: warning
model: en_core_web_md
rule_dirs: [house-rules]
exclude: ["drafts/**", "*.txt"]
""")
    config = load_config(path)
    assert config.packs == ("core", "us")
    assert config.disable == ("hype-superlative",)
    assert dict(config.severity) == {"cure-claim": Severity.WARNING}
    assert config.fail_on is Severity.WARNING
    assert config.model == "en_core_web_md"
    assert config.rule_dirs == (tmp_path.resolve() / "house-rules",)
    assert config.exclude == ("drafts/**", "*.txt")
    assert config.path == path


def test_empty_yaml_config_is_the_defaults():
    path = write(".overclaim.yaml", "# nothing yet\n")
    assert load_config(path) == Config(path=path)


def test_unknown_key_suggests_the_right_one():
    assert errors(write(".overclaim.yaml", "pakcs: [core]\n")) == [
        ".overclaim.yaml:1:1: unknown key 'pakcs' (did you mean 'packs'?)"
    ]


def test_all_yaml_problems_at_once():
    path = write(".overclaim.yaml", """\
packs: core
disable: [a, 3]
severity: {cure-claim: loud}
fail_on: warnin
model: ""
exclude: [""]
""")
    assert errors(path) == [
        ".overclaim.yaml:1:8: 'packs' in the config must be a list, not a string",
        ".overclaim.yaml:2:14: items of 'disable' in the config must be non-empty strings, not a number",
        ".overclaim.yaml:3:24: unknown severity 'loud' in 'severity' (expected error, warning or info)",
        ".overclaim.yaml:4:10: unknown 'fail_on' severity 'warnin' in the config (did you mean 'warning'?)",
        ".overclaim.yaml:5:8: 'model' in the config must not be empty",
        ".overclaim.yaml:6:11: items of 'exclude' in the config must be non-empty strings, not an empty string",
    ]


def test_yaml_syntax_and_duplicate_keys():
    assert errors(write(".overclaim.yaml", "packs: [core\n")) == [
        ".overclaim.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence at line 1)"
    ]
    assert errors(write(".overclaim.yaml", "model: a\nmodel: b\n")) == [
        ".overclaim.yaml:2:1: duplicate key 'model' (first defined at line 1)"
    ]


def test_rule_dirs_must_stay_inside_the_config_directory(tmp_path):
    Path("outside").mkdir()
    Path("project/rules").mkdir(parents=True)
    Path("project/escape").symlink_to(tmp_path / "outside")
    path = write("project/.overclaim.yaml", "rule_dirs: [rules, ../outside, escape, missing]\n")
    base = tmp_path.resolve() / "project"
    assert errors(path) == [
        f"project/.overclaim.yaml:1:20: rule directory '../outside' is outside the config file's directory {base}",
        f"project/.overclaim.yaml:1:32: rule directory 'escape' is outside the config file's directory {base}",
        "project/.overclaim.yaml:1:40: rule directory 'missing' does not exist",
    ]


def test_pyproject_table(tmp_path):
    Path("rules").mkdir()
    path = write("pyproject.toml", """\
[project]
name = "site"

[tool.overclaim]
packs = ["core"]
rule_dirs = ["rules"]
fail_on = "info"

[tool.overclaim.severity]
cure-claim = "info"
""")
    config = load_config(path)
    assert config.packs == ("core",)
    assert config.rule_dirs == (tmp_path.resolve() / "rules",)
    assert config.fail_on is Severity.INFO
    assert dict(config.severity) == {"cure-claim": Severity.INFO}


def test_pyproject_severity_subtable_positions():
    path = write("pyproject.toml", """\
[tool.overclaim]
pakcs = ["core"]
  fail_on = "loud"

[tool.overclaim.severity]
"other-rule" = 3
""")
    assert errors(path) == [
        "pyproject.toml:2:1: unknown key 'pakcs' (did you mean 'packs'?)",
        "pyproject.toml:3:3: unknown 'fail_on' severity 'loud' in the config (expected error, warning, info or never)",
        "pyproject.toml:6:1: 'other-rule' in 'severity' must be a string, not a number",
    ]


def test_invalid_toml_has_line_and_column():
    assert errors(write("pyproject.toml", "[tool.overclaim]\npacks = [\n")) == [
        "pyproject.toml:3:1: invalid TOML: Invalid value"
    ]
    assert errors(write("pyproject.toml", "[tool.overclaim]\npacks = ['core' 'us']\n")) == [
        "pyproject.toml:2:17: invalid TOML: Unclosed array"
    ]


def rule(rule_id: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(
        id=rule_id, pack="core", category="cure", severity=severity, message="m", source="s", suggest="s",
        match=MatchSpec(phrases=("x",)), unless=frozenset(), examples=Examples(), defined_at=SourceRef("core.yaml", 1, 1),
    )


def test_apply_config_disables_and_overrides():
    ruleset = RuleSet((rule("cure-claim"), rule("hype"), rule("speed")), packs=("core",))
    config = Config(disable=("hype",), severity={"speed": Severity.INFO})
    result = apply_config(ruleset, config)
    assert [(r.id, r.severity) for r in result.rules] == [("cure-claim", Severity.ERROR), ("speed", Severity.INFO)]
    assert result.packs == ("core",)


def test_apply_config_unknown_rule_ids_point_at_the_config():
    path = write(".overclaim.yaml", "disable: [hype, cure-clam]\nseverity:\n  spede: info\n")
    ruleset = RuleSet((rule("cure-claim"), rule("hype"), rule("speed")), packs=("core",))
    with pytest.raises(ConfigError) as raised:
        apply_config(ruleset, load_config(path))
    assert str(raised.value).splitlines() == [
        ".overclaim.yaml:1:17: unknown rule 'cure-clam' in 'disable' (did you mean 'cure-claim'?) (loaded packs: core)",
        ".overclaim.yaml:3:3: unknown rule 'spede' in 'severity' (did you mean 'speed'?) (loaded packs: core)",
    ]


def test_find_config_returns_a_broken_pyproject_that_configures_overclaim(tmp_path):
    write("pyproject.toml", "[tool.overclaim]\npacks = [\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"


def test_severity_names_are_one_list_shared_by_config_rules_and_command_line():
    # Config, rule files and --fail-on once each spelled the names out; a
    # level added to one place only would be refused by the others.
    from linter import cli
    from linter.config import FAIL_LEVELS
    from linter.core.model import SEVERITY_NAMES

    assert SEVERITY_NAMES == tuple(severity.label for severity in sorted(Severity, reverse=True))
    assert all(Severity.parse(name).label == name for name in SEVERITY_NAMES)
    for command in (cli.check, cli.report):
        fail_on = next(option for option in command.params if option.name == "fail_on")
        assert tuple(fail_on.type.choices) == FAIL_LEVELS
