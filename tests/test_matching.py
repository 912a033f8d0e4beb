"""How patterns are compiled for spaCy's matchers."""

from __future__ import annotations

import pytest

from linter.matching import _unbounded


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
