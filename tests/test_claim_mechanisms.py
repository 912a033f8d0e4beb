"""The mechanisms that find claims in copy the rules were not written from.

A health claim is an effect on a health target, asserted by the writer. These
tests pin each general mechanism with sentences written for the mechanism:
the general effect rule (any subject, or none), the context cues that keep it
honest (`described`, `physiology`, questions that presuppose, contrastive
negation, reporting verbs), fallback rules, and pass examples that must pass
for the reason they give.
"""

from __future__ import annotations

import pytest

from linter.engine.rule_engine import Engine, _SpanSet
from linter.engine.rule_examples import check_examples, wrong_reason
from linter.read import read_document

NAME = "copy.txt"


def _doc(text: str):
    return read_document(NAME, text.encode())


def _raw(engine, text: str, rule_id: str):
    """Every match of `rule_id`, with its cues, whether reported or not."""
    return [f for f in engine.lint(_doc(text), one_per_claim=False, keep_suppressed=True) if f.rule == rule_id]


def _reported(engine, text: str, rule_id: str):
    return [f for f in engine.lint(_doc(text)) if f.rule == rule_id]


# (sentence, words inside the match, reported?, a cue that must be present)
EFFECT_CASES = [
    # any subject, or none at all
    ("Our clinic treats sciatica without injections.", "treats sciatica", True, None),
    ("We successfully treat fibromyalgia.", "treat fibromyalgia", True, None),
    ("Boosts your immune system in days.", "Boosts your immune system", True, None),
    ("The chamber accelerates healing after surgery.", "accelerates healing", True, None),
    ("Protects against colds all winter long.", "Protects against colds", True, None),
    ("This tea helps flush out toxins.", "flush out toxins", True, None),
    ("Knee Cartilage Regeneration", "Regeneration", True, None),
    ("Eczema Relief", "Relief", True, None),
    ("That is why our drops are so effective for migraines.", "effective for migraines", True, None),
    # described uses and studies are not the writer's promise...
    ("Doxycycline is used to treat acne.", "treat acne", False, "described"),
    ("Dermatologists prescribe it to treat rosacea.", "treat rosacea", False, "described"),
    ("Its effectiveness in treating insomnia is unclear.", "treating insomnia", False, "described"),
    ("Regulators warn against using the drops to treat glaucoma.", "treat glaucoma", False, "described"),
    # ...unless the writer, the reader or the product is the one using it
    ("We use cold lasers to treat tendon pain.", "treat tendon pain", True, None),
    ("Use our serum to treat acne.", "treat acne", True, None),
    ("The procedure uses your own plasma to relieve joint pain.", "relieve joint pain", True, None),
    # the body or a condition acting is physiology
    ("Your liver removes toxins every day.", "removes toxins", False, "physiology"),
    ("Our tea removes toxins every day.", "removes toxins", True, None),
    ("Regular exercise lowers blood pressure.", "lowers blood pressure", False, "physiology"),
    # improving verbs take functions, not conditions: no claim at all
    ("Sugar increases inflammation.", None, False, None),
    ("Smoking increases the risk of heart disease.", None, False, None),
]


@pytest.mark.parametrize(("sentence", "words", "reported", "cue"), EFFECT_CASES, ids=[c[0] for c in EFFECT_CASES])
def test_health_effect_claim(engine, sentence, words, reported, cue):
    raw = _raw(engine, sentence, "health-effect-claim")
    if words is None:
        assert raw == []
        return
    assert raw and any(words in f.text for f in raw), raw
    if cue is not None:
        assert all(cue in f.cues for f in raw)
    # Reported by this rule, or by a specific rule it stands back for.
    claims = [f for f in engine.lint(_doc(sentence)) if f.requires is None and f.category in ("efficacy", "cure")]
    assert bool(claims) == reported, claims


def test_help_is_not_a_hedge_but_may_help_is(engine):
    (plain,) = _raw(engine, "This tea helps flush out toxins.", "health-effect-claim")
    (hedged,) = _raw(engine, "This tea may help flush out toxins.", "health-effect-claim")
    assert "hedged" not in plain.cues and "hedged" in hedged.cues
    assert _reported(engine, "This tea helps flush out toxins.", "disease-treatment-claim")
    assert not [f for f in engine.lint(_doc("This tea may help flush out toxins.")) if f.requires is None]


@pytest.mark.parametrize(("sentence", "question"), [
    ("What pain can this balm relieve?", False),  # takes the claim for granted
    ("How well does our balm relieve arthritis?", False),
    ("But which symptoms does the drip relieve?", False),
    ("Can this balm relieve arthritis?", True),  # asks whether it holds
    ("What study shows that our balm relieves arthritis?", True),  # asks who makes the claim
    ("Does our balm relieve arthritis?", True),
])
def test_questions_that_presuppose_the_claim_are_no_question_cue(engine, sentence, question):
    raw = [f for f in engine.lint(_doc(sentence), one_per_claim=False, keep_suppressed=True) if f.requires is None]
    assert raw, "some efficacy rule matches"
    assert all(("question" in f.cues) == question for f in raw)


@pytest.mark.parametrize(("sentence", "hedged"), [
    ("Our clinic offers real hope for chronic migraines.", False),  # "hope", the thing promised
    ("We hope our drops relieve chronic migraines.", True),  # "hope", the verb
    ("Physiotherapy can often relieve back pain.", True),  # a frequency qualifies the claim
])
def test_hedge_words_by_their_role(engine, sentence, hedged):
    raw = [f for f in engine.lint(_doc(sentence), one_per_claim=False, keep_suppressed=True)
           if f.requires is None and f.category == "efficacy"]
    assert raw, sentence
    assert all(("hedged" in f.cues) == hedged for f in raw), raw


def test_contrastive_negation_does_not_deny(engine):
    contrast = _raw(engine, "This drip does not simply ease fatigue.", "health-effect-claim")
    denial = _raw(engine, "This drip does not ease fatigue.", "health-effect-claim")
    assert contrast and all("negated" not in f.cues for f in contrast)
    assert denial and all("negated" in f.cues for f in denial)


def test_the_subject_of_a_reporting_verb_is_no_reported_claim(engine):
    # "98% of users" is the writer's figure; what they say is reported.
    assert _reported(engine, "98% of users say our drops changed their life.", "unsourced-statistic")
    assert not _reported(engine, "Some sellers say 98% of users recover.", "unsourced-statistic")


def test_a_reporting_verb_named_by_the_pattern_still_reports(engine):
    text = "The tonic is hyped as being able to delay aging and lift depression."
    assert not [f for f in engine.lint(_doc(text)) if f.category == "efficacy"]


def test_a_fallback_rule_stands_back_for_a_specific_one(engine):
    text = "Our gummies cure insomnia."
    rules = {f.rule for f in engine.lint(_doc(text))}
    assert "cure-claim" in rules and "health-effect-claim" not in rules
    # each rule on its own (as rule examples are run) still matches
    assert _raw(engine, text, "health-effect-claim")


def test_span_set_answers_overlap_for_nested_and_disjoint_spans():
    class Hit:  # only the offsets matter
        def __init__(self, start, end):
            self.start, self.end = start, end

    spans = _SpanSet([Hit(0, 50), Hit(5, 10), Hit(60, 70)])
    assert spans.overlaps(40, 45)  # inside the long first span, past the short one
    assert spans.overlaps(65, 90)
    assert not spans.overlaps(50, 60)
    assert not spans.overlaps(70, 80)
    assert not _SpanSet([]).overlaps(0, 10)


@pytest.mark.parametrize("text", [
    "Doxycycline is used to treat acne. We use it to treat acne.",
    "Your liver removes toxins. Our tea removes toxins.",
    "What pain can it relieve? Can it relieve pain?",
    "Boosts immunity. The chamber accelerates healing. Flu Fighter tonic.",
])
def test_parse_only_cues_give_the_same_findings_in_both_modes(ruleset, nlp, text):
    normal = Engine(ruleset, nlp).lint(_doc(text))
    full = Engine(ruleset, nlp, full_parse=True).lint(_doc(text))
    assert normal == full


# --- pass examples that say why they pass

PACK = """\
pack: mine
description: test pack
rules:
  - id: tea-cure
    category: cure
    severity: error
    message: "{match}"
    source: "FDCA"
    suggest: "Do not."
    match:
      phrases: [cures arthritis]
    examples:
      fire: ["Our tea cures arthritis."]
      pass:
        - {text: "Our tea never cures arthritis.", because: negated}
        - {text: "Our tea is nice.", because: no-match}
        - "Can our tea cure arthritis?"
"""


def _load(tmp_path, text):
    from linter.packs.loading import load_rules

    rules = tmp_path / "rules"
    (rules / "lexicons").mkdir(parents=True)
    (rules / "mine.yaml").write_text(text, encoding="utf-8")
    return load_rules(["mine"], extra_dirs=[rules])


def test_pass_reasons_are_read_and_checked(tmp_path, nlp):
    ruleset = _load(tmp_path, PACK)
    (rule,) = [r for r in ruleset.rules if r.id == "tea-cure"]
    assert rule.examples.passes() == (
        ("Our tea never cures arthritis.", "negated"),
        ("Our tea is nice.", "no-match"),
        ("Can our tea cure arthritis?", None),
    )
    assert check_examples(Engine(ruleset, nlp)) == []


@pytest.mark.parametrize(("text", "because", "complaint"), [
    ("Our tea never cures arthritis.", "no-match", "for lack of a match"),  # it matches, negated
    ("Our tea is nice.", "negated", "does not match it at all"),
    ("Our tea never cures arthritis.", "question", "a match has cues [negated]"),
])
def test_a_pass_example_that_passes_for_another_reason_fails(tmp_path, nlp, text, because, complaint):
    ruleset = _load(tmp_path, PACK)
    rule = next(r for r in ruleset.rules if r.id == "tea-cure")
    assert complaint in wrong_reason(Engine(ruleset, nlp), rule, text, because)


def test_an_unknown_reason_is_an_error_with_its_position(tmp_path):
    from linter.core.errors import OverclaimError

    bad = PACK.replace("because: negated}", "because: sourced}")
    with pytest.raises(OverclaimError) as info:
        _load(tmp_path, bad)
    message = str(info.value)
    assert "mine.yaml:15:" in message and "'because'" in message and "sourced" in message


@pytest.mark.parametrize("bullet", ["•", "➔", "-", "✔", "2)", "3."])
def test_a_leading_bullet_is_not_part_of_the_sentence(engine, bullet):
    text = f"{bullet} Relieves joint pain\n"
    (found,) = [f for f in engine.lint(_doc(text)) if f.rule == "disease-treatment-claim"]
    assert (found.line, found.column, found.text) == (1, len(bullet) + 2, "Relieves joint pain")


def test_a_fallback_rule_does_not_stand_back_for_another_kind_of_claim(engine):
    # "Boosts your energy" is an efficacy claim whatever a speed rule says of the same words.
    text = "Boosts your energy instantly."
    rules = {f.rule for f in engine.lint(_doc(text)) if f.requires is None}
    assert {"health-effect-claim", "speed-permanence-claim"} <= rules


def test_a_source_in_the_next_sentence_of_the_paragraph_sources_the_claim(engine):
    cited = "In trials, 80% of patients improved. (Okafor et al., 2022)\n"
    uncited = "In trials, 80% of patients improved. Book a visit today.\n"
    apart = "In trials, 80% of patients improved.\n\n(Okafor et al., 2022)\n"
    assert not _reported(engine, cited, "unsourced-statistic")
    assert "sourced" in _raw(engine, cited, "unsourced-statistic")[0].cues
    assert _reported(engine, uncited, "unsourced-statistic")
    assert _reported(engine, apart, "unsourced-statistic")  # another paragraph sources nothing


@pytest.mark.parametrize(("sentence", "conceded"), [
    ("While our infusions can help reduce back pain, they are not a cure.", True),
    ("Although the balm can soothe eczema, it will not heal it.", True),
    ("While you sleep, our patch relieves back pain.", False),  # a time, not a concession
    ("While our infusions reduce back pain, they also lift your mood.", False),  # nothing denied
])
def test_a_claim_conceded_before_a_denial_is_qualified(engine, sentence, conceded):
    raw = [f for f in engine.lint(_doc(sentence), one_per_claim=False, keep_suppressed=True)
           if f.requires is None and f.category == "efficacy" and "while" not in f.text.lower()]
    assert raw, sentence
    first = min(raw, key=lambda f: f.start_offset)
    assert ("hedged" in first.cues) == conceded, raw


def test_plain_terms_get_the_word_forms_the_tokenizer_would_give(nlp, ruleset):
    """The tagger's fast path for plain terms agrees with the tokenizer on
    every term of the built-in lexicons that it takes."""
    from linter.engine.tagging import LexiconTagger

    lookups = nlp.vocab.lookups
    norms = lookups.get_table("lexeme_norm") if lookups.has_table("lexeme_norm") else {}
    special = nlp.tokenizer.rules or {}
    taken = 0
    for lexicon in ruleset.lexicons:
        for term in lexicon.terms:
            for surface in (term.text, *term.forms):
                fast = LexiconTagger._plain_word_bases(surface, norms, special)
                if fast is not None:
                    taken += 1
                    assert fast == LexiconTagger._word_bases(nlp, surface), surface
    assert taken > 3000
    # A word's bases: the word as written and its norm (both are inflected when matched).
    assert LexiconTagger._plain_word_bases("anaemia", {"anaemia": "anemia"}, {}) == (frozenset({"anemia", "anaemia"}),)
    assert LexiconTagger._plain_word_bases("can't stop", {}, {}) is None  # not plain: the tokenizer decides
