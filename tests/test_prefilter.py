"""The prefilter may only save work: the normal mode must report exactly
what parsing every sentence reports, and must skip what cannot match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.engine.context import NEG_DEPENDENTS, Quotations, surface_cues
from linter.engine.rule_engine import Engine
from linter.engine.matching import RawMatch
from linter.nlp.pipeline_tables import from_files, from_pipeline
from linter.nlp.loading import model_data_dir
from linter.packs.loading import load_rules
from linter.packs.pack_files import available_packs
from linter.engine.patterns import entries_of, is_surface, labelled_specs
from linter.engine.prefilter import Prefilter, entry_requirements, pipeline_words, words_of
from linter.read import read_document

# Varied copy written for this test: claims of every category, hedged and
# negated ones, quotations spanning sentences, markup, and plain prose.
CORPUS = {
    "landing.md": """---
title: "Ketamine Infusions for Depression"
description: A revolutionary treatment that works when nothing else has worked.
---

# Relief that lasts

You don't have to suffer anymore. Our ketamine infusions relieve depression,
and 85% of patients feel better after the first session. It is safe and
effective, with no side effects. Dr. Lee recommends it.

> “I suffered for years. Then the drip fixed it. I feel like myself again.” — Ana

Research suggests ketamine may ease symptoms in some adults, but it is not a
cure and will not fix every cause. Is it right for you? Talk to your doctor.

Our iron tonic cures anaemia, and our balm relieves haemorrhoids in days.
""",
    "supplement.html": """<html><head><title>Turmeric Joint Gummies</title>
<meta name="description" content="Supports healthy joints. Clinically proven."></head>
<body><h1>Say goodbye to joint pain</h1>
<p>Our gummies reduce inflammation in days &amp; cost less than painkillers.
Thousands of customers trust us. Lose 10 pounds in 2 weeks!</p>
<p>These statements have not been approved by the FDA.</p>
<script>var cure = "cures cancer";</script></body></html>
""",
    "prose.txt": """The committee met on Tuesday to discuss the new library hours.
Members agreed that the reading room would stay open until eight in the evening.

A short walk along the river took us past the old mill, where swallows nested
under the eaves. Nobody mentioned the weather, which was mild for the season.

Our garden tea is a blend of mint and lemon balm. Some people say it helps
them relax; there is no evidence that it treats anxiety.
""",
    "reviews.md": """# What customers say

No side effects, no downtime. You won't have to suffer anymore.
Our patches are not a miracle, and they do not come with guaranteed results.

“Guaranteed results,” the old ads promised. Beware of “miracle cures”.

> “My pain was gone in days. No side effects at all. It is a miracle.” — Jo

She wrote that the cream was “safe and effective” for her eczema, and “a
miracle” for her son.
""",
}


@pytest.fixture(scope="module")
def every_rule():
    return load_rules(tuple(available_packs()))


@pytest.fixture(scope="module")
def tables(nlp):
    return from_pipeline(nlp)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_findings_identical_with_and_without_prefilter(nlp, every_rule, tables, name):
    document = read_document(name, CORPUS[name].encode())
    # The full-parse mode uses no prefilter: every sentence parsed, every
    # pattern run on it.
    full = Engine(every_rule, nlp, full_parse=True)
    normal = Engine(every_rule, nlp, tables=tables)
    assert normal.lint(document) == full.lint(document)
    assert normal.stats.parsed_words <= full.stats.parsed_words == full.stats.words


def test_ordinary_prose_is_mostly_not_parsed(nlp, every_rule, tables):
    engine = Engine(every_rule, nlp, tables=tables)
    engine.lint(read_document("prose.txt", CORPUS["prose.txt"].encode()))
    # Only the garden-tea paragraph (a product, "helps", "treats anxiety") needs the parser.
    assert 0 < engine.stats.parsed_words < engine.stats.words / 4


def test_a_batch_that_fails_part_way_is_not_counted(nlp, every_rule, tables, monkeypatch):
    """The run lints a failed batch again one document at a time: only the
    documents linted count towards the engine's words."""
    engine = Engine(every_rule, nlp, tables=tables)
    documents = [read_document(name, CORPUS[name].encode()) for name in sorted(CORPUS)[:2]]
    expected = [engine.lint_many([document])[0] for document in documents]
    words = sum(linted.words for linted in expected)
    parsed = sum(linted.parsed_words for linted in expected)
    assert (engine.stats.words, engine.stats.parsed_words) == (words, parsed) and parsed > 0

    failing = Engine(every_rule, nlp, tables=tables)
    calls = []
    original = Engine._findings_of

    def fails_once(self, run, one_per_claim):
        calls.append(run)
        if len(calls) == 2:
            raise RuntimeError("a bug in the second document")
        return original(self, run, one_per_claim)

    monkeypatch.setattr(Engine, "_findings_of", fails_once)
    with pytest.raises(RuntimeError):
        failing.lint_many(documents)
    assert (failing.stats.words, failing.stats.parsed_words) == (0, 0)
    assert failing.lint_many(documents) == expected
    assert (failing.stats.words, failing.stats.parsed_words) == (words, parsed)


def test_a_claim_without_any_cue_word_is_reported_unparsed(nlp, every_rule, tables):
    engine = Engine(every_rule, nlp, tables=tables)
    findings = engine.lint(read_document("promo.txt", b"Our clinically proven formula.\n"))
    assert [f.rule for f in findings] == ["unsupported-evidence-claim"]
    assert engine.stats.parsed_words == 0


def test_a_cue_word_sends_the_claim_to_the_parser(nlp, every_rule, tables):
    engine = Engine(every_rule, nlp, tables=tables)
    findings = engine.lint(read_document("promo.txt", b"Our formula is not clinically proven.\n"))
    assert findings == []  # negated: only the parse can tell
    assert engine.stats.parsed_words == engine.stats.words


def _surface_cues(nlp, every_rule, text: str, words: str):
    """surface_cues for one line match covering `words` in `text` (one block)."""
    from linter.engine.tagging import LexiconTagger

    document = read_document("copy.txt", text.encode())
    (block,) = document.blocks
    doc = nlp.make_doc(block.text)
    tags = LexiconTagger(nlp, every_rule.lexicons).tag(doc)
    start = block.text.index(words)
    span = doc.char_span(start, start + len(words))
    match = RawMatch("line:some-rule", span.start, span.end, span.start, tuple(range(span.start, span.end)))
    found = surface_cues(doc, [match], Quotations.of(document.blocks), block.offsets, tags)
    return None if found is None else found[match]


@pytest.mark.parametrize(
    "text, words, cues",
    [
        ("Guaranteed results in every bottle.", "Guaranteed results", set()),
        ("It has no side effects.", "no side effects", set()),  # the negation is the claim
        ("You won't have to suffer anymore.", "won't have to suffer", set()),
        ("Results are not guaranteed.", "guaranteed", None),  # a negation outside the match
        ("There are no guaranteed results.", "guaranteed results", None),
        ("Results may vary.", "Results", None),  # hedge
        ("Guaranteed results?", "Guaranteed results", None),  # question
        ("Guaranteed results (Smith et al., 2021).", "Guaranteed results", None),  # citation
        ("If you want guaranteed results, call us.", "guaranteed results", None),  # conditional
        ("Ads promised “guaranteed results” to everyone.", "guaranteed results", {"quoted"}),
        ("“It gave me guaranteed results every single time I tried it,” she said.", "guaranteed results",
         {"testimony"}),
        ("Guaranteed “results” for all.", "Guaranteed “results", None),  # half in a quotation: the anchor decides
    ],
)
def test_surface_cues(nlp, every_rule, text, words, cues):
    assert _surface_cues(nlp, every_rule, text, words) == (None if cues is None else frozenset(cues))


def test_surface_cues_need_every_negation_inside_every_match(nlp, every_rule):
    from linter.engine.tagging import LexiconTagger

    doc = nlp.make_doc("No side effects and no downtime.")
    tags = LexiconTagger(nlp, every_rule.lexicons).tag(doc)
    first = RawMatch("line:a", 0, 3, 2, (0, 1, 2))
    second = RawMatch("line:b", 4, 6, 5, (4, 5))
    offsets = read_document("x.txt", doc.text.encode()).blocks[0].offsets
    quotations = Quotations((), ())
    assert surface_cues(doc, [first], quotations, offsets, tags) is None  # the second "no" is outside it
    assert surface_cues(doc, [RawMatch("line:a", 0, 6, 2, tuple(range(6)))], quotations, offsets, tags) is not None
    assert surface_cues(doc, [first, second], quotations, offsets, tags) is None


def test_a_negation_inside_the_claim_needs_no_parse(nlp, every_rule, tables):
    engine = Engine(every_rule, nlp, tables=tables)
    findings = engine.lint(read_document("promo.txt", b"It has no side effects. No downtime.\n"))
    assert {f.category for f in findings if f.requires is None} == {"safety"}
    assert engine.stats.parsed_words == 0


def test_a_quoted_claim_needs_no_parse(nlp, every_rule, tables):
    engine = Engine(every_rule, nlp, tables=tables)
    text = "Sam, 52: “It worked like a miracle for my back.”\n"
    findings = engine.lint(read_document("promo.md", text.encode()))
    assert findings and all("testimony" in f.cues for f in findings)
    assert engine.stats.parsed_words == 0
    assert findings == Engine(every_rule, nlp, full_parse=True).lint(read_document("promo.md", text.encode()))


def test_every_word_the_parser_negates_with_is_a_cue_word(nlp):
    # `surface_cues` relies on this list to skip the parser.
    text = " ".join(CORPUS.values()) + " It isn't, won't and can't. Never. No way. Nor that. We dont know."
    negators = {token.lower_ for token in nlp(text) if token.dep_ == "neg"}
    assert negators and negators <= NEG_DEPENDENTS


def test_tables_read_from_files_match_the_loaded_pipeline(nlp, tables):
    assert from_files(model_data_dir()) == tables


@pytest.mark.parametrize("word", ["", "a", "pain", "Colour", "anaemia", "émigré", "abcdefgh", "abcdefghi", "x" * 33, "😀"])
def test_string_hash_is_spacys(word):
    from spacy.strings import get_string_id

    from linter.spacy_compat.model_files import string_hash

    assert string_hash(word) == get_string_id(word)


def test_special_cases_add_the_tokens_they_make(tables):
    words = words_of("I dont know, gonna try it 'cause it works")
    assert {"do", "nt", "gon", "na", "because", "'cause"} <= words | tables.special_words(words)


def test_every_lemma_is_predicted_from_its_word(nlp, every_rule, tables):
    text = CORPUS["landing.md"] + CORPUS["prose.txt"] + (
        " She was found, they were beaten, mice ran, geese flew; it's better, the best, worse and worst;"
        " I've been going, we'd gone, he's done, churches, leaves, analyses, criteria, Centre, gonna."
        " Take 10mg at 9am, e.g. twice a day; youre fine, dont worry. Colour, anaemia, cuz, Centre."
    )
    words = pipeline_words(text, tables)
    for token in nlp(text):
        if token.is_space:
            continue
        lower = token.lower_.replace("’", "'")
        assert lower in words, token.text  # the prefilter sees every token
        assert token.norm_.replace("’", "'") in words, (token.text, token.norm_)  # and its norm
        forms = tables.lemma_forms(token.lemma_)
        assert forms is None or lower in forms, (token.text, token.lemma_)


def test_surface_patterns_need_no_parse():
    assert is_surface({"LOWER": "cure", "OP": "?"})
    assert is_surface({"LEX": ["conditions"], "IS_TITLE": True})
    assert is_surface({"_": {"overclaim_tags": {"INTERSECTS": ["drugs"]}}})
    assert not is_surface({"LEMMA": "cure"})
    assert not is_surface({"POS": "VERB"})
    assert not is_surface({"IS_SENT_START": True})
    assert not is_surface({"_": {"someone_elses": True}})


def test_a_clean_document_never_loads_the_pipeline(every_rule):
    def refuse():
        raise AssertionError("the pipeline was loaded")

    engine = Engine(every_rule, load_nlp=refuse)
    document = read_document("notice.txt", b"The office is closed on Monday.\n\nOpening hours resume on Tuesday.\n")
    assert engine.lint(document) == []


def test_every_built_in_pattern_names_a_word_it_needs(every_rule):
    # A pattern with no fixed word would make every sentence a candidate.
    assert not Prefilter(every_rule).always
    for rule in every_rule.rules:
        for label, spec in labelled_specs(rule):
            for entry in entries_of(label, spec):
                assert all(entry_requirements(entry)), entry.key


def test_tables_narrow_a_lemma_pattern(every_rule, tables):
    # "outperforms ... painkillers" needs a form of outperform/beat/outshine.
    without, with_forms = Prefilter(every_rule), Prefilter(every_rule, tables)
    text = "The operation of the library is covered by painkillers in chapter two."
    assert {k for k in without.candidates(text) if "superiority" in k}
    assert not {k for k in with_forms.candidates(text) if "superiority" in k}
    assert {k for k in with_forms.candidates("It beats painkillers.") if "superiority" in k}


def test_words_of_over_generates_spacy_forms():
    words = words_of("Don’t miss the at-home anti-inflammatory deal, it's 50% off!")
    assert {"don't", "do", "n't", "not", "at-home", "at", "home", "anti", "inflammatory", "'s", "%", "50"} <= words


def test_a_clean_run_in_worker_processes_never_loads_the_pipeline(every_rule, tmp_path):
    from linter.run import workers as parallel
    from linter.files.discovery import Target
    from linter.run.runner import LintSettings

    def refuse():
        raise AssertionError("the pipeline was loaded")

    notice = "The office is closed on Monday and opens again on Tuesday morning.\n\n" * 120
    targets = []
    for index in range(10):
        path = tmp_path / f"notice{index}.txt"
        path.write_text(notice, encoding="utf-8")
        targets.append(Target(path.name, path))
    assert parallel.worker_count(targets, 2) == 2
    outcomes = list(parallel.lint_all(Engine(every_rule, load_nlp=refuse), targets, LintSettings(), jobs=2))
    assert [o.path for o in outcomes] == [t.display for t in targets]
    assert all(o.error is None and o.findings == () and o.words > 0 for o in outcomes)


def test_term_index_finds_a_sequence_in_order_and_a_word_set_in_any_order():
    from linter.engine.lexicon_terms import TermIndex, inflections

    index = TermIndex()
    index.add((frozenset({"chronic"}), frozenset({"pain"})), ("conditions", "serious"))
    index.add((frozenset({"colour", "color"}), frozenset({"blindness"})), ("conditions",))
    index.add((), ("never",))  # a surface with no words indexes nothing
    assert index.covering(["my", "chronic", "pains", "eased"]) == {1: {"conditions", "serious"}, 2: {"conditions", "serious"}}
    assert index.covering(["pain", "chronic"]) == {}
    assert index.covering(["colored", "blindness"]) == {0: {"conditions"}, 1: {"conditions"}}  # either base
    assert index.covering(["chronics", "pained"]) == {0: {"conditions", "serious"}, 1: {"conditions", "serious"}}
    assert index.covering(["chron", "pain"]) == {}  # a base of the token that is no inflection of the term's word
    assert all(word in inflections(word) for word in ("chronic", "pain"))


def test_term_word_sets_find_a_term_from_its_words_in_any_order():
    from linter.core.model import Lexicon, LexiconTerm, SourceRef
    from linter.engine.lexicon_terms import TermWordSets

    terms = (LexiconTerm("chronic pain", tags=("serious",), forms=("persistent pain",)), LexiconTerm("a day", tags=("time",)))
    lexicon = Lexicon("conditions", "", terms, SourceRef("conditions.yaml", 1, 1))
    index = TermWordSets.of_lexicons([lexicon], str.split)
    assert index.words == {"chronic", "pain", "persistent", "a", "day"}
    expected = {"conditions", "serious", "conditions:chronic pain"}
    assert index.present({"pain", "is", "chronic"}) == expected
    assert index.present({"persistent", "pain"}) == expected  # a form gives the term's tags
    assert index.present({"chronic"}) == set()
    assert index.present({"a", "day", "pain"}) == {"conditions", "time", "conditions:a day"}


def test_the_prefilter_sees_every_tag_the_tagger_gives(nlp, every_rule, tables):
    """Both expand the same term surfaces (lexiconterms); the prefilter's
    word-set view must never miss a tag a rule can name (LEX) that the
    tagger puts on a sentence. (A term's own tag, "conditions:leukaemia",
    is read only after tagging, by the off-label table: the prefilter may
    miss it where the pipeline's norm table spells a word another way.)"""
    from linter.engine.lexicon_terms import term_surfaces
    from linter.engine.prefilter import LexiconScan, Prefilter
    from linter.engine.tagging import LexiconTagger

    tagger, scan = LexiconTagger(nlp, every_rule.lexicons), LexiconScan(every_rule.lexicons)
    prefilter = Prefilter(every_rule, tables)
    surfaces = list(term_surfaces(every_rule.lexicons))
    assert len(surfaces) > 1000
    for surface in surfaces[::3]:
        text = f"They said {surface.text}, twice."
        tagged = set().union(*tagger.tag(nlp.make_doc(text)).values())
        assert set(surface.tags) <= tagged, text
        nameable = {tag for tag in tagged if ":" not in tag}
        assert nameable <= scan.tags(prefilter.words(text)), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdeilnorstuy", min_size=0, max_size=9))
def test_bases_undo_every_inflection(word):
    """The prefilter looks terms up by the words a sentence's words could
    inflect (`bases`) instead of inflecting every term: for that to lose
    nothing, each inflection of a word must lead back to it."""
    from linter.engine.lexicon_terms import bases, inflections

    assert all(word in bases(form) for form in inflections(word))


@pytest.mark.parametrize("word", ["stop", "cure", "remedy", "pain", "flu", "ache", "x-ray", "b12", "treat", "boost"])
def test_bases_of_real_inflections(word):
    from linter.engine.lexicon_terms import bases, inflections

    assert all(word in bases(form) for form in inflections(word))


def test_the_scan_finds_a_term_from_its_inflected_words_as_the_tagger_does(nlp, every_rule, tables):
    """Inflected terms ("chronic pains", "migraines") reach the same tags
    through the prefilter's bases as through the tagger's inflections."""
    from linter.engine.lexicon_terms import inflections, term_surfaces
    from linter.engine.prefilter import LexiconScan, Prefilter
    from linter.engine.tagging import LexiconTagger

    tagger, scan = LexiconTagger(nlp, every_rule.lexicons), LexiconScan(every_rule.lexicons)
    prefilter = Prefilter(every_rule, tables)
    checked = 0
    for surface in list(term_surfaces(every_rule.lexicons))[1::7]:
        words = surface.text.split()
        if not words[-1].isalpha():
            continue
        for form in sorted(inflections(words[-1].lower()) - {words[-1].lower()})[:2]:
            text = f"They said {' '.join([*words[:-1], form])}, twice."
            nameable = {tag for tag in set().union(*tagger.tag(nlp.make_doc(text)).values()) if ":" not in tag}
            assert nameable <= scan.tags(prefilter.words(text)), text
            checked += 1
    assert checked > 500


# Structure/function wording ("supports the ...") is a DSHEA trigger only in a
# sentence that names a supplement, or anywhere once half the statement is on
# the page (missing-dshea-statement). Copy written for these tests.
SUPPORTS_PROSE = (
    "The library supports the new reading scheme. Volunteers maintain the garden beds. "
    "The council promotes the annual fair, which supports local bakers."
)


def _lint_both(nlp, every_rule, tables, text, name="page.md"):
    document = read_document(name, text.encode())
    full = Engine(every_rule, nlp, full_parse=True)
    normal = Engine(every_rule, nlp, tables=tables)
    return normal.lint(document), full.lint(document), normal.stats


def test_a_trigger_that_cannot_count_is_not_parsed(nlp, every_rule, tables):
    normal, full, stats = _lint_both(nlp, every_rule, tables, SUPPORTS_PROSE)
    assert normal == full == []
    assert stats.parsed_words == 0  # the "supports the ..." pattern needs the parse, but cannot count here


def test_a_trigger_beside_a_supplement_still_counts(nlp, every_rule, tables):
    normal, full, stats = _lint_both(nlp, every_rule, tables, "Our magnesium gummies support the nervous system.")
    assert normal == full
    assert "missing-dshea-statement" in {f.rule for f in normal} and stats.parsed_words > 0


def test_a_trigger_counts_anywhere_once_part_of_the_statement_is_on_the_page(nlp, every_rule, tables):
    text = ("Our morning blend supports the immune system. "
            "These statements have not been evaluated by the Food and Drug Administration.")
    normal, full, _ = _lint_both(nlp, every_rule, tables, text)
    assert normal == full
    assert "missing-dshea-statement" in {f.rule for f in normal}


def test_the_gate_keeps_every_other_pattern_of_a_unit():
    from linter.engine.rule_engine import NearGate

    gate = NearGate(triggers=frozenset({"t#0", "t#1"}), near=frozenset({"n#0"}), satisfiers=frozenset({"s#0"}))
    work = [("a", frozenset({"t#0", "line#0"})), ("b", frozenset({"t#1"})), ("c", frozenset({"t#0", "n#0"}))]
    assert NearGate.apply((gate,), work) == [("a", frozenset({"line#0"})), ("c", frozenset({"t#0", "n#0"}))]
    # A unit that could satisfy part of the disclaimer keeps every trigger of the document.
    assert NearGate.apply((gate,), [*work, ("d", frozenset({"s#0"}))]) == [*work, ("d", frozenset({"s#0"}))]


def _every_entry(ruleset, tables):
    """Every (key, requirements) pair the rules give, worked out as the
    prefilter's constructor does but kept in one flat list: no index."""
    from linter.engine.prefilter import QUOTE_CUES, QUOTED_WORD, Requirement

    pairs = []
    for rule in ruleset.rules:
        quoted = (Requirement(words=frozenset({QUOTED_WORD})),) if rule.only_when & QUOTE_CUES else ()
        for label, spec in labelled_specs(rule):
            for entry in entries_of(label, spec):
                pairs += [(entry.key, requirements + quoted) for requirements in entry_requirements(entry, tables)]
    return pairs


def _candidates_by_brute_force(prefilter, pairs, text, quoted):
    """Every entry tested against every form of every word of `text` and
    every tag the scan finds: what the index and the sifting must not change."""
    from linter.engine.prefilter import QUOTED_WORD, LexiconScan

    words = prefilter.words(text)
    if quoted:
        words.add(QUOTED_WORD)
    tags = prefilter._scan.tags(words)
    assert isinstance(prefilter._scan, LexiconScan)
    return frozenset(key for key, requirements in pairs if all(r.met(words, tags) for r in requirements))


# Pieces of sentences with everything `words_of` and the tables treat
# specially: contractions, compounds, numbers with units and decimals,
# punctuation runs, curly quotes, other spellings, lexicon words, claim words.
PIECES = [
    "don't", "won't", "can't", "cannot", "it's", "they’re", "at-home", "anti-inflammatory", "10mg", "1.5", "b12",
    "50%", "9am", "...", "--", "(cures)", "“miracle”", "colour", "haemorrhoids", "ketamine", "CBD", "chronic",
    "pains", "depression", "anxiety", "cure", "cures", "guaranteed", "safe", "effective", "proven", "clinically",
    "FDA-approved", "no", "side", "effects", "suffer", "anymore", "relief", "lasts", "the", "as", "by", "and",
    "may", "help", "supports", "healthy", "joints", "immune", "system", "percent", "ninety", "Dr.", "e.g.",
    "U.S.", "!", "?", ";", "weight", "lose", "pounds", "in", "days", "fast", "100", "%", "instantly",
]


@pytest.fixture(scope="module")
def sifting(every_rule, tables):
    """A prefilter, and every entry of the same rules in one flat list."""
    return Prefilter(every_rule, tables), _every_entry(every_rule, tables)


def test_candidates_equal_a_brute_force_check_of_every_entry(sifting, corpus):
    """The index, the per-piece memo and the sifting of words down to what
    some requirement looks at change nothing: on every sentence the
    project has written, quoted or not, the same entries as testing every
    entry against every word form and tag."""
    prefilter, pairs = sifting
    texts = [line for text in corpus for line in text.splitlines() if line.strip()]
    assert len(texts) > 5000
    hits = 0
    for index, text in enumerate(texts):
        quoted = index % 5 == 0
        expected = _candidates_by_brute_force(prefilter, pairs, text, quoted)
        assert prefilter.candidates(text, quoted=quoted) == expected, text
        hits += bool(expected)
    assert hits > len(texts) / 10  # the comparison covered sentences that are candidates


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14), st.lists(st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", ""]), min_size=14, max_size=14), st.booleans())
def test_candidates_equal_the_brute_force_check_on_generated_text(sifting, pieces, gaps, quoted):
    # Pieces joined with and without space: a compound or a contraction
    # can form across what were two pieces.
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps))
    prefilter, pairs = sifting
    assert prefilter.candidates(text, quoted=quoted) == _candidates_by_brute_force(prefilter, pairs, text, quoted)


def test_the_index_keeps_every_table_word_a_sift_could_use(sifting, tables, corpus):
    """The index keeps of the pipeline's tables only the words a sift keeps
    or takes to a term: sifting with all of them gives the same sets."""
    prefilter, _ = sifting
    assert 0 < len(prefilter.index.norms) < len(tables.norms)  # a part of them, not none
    for text in corpus:
        for piece in text.split():
            every = pipeline_words(piece, tables)
            assert prefilter.words(piece) <= every
            expected = (frozenset(filter(prefilter._sifting.keeps, every)), frozenset(prefilter._scan.term_bases(every)))
            assert prefilter._sift(piece) == expected, piece


def test_table_words_that_only_lead_to_a_term_are_kept(sifting, every_rule, tables):
    # A special case or norm giving an inflection of a term's word matters
    # to the sift through its base, even where no requirement names it.
    from dataclasses import replace

    from linter.engine.lexicon_terms import inflections
    from linter.engine.prefilter import PrefilterIndex

    sifts = sifting[0]._sifting
    form = next(f for w in sorted(sifts.term_words) if w.isalpha() for f in sorted(inflections(w) - {w}) if not sifts.keeps(f))
    fake = replace(tables, special_cases={"zorbly": frozenset({form, "zorb"})}, norms={7: form, 8: "zorb"})
    index = PrefilterIndex.of(every_rule, fake)
    assert index.special_cases == {"zorbly": frozenset({form})}
    assert index.norms == {7: form}


def test_words_of_a_text_are_the_union_of_its_pieces(sifting, corpus):
    """What the per-piece memo rests on: no pass of `words_of` and no table
    lookup reaches across whitespace."""
    prefilter, _ = sifting
    for text in corpus:
        for line in text.splitlines():
            assert prefilter.words(line) == set().union(set(), *map(prefilter.words, line.split())), line


@pytest.mark.parametrize("text", ["It cannot fail.", "It cannot fail, at-home.", "It can't fail."])
def test_words_of_splits_cannot_with_or_without_an_apostrophe_elsewhere(text):
    # "cannot" is two tokens; its words once went missing from a sentence
    # holding no apostrophe or hyphen.
    assert {"can", "not"} <= words_of(text)


def test_the_tagger_tags_as_inflecting_every_term_would(nlp, every_rule, corpus):
    """The tagger's index keeps each term word's bases and inflects them only
    when a token asks; the reference here inflects every word of every term
    up front and looks tokens up by form, as the tagger once did. Same tags
    at every position of every sentence the project has written, and of
    every term's inflected surface. The same for the tagger read back from
    its cached index (packed as text, unpacked per word when first asked)."""
    from linter.cache.codec import dumps, loads
    from linter.engine.lexicon_terms import inflections, term_surfaces
    from linter.engine.tagging import TAGGER_CLASSES, LexiconTagger, TaggerIndex

    tagger = LexiconTagger(nlp, every_rule.lexicons)
    index = tagger.index()
    assert index is not None and index.consistent()
    read_back = LexiconTagger.from_index(loads(dumps(index, TAGGER_CLASSES), TaggerIndex, TAGGER_CLASSES))
    lookups = nlp.vocab.lookups
    norms = lookups.get_table("lexeme_norm") if lookups.has_table("lexeme_norm") else {}
    special = nlp.tokenizer.rules or {}
    by_form: dict[str, list] = {}
    surfaces = list(term_surfaces(every_rule.lexicons))
    for surface in surfaces:
        bases = LexiconTagger._plain_word_bases(surface.text, norms, special) or LexiconTagger._word_bases(nlp, surface.text)
        forms = tuple(frozenset().union(*(inflections(base) for base in word)) for word in bases)
        for form in forms[0] if forms else ():
            by_form.setdefault(form, []).append((forms, surface.tags))

    def reference(words):
        collected = {}
        for i, word in enumerate(words):
            for forms, tags in by_form.get(word, ()):
                end = i + len(forms)
                if end <= len(words) and all(words[i + k] in forms[k] for k in range(1, len(forms))):
                    for j in range(i, end):
                        collected.setdefault(j, set()).update(tags)
        return collected

    texts = [line for text in corpus for line in text.splitlines() if line.strip()]
    texts += [" ".join(f"{word}s" for word in surface.text.split()) for surface in surfaces[::2]]
    texts += [" ".join(f"{word}ing" for word in surface.text.split()) for surface in surfaces[1::5]]
    tagged = 0
    for text in texts:
        norms_of_text = [token.norm_ for token in nlp.make_doc(text)]
        expected = reference(norms_of_text)
        assert tagger._index.covering(norms_of_text) == expected, text
        assert read_back._index.covering(norms_of_text) == expected, text
        tagged += bool(expected)
    assert tagged > 3000


def test_long_pieces_are_not_remembered_but_still_count(sifting):
    from linter.engine.prefilter import MEMO_PIECE_CHARS

    prefilter, pairs = sifting
    long_piece = "x" * (MEMO_PIECE_CHARS + 1) + "-cures"
    text = f"It {long_piece} cancer."
    assert prefilter.candidates(text) == _candidates_by_brute_force(prefilter, pairs, text, False)
    assert long_piece not in prefilter._pieces and "cancer." in prefilter._pieces
