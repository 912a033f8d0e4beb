"""Rule packs chosen per document by Markdown front matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.config import Config
from linter.core.errors import InputError
from linter.read.document_packs import document_packs
from linter.read import read_document

AVAILABLE = ("core", "eu", "uk", "us", "house")

HOUSE_PACK = """\
pack: house
description: A house style pack for the tests.
rules:
  - id: house-miracle-berry
    category: hype
    severity: error
    message: "“{match}” is banned by the house style guide."
    source: "House style guide §4"
    suggest: "Name the berry."
    match:
      phrases: [zingberry juice]
    examples:
      fire: ["Try the zingberry juice today."]
      pass: ["Try the blueberry juice today."]
"""


def doc(text: str, name: str = "page.md"):
    return read_document(name, text.encode("utf-8"))


def test_markdown_reader_exposes_the_front_matter_span():
    source = "---\ntitle: Tea\noverclaim: {market: uk}\n---\n\nBody text.\n"
    document = doc(source)
    start, end = document.front_matter
    assert source[start:end] == "title: Tea\noverclaim: {market: uk}\n"
    assert doc("No front matter here.\n").front_matter is None
    assert doc("Body.\n", "page.txt").front_matter is None
    crlf = "---\r\ntitle: Tea\r\n---\r\nBody.\r\n"
    start, end = doc(crlf).front_matter
    assert crlf[start:end] == "title: Tea\r\n"


@pytest.mark.parametrize(
    "front, packs",
    [
        ("overclaim: {market: us}", ("core", "us")),
        ("overclaim:\n  market: [uk, eu]", ("core", "uk", "eu")),
        ("overclaim:\n  packs: [core, house]", ("core", "house")),
        ("overclaim: {packs: uk}", ("uk",)),
    ],
)
def test_front_matter_selects_packs(front, packs):
    chosen = document_packs(doc(f"---\ntitle: Tea\n{front}\n---\n\nBody.\n"), AVAILABLE)
    assert chosen is not None and chosen.packs == packs and chosen.line == 3 + ("\n" in front)


def test_no_choice_without_the_key():
    assert document_packs(doc("---\ntitle: Tea\n---\n\nBody.\n"), AVAILABLE) is None
    assert document_packs(doc("Body.\n"), AVAILABLE) is None


@pytest.mark.parametrize(
    "front, message",
    [
        ("overclaim:\n  packs: [core, mars]", "page.md:4: front matter 'overclaim': unknown rule pack 'mars' (available: core, eu, house, uk, us)"),
        ("overclaim: {market: ul}", "page.md:3: front matter 'overclaim': unknown market 'ul' (expected us, uk, eu)"),
        ("overclaim: {markets: uk}", "page.md:3: front matter 'overclaim': unknown key 'markets' (did you mean 'market'?)"),
        ("overclaim: {market: uk, packs: [core]}", "page.md:3: front matter 'overclaim': give either 'packs' or 'market', not both"),
        ("overclaim: uk", "page.md:3: front matter 'overclaim': must be a mapping such as '{market: uk}' or '{packs: [core, uk]}', not a string"),
        ("overclaim:\n  packs: []", "page.md:4: front matter 'overclaim': 'packs' must be a name or a non-empty list of names, not a list"),
        ("overclaim: {}", "page.md:3: front matter 'overclaim': expected 'packs' or 'market'"),
    ],
)
def test_bad_choices_name_the_file_and_line(front, message):
    with pytest.raises(InputError) as raised:
        document_packs(doc(f"---\ntitle: Tea\n{front}\n---\n\nBody.\n"), AVAILABLE)
    assert str(raised.value) == message


def test_chooser_builds_one_engine_per_selection(nlp, ruleset):
    from linter.run.engine_choice import EngineChooser
    from linter.packs.loading import load_rules

    chooser = EngineChooser(Config(), ruleset, nlp)
    plain = doc("Body.\n")
    uk = doc("---\noverclaim: {market: uk}\n---\n\nBody.\n")
    assert chooser(plain) is chooser.default
    engine = chooser(uk)
    assert set(engine.rules) == {rule.id for rule in load_rules(("core", "uk")).rules}
    assert chooser(doc("---\noverclaim: {packs: [core, uk]}\n---\n\nOther.\n")) is engine


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    Path("house-rules").mkdir()
    Path("house-rules/house.yaml").write_text(HOUSE_PACK, encoding="utf-8")
    Path(".overclaim.yaml").write_text("packs: [core]\nrule_dirs: [house-rules]\n", encoding="utf-8")
    return tmp_path


BERRY = "Try the zingberry juice today.\n"


def rules_reported(*args: str) -> tuple[int, list[str]]:
    import json

    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    return result.exit_code, [f["rule"] for f in json.loads(result.stdout)["findings"]] if result.stdout else []


def test_front_matter_overrides_config_and_command_line_packs(project):
    Path("plain.md").write_text(BERRY, encoding="utf-8")
    Path("house.md").write_text("---\ntitle: Berries\noverclaim:\n  packs: [core, house]\n---\n\n" + BERRY, encoding="utf-8")
    assert rules_reported("plain.md") == (0, [])  # config: core only
    assert rules_reported("house.md") == (1, ["house-miracle-berry"])
    assert rules_reported("--packs", "core,us", "house.md") == (1, ["house-miracle-berry"])
    assert rules_reported("--packs", "core,house", "plain.md") == (1, ["house-miracle-berry"])


def test_an_unknown_pack_is_an_error_naming_file_and_line_and_others_still_run(project):
    Path("bad.md").write_text("---\noverclaim:\n  packs: [core, houze]\n---\n\n" + BERRY, encoding="utf-8")
    Path("good.md").write_text("---\noverclaim: {packs: [core, house]}\n---\n\n" + BERRY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-color", "bad.md", "good.md"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("overclaim: bad.md:3: front matter 'overclaim': unknown rule pack 'houze' (did you mean 'house'?)")
    assert "good.md:5:9: error [house-miracle-berry]" in result.stdout


def test_config_disable_applies_to_document_packs_without_failing_on_absent_rules(project):
    Path(".overclaim.yaml").write_text(
        "packs: [core, us]\nrule_dirs: [house-rules]\ndisable: [house-miracle-berry, fda-approval-claim]\n",
        encoding="utf-8",
    )
    # house-miracle-berry is unknown to the default packs: config refuses it, as before.
    result = CliRunner().invoke(cli, ["check", "--packs", "core,us,house", "-"], input=BERRY)
    assert result.exit_code == 0, result.output
    Path("house.md").write_text("---\noverclaim: {packs: [core, house]}\n---\n\n" + BERRY, encoding="utf-8")
    assert rules_reported("--packs", "core,us,house", "house.md") == (0, [])
