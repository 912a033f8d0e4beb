"""How patterns are compiled for spaCy's matchers."""

from __future__ import annotations

import pytest

from linter.engine.matching import _unbounded


def test_a_bounded_gap_is_unrolled_into_a_star_with_a_length_limit():
    pattern = [{"LOWER": "i"}, {"IS_ALPHA": True, "OP": "{0,3}"}, {"LOWER": "gone"}]
    rewritten, longest = _unbounded(pattern)
    assert rewritten[1] == {"IS_ALPHA": True, "OP": "*"}
    assert longest == 5
    assert _unbounded([{"LOWER": "a"}, {"OP": "{1,2}"}])[0][1]["OP"] == "+"


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "a"}, {"OP": "?"}, {"LOWER": "b", "OP": "{0,2}"}],  # two repeats
        [{"LOWER": "a"}, {"LOWER": "b", "OP": "{2,4}"}],  # a minimum above one
        [{"LOWER": "a"}, {"LOWER": "b", "OP": "*"}],  # nothing bounded
    ],
)
def test_other_patterns_are_left_alone(pattern):
    assert _unbounded(pattern) == (pattern, None)


def test_unrolled_gaps_match_exactly_what_spacy_matches(nlp):
    from spacy.matcher import Matcher

    pattern = [{"LOWER": {"IN": ["i", "my"]}}, {"LOWER": {"NOT_IN": ["."]}, "OP": "{0,3}"}, {"LOWER": {"IN": ["gone", "better"]}}]
    rewritten, longest = _unbounded(pattern)
    native, unrolled = Matcher(nlp.vocab), Matcher(nlp.vocab)
    native.add("x", [pattern])
    unrolled.add("x", [rewritten])
    doc = nlp.make_doc("My pain is gone. I feel so much better now, my back is really much better and I am gone gone.")
    expected = sorted((s, e, tuple(a)) for _, s, e, a in native(doc, with_alignments=True))
    got = sorted((s, e, tuple(a)) for _, s, e, a in unrolled(doc, with_alignments=True) if e - s <= longest)
    assert got == expected and len(expected) >= 4


def test_matchers_are_built_per_choice_of_patterns_and_reused(nlp, ruleset):
    from linter.engine.matching import PatternMatchers
    from linter.engine.patterns import PatternTable
    from linter.engine.tagging import LexiconTagger

    table = PatternTable.of(ruleset.rules)
    matchers = PatternMatchers(nlp, table)
    tokens = [e.key for e in table.entries if e.kind == "token" and e.label == "line:outcome-testimonial"]
    doc = nlp("My migraines were gone in a week.")
    LexiconTagger(nlp, ruleset.lexicons).tag(doc)
    first = matchers(doc, tokens[:1])
    built = len(matchers._built)
    assert matchers(doc, tokens[:1]) == first and len(matchers._built) == built
    everything = matchers(doc, tokens)
    more = len(matchers._built)
    assert more > built
    assert matchers(doc, tokens) == everything and len(matchers._built) == more
    assert everything and {m.label for m in everything} >= {m.label for m in first}


def test_the_model_directory_is_found_without_spacy():
    from linter.nlp.loading import model_data_dir

    found = model_data_dir()
    assert found is not None and (found / "config.cfg").is_file() and (found / "meta.json").is_file()
    assert model_data_dir("/no/such/pipeline") is None


def test_full_parse_matching_with_no_token_patterns_raises_no_warning(nlp, ruleset):
    import warnings

    from linter.engine.matching import PatternMatchers
    from linter.engine.patterns import PatternTable
    from linter.engine.tagging import LexiconTagger

    table = PatternTable.of(ruleset.rules)
    trees_only = PatternTable(tuple(e for e in table.entries if e.kind in ("phrase", "dependency")))
    doc = nlp("Our drops relieve migraines.")
    LexiconTagger(nlp, ruleset.lexicons).tag(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # spaCy's Matcher warns when it has no patterns
        assert "line:disease-treatment-claim" in {m.label for m in PatternMatchers(nlp, trees_only).every(doc)}


def test_a_trailing_negated_element_also_holds_at_the_end_of_the_text(nlp):
    from linter.engine.matching import _token_matcher
    from linter.core.model import MatchSpec
    from linter.engine.patterns import TOKEN, PatternEntry

    pattern = ({"LOWER": "fda"}, {"LOWER": "approved"}, {"LOWER": {"IN": ["for", "only"]}, "OP": "!"})
    entry = PatternEntry("t#0", "line:t", TOKEN, 0, MatchSpec(patterns=(pattern,)), needs_parse=False)
    run = _token_matcher(nlp.vocab, [entry])

    def spans(text):
        doc = nlp.make_doc(text)
        return [doc[m.start : m.end].text for _, m in run(doc)]

    assert spans("It is FDA approved") == ["FDA approved"]
    assert spans("It is FDA approved.") == ["FDA approved."]
    assert spans("It is FDA approved for pain.") == []
    assert spans("FDA approved only as an anaesthetic") == []
    assert spans("FDA approved, then sold") == ["FDA approved,"]


def test_every_match_label_stands_for_one_purpose(ruleset):
    """The engine looks a match's label up instead of splitting it: each
    label of the built-in rules names exactly one (kind, rule, part)."""
    from linter.engine.patterns import LINE, SATISFY, labelled_specs, purposes_of

    purposes = [purpose for rule in ruleset.rules for purpose, _ in purposes_of(rule)]
    assert len({purpose.label for purpose in purposes}) == len(purposes)
    assert [label for rule in ruleset.rules for label, _ in labelled_specs(rule)] == [p.label for p in purposes]
    dshea = [p for p in purposes if p.rule_id == "missing-dshea-statement" and p.kind == SATISFY]
    assert [(p.part, p.label) for p in dshea] == [(0, "satisfy0:missing-dshea-statement"), (1, "satisfy1:missing-dshea-statement")]
    assert {p.label for p in purposes if p.kind == LINE} == {f"line:{r.id}" for r in ruleset.rules if not r.is_document_level}


# --- Issue 17, item 5: the token matchers' work per sentence is bounded -------------


def test_windows_cover_every_token_and_overlap(nlp):
    from linter.core.limits import MATCH_WINDOW_OVERLAP, MATCH_WINDOW_TOKENS
    from linter.engine.matching import windows

    short = nlp.make_doc("Our tea cures arthritis.")
    assert [(offset, len(part)) for offset, part in windows(short)] == [(0, len(short))]
    for length in (MATCH_WINDOW_TOKENS + 1, 1_000, 2_345):
        doc = nlp.make_doc(" ".join(["word"] * length))
        parts = list(windows(doc))
        assert all(len(part) <= MATCH_WINDOW_TOKENS for _, part in parts)
        assert parts[0][0] == 0 and parts[-1][0] + len(parts[-1][1]) == length
        for (first, a), (second, _) in zip(parts, parts[1:]):
            assert first + len(a) - second == MATCH_WINDOW_OVERLAP  # each boundary lies inside the next window


def _claims_in_one_long_sentence(positions: list[int], length: int) -> str:
    words = ["and"] * length
    for at in positions:
        words[at : at + 4] = ["our", "tea", "cures", "arthritis"]
    return " ".join(words[:length])


def test_a_claim_anywhere_in_a_sentence_longer_than_a_window_is_found_once(nlp, ruleset):
    from linter.core.limits import MATCH_WINDOW_OVERLAP, MATCH_WINDOW_TOKENS
    from linter.engine.rule_engine import Engine
    from linter.read import read_document

    step = MATCH_WINDOW_TOKENS - MATCH_WINDOW_OVERLAP
    # At the start, straddling each kind of window edge, inside an overlap, at the end.
    positions = [0, step - 2, MATCH_WINDOW_TOKENS - 2, MATCH_WINDOW_TOKENS + 7, 3 * step - 1, 1_196]
    text = _claims_in_one_long_sentence(positions, 1_200)
    engine = Engine(ruleset, load_nlp=lambda: nlp)
    findings = [f for f in engine.lint(read_document("long.txt", text.encode())) if f.rule == "cure-claim"]
    starts = sorted(f.column - 1 for f in findings)
    # The finding starts at "tea", four characters into "our tea cures arthritis".
    expected = sorted(len(" ".join(text.split()[:at])) + (1 if at else 0) + len("our ") for at in positions)
    assert starts == expected
    assert {f.text for f in findings} == {"tea cures arthritis"}


def test_no_token_matcher_runs_over_more_than_a_window(nlp, ruleset, monkeypatch):
    from spacy.matcher import Matcher

    from linter.core.limits import MATCH_WINDOW_TOKENS
    from linter.engine.rule_engine import Engine
    from linter.read import read_document

    lengths = []
    real_call = Matcher.__call__

    class Counting(Matcher):
        def __call__(self, doclike, *args, **kwargs):
            lengths.append(len(doclike))
            return real_call(self, doclike, *args, **kwargs)

    monkeypatch.setattr("spacy.matcher.Matcher", Counting)
    text = _claims_in_one_long_sentence([10, 500, 2_900], 3_000)  # one 3,000-word "sentence"
    engine = Engine(ruleset, load_nlp=lambda: nlp, full_parse=True)
    assert [f for f in engine.lint(read_document("long.txt", text.encode())) if f.rule == "cure-claim"]
    assert lengths and max(lengths) <= MATCH_WINDOW_TOKENS
