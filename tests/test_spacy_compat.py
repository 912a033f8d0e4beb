"""Each shim in linter/spacy_compat/ against the stock behaviour it stands
in for, on a large varied text (the `corpus` fixture of conftest.py: all
the project's own English), and its version guard.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from linter.nlp.loading import model_data_dir
from linter.nlp.pipeline_tables import from_pipeline
from linter.packs import regex_guard
from linter.spacy_compat import html_parser as html_shim
from linter.spacy_compat import stored_tokenizer
from linter.spacy_compat import versions
from linter.spacy_compat.attribute_ruler import IndexedMatch, index_attribute_ruler
from linter.spacy_compat.html_parser import TolerantHTMLParser, attribute_spans
from linter.spacy_compat.lemmatizer import ArrayLemmatizing, WordList, lemmatize_by_arrays
from linter.spacy_compat.model_files import read_model_tables, string_hash


def test_the_corpus_is_large_and_varied(corpus):
    words = sum(len(t.split()) for t in corpus)
    assert len(corpus) > 4_000 and words > 30_000


# --- attribute ruler ----------------------------------------------------------


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_the_pipeline_annotates_the_whole_corpus_like_spacys(nlp, stock_nlp, corpus):
    # The indexed attribute ruler and the array lemmatizer against the stock components.
    assert isinstance(nlp.get_pipe("attribute_ruler").match, IndexedMatch)
    assert not isinstance(stock_nlp.get_pipe("attribute_ruler").match, IndexedMatch)
    assert isinstance(nlp.get_pipe("lemmatizer"), ArrayLemmatizing)
    assert not isinstance(stock_nlp.get_pipe("lemmatizer"), ArrayLemmatizing)
    differences = []
    for ours, theirs in zip(nlp.pipe(corpus, batch_size=256), stock_nlp.pipe(corpus, batch_size=256)):
        if _annotations(ours) != _annotations(theirs):
            differences.append(ours.text[:80])
    assert differences == []


def test_the_ruler_is_left_stock_on_an_unchecked_spacy(stock_nlp):
    ruler = stock_nlp.get_pipe("attribute_ruler")
    assert index_attribute_ruler(stock_nlp, spacy_version="4.0.0") is False
    assert not isinstance(ruler.match, IndexedMatch) and "match" not in vars(ruler)


# --- lemmatizer ----------------------------------------------------------------

# Copy written for this test: inflected words of every part of speech, words
# the attribute ruler lemmatizes itself ("'s", "n't", "gonna"), new words.
LEMMA_TEXT = """The clinics were offering gentler treatments; she's tried them and wasn't worse.
Patients gonna love the fizziest gummies, which helped thousands of aching knees.
Our newest formulas are being studied, he'd said, and doctors haven't agreed yet.
Flibbertigibbeting zorbles quickly outpaced the blorfiest of wuggles."""


def _lemmas(nlp, texts):
    return [[token.lemma_ for token in doc] for doc in nlp.pipe(texts)]


@pytest.mark.parametrize("overwrite", [False, True])
def test_the_array_lemmatizer_gives_the_stock_lemmas_and_keeps_its_memo_bounded(nlp, stock_nlp, monkeypatch, overwrite):
    from linter.spacy_compat import lemmatizer as shim

    ours, theirs = nlp.get_pipe("lemmatizer"), stock_nlp.get_pipe("lemmatizer")
    monkeypatch.setattr(ours, "overwrite", overwrite)
    monkeypatch.setattr(theirs, "overwrite", overwrite)
    monkeypatch.setattr(shim, "LEMMA_MEMO_SIZE", 4)
    texts = LEMMA_TEXT.splitlines() * 2
    assert _lemmas(nlp, texts) == _lemmas(stock_nlp, texts)
    assert len(ours._lemma_memo) <= 4 + 1 + max(len(text.split()) * 2 for text in texts)
    assert len(ours.cache) <= len(ours._lemma_memo)  # spaCy's own cache goes with the memo
    # The attribute ruler lemmatizes "'s" itself; only an overwriting lemmatizer replaces it.
    assert (nlp("she's tried")[1].lemma_ == "be") is not overwrite


def test_word_lists_answer_membership_as_lists_do():
    words = ["ache", "knee", "gummy", ""]
    listed = WordList(words)
    assert listed == words and list(listed) == words and isinstance(listed, list)
    for probe in ["ache", "knees", "", "Ache", 3, None, ("ache",)]:
        assert (probe in listed) == (probe in words)
    assert ([1] in listed) is False  # unhashable: the list's own answer
    mixed = WordList(["ache", 3, [1]])  # not all words: scanned as a list
    assert [1] in mixed and 3 in mixed and "ache" in mixed and "knee" not in mixed


def test_the_lemmatizer_is_left_stock_on_an_unchecked_spacy_or_another_mode(stock_nlp, monkeypatch):
    lemmatizer = stock_nlp.get_pipe("lemmatizer")
    assert lemmatize_by_arrays(stock_nlp, spacy_version="4.0.0") is False
    monkeypatch.setattr(lemmatizer, "_mode", "pos_lookup")
    assert lemmatize_by_arrays(stock_nlp) is False
    assert not isinstance(lemmatizer, ArrayLemmatizing)
    assert all(type(words) is list for words in lemmatizer.lookups.get_table("lemma_index").values())  # noqa: E721


# --- model files and the string hash -----------------------------------------


def test_tables_read_from_files_equal_the_loaded_pipelines(nlp):
    from linter.nlp.pipeline_tables import from_files

    assert from_files(model_data_dir()) == from_pipeline(nlp)


def test_string_hash_is_spacys_on_every_word_of_the_corpus_and_vocabulary(nlp, corpus):
    words = {token.text for doc in nlp.tokenizer.pipe(corpus) for token in doc}
    words |= {word for word in list(nlp.vocab.strings)[:50_000]}
    words |= {"", "é", "naïve", "💊", "x" * 9, "\u00a0", "ab\x00c"}
    from spacy.strings import hash_string  # the hash itself (the StringStore maps its symbols to small ids)

    wrong = [w for w in words if string_hash(w) != (hash_string(w) if w else 0)]
    assert len(words) > 20_000 and wrong == []


def test_model_files_are_not_read_on_an_unchecked_spacy():
    assert read_model_tables(model_data_dir()) is not None
    assert read_model_tables(model_data_dir(), spacy_version="4.0.0") is None


# --- versions --------------------------------------------------------------------


@pytest.mark.parametrize(
    "version, checked", [("3.8.2", True), ("3.7.5", True), ("3.8.0rc1", True), ("3.6.1", False), ("4.0.0", False), ("x", False)]
)
def test_spacy_release_check(version, checked):
    assert versions.spacy_checked(version) is checked


def test_python_release_check():
    assert versions.python_checked((3, 11)) and not versions.python_checked((3, 99))


# --- quiet import -------------------------------------------------------------------


def test_spacy_imports_without_its_command_line_and_spacy_info_still_works():
    code = (
        "import sys\n"
        "from linter.spacy_compat.quiet_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert 'typer' not in sys.modules, 'the command line was imported'\n"
        "assert 'spacy.cli.info' not in sys.modules, 'the stand-in was left behind'\n"
        "print(spacy.info()['spacy_version'])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    import spacy

    assert run.stdout.strip() == spacy.__version__


# --- regex parser ------------------------------------------------------------------


def test_regex_guard_refuses_what_it_cannot_check(monkeypatch):
    assert regex_guard.regex_problem("^heal(s|ed|ing)?$") is None
    assert "exponential" in regex_guard.regex_problem("(a+)+$")
    monkeypatch.setattr(regex_guard, "_sre_parse", None)
    assert "cannot be checked" in regex_guard.regex_problem("^heal(s|ed|ing)?$")


# --- HTML parser -----------------------------------------------------------------------


class _Events:
    """Records every event a parser reports, with its position."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events = []

    def _record(self, *event):
        self.events.append((self.getpos(), *event))

    def handle_starttag(self, tag, attrs):
        self._record("start", tag, tuple(attrs), self.get_starttag_text())

    def handle_endtag(self, tag):
        self._record("end", tag)

    def handle_data(self, data):
        self._record("data", data)

    def handle_comment(self, data):
        self._record("comment", data)

    def handle_entityref(self, name):
        self._record("entity", name)

    def handle_charref(self, name):
        self._record("charref", name)

    def handle_decl(self, decl):
        self._record("decl", decl)

    def unknown_decl(self, data):
        self._record("unknown", data)


class StockRecorder(_Events, HTMLParser):
    pass


class TolerantRecorder(_Events, TolerantHTMLParser):
    pass


def _html_pages(corpus: list[str]) -> list[str]:
    """Pages built from the corpus with varied markup: nested blocks,
    attributes in every quoting style, entities, comments, declarations."""
    shapes = [
        '<p class="lead">{}</p>',
        "<div id=main><h2 title='{}'>Heading</h2><span>{}</span></div>",
        '<img alt="{}" src=x.png><br/>',
        "<ul><li>{}<li>{}</ul>",
        "<!-- overclaim-disable-next-line cure-claim -- reviewed --><p>{}</p>",
        '<a href="/x?a=1&amp;b=2" data-x = "{}">more &amp; less &#8212; &#x2014; &nbsp;</a>',
        "<!DOCTYPE html><section><blockquote>{}</blockquote></section>",
        '<meta name="description" content="{}"><td>{}</td>',
    ]
    pages = []
    for start in range(0, len(corpus), 40):
        chunk = corpus[start : start + 40]
        body = []
        for index, text in enumerate(chunk):
            escaped = html.escape(text, quote=True)
            shape = shapes[index % len(shapes)]
            body.append(shape.format(*([escaped] * shape.count("{}"))))
        pages.append("<html><body>\n" + "\n".join(body) + "\n</body></html>")
    return pages


def _events(parser_class, page):
    parser = parser_class(convert_charrefs=False)
    parser.feed(page)
    parser.close()
    return parser.events


def test_the_tolerant_parser_reports_what_the_stock_one_does(corpus):
    pages = _html_pages(corpus)
    assert len(pages) > 50
    for page in pages:
        assert _events(TolerantRecorder, page) == _events(StockRecorder, page)


def test_attribute_spans_are_the_values_the_parser_read(corpus):
    checked = 0
    for page in _html_pages(corpus):
        for event in _events(StockRecorder, page):
            if event[1] != "start":
                continue
            _, _, tag, attrs, raw = event
            spans = attribute_spans(raw)
            with_values = [(name, value) for name, value in attrs if value is not None]
            assert [(name, html.unescape(raw[s:e])) for name, (s, e) in spans] == with_values
            checked += len(spans)
    assert checked > 1_000


def test_on_an_unchecked_python_the_stock_methods_run_and_the_own_scanner_agrees(monkeypatch, corpus):
    monkeypatch.setattr(html_shim, "python_checked", lambda: False)
    parser = TolerantHTMLParser()
    assert parser._tolerant is False
    for page in _html_pages(corpus)[:20]:
        for tag in re.findall(r"<[a-z][^>]*>", page):
            monkeypatch.setattr(html_shim, "python_checked", lambda: True)
            expected = attribute_spans(tag)
            monkeypatch.setattr(html_shim, "python_checked", lambda: False)
            assert attribute_spans(tag) == expected


def test_a_crafted_marked_section_is_a_bogus_comment_not_an_error():
    parser = TolerantRecorder(convert_charrefs=False)
    parser.feed("<p>before</p><![foo[ x <p>after</p>")
    parser.close()
    assert ("data", "after") in [event[1:] for event in parser.events]


def test_spacys_version_is_read_without_importing_it():
    from importlib import metadata

    assert versions.installed_spacy_version() == metadata.version("spacy")
    probe = subprocess.run([sys.executable, "-c", "import sys; from linter.spacy_compat.versions import installed_spacy_version as v; "
                            "print(v(), 'spacy' in sys.modules)"], capture_output=True, text=True, check=True)
    assert probe.stdout.split() == [metadata.version("spacy"), "False"]


def test_spacys_version_falls_back_to_the_distribution_metadata(monkeypatch):
    from importlib import metadata

    monkeypatch.setattr(versions.importlib.util, "find_spec", lambda name: None)
    assert versions.installed_spacy_version() == metadata.version("spacy")


# --- catalogue's lookups: entry points selected once, listings remembered ----


def _registry_groups():
    """The entry-point group of every catalogue registry spaCy and thinc create."""
    import catalogue
    import spacy  # noqa: F401  (creates spaCy's and thinc's registries)

    return sorted({registry.entry_point_namespace for registry in _registries(catalogue)})


def _registries(catalogue):
    import gc

    return [obj for obj in gc.get_objects() if isinstance(obj, catalogue.Registry) and obj.entry_points]


def test_entry_points_selected_once_are_catalogues_own_and_catalogue_gets_its_object_back():
    import catalogue

    from linter.spacy_compat.catalogue_lookups import SelectedOnce, catalogue_lookups_remembered

    groups = _registry_groups()
    assert len(groups) > 10 and "spacy_factories" in groups
    stock = catalogue.AVAILABLE_ENTRY_POINTS
    expected = {group: list(stock.select(group=group)) for group in groups}
    with catalogue_lookups_remembered():
        assert isinstance(catalogue.AVAILABLE_ENTRY_POINTS, SelectedOnce)
        for registry in _registries(catalogue):
            assert list(registry._get_entry_points()) == expected[registry.entry_point_namespace]
            assert list(registry._get_entry_points()) == expected[registry.entry_point_namespace]  # the remembered one
        with catalogue_lookups_remembered():  # a load inside a load changes nothing more
            assert isinstance(catalogue.AVAILABLE_ENTRY_POINTS, SelectedOnce)
        assert isinstance(catalogue.AVAILABLE_ENTRY_POINTS, SelectedOnce)
    assert catalogue.AVAILABLE_ENTRY_POINTS is stock


def test_catalogue_is_left_stock_on_an_unchecked_spacy(monkeypatch):
    import catalogue

    from linter.spacy_compat import catalogue_lookups

    monkeypatch.setattr(catalogue_lookups, "spacy_checked", lambda: False)
    stock = catalogue.AVAILABLE_ENTRY_POINTS, catalogue.Registry.get_all
    with catalogue_lookups.catalogue_lookups_remembered():
        assert (catalogue.AVAILABLE_ENTRY_POINTS, catalogue.Registry.get_all) == stock


def _all_registries(catalogue):
    import gc

    import spacy  # noqa: F401  (creates spaCy's, thinc's and srsly's registries)

    return [obj for obj in gc.get_objects() if isinstance(obj, catalogue.Registry)]


def test_remembered_listings_are_catalogues_own_until_a_registration_and_catalogue_gets_its_functions_back():
    import catalogue

    from linter.spacy_compat.catalogue_lookups import catalogue_lookups_remembered

    registries = _all_registries(catalogue)
    assert len(registries) > 20
    stock = catalogue.Registry.get_all, catalogue._set, catalogue._remove
    expected = [stock[0](registry) for registry in registries]
    probe = next(r for r in registries if tuple(r.namespace) == ("spacy", "misc"))
    with catalogue_lookups_remembered():
        assert catalogue.Registry.get_all is not stock[0]
        for _ in range(2):  # worked out, then remembered
            assert [registry.get_all() for registry in registries] == expected
        probe.get_all()["changed by a caller"] = None
        assert "changed by a caller" not in probe.get_all()  # each caller gets its own copy
        probe.register("overclaim-probe", func=len)
        assert probe.get_all()["overclaim-probe"] is len  # a registration is seen at once
        catalogue._remove(("spacy", "misc", "overclaim-probe"))
        assert "overclaim-probe" not in probe.get_all()
        catalogue.REGISTRY[("spacy", "misc", "overclaim-direct")] = len  # bypassing catalogue's functions
        assert probe.get_all()["overclaim-direct"] is len
        del catalogue.REGISTRY[("spacy", "misc", "overclaim-direct")]
        with catalogue_lookups_remembered():  # a load inside a load changes nothing more
            inner = catalogue.Registry.get_all
        assert catalogue.Registry.get_all is inner
    assert (catalogue.Registry.get_all, catalogue._set, catalogue._remove) == stock
    assert [registry.get_all() for registry in registries] == expected


def test_the_pipeline_loads_with_the_stock_configuration(nlp, stock_nlp):
    # `nlp` was loaded through the shim; its config resolved the same way.
    assert nlp.pipe_names == stock_nlp.pipe_names
    assert nlp.config.to_str() == stock_nlp.config.to_str()


# --- stored tokenizer ---------------------------------------------------------------


def test_the_tokenizer_built_from_stored_data_alone_is_the_stock_one(nlp, stock_nlp):
    # Rules, affix expressions, token and URL matches, heuristics: all of it.
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == stock_nlp.tokenizer.to_bytes(exclude=["vocab"])
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": stored_tokenizer.STOCK_FACTORY}


def _pipeline_copy(tmp_path, tokenizer_line=None, with_tokenizer=True):
    """A pipeline directory holding the installed pipeline's config.cfg (and
    its stored tokenizer): all `stored_tokenizer_override` looks at."""
    source = model_data_dir()
    config = (source / "config.cfg").read_text(encoding="utf-8")
    tmp_path.mkdir()
    if tokenizer_line is not None:
        config = re.sub(r"(?m)^tokenizer = .*$", lambda _: tokenizer_line, config)
    (tmp_path / "config.cfg").write_text(config, encoding="utf-8")
    if with_tokenizer:
        (tmp_path / "tokenizer").write_bytes((source / "tokenizer").read_bytes())
    return tmp_path


def test_the_stored_tokenizer_is_used_only_where_it_replaces_the_stock_one(tmp_path):
    import spacy  # noqa: F401 - the override registers its factory with spaCy

    override = {"nlp": {"tokenizer": {"@tokenizers": stored_tokenizer.EMPTY_FACTORY}}}
    assert stored_tokenizer.stored_tokenizer_override(_pipeline_copy(tmp_path / "a")) == override
    # Another tokenizer configured, no stored tokenizer, no directory, an unchecked spaCy: built as configured.
    custom = 'tokenizer = {"@tokenizers":"spacy.ja.JapaneseTokenizer"}'
    assert stored_tokenizer.stored_tokenizer_override(_pipeline_copy(tmp_path / "b", custom)) is None
    assert stored_tokenizer.stored_tokenizer_override(_pipeline_copy(tmp_path / "c", with_tokenizer=False)) is None
    assert stored_tokenizer.stored_tokenizer_override(None) is None
    assert stored_tokenizer.stored_tokenizer_override(_pipeline_copy(tmp_path / "d"), spacy_version="4.0.0") is None
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "config.cfg").write_bytes(b"\xff not a config")
    (tmp_path / "e" / "tokenizer").write_bytes(b"")
    assert stored_tokenizer.stored_tokenizer_override(tmp_path / "e") is None
