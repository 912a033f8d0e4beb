"""The rule cache: keyed by every rule file a load may read, so an edit is
never served stale, and used without parsing the rules again."""

from __future__ import annotations

import pytest

from linter import packs, rulecache
from linter.errors import ConfigError


@pytest.fixture
def rule_dir(tmp_path):
    directory = tmp_path / "house-rules"
    (directory / "lexicons").mkdir(parents=True)
    (directory / "house.yaml").write_text("pack: house\n", encoding="utf-8")
    (directory / "lexicons" / "brands.yaml").write_text("lexicon: brands\n", encoding="utf-8")
    return directory


def _key(rule_dir):
    return rulecache.cache_key("rules", ("house",), [rule_dir])


def test_editing_a_pack_or_a_lexicon_changes_the_key(rule_dir):
    before = _key(rule_dir)
    (rule_dir / "notes.txt").write_text("not a rule file", encoding="utf-8")
    assert _key(rule_dir) == before
    (rule_dir / "lexicons" / "brands.yaml").write_text("lexicon: brands\nterms: [Calmora]\n", encoding="utf-8")
    after_lexicon = _key(rule_dir)
    assert after_lexicon != before
    (rule_dir / "house.yaml").write_text("pack: house\ndescription: ours\n", encoding="utf-8")
    assert _key(rule_dir) not in (before, after_lexicon)


def test_the_key_covers_the_files_the_loader_reads(rule_dir):
    assert {rule_dir / "house.yaml", rule_dir / "lexicons" / "brands.yaml"} <= set(packs.source_files([rule_dir]))


def test_a_rule_file_linked_from_outside_is_refused_before_caching(rule_dir, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("lexicon: elsewhere\n", encoding="utf-8")
    (rule_dir / "lexicons" / "elsewhere.yaml").symlink_to(outside)
    with pytest.raises(ConfigError, match="elsewhere.yaml: links to .*outside the rule directory"):
        _key(rule_dir)


def test_a_cached_rule_set_is_not_loaded_again(monkeypatch, tmp_path):
    monkeypatch.setenv("OVERCLAIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OVERCLAIM_NO_CACHE", raising=False)
    first = rulecache.load_rules_cached(("core",))

    def refuse(*args, **kwargs):
        raise AssertionError("the rules were parsed again")

    monkeypatch.setattr(packs, "load_rules", refuse)
    assert rulecache.load_rules_cached(("core",)) == first
