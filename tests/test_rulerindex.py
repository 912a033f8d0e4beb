"""The indexed attribute ruler must annotate exactly like spaCy's own."""

from __future__ import annotations


from linter.spacy_compat.attribute_ruler import IndexedMatch

# Copy written for this test: contractions, spoken forms, pronouns in every
# role, auxiliaries, "there is", odd spacing: what the ruler's patterns test.
TEXT = """Our gummies relieve joint pain, and I'd say they've changed my life.
She's been taking them; he'd had doubts, but it's his choice and hers.
Y'all gonna love it. C'mon, let's try: ain't nothin' like it, gotta admit.
There is but one way.  There are two  spaces here and   three there.
You told me it works for them; we gave it to you and it helped us.
Do you know? Does it? Did they? I have, he has, she had, we'd done it.
"""


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_the_loaded_pipeline_uses_the_index(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler").match, IndexedMatch)


def test_every_token_is_annotated_as_by_the_stock_ruler(nlp, stock_nlp):
    texts = [line for line in TEXT.splitlines()] + [TEXT]
    for ours, theirs in zip(nlp.pipe(texts), stock_nlp.pipe(texts)):
        assert _annotations(ours) == _annotations(theirs)


def test_the_matches_are_the_stock_ruler_matches(stock_nlp):
    ruler = stock_nlp.get_pipe("attribute_ruler")
    indexed = IndexedMatch(ruler)
    for doc in stock_nlp.pipe(TEXT.splitlines(), disable=["attribute_ruler", "lemmatizer"]):
        assert indexed(doc) == ruler.match(doc)
