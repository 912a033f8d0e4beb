"""Document-level disclaimers: which wordings satisfy each obligation (classes
of wording, with the near misses that must not), which claims call for one
(a reported claim of the triggering kind, not a mention), and the
`in_sentence_with` trigger constraint."""

from __future__ import annotations


import pytest

from linter.packs.loading import validate_files


def required(lint, text: str) -> set[str]:
    """The disclaimers the document is reported to lack."""
    return {f.requires for f in lint(text, name="draft.txt") if f.category == "disclaimer"}


# One claim that calls for each disclaimer, and wordings that must answer it.
CURE = "Our clinic relieves chronic back pain."
TESTIMONIAL = "“My back pain was gone after three sessions,” says Maria."
PROCEDURE = "Our stem cell injections repair damaged knee cartilage."
SUPPLEMENT = "Our ashwagandha capsules support healthy stress levels."


@pytest.mark.parametrize(
    "statement",
    [
        "This page is for informational purposes only and is not medical advice.",
        "Nothing here should be taken as medical advice.",
        "This content is for educational purposes and does not replace professional medical advice.",
        "It is not a substitute for a consultation with your physician.",
        "Talk to your doctor before starting any new treatment.",
        "Speak with your GP before making any change.",
        "Consult a licensed healthcare provider to see whether it suits you.",
        "Check with your own health care provider first.",
        "Patients on blood thinners should discuss it with their care team.",
        "Talk to your doctor about whether it is right for you.",
        "Ask your pharmacist first.",
        "Talk to your doctor or pharmacist about any new treatment.",
    ],
)
def test_medical_advice_wordings(lint, statement):
    assert "medical-advice" not in required(lint, f"{CURE} {statement}")


@pytest.mark.parametrize(
    "near_miss",
    [
        "Talk to our doctors today.",  # a sales line, not advice
        "Book a consultation with our specialist.",
        "Our therapy is a natural alternative to medication.",
        # a precaution for some readers, not advice to every reader
        "Talk to your doctor before use if you are pregnant or nursing.",
        "Stop use and see a doctor if irritation develops.",
        # the DSHEA sentence is about the product, not advice to see a doctor
        "This product is not intended to diagnose, treat, cure or prevent any disease.",
    ],
)
def test_medical_advice_near_misses(lint, near_miss):
    assert "medical-advice" in required(lint, f"{CURE} {near_miss}")


@pytest.mark.parametrize(
    "statement",
    [
        "Individual results vary.",
        "Results may vary.",
        "Results can differ from person to person.",
        "Your results may be different.",
        "Results are not guaranteed.",
        "Her results are not typical.",
        "In our survey the average client reported a small improvement.",
    ],
)
def test_results_vary_wordings(lint, statement):
    assert "results-vary" not in required(lint, f"{TESTIMONIAL} {statement}")


@pytest.mark.parametrize("near_miss", ["Results are guaranteed.", "Results in just one week!"])
def test_results_vary_near_misses(lint, near_miss):
    assert "results-vary" in required(lint, f"{TESTIMONIAL} {near_miss}")


@pytest.mark.parametrize(
    "statement",
    [
        "Side effects can include nausea and headache.",
        "Possible side effects are swelling and soreness.",
        "Side effects: mild bruising and swelling.",
        "Risks include infection and bleeding.",
        "Learn about the benefits and risks before you decide.",
        "The injections may cause bruising at the site.",
        "Any time the skin is pierced, you are at risk for infection.",
        "The procedure is not suitable for people with bleeding disorders.",
        "It is contraindicated in pregnancy.",
        "Possible complications are rare.",
        "Stem cells can interact with other medications you take.",
    ],
)
def test_risk_information_wordings(lint, statement):
    assert "risk-info" not in required(lint, f"{PROCEDURE} {statement}")


@pytest.mark.parametrize(
    "near_miss",
    [
        "Painkillers come with side effects; our treatment is natural.",  # risks of something else
        "Surgery has side effects.",
        "It can lower your risk of arthritis.",  # a claim, not a risk
        "Poor posture can cause back pain.",  # a cause, but not an adverse effect
        "There are no side effects.",
        "It has no known side effects or drug interactions.",
        "There are no side effects: no jitters, no crash.",
    ],
)
def test_risk_information_near_misses(lint, near_miss):
    assert "risk-info" in required(lint, f"{PROCEDURE} {near_miss}")


@pytest.mark.parametrize(
    "statement",
    [
        "*These statements have not been evaluated by the Food and Drug Administration. "
        "This product is not intended to diagnose, treat, cure, or prevent any disease.",
        "†This statement has not been evaluated by the Food & Drug Administration. "
        "These products are not intended to diagnose, treat, cure or prevent any diseases.",
        "The statements on this site have not been evaluated by the FDA. "
        "This supplement is not intended to diagnose, treat, cure or prevent any disease.",
    ],
)
def test_dshea_wordings(lint, statement):
    assert "fda-dshea" not in required(lint, f"{SUPPLEMENT} {statement}")


def test_dshea_needs_both_sentences(lint):
    half = f"{SUPPLEMENT} These statements have not been evaluated by the Food and Drug Administration."
    assert "fda-dshea" in required(lint, half)


def test_dshea_only_for_a_claim_about_a_supplement(lint):
    """The claim's own sentence must name a supplement: an IV-drip page that
    mentions supplements elsewhere makes no supplement claim."""
    assert "fda-dshea" in required(lint, "Lion's mane powder supports cognitive function.")
    assert "fda-dshea" in required(lint, "Our collagen capsules relieve joint pain.")
    clinic = "Many of our patients also take supplements. Our IV drips boost your immune system."
    assert "fda-dshea" not in required(lint, clinic)


def test_risk_information_only_for_a_drug_device_or_procedure(lint):
    assert "risk-info" in required(lint, PROCEDURE)
    assert "risk-info" in required(lint, "Our ketamine infusions relieve depression in days.")
    # A supplement or a tea needs the DSHEA statement, not fair balance.
    assert "risk-info" not in required(lint, "Our turmeric capsules relieve joint pain.")
    # ...unless the copy denies their risks: the answer to that is the risks.
    assert "risk-info" in required(lint, "Our turmeric capsules are 100% safe, with no side effects.")


@pytest.mark.parametrize(
    "text",
    [
        "Semaglutide is a prescription medicine for type 2 diabetes and weight management.",
        "Compounded ketamine is sold by some clinics; ask how it is regulated.",
        "Researchers report that ketamine may ease some people's back pain; the evidence is limited.",
        "Some clinics claim that stem cell injections cure arthritis, but there is no good evidence.",
    ],
)
def test_mentions_and_reported_claims_trigger_nothing(lint, text):
    """Health information that names a drug, hedges, or reports others'
    claims calls for no disclaimer: only a claim the copy makes does."""
    assert required(lint, text) == set()


def test_in_sentence_with_is_validated_like_any_match(tmp_path):
    pack = tmp_path / "extra.yaml"
    pack.write_text(
        """pack: extra
rules:
  - id: missing-thing
    category: disclaimer
    severity: warning
    message: m
    source: s
    suggest: s
    disclaimer:
      requires: fda-dshea
      triggered_by: {categories: [cure], in_sentence_with: {phrasez: [tea]}}
      satisfied_by: {phrases: [ok]}
    examples: {fire: [a], pass: [b]}
""",
        encoding="utf-8",
    )
    problems = [str(p) for p in validate_files([pack])]
    assert any("unknown key 'phrasez'" in p and "in_sentence_with" in p for p in problems), problems


def test_in_sentence_with_limits_every_kind_of_trigger(tmp_path, nlp):
    """A category trigger and a `match` trigger both count only in a sentence
    that also matches `in_sentence_with`."""
    from linter.engine.rule_engine import Engine
    from linter.packs.loading import load_rules
    from linter.read import read_document

    rules = tmp_path / "rules"
    (rules / "extra.yaml").parent.mkdir(parents=True)
    (rules / "extra.yaml").write_text(
        """pack: extra
rules:
  - id: missing-tea-note
    category: disclaimer
    severity: warning
    message: "“{match}”"
    source: s
    suggest: s
    disclaimer:
      requires: fda-dshea
      triggered_by:
        categories: [cure]
        match: {phrases: [soothes]}
        in_sentence_with: {phrases: [tea]}
      satisfied_by: {phrases: [tea note]}
    examples:
      fire: ["Our tea soothes the throat."]
      pass: ["Our oil soothes the throat. We also sell tea."]
""",
        encoding="utf-8",
    )
    engine = Engine(load_rules(("core", "extra"), (rules,)), nlp)

    def lint(text: str) -> list[str]:
        findings = engine.lint(read_document("draft.txt", text.encode()))
        return [f.text for f in findings if f.rule == "missing-tea-note"]

    assert lint("Our tea soothes the throat.") == ["soothes"]
    assert lint("Our oil soothes the throat. We also sell tea.") == []
    assert lint("We sell tea. Our turmeric blend cures arthritis.") == []
    assert lint("Our tea cures arthritis.") != []
    assert lint("Our tea cures arthritis. See the tea note.") == []


def test_half_a_dshea_statement_makes_any_claim_count(lint):
    """A page that carries one DSHEA sentence says it sells a supplement:
    its claims need the whole statement even where a sentence names none."""
    text = "Burns fat while you sleep! These statements have not been evaluated by the FDA."
    assert "fda-dshea" in required(lint, text)
    assert "fda-dshea" not in required(lint, "Burns fat while you sleep!")


def test_one_part_of_a_two_part_disclaimer_found_twice_is_not_the_whole(lint):
    """Each part of `satisfied_by` is counted by its position, not by how
    many satisfying matches the document has."""
    second = "This product is not intended to diagnose, treat, cure or prevent any disease."
    assert "fda-dshea" in required(lint, f"{SUPPLEMENT} {second} {second}")
