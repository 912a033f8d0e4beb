"""The pipeline multiplies matrices with NumPy's BLAS on one thread
(linter/nlp/matrix_ops.py): the same annotations as thinc's default (BLIS),
every layer on NumPy's BLAS, one BLAS thread only while a batch is parsed,
and the same parse for a sentence whatever batch it is in."""

from __future__ import annotations


from linter.nlp.matrix_ops import OneThread, parse_all


def _layers_use_blis(nlp) -> set[bool]:
    return {getattr(node.ops, "use_blis", None) for _, component in nlp.pipeline if getattr(component, "model", None) is not None
            for node in component.model.walk()}


def test_every_layer_of_the_loaded_pipeline_multiplies_with_numpy(nlp, stock_nlp):
    assert _layers_use_blis(nlp) == {False}
    assert _layers_use_blis(stock_nlp) == {True}  # the default this replaces


def _annotations(doc):
    return [(t.i, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_) for t in doc]


def test_the_whole_corpus_is_annotated_as_with_blis(nlp, stock_nlp, corpus):
    ours = parse_all(nlp, [nlp.make_doc(text) for text in corpus], OneThread())
    theirs = list(stock_nlp.pipe(corpus, batch_size=256))
    differing = [a.text[:80] for a, b in zip(ours, theirs) if _annotations(a) != _annotations(b)]
    assert len(ours) == len(corpus) > 4_000 and differing == []


def _blas_threads() -> set[int]:
    from threadpoolctl import threadpool_info

    return {library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"}


def test_one_blas_thread_while_parsing_and_the_setting_restored_after(nlp):
    from threadpoolctl import threadpool_limits

    seen: list[set[int]] = []
    one_thread = OneThread()
    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()

        def watching_pipe(docs, batch_size):
            seen.append(_blas_threads())
            return nlp.pipe(docs, batch_size=batch_size)

        class Watched:
            pipe = staticmethod(watching_pipe)

        docs = parse_all(Watched(), [nlp.make_doc("Our tea cures arthritis."), nlp.make_doc("It may help.")], one_thread)
        after = _blas_threads()
    assert before == {2} and seen == [{1}] and after == {2}
    assert [t.dep_ for t in docs[0]][:3] != ["", "", ""]  # parsed


def test_a_sentences_parse_does_not_depend_on_its_batch(nlp, corpus):
    """Files are linted together so that their sentences share parse batches
    (Engine.lint_many): each file's findings must be its own."""
    texts = corpus[::5]
    one_thread = OneThread()
    together = [_annotations(d) for d in parse_all(nlp, [nlp.make_doc(t) for t in texts], one_thread)]
    for size in (1, 7):
        apart = [_annotations(d) for start in range(0, len(texts), size)
                 for d in parse_all(nlp, [nlp.make_doc(t) for t in texts[start : start + size]], one_thread)]
        assert apart == together, size
