"""The prefilter may only save work: the normal mode must report exactly
what parsing every sentence reports, and must skip what cannot match."""

from __future__ import annotations

import pytest

from linter.engine import Engine
from linter.packs import available_packs, load_rules
from linter.prefilter import Prefilter, pattern_requirements, words_of
from linter.readers import read_document

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
}


@pytest.fixture(scope="module")
def every_rule():
    return load_rules(tuple(available_packs()))


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_findings_identical_with_and_without_prefilter(nlp, every_rule, name):
    document = read_document(name, CORPUS[name].encode())
    full = Engine(every_rule, nlp, full_parse=True)
    normal = Engine(every_rule, nlp)
    assert normal.lint(document) == full.lint(document)
    assert normal.stats.parsed_words <= full.stats.parsed_words == full.stats.words


def test_ordinary_prose_is_mostly_not_parsed(nlp, every_rule):
    engine = Engine(every_rule, nlp)
    engine.lint(read_document("prose.txt", CORPUS["prose.txt"].encode()))
    assert engine.stats.parsed_words < engine.stats.words / 2


def test_a_clean_document_never_loads_the_pipeline(every_rule):
    def refuse():
        raise AssertionError("the pipeline was loaded")

    engine = Engine(every_rule, load_nlp=refuse)
    document = read_document("notice.txt", b"The office is closed on Monday.\n\nOpening hours resume on Tuesday.\n")
    assert engine.lint(document) == []


def test_every_built_in_pattern_names_a_word_it_needs(every_rule):
    # A pattern with no fixed word would make every sentence a candidate.
    assert not Prefilter(every_rule).always
    from linter.prefilter import _specs

    for rule in every_rule.rules:
        for spec in _specs(rule):
            assert all(pattern_requirements(spec)), rule.id


def test_words_of_over_generates_spacy_forms():
    words = words_of("Don’t miss the at-home anti-inflammatory deal, it's 50% off!")
    assert {"don't", "do", "n't", "not", "at-home", "at", "home", "anti", "inflammatory", "'s", "%", "50"} <= words
