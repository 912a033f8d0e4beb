"""Context cues end to end: is a match the writer's own claim?

Each case names the sentence, the rule it is about, words its match must
include, whether it must be reported, and the exact cues found around it. A
suppressed match is looked at through a second engine whose rules ignore no
cue (`unless` emptied): that proves the rule *did* match, with those cues,
and that the cue is what kept it out of the report, not a missed match.
"""

from __future__ import annotations

import dataclasses

import pytest

from linter.engine.context import quote_regions, walk
from linter.engine.rule_engine import Engine

NAME = "copy.txt"


@pytest.fixture(scope="module")
def raw_engine(ruleset, nlp):
    """The same rules, none of them suppressed by any cue."""
    rules = tuple(dataclasses.replace(rule, unless=frozenset()) for rule in ruleset.rules)
    return Engine(dataclasses.replace(ruleset, rules=rules), nlp)


def _of(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


# (sentence, rule, words inside the match, reported?, cues)
CASES = [
    # negated: the negation sits on the claim's predicate or above it
    ("It is not a cure for arthritis.", "cure-claim", "cure for arthritis", False, {"negated"}),
    ("There is no cure for lupus.", "cure-claim", "cure for lupus", False, {"negated"}),
    ("It will not fix your back pain.", "cure-claim", "fix your back pain", False, {"negated"}),
    ("This balm never cures eczema.", "cure-claim", "cures eczema", False, {"negated"}),
    ("Nothing cures tinnitus.", "cure-claim", "cures tinnitus", False, {"negated"}),
    ("There is no evidence that the tea cures cancer.", "cure-claim", "cures cancer", False, {"negated"}),
    ("No treatment works for everyone.", "guaranteed-results", "works for everyone", False, {"negated"}),
    ("Our formula is not clinically proven.", "unsupported-evidence-claim", "clinically proven", False, {"negated"}),
    ("Ketamine is not safe for everyone.", "absolute-safety-claim", "Ketamine is not safe for everyone", False,
     {"negated"}),
    ("Our formula is not a miracle.", "miracle-hype", "miracle", False, {"negated"}),
    # hedged: a hedge on the predicate, or in a clause governing it
    ("Ketamine may help reduce pain.", "offlabel-promotion", "Ketamine may help reduce pain", False, {"hedged"}),
    ("Research suggests that CBD could relieve anxiety.", "disease-treatment-claim", "CBD could relieve anxiety",
     False, {"hedged"}),
    ("It appears to relieve migraines.", "disease-treatment-claim", "It appears to relieve migraines", False,
     {"hedged"}),
    ("It appears to cure migraines.", "cure-claim", "cure migraines", False, {"hedged"}),
    ("Our drops may cure glaucoma.", "cure-claim", "cure glaucoma", False, {"hedged"}),
    # question
    ("Can CBD cure anxiety?", "cure-claim", "cure anxiety", False, {"question"}),
    ("Can this tea really cure cancer?", "cure-claim", "cure cancer", False, {"question"}),
    # conditional
    ("If a tea cured cancer, doctors would prescribe it.", "cure-claim", "cured cancer", False, {"conditional"}),
    ("Unless the tea cures cancer, it is just a drink.", "cure-claim", "cures cancer", False, {"conditional"}),
    ("If a supplement could cure depression, doctors would prescribe it.", "cure-claim", "cure depression", False,
     {"conditional", "hedged"}),
    # reported: someone else's claim, not the writer's
    ("Advocates claim that the drip cures fatigue.", "cure-claim", "cures fatigue", False, {"reported"}),
    ("The oil is claimed to cure eczema.", "cure-claim", "cure eczema", False, {"reported"}),
    ("The powder supposedly cures gout.", "cure-claim", "cures gout", False, {"reported"}),
    ("The clinic says ketamine is completely safe.", "absolute-safety-claim", "ketamine is completely safe", False,
     {"reported"}),
    # ...but the writer saying it is the writer's claim
    ("We say ketamine is completely safe.", "absolute-safety-claim", "ketamine is completely safe", True, set()),
    # quoted: a testimonial in quotes is still a testimonial the ad uses (a
    # quoted sentence is somebody's words: the `testimony` cue)
    ("“My migraines were gone after two weeks.” — Tom", "outcome-testimonial", "My migraines were gone", True,
     {"testimony"}),
    ("“I lost 12 kg before the wedding.”", "outcome-testimonial", "I lost 12 kg", True, {"testimony"}),
    # ...while a word in scare quotes is mentioned, not used (the `quoted` cue)
    ("Regulators warn about teas sold as “miracle” cures.", "miracle-hype", "miracle", False, {"quoted"}),
    # sourced
    ("80% of patients improved (Smith et al., 2021).", "unsourced-statistic", "80% of patients", False, {"sourced"}),
    ("Studies prove that the patch relieves pain [3].", "unsupported-evidence-claim", "Studies prove", False,
     {"sourced"}),
    # claims *because* of their negation: the negation is part of the match
    ("You don’t have to suffer anymore.", "suffering-appeal", "don’t have to suffer", True, set()),
    ("You don't have to suffer anymore.", "suffering-appeal", "don't have to suffer", True, set()),
    ("You won't have to suffer anymore.", "suffering-appeal", "won't have to suffer", True, set()),
    ("You no longer have to suffer.", "suffering-appeal", "no longer have to suffer", True, set()),
    ("Our gummies have no side effects.", "absolute-safety-claim", "no side effects", True, set()),
    ("There are no side effects.", "absolute-safety-claim", "no side effects", True, set()),
    # plain claims, the controls for the cases above
    ("It cures arthritis.", "cure-claim", "cures arthritis", True, set()),
    ("It will fix your back pain.", "cure-claim", "fix your back pain", True, set()),
    ("Our drip cures fatigue.", "cure-claim", "cures fatigue", True, set()),
    ("It relieves migraines.", "disease-treatment-claim", "It relieves migraines", True, set()),
    ("Ketamine is safe.", "absolute-safety-claim", "Ketamine is safe", True, set()),
    ("Our formula is clinically proven.", "unsupported-evidence-claim", "clinically proven", True, set()),
    ("80% of patients improved.", "unsourced-statistic", "80% of patients", True, set()),
    ("Our formula is a miracle.", "miracle-hype", "miracle", True, set()),
]


@pytest.mark.parametrize(("sentence", "rule_id", "words", "reported", "cues"), CASES,
                         ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_context_case(lint, raw_engine, sentence, rule_id, words, reported, cues):
    from linter.read import read_document

    matched = _of(raw_engine.lint(read_document(NAME, sentence.encode())), rule_id)
    assert len(matched) == 1, f"{rule_id} must match once: {matched}"
    assert words in matched[0].text
    assert set(matched[0].cues) == cues
    found = _of(lint(sentence, NAME), rule_id)
    if reported:
        assert [(f.start_offset, f.end_offset, set(f.cues)) for f in found] == [
            (matched[0].start_offset, matched[0].end_offset, cues)]
    else:
        assert found == [], f"{rule_id} reported despite {sorted(cues)}"


@pytest.mark.parametrize("sentence", [
    "It will not fix the underlying causes.",
    "Does this tea cure arthritis?",
    "Many patients who suffer from migraine find that sleep matters.",
    "Take two gummies an hour before bed.",
])
def test_no_line_claim(lint, sentence):
    findings = lint(sentence, NAME)
    assert [f.rule for f in findings if f.requires is None] == []


def test_negation_inside_a_match_is_not_a_negated_cue(lint):
    # The same negation word outside the match does negate it.
    (inside,) = _of(lint("Our balm has no side effects.", NAME), "absolute-safety-claim")
    assert inside.cues == ()
    assert _of(lint("Our balm is not completely safe.", NAME), "absolute-safety-claim") == []


def test_cues_are_per_sentence(lint):
    """A hedge or a question in one sentence says nothing about the next."""
    findings = _of(lint("It may help some people. Can it hurt? Our drip cures fatigue.", NAME), "cure-claim")
    assert len(findings) == 1 and "cures fatigue" in findings[0].text and findings[0].cues == ()


def test_cues_are_reported_in_sorted_order(lint):
    sentence = "“Our gummies have no side effects, according to a 2020 study.”"
    (finding,) = _of(lint(sentence, NAME), "absolute-safety-claim")
    assert finding.cues == ("sourced", "testimony")


def test_quoted_sentence_with_attribution_is_testimony(lint):
    (finding,) = _of(lint("“After two weeks my migraines were gone,” says Tom.", NAME), "outcome-testimonial")
    assert "testimony" in finding.cues and "quoted" not in finding.cues


# Claims that once produced no finding at all; each must now be caught.
ONCE_MISSED = [
    pytest.param(
        "“This tea cured my arthritis,” says Maria.",
        {"cure-claim", "outcome-testimonial", "quoted-outcome-testimonial"},
        id="quoted-testimonial-cure",
    ),
    pytest.param(
        "You will never need insulin again.", {"discourages-essential-treatment"},
        id="never-need-insulin",
    ),
    pytest.param(
        "This balm does not have any side effects.", {"absolute-safety-claim"},
        id="not-have-any-side-effects",
    ),
    pytest.param(
        "Never suffer from migraines again.", {"suffering-appeal"},
        id="never-suffer-again",
    ),
]


@pytest.mark.parametrize(("sentence", "rule_id"), [
    ("The powder cures gout.", "cure-claim"),  # "gout" is tagged VERB by the parser
    ("Our ashwagandha gummies cure insomnia.", "cure-claim"),  # "cure" parsed as a compound noun
    ("Our drops cure glaucoma.", "cure-claim"),  # "drops" parsed as the verb
    ("Fall asleep in minutes.", "speed-permanence-claim"),
])
def test_claims_caught_despite_a_bad_parse_or_odd_wording(lint, sentence, rule_id):
    assert rule_id in {f.rule for f in lint(sentence, NAME)}


@pytest.mark.parametrize(("sentence", "any_of"), ONCE_MISSED)
def test_once_missed_claims_are_caught(lint, sentence, any_of):
    assert {f.rule for f in lint(sentence, NAME)} & any_of


def test_conditional_with_a_misparsed_if_clause(lint):
    assert _of(lint("If a gummy cured depression, psychiatrists would prescribe it.", NAME), "cure-claim") == []


# --- walk() -----------------------------------------------------------------


def _token(doc, word):
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(("sentence", "word"), [
    ("It is not a cure for arthritis.", "cure"),
    ("Advocates claim that the drip cures fatigue.", "cures"),
    ("You don’t have to suffer thanks to at-home ketamine.", "ketamine"),
    ("Research suggests that CBD could relieve anxiety.", "relieve"),
])
def test_walk_follows_the_heads_to_the_root(nlp, sentence, word):
    doc = nlp(sentence)
    anchor = _token(doc, word)
    route = walk(anchor)
    chain = list(route.predicate) + [g for _, g in route.governors]
    assert chain[0] == anchor
    for child, head in zip(chain, chain[1:]):
        assert child.head == head
    assert chain[-1].head == chain[-1]  # the sentence root
    # each governor is reached through the dependency of the token below it
    for (dep, governor), below in zip(route.governors, chain[len(route.predicate) - 1 :]):
        assert below.head == governor and below.dep_ == dep


def test_walk_keeps_the_copula_in_the_predicate(nlp):
    route = walk(_token(nlp("It is not a cure for arthritis."), "cure"))
    assert [t.text for t in route.predicate] == ["cure", "is"]
    assert route.governors == ()


def test_walk_stops_at_a_complement_clause(nlp):
    route = walk(_token(nlp("Advocates claim that the drip cures fatigue."), "cures"))
    assert [t.text for t in route.predicate] == ["cures"]
    assert [(dep, t.text) for dep, t in route.governors] == [("ccomp", "claim")]


def test_walk_stops_at_an_adjunct(nlp):
    # "don’t" negates "have", which is not the predicate of "ketamine".
    route = walk(_token(nlp("You don’t have to suffer thanks to at-home ketamine."), "ketamine"))
    assert "have" not in [t.text for t in route.predicate]
    assert "have" in [t.text for _, t in route.governors]


def test_a_negation_inside_the_match_never_negates_it_from_above(nlp):
    # "no" negates "evidence", which governs the clause of "cures". A match
    # that itself holds the "no" is a claim because of it, like "no side
    # effects"; the normal mode relies on this when it skips the parser.
    from linter.engine.context import ContextFinder, Quotations
    from linter.engine.matching import RawMatch
    from linter.read.offsets import OffsetMap, Segment

    text = "There is no evidence that the tea cures cancer."
    doc = nlp(text)
    no, cures, cancer = _token(doc, "no"), _token(doc, "cures"), _token(doc, "cancer")
    finder = ContextFinder(doc, Quotations((), ()), OffsetMap.of([Segment(0, 0, len(text), len(text))]), {no.i: ("negations",)})
    claim = RawMatch("line:x", cures.i, cancer.i + 1, cures.i, (cures.i, cancer.i))
    assert "negated" in finder.cues(claim)
    holding_the_no = RawMatch("line:x", no.i, cancer.i + 1, cures.i, (no.i, cures.i, cancer.i))
    assert "negated" not in finder.cues(holding_the_no)


# --- quote_regions() --------------------------------------------------------


def _region(text, quoted):
    start = text.index(quoted)
    return (start, start + len(quoted))


def test_quote_regions_straight_quotes():
    text = 'She said "it works" and "it lasts".'
    assert quote_regions(text) == [_region(text, '"it works"'), _region(text, '"it lasts"')]


def test_quote_regions_curly_double_quotes():
    text = "Tom: “my migraines were gone” after two weeks."
    assert quote_regions(text) == [_region(text, "“my migraines were gone”")]


def test_quote_regions_apostrophes_are_not_quotes():
    assert quote_regions("You don’t have to suffer; it’s over.") == []
    assert quote_regions("The patients’ results and the clinic's fees.") == []


def test_quote_regions_apostrophe_inside_a_quote_does_not_close_it():
    text = "She said ‘don’t stop’ today."
    assert quote_regions(text) == [_region(text, "‘don’t stop’")]
    text = "He wrote “it’s a miracle” twice."
    assert quote_regions(text) == [_region(text, "“it’s a miracle”")]


def test_quote_regions_nested_quotes():
    text = "“She told me ‘it works’ yesterday,” he said."
    inner, outer = _region(text, "‘it works’"), _region(text, "“She told me ‘it works’ yesterday,”")
    assert sorted(quote_regions(text)) == sorted([inner, outer])


def test_quote_regions_unclosed_quotes_give_nothing():
    assert quote_regions('An "open quote that never closes.') == []
    assert quote_regions("An “open quote that never closes.") == []


def test_quote_regions_opening_single_quote_needs_a_word_boundary():
    # ‘ glued to a letter is not an opening quote, so the ’ after it closes nothing.
    assert quote_regions("rock‘n’ roll") == []


def test_cites_agrees_with_the_citation_pattern_on_every_sentence_written(corpus):
    from linter.engine.context import CITATION, LOOSE_CITATION, _may_cite, cites

    lines = [line for text in corpus for line in text.splitlines()]
    extra = ["see doi:10.1/x", "at https://example.org", "www.example.org", "(Smith et al., 2021)", "[3]", "n = 40",
             "a 2022 trial", "a trial in 1999", "Smith (٢٠٢١)", "no number here"]
    found = 0
    for line in lines + extra:
        assert cites(line) == bool(CITATION.search(line)), line
        assert _may_cite(line) or not LOOSE_CITATION.search(line), line
        found += cites(line)
    assert found > 20  # the comparison met citations, not only their absence
