"""The rule cache: keyed by every rule file a load may read, so an edit is
never served stale, and used without parsing the rules again."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cache import codec as cachecodec
from linter.cache import store as rulecache
from linter.core.errors import ConfigError
from linter.core.model import RuleSet
from linter.packs import loading as packs
from linter.packs import pack_files


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
    assert {rule_dir / "house.yaml", rule_dir / "lexicons" / "brands.yaml"} <= set(pack_files.source_files([rule_dir]))


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


# --- Hostile cache files (issue 17): an entry is data, checked, or a miss. ---

@pytest.fixture
def cache(monkeypatch, tmp_path):
    directory = tmp_path / "cache"
    monkeypatch.setenv("OVERCLAIM_CACHE_DIR", str(directory))
    monkeypatch.delenv("OVERCLAIM_NO_CACHE", raising=False)
    return directory


class _Payload:
    """What an attacker plants: unpickling it creates a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_never_runs(cache, tmp_path):
    marker = tmp_path / "pwned"
    key = rulecache.cache_key("rules", (("core",), ()), [])
    cache.mkdir()
    for name in (f"rules-{key}.pickle", f"rules-{key}.json"):
        (cache / name).write_bytes(pickle.dumps(_Payload(marker)))
    loaded = rulecache.load_rules_cached(("core",))
    assert not marker.exists()
    assert isinstance(loaded, RuleSet) and {rule.pack for rule in loaded.rules} == {"core"}


def _small_ruleset():
    full = packs.load_rules(("core",))
    return RuleSet(full.rules[:4], full.lexicons[:1], ("core",))


def test_an_entry_round_trips_exactly(tmp_path):
    value = _small_ruleset()
    entry = tmp_path / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", value)
    assert rulecache.read_entry(entry, "rules", "k", RuleSet) == value
    assert rulecache.read_entry(entry, "rules", "other-key", RuleSet) is None
    assert rulecache.read_entry(entry, "ids", "k", RuleSet) is None


def _reheader(data: bytes) -> bytes:
    """An entry whose body was altered and whose digest was recomputed, as
    someone who can write the cache directory could do."""
    header, _, body = data.partition(b"\n")
    fields = json.loads(header)
    fields["sha256"] = hashlib.sha256(body).hexdigest()
    return json.dumps(fields).encode() + b"\n" + body


def test_mutated_entries_are_misses_or_checked_values(tmp_path):
    value = _small_ruleset()
    entry = tmp_path / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", value)
    good = entry.read_bytes()
    generator = random.Random(17)
    shapes = {"miss": 0, "value": 0}
    for round_number in range(400):
        data = bytearray(good)
        for _ in range(generator.randint(1, 4)):
            position = generator.randrange(len(data))
            data[position] = generator.randrange(256)
        if round_number % 2:
            try:
                data = bytearray(_reheader(bytes(data)))
            except ValueError:
                pass  # the mutation hit the header itself: nothing to sign again
        entry.write_bytes(bytes(data))
        found = rulecache.read_entry(entry, "rules", "k", RuleSet)  # never raises
        if found is None:
            shapes["miss"] += 1
        else:
            assert isinstance(found, RuleSet)
            assert all(isinstance(rule.id, str) for rule in found.rules)
            shapes["value"] += 1
    assert shapes["miss"] > 100


def test_lexicon_terms_are_stored_as_rows_and_read_back_the_same():
    from linter.cache.codec import dumps, loads

    value = _small_ruleset()
    text = dumps(value)
    assert '"r":["LexiconTerm",' in text  # each term a row, not an object naming its fields
    assert loads(text, RuleSet) == value
    assert [t.defined_at for t in loads(text, RuleSet).lexicons[0].terms] == [t.defined_at for t in value.lexicons[0].terms]


@pytest.mark.parametrize("body", [
    b'{"c":"Rule","v":{}}',                                    # missing fields
    b'{"c":"Path","v":{}}',                                    # a class not allowed
    b'{"c":"RuleSet","v":{"rules":{"l":[]},"lexicons":{"t":[]},"packs":{"t":[]}}}',  # list for a tuple
    b'{"c":"RuleSet","v":{"rules":{"t":[1]},"lexicons":{"t":[]},"packs":{"t":[]}}}',  # not a Rule
    b'{"f":[]}',                                               # not a RuleSet at all
    b'{"c":"RuleSet","v":{"rules":{"r":["Rule",[[1],[2]]]},"lexicons":{"t":[]},"packs":{"t":[]}}}',  # rows too short
    b'{"c":"RuleSet","v":{"rules":{"t":[]},"lexicons":{"r":["Path",[[],[]]]},"packs":{"t":[]}}}',  # rows of a class not allowed
    b'{"c":"RuleSet","v":{"rules":{"t":[]},"lexicons":{"r":["Lexicon"]},"packs":{"t":[]}}}',  # rows without rows
    b'{"c":"RuleSet","v":{"rules":{"t":[]},"lexicons":{"t":[]},"packs":{"r":["SourceRef",[["a",1,1],["b","2",1]]]}}}',  # a field of the wrong type
    b'[' * 100000 + b']' * 100000,                              # nesting
    b'\xff\xfe',                                               # not UTF-8
])
def test_a_well_signed_entry_of_the_wrong_shape_is_a_miss(tmp_path, body):
    entry = tmp_path / "rules-k.json"
    header = {"format": rulecache.FORMAT, "kind": "rules", "key": "k", "sha256": hashlib.sha256(body).hexdigest()}
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert rulecache.read_entry(entry, "rules", "k", RuleSet) is None


def test_a_fifo_or_directory_in_place_of_an_entry_is_a_miss(tmp_path):
    fifo = tmp_path / "rules-k.json"
    os.mkfifo(fifo)
    assert rulecache.read_entry(fifo, "rules", "k", RuleSet) is None  # and does not hang
    (tmp_path / "rules-d.json").mkdir()
    assert rulecache.read_entry(tmp_path / "rules-d.json", "rules", "d", RuleSet) is None


def test_an_oversized_entry_is_not_read(tmp_path, monkeypatch):
    entry = tmp_path / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", _small_ruleset())
    monkeypatch.setattr(rulecache, "MAX_ENTRY_BYTES", entry.stat().st_size - 1)
    assert rulecache.read_entry(entry, "rules", "k", RuleSet) is None


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(rulecache.os, "replace", fail)
    rulecache.write_entry(tmp_path / "rules-k.json", "rules", "k", _small_ruleset())
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_entry_is_rebuilt_and_replaced(cache):
    first = rulecache.load_rules_cached(("core",))
    (entry,) = cache.glob("rules-*.json")
    entry.write_bytes(entry.read_bytes()[:-100])
    assert rulecache.load_rules_cached(("core",)) == first
    assert rulecache.read_rules_entry(entry, entry.stem.removeprefix("rules-"), _refuse) == first
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_the_key_changes_with_overclaim_s_own_source(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "rulefile.py").write_text("X = 1\n", encoding="utf-8")
    before = rulecache.source_digest(package)
    (package / "rulefile.py").write_text("X = 2\n", encoding="utf-8")
    assert rulecache.source_digest(package) != before
    assert rulecache.source_digest(Path(rulecache.__file__).resolve().parent.parent) in rulecache.code_fingerprint()


def test_the_key_names_the_spacy_version():
    from importlib import metadata

    assert f"spacy {metadata.version('spacy')}" in rulecache.code_fingerprint()


def test_the_encoding_cannot_name_arbitrary_classes():
    with pytest.raises(cachecodec.CorruptEntry):
        cachecodec.loads('{"c":"Popen","v":{"args":"touch x"}}', RuleSet)


# --- A warmed cache never outlives the code that compiled it (issue 12). ---

_HOUSE_PACK = """\
pack: house
rules:
  - id: house-cure
    category: cure
    severity: warning
    message: "“{match}” is a cure claim."
    source: "test"
    suggest: "Do not."
    match:
      phrases: ["cures headaches"]
    examples:
      fire: ["Our elixir cures headaches."]
      pass: ["Our elixir soothes nothing."]
"""


def _package_copy(root: Path) -> Path:
    """A copy of overclaim's source (rules included) that a test may edit."""
    package = root / "linter"
    source = Path(rulecache.__file__).resolve().parent.parent  # linter/cache/store.py -> linter
    shutil.copytree(source, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(pack_files.builtin_rules_dir(), package / "rules", ignore=shutil.ignore_patterns("__pycache__"))
    return package


def _findings(package_root: Path, cache_dir: Path, project: Path) -> list[str]:
    environment = {**os.environ, "PYTHONPATH": str(package_root), "OVERCLAIM_CACHE_DIR": str(cache_dir),
                   "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("OVERCLAIM_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--format", "json", "--packs", "house", "draft.txt"],
                          cwd=project, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return [finding["rule"] for finding in json.loads(done.stdout)["findings"]]


def test_a_changed_compile_time_default_is_not_served_from_a_warm_cache(tmp_path):
    root = tmp_path / "src"
    package = _package_copy(root)
    project = tmp_path / "project"
    (project / "house-rules").mkdir(parents=True)
    (project / "house-rules" / "house.yaml").write_text(_HOUSE_PACK, encoding="utf-8")
    (project / ".overclaim.yaml").write_text("rule_dirs: [house-rules]\n", encoding="utf-8")
    (project / "draft.txt").write_text("Our elixir never cures headaches.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"

    # The rule names no `unless`, so it takes the default cues, which include negation.
    assert _findings(root, cache_dir, project) == []
    warmed = sorted(p.name for p in cache_dir.glob("rules-*.json"))
    assert warmed

    # The same rule file, compiled by code whose default no longer includes negation.
    rulefile = package / "packs" / "rule_file.py"
    source = rulefile.read_text(encoding="utf-8")
    edited = source.replace('DEFAULT_UNLESS = frozenset({"negated", ', "DEFAULT_UNLESS = frozenset({")
    assert edited != source
    rulefile.write_text(edited, encoding="utf-8")
    assert _findings(root, cache_dir, project) == ["house-cure"]
    assert sorted(p.name for p in cache_dir.glob("rules-*.json")) != warmed


def _fake_pipeline(directory: Path, version: str) -> Path:
    from linter.spacy_compat.model_files import FILES

    for name in FILES:
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(b"")
    (directory / "meta.json").write_text(json.dumps({"lang": "en", "name": "core_web_sm", "version": version}))
    return directory


def test_the_pipeline_tables_key_names_the_pipeline_version(tmp_path):
    pipeline = _fake_pipeline(tmp_path / "pipeline", "3.8.0")
    before = rulecache.pipeline_tables_key(pipeline)
    assert before is not None
    _fake_pipeline(pipeline, "3.8.1")
    assert rulecache.pipeline_tables_key(pipeline) not in (None, before)
    (pipeline / "tokenizer").unlink()
    assert rulecache.pipeline_tables_key(pipeline) is None


@pytest.mark.parametrize("text", ['{"f":[[1]]}', '{"d":[[[1],2]]}', '{"d":["ab"]}', '{"d":[[1,2,3]]}', '{"r":["LexiconTerm",[["a"]]]}'])
def test_a_malformed_container_is_a_corrupt_entry_not_a_crash(text):
    from typing import Any

    from linter.cache.codec import CorruptEntry, loads

    with pytest.raises(CorruptEntry):
        loads(text, Any)


# --- The rules entry reads its lexicons when first used; the prefilter's
# index is kept beside it (issue 12: a clean file decodes neither). ---


def _refuse(*args, **kwargs):
    raise AssertionError("worked out again instead of read from the cache")


def test_a_rules_entry_holds_the_rules_then_the_lexicons_read_only_when_used(cache, monkeypatch):
    first = rulecache.load_rules_cached(("core",))
    (entry,) = cache.glob("rules-*.json")
    assert entry.read_bytes().partition(b"\n")[2].count(b"\n") == 1  # two documents, one per line
    decoded = []
    real_loads = cachecodec.loads

    def counting_loads(text, expected, allowed=None):
        decoded.append(expected)
        return real_loads(text, expected, allowed)

    monkeypatch.setattr(cachecodec, "loads", counting_loads)
    monkeypatch.setattr(packs, "load_rules", _refuse)
    again = rulecache.load_rules_cached(("core",))
    assert decoded == [RuleSet] and "not read yet" in repr(again.lexicons)
    assert again.rules == first.rules and again.source_key is not None
    assert again.lexicons == first.lexicons and len(decoded) == 2  # read now, once
    assert again == first


def test_lexicons_that_cannot_be_read_are_parsed_again(cache):
    first = rulecache.load_rules_cached(("core",))
    (entry,) = cache.glob("rules-*.json")
    header, _, body = entry.read_bytes().partition(b"\n")
    rules_part = body.partition(b"\n")[0]
    entry.write_bytes(_reheader(header + b"\n" + rules_part + b"\n" + b'{"t":[1]}'))
    again = rulecache.load_rules_cached(("core",))
    assert "not read yet" in repr(again.lexicons)
    assert again.lexicons == first.lexicons


def test_a_rules_entry_of_one_document_is_a_miss(tmp_path):
    entry = tmp_path / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", _small_ruleset())
    assert rulecache.read_rules_entry(entry, "k", _refuse) is None
    rulecache.write_rules_entry(entry, "k", _small_ruleset())
    assert rulecache.read_rules_entry(entry, "k", _refuse) == _small_ruleset()


def test_deferred_lexicons_are_the_tuple_they_stand_for():
    from linter.core.model import DeferredLexicons

    value = _small_ruleset().lexicons
    made = []
    deferred = DeferredLexicons(lambda: made.append(1) or value)
    assert "not read yet" in repr(deferred) and made == []
    assert deferred == value and value == deferred and hash(deferred) == hash(value)
    assert list(deferred) == list(value) and deferred[0] == value[0] and len(deferred) == len(value)
    assert made == [1]  # made once
    copied = pickle.loads(pickle.dumps(deferred))
    assert type(copied) is tuple and copied == value


def test_the_prefilter_index_is_read_from_the_cache_keyed_by_the_rules_kept(cache, monkeypatch):
    from dataclasses import replace

    from linter.engine.prefilter import PrefilterIndex

    ruleset = rulecache.load_rules_cached(("core",))
    built = rulecache.prefilter_index_cached(ruleset)
    assert built == PrefilterIndex.of(ruleset, rulecache.tables_for(rulecache.LazyPipeline()))
    fewer = replace(ruleset, rules=ruleset.rules[1:])  # a config that disables a rule
    assert rulecache.prefilter_index_cached(fewer) == PrefilterIndex.of(fewer, rulecache.tables_for(rulecache.LazyPipeline()))
    assert len(list(cache.glob("prefilter-*.json"))) == 2
    monkeypatch.setattr(PrefilterIndex, "of", _refuse)
    assert rulecache.prefilter_index_cached(ruleset) == built
    # Rules not read from the cache have no key to name an index by: worked out, not stored.
    with pytest.raises(AssertionError, match="worked out again"):
        rulecache.prefilter_index_cached(replace(ruleset, source_key=None))


def _damaged_indexes(index):
    """The index with each kind of reference inside it broken."""
    word = next(iter(index.by_word))
    longest = next(iter(index.terms_by_longest))
    yield {"by_word": {**index.by_word, word: (len(index.entries),)}}
    yield {"unindexed": (-1,)}
    yield {"terms_by_longest": {**index.terms_by_longest, longest: "two  spaces\t0"}}
    yield {"terms_by_longest": {**index.terms_by_longest, longest: "word\t" + str(len(index.term_tags))}}
    yield {"terms_by_longest": {**index.terms_by_longest, longest: ""}}
    yield {"regexes": ("(unclosed",)}


def test_a_cached_index_whose_references_lead_nowhere_is_a_miss(cache):
    from dataclasses import replace

    from linter.engine.prefilter import INDEX_CLASSES, PrefilterIndex

    ruleset = rulecache.load_rules_cached(("core",))
    good = rulecache.prefilter_index_cached(ruleset)
    assert good.consistent()
    (entry,) = cache.glob("prefilter-*.json")
    key = entry.stem.removeprefix("prefilter-")
    for damage in _damaged_indexes(good):
        damaged = replace(good, **damage)
        assert not damaged.consistent(), damage
        rulecache.write_entry(entry, "prefilter", key, damaged, INDEX_CLASSES)
        assert rulecache.read_entry(entry, "prefilter", key, PrefilterIndex, INDEX_CLASSES) == damaged  # well typed
        assert rulecache.prefilter_index_cached(ruleset) == good  # but rebuilt
        assert rulecache.read_entry(entry, "prefilter", key, PrefilterIndex, INDEX_CLASSES) == good  # and replaced


def test_a_clean_document_reads_neither_the_lexicons_nor_the_tables(cache, monkeypatch):
    from linter.engine.rule_engine import Engine
    from linter.read import read_document

    rulecache.prefilter_index_cached(rulecache.load_rules_cached(None))  # a warm cache
    ruleset = rulecache.load_rules_cached(None)
    monkeypatch.setattr(rulecache, "pipeline_tables_cached", _refuse)
    engine = Engine(ruleset, load_nlp=_refuse, indexes=rulecache.CachedIndexes())
    document = read_document("hours.md", b"# Opening hours\n\nThe clinic is open from nine to five on weekdays.\n")
    assert engine.lint(document) == []
    assert "not read yet" in repr(ruleset.lexicons)


def test_the_lexicon_tagger_is_read_from_the_cache(cache, monkeypatch, nlp):
    from linter.engine import tagging
    from linter.engine.tagging import LexiconTagger, TaggerIndex

    ruleset = rulecache.load_rules_cached(("core",))
    built = rulecache.lexicon_tagger_cached(ruleset, nlp)
    (entry,) = cache.glob("tagger-*.json")
    again = rulecache.load_rules_cached(("core",))
    monkeypatch.setattr(LexiconTagger, "__init__", _refuse)
    read = rulecache.lexicon_tagger_cached(again, nlp)
    assert read.index() == built.index()
    assert "not read yet" in repr(again.lexicons)  # the tagger needed no lexicons
    # A well-typed index whose entries are not written as the tagger writes them is a miss.
    key = entry.stem.removeprefix("tagger-")
    for damaged in ({"pain": "pain"}, {"": "pain\tconditions"}, {"pain": "pain\x1f\tconditions"}):
        rulecache.write_entry(entry, "tagger", key, TaggerIndex(damaged), tagging.TAGGER_CLASSES)
        with pytest.raises(AssertionError, match="worked out again"):
            rulecache.lexicon_tagger_cached(again, nlp)


def test_a_tagger_index_that_cannot_be_packed_is_not_stored(cache, nlp):
    from dataclasses import replace

    from linter.core.model import Lexicon, LexiconTerm, SourceRef

    odd = Lexicon("odd", "", (LexiconTerm("calm", tags=("a\ttab",)),), SourceRef("odd.yaml", 1, 1))  # no pack validates to this
    ruleset = rulecache.load_rules_cached(("core",))
    tagger = rulecache.lexicon_tagger_cached(replace(ruleset, lexicons=(*ruleset.lexicons, odd)), nlp)
    assert tagger.index() is None and not list(cache.glob("tagger-*.json"))
