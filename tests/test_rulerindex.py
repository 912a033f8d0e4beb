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


def test_the_several_token_patterns_run_only_on_docs_holding_their_words(stock_nlp):
    # spaCy's Matcher (patterns of several tokens, or expressions) costs as
    # much per call as the lookups: it runs only where a pattern could match
    # ("is" alone is not enough for "there is": that needs the expletive).
    ruler = stock_nlp.get_pipe("attribute_ruler")
    indexed = IndexedMatch(ruler)
    matcher, called = indexed._rest, []
    indexed._rest = lambda doc, **options: called.append(doc.text) or matcher(doc, **options)
    texts = ["Our gummies relieve joint pain.", "Y'all gonna love it.", "There is one way.", "Nothin' compares.", "The pain is gone."]
    for doc in stock_nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer"]):
        assert indexed(doc) == ruler.match(doc)
    assert called == ["Y'all gonna love it.", "There is one way.", "Nothin' compares."]


def test_the_token_memo_stays_bounded_and_answers_the_same(stock_nlp, monkeypatch):
    from linter.spacy_compat import attribute_ruler

    monkeypatch.setattr(attribute_ruler, "TOKEN_MEMO_SIZE", 5)
    ruler = stock_nlp.get_pipe("attribute_ruler")
    indexed = IndexedMatch(ruler)
    for doc in stock_nlp.pipe(TEXT.splitlines() * 2, disable=["attribute_ruler", "lemmatizer"]):
        assert indexed(doc) == ruler.match(doc)
        assert len(indexed._token_matches) <= 5 + 1 + len(doc)  # cleared before a Doc once over the bound
