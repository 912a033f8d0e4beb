"""How the pipeline multiplies matrices: NumPy's BLAS, one thread.

Most of the parse time of spaCy's small English pipeline is matrix products
(the tok2vec layer's convolutions, then the parser's). thinc does them with
its bundled BLIS by default. NumPy's own BLAS (OpenBLAS in NumPy's wheels,
MKL in conda's) picks its kernels for the CPU it runs on; on the development
machine (AMD EPYC, AVX-512) it multiplies the tok2vec's matrices three times
as fast as BLIS on one thread, and the whole pipeline runs about 1.4x faster.
The annotations are the same (tests/test_matrix_ops.py compares both on the
repository's prose): only the order of floating-point additions differs.

NumPy's BLAS would use every core. A parse runs on one thread, so that one
overclaim process uses one core, as `--jobs` assumes when it starts one
worker per core, and a language server does not take the editor's cores.
The limit holds only while a batch is parsed (threadpoolctl's context
manager): a program that embeds overclaim keeps its own BLAS settings.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, MutableMapping

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController


def one_blas_thread_from_the_start(environ: MutableMapping[str, str] = os.environ) -> None:
    """Have OpenBLAS (NumPy's wheels) start with one thread, unless the
    user chose a number: it is only ever given one (`OneThread`), and
    starting a pool for every core made importing NumPy 0.06 s slower on
    the development machine (0.14 against 0.08 s). Read once, when NumPy
    loads OpenBLAS, so only a program's entry point may call this (the
    `overclaim` command does; a program that imports overclaim keeps its
    own settings)."""
    environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def load_with_numpy_ops(load: Callable[[], Any]) -> Any:
    """`load()` (a spaCy pipeline) with NumPy's BLAS as the matrix backend of
    every layer. thinc gives each layer the ops current when it is created;
    a layer a component makes with its own ops (the parser's output layer)
    is given them after loading."""
    from thinc.api import NumpyOps, use_ops

    ops = NumpyOps(use_blis=False)
    with use_ops("numpy", use_blis=False):
        nlp = load()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            if isinstance(node.ops, NumpyOps):
                node.ops = ops
    return nlp


class OneThread:
    """Runs a parse with NumPy's BLAS on one thread (see the module's note)."""

    def __init__(self) -> None:
        self._controller: "ThreadpoolController | None" = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self._controller is None:
            from threadpoolctl import ThreadpoolController

            self._controller = ThreadpoolController()  # finds the loaded BLAS libraries, once
        with self._controller.limit(limits=1, user_api="blas"):
            yield


def parse_all(nlp: Any, docs: list, one_thread: OneThread) -> list:
    """Every doc of `docs` through the pipeline, as one batch, on one BLAS thread."""
    with one_thread():
        return list(nlp.pipe(docs, batch_size=max(1, len(docs))))
