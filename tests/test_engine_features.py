"""Engine mechanisms that rules rely on: the off-label table, cue-gated
rules, disclaimer context, wildcard gaps, and quotation kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.engine.context import is_mention, quote_regions
from linter.core.errors import RuleFileError
from linter.engine.matching import _gap_elements
from linter.packs.loading import load_rules, validate_files


def rules_fired(lint, text: str) -> set[str]:
    return {finding.rule for finding in lint(text, name="draft.txt")}


@pytest.mark.parametrize(
    "text, fires",
    [
        ("Spravato treats treatment-resistant depression.", False),  # its approved use
        ("Spravato treats anxiety.", True),
        ("Ketamine relieves depression.", True),  # approved only as an anaesthetic
        ("Wegovy reduces obesity.", False),
        ("Ozempic melts belly fat.", True),  # Ozempic's approval is for diabetes
    ],
)
def test_offlabel_follows_the_approval_table(lint, text, fires):
    assert ("offlabel-promotion" in rules_fired(lint, text)) is fires


def test_only_when_rule_needs_its_cue(lint):
    assert "hedged-serious-disease-claim" in rules_fired(lint, "Our mushroom extract may help prevent dementia.")
    unhedged = rules_fired(lint, "Our mushroom extract prevents dementia.")
    assert "hedged-serious-disease-claim" not in unhedged
    assert "disease-treatment-claim" in unhedged


def test_dshea_disclaimer_only_where_a_supplement_is_sold(lint):
    assert "missing-dshea-statement" in rules_fired(lint, "Our capsules support healthy joints.")
    assert "missing-dshea-statement" not in rules_fired(lint, "Our clinic supports healthy recovery.")


def test_negation_in_a_wildcard_gap_still_counts(lint):
    assert "outcome-testimonial" in rules_fired(lint, "My back pain is completely gone.")
    assert "outcome-testimonial" not in rules_fired(lint, "My back pain was not gone, but it eased.")


def test_gap_elements_are_the_repeatable_ones():
    pattern = [{"LOWER": "i"}, {"OP": "{0,12}"}, {"LOWER": "gone", "OP": "?"}, {"POS": "DET", "OP": "*"}, {"OP": "+"}]
    assert _gap_elements(pattern) == frozenset({1, 3, 4})


@pytest.mark.parametrize(
    "quotation, mention",
    [
        ('"guaranteed results"', True),
        ("“stops the ringing in 7 days”", True),
        ("“Instant relief every single time.”", False),  # a quoted sentence is somebody's words
        ("“I walked in with PTSD and walked out a new person, nothing else came close”", False),
    ],
)
def test_short_fragments_are_mentions_sentences_are_testimony(quotation, mention):
    assert is_mention(quotation) is mention


def test_quote_regions_ignore_apostrophes():
    text = "Don’t miss ‘miracle’ claims: “it works,” she said."
    assert [text[a:b] for a, b in quote_regions(text)] == ["‘miracle’", "“it works,”"]


def test_rhetorical_question_still_asserts(lint):
    assert "unsourced-statistic" in rules_fired(lint, "Did you know that 80% of illnesses start in the gut?")
    assert "unsourced-statistic" not in rules_fired(lint, "Do 80% of patients improve?")


def test_testimony_cue_reported_on_quoted_claims(lint):
    findings = lint("“This balm cures eczema, I swear.” — Ana", name="draft.txt")
    cure = [f for f in findings if f.rule == "cure-claim"]
    assert cure and "testimony" in cure[0].cues


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_approved_for_must_name_known_conditions(tmp_path):
    lexicon = _write(
        tmp_path / "rules" / "lexicons" / "drugs-extra.yaml",
        "lexicon: drugs-extra\nterms:\n  - {term: zolpex, approved_for: [insomnia, moonsickness]}\n",
    )
    with pytest.raises(RuleFileError) as raised:
        load_rules(("core",), (tmp_path / "rules",))
    assert f"{lexicon}:3:5: 'approved_for' of term 'zolpex' names 'moonsickness'" in str(raised.value)


def test_only_if_is_validated_like_any_match(tmp_path):
    pack = _write(
        tmp_path / "extra.yaml",
        """pack: extra
rules:
  - id: missing-thing
    category: disclaimer
    severity: warning
    message: m
    source: s
    suggest: s
    disclaimer:
      requires: medical-advice
      triggered_by: {categories: [cure]}
      satisfied_by: {phrases: [ok]}
      only_if: {phrasez: [tea]}
    examples: {fire: [a], pass: [b]}
""",
    )
    problems = [str(p) for p in validate_files([pack])]
    assert any(p.startswith(f"{pack}:13:17: unknown key 'phrasez'") and "did you mean 'phrases'" in p for p in problems), problems


@pytest.mark.parametrize(
    "start, end, overlaps",
    [(0, 5, False), (0, 6, True), (10, 20, False), (59, 70, True), (60, 70, False), (36, 40, True)],
)
def test_quotation_overlap_uses_the_furthest_reach(start, end, overlaps):
    from linter.engine.context import Quotations

    quotations = Quotations(mentions=((5, 10),), speech=((20, 60), (30, 35)))
    assert quotations.overlaps(start, end) is overlaps


def test_negated_contractions_found_without_rescanning():
    from linter.engine.prefilter import words_of

    assert {"do", "is", "not", "n't"} <= words_of("Don’t worry, it isn't far.")


def test_clinical_conditions_extend_the_conditions_class(ruleset, lint):
    clinical = next(lexicon for lexicon in ruleset.lexicons if lexicon.name == "clinical-conditions")
    conditions = next(lexicon for lexicon in ruleset.lexicons if lexicon.name == "conditions")
    assert clinical.tags == ("conditions",) and len(clinical.terms) > 2000
    # The generated list adds to the hand-curated one, never repeats it.
    curated = {term.text.casefold() for term in conditions.terms}
    assert not curated & {term.text.casefold() for term in clinical.terms}
    # "blepharitis" is only in the generated lexicon; `LEX: conditions` still sees it.
    assert "blepharitis" not in curated
    assert "cure-claim" in rules_fired(lint, "This eye balm cures blepharitis for good.")
    assert "cure-claim" not in rules_fired(lint, "No balm cures blepharitis.")
    # Everyday words the generator's stop list keeps out stay out.
    assert not {"fever", "cold", "burn", "fall", "sedative"} & {term.text for term in clinical.terms}


def test_a_lexicon_level_tag_is_matched_by_lex(tmp_path, nlp):
    from linter.engine.rule_engine import Engine
    from linter.read import read_document

    _write(tmp_path / "rules" / "lexicons" / "ailments.yaml", "lexicon: ailments\nterms: [gout]\n")
    _write(
        tmp_path / "rules" / "lexicons" / "rare-ailments.yaml",
        "lexicon: rare-ailments\ntags: [ailments]\nterms: [spondylosis, {term: kuru, tags: [grave]}]\n",
    )
    _write(
        tmp_path / "rules" / "house.yaml",
        """\
pack: house
rules:
  - id: house-cure
    category: cure
    severity: warning
    message: "“{match}” is a cure claim."
    source: "test"
    suggest: "Do not."
    match:
      patterns: [[{LEMMA: cure}, {LEX: ailments}]]
    escalate: [{tag: grave, severity: error}]
    examples:
      fire: ["Our salve cures spondylosis."]
      pass: ["Our salve cures nothing."]
""",
    )
    engine = Engine(load_rules(("house",), (tmp_path / "rules",)), nlp)

    def found(text: str) -> list[tuple[str, str]]:
        return [(f.rule, f.severity.label) for f in engine.lint(read_document("draft.txt", text.encode()))]

    assert found("Our salve cures gout.") == [("house-cure", "warning")]
    assert found("Our salve cures spondylosis.") == [("house-cure", "warning")]
    assert found("Our salve cures kuru.") == [("house-cure", "error")]
    assert found("Our salve cures boredom.") == []
