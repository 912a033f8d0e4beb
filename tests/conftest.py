"""Shared fixtures for the engine and CLI tests.

Loading the spaCy pipeline takes about a second, so it is loaded once per
session and shared by every engine the tests build. The reader tests do not
use these fixtures and never pay for spaCy.
"""

from __future__ import annotations

from typing import Callable

import pytest

from linter.core.model import Finding


@pytest.fixture(scope="session")
def nlp():
    from linter.nlp.loading import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def ruleset():
    from linter.packs.loading import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def engine(ruleset, nlp):
    from linter.engine.rule_engine import Engine

    return Engine(ruleset, nlp)


Lint = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def lint(engine) -> Lint:
    """lint(text, name="draft.md") -> findings; the name's extension picks the reader.

    `text` may also be bytes, passed to the reader as they are (BOMs, odd encodings).
    """
    from linter.read import read_document

    def run(text: str | bytes, name: str = "draft.md") -> list[Finding]:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        return engine.lint(read_document(name, data))

    return run


@pytest.fixture(scope="session")
def _rules_cache():
    return {}


@pytest.fixture
def fast_cli(nlp, _rules_cache, monkeypatch):
    """Make CLI runs in this process cheap: reuse the session pipeline and
    parsed rule packs instead of loading them on every invocation.

    Only the default pipeline is shared: a `model` named in config still goes
    through the real loader, so the "model not installed" error stays real.
    Rule packs are cached by (packs, rule_dirs) (parsing them takes ~0.2 s);
    config is still read and applied on every run.
    """
    import linter.nlp.loading
    import linter.packs.loading

    real_pipeline = linter.nlp.loading.load_pipeline
    real_rules = linter.packs.loading.load_rules

    def load_pipeline(configured: str | None = None):
        return nlp if configured is None else real_pipeline(configured)

    def load_rules(packs=None, extra_dirs=()):
        key = (tuple(packs) if packs is not None else None, tuple(str(d) for d in extra_dirs))
        if key not in _rules_cache:
            _rules_cache[key] = real_rules(packs, extra_dirs)
        return _rules_cache[key]

    monkeypatch.setattr(linter.nlp.loading, "load_pipeline", load_pipeline)
    monkeypatch.setattr(linter.packs.loading, "load_rules", load_rules)
    if hasattr(linter.packs.loading, "known_rule_ids"):  # reads every pack's YAML again on each run
        real_ids = linter.packs.loading.known_rule_ids

        def known_rule_ids(extra_dirs=()):
            key = ("known-ids", tuple(str(d) for d in extra_dirs))
            if key not in _rules_cache:
                _rules_cache[key] = real_ids(extra_dirs)
            return _rules_cache[key]

        monkeypatch.setattr(linter.packs.loading, "known_rule_ids", known_rule_ids)


@pytest.fixture(scope="session", autouse=True)
def _private_rule_cache(tmp_path_factory):
    """Keep the rule cache of test runs out of the user's home directory."""
    import os

    previous = os.environ.get("OVERCLAIM_CACHE_DIR")
    os.environ["OVERCLAIM_CACHE_DIR"] = str(tmp_path_factory.mktemp("rule-cache"))
    yield
    if previous is None:
        os.environ.pop("OVERCLAIM_CACHE_DIR", None)
    else:
        os.environ["OVERCLAIM_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _no_result_cache(request, monkeypatch):
    """In-process runs lint every file, so that a test which changes how
    linting behaves (a failing engine, a missing model) is never answered
    from an earlier test's cached result. Tests of the cache ask for the
    `result_cache` fixture (tests/test_resultcache.py)."""
    if "result_cache" in request.fixturenames:
        return
    import linter.run.result_cache

    monkeypatch.setattr(linter.run.result_cache.ResultCache, "for_run", classmethod(lambda cls, *args, **kwargs: None))


def _repository_prose() -> list[str]:
    """Paragraphs of every draft-like file in the repository, as read by overclaim's readers."""
    from pathlib import Path

    from linter.read import read_document

    root = Path(__file__).resolve().parent.parent
    texts = []
    paths = [root / "README.md", root / "benchmarks" / "README.md", *sorted((root / "docs").glob("*.md"))]
    for folder in ("examples", "benchmarks/devset", "tests/fixtures"):
        paths += sorted((root / folder).rglob("*"))
    for path in paths:
        if path.suffix in (".md", ".html", ".txt") and path.is_file():
            document = read_document(str(path), path.read_bytes())
            texts += [block.text for block in document.blocks]
    return texts


@pytest.fixture(scope="session")
def corpus(ruleset) -> list[str]:
    """Everything the project has written in English: every rule's examples,
    the sample drafts, the development pages, the golden fixtures, the README
    and docs (thousands of sentences of claims, hedges, quotes, headings,
    lists, contractions and odd spacing), and every lexicon term (thousands
    of condition, drug and body names), read from the repository itself."""
    texts = _repository_prose()
    for rule in ruleset.rules:
        texts += [*rule.examples.fire, *rule.examples.pass_]
    for lexicon in ruleset.lexicons:
        texts += [term.text for term in lexicon.terms]
    return [t for t in texts if isinstance(t, str) and t.strip()]


@pytest.fixture(scope="session")
def stock_nlp():
    """The pipeline as spaCy loads it, with none of overclaim's changes
    (thinc's BLIS, the stock attribute ruler): what the shims are compared with."""
    import spacy

    from linter.nlp.loading import EXCLUDED_COMPONENTS, candidate_models

    for name in candidate_models(None):
        try:
            return spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
        except OSError:
            continue
    pytest.fail("no English pipeline installed")


@pytest.fixture
def project(tmp_path, monkeypatch, fast_cli):
    """An empty working directory with no config (and not in GitHub Actions),
    for CLI runs in this process with the shared pipeline. Test files that
    need files in it define their own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path
