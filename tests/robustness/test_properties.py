"""Properties of a whole lint, on random documents built from real copy,
Markdown and HTML markup, and noise (tests/robustness/robust_strategies.py):

- linting never raises (a document is linted, or its reader gives InputError);
- every finding's `text` is the source text at its reported line/column span;
- a file's findings are the same whether it is linted alone or with others;
- linting never changes a file;
- the normal mode reports exactly what parsing every sentence reports
  (`--full-parse`), on such documents and on claims with cue words and
  quotation marks placed around, inside and across them.

(Across --jobs values too: tests/test_cli.py.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.files.discovery import Target
from linter.core.errors import InputError
from linter.formats.json_format import finding_to_dict
from linter.read import read_document
from linter.run.runner import lint_targets
from robust_strategies import html_documents, markdown_documents, named_documents, reader_inputs, text_documents
from robust_support import text_at

PROPERTIES = settings(
    max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@PROPERTIES
@given(document=named_documents())
def test_findings_are_exact_and_linting_never_raises(engine, document):
    name, source = document
    try:
        parsed = read_document(name, source.encode("utf-8", "surrogatepass"))
    except InputError:
        return
    for finding in engine.lint(parsed):
        assert text_at(source, finding_to_dict(finding)) == finding.text == source[finding.start_offset : finding.end_offset]


@PROPERTIES
@given(
    data=st.one_of(
        reader_inputs(markdown_documents()).map(lambda d: ("noise.md", d)),
        reader_inputs(html_documents()).map(lambda d: ("noise.html", d)),
        reader_inputs(text_documents()).map(lambda d: ("noise.txt", d)),
    )
)
def test_noise_never_breaks_the_engine(engine, data):
    name, raw = data
    try:
        parsed = read_document(name, raw)
    except InputError:
        return
    for finding in engine.lint(parsed):
        assert parsed.source[finding.start_offset : finding.end_offset] == finding.text


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@PROPERTIES
@given(documents=st.lists(named_documents(), min_size=2, max_size=4))
def test_alone_or_together_and_never_modified(engine, tmp_path_factory, documents):
    directory = tmp_path_factory.mktemp("together")
    targets = []
    for index, (name, source) in enumerate(documents):
        path = directory / f"{index}-{name}"
        path.write_bytes(source.encode("utf-8", "surrogatepass"))
        targets.append(Target(path.name, path))
    before = {target.display: _digest(target.path) for target in targets}

    together = lint_targets(engine, targets, lambda: b"")
    for target in targets:
        alone = lint_targets(engine, [target], lambda: b"")
        assert alone.findings == tuple(f for f in together.findings if f.path == target.display)
        assert [str(e) for e in alone.errors] == [str(e) for e in together.errors if e.path == target.display]

    assert {target.display: _digest(target.path) for target in targets} == before


# --- the normal mode reports exactly what parsing everything reports --------------------

# Claims a surface pattern finds, and the context around them that may or
# may not need the parse: negations inside and outside the claim, hedges,
# questions, citations, and quotation marks around, inside or across it.
SURFACE_CLAIMS = ("no side effects", "guaranteed results", "a miracle cure", "clinically proven", "100% safe", "zero downtime")
OPENINGS = ("", "It has ", "It does not have ", "There are no ", "They never promised ", "Some ads claim ",
            "If you want ", "It may give you ", "Nothing gives ", "Our patients love ", "She wrote: ")
QUOTES = ("none", "claim", "sentence", "half")
ENDINGS = (".", "!", "?", " (Lee et al., 2020).", ", says Dr. Patel.", " for good.")


@st.composite
def cue_sentences(draw) -> str:
    claim = draw(st.sampled_from(SURFACE_CLAIMS))
    opening = draw(st.sampled_from(OPENINGS))
    quotes = draw(st.sampled_from(QUOTES))
    if quotes == "claim":
        claim = f"“{claim}”"
    elif quotes == "half":
        first, _, rest = claim.partition(" ")
        claim = f"{first} “{rest}”"
    text = f"{opening}{claim}{draw(st.sampled_from(ENDINGS))}"
    text = text[0].upper() + text[1:]
    return f"“{text}”" if quotes == "sentence" else text


@pytest.fixture(scope="module")
def both_modes(ruleset, nlp):
    from linter.engine.rule_engine import Engine
    from linter.nlp.pipeline_tables import from_pipeline

    return Engine(ruleset, nlp, tables=from_pipeline(nlp)), Engine(ruleset, nlp, full_parse=True)


@PROPERTIES
@given(source=st.lists(cue_sentences(), min_size=1, max_size=4).map(" ".join))
def test_cues_judged_without_the_parse_are_the_parsed_ones(both_modes, source):
    normal, full = both_modes
    document = read_document("copy.txt", source.encode())
    assert normal.lint(document) == full.lint(document)


@PROPERTIES
@given(document=named_documents())
def test_the_prefilter_changes_no_finding(both_modes, document):
    normal, full = both_modes
    name, source = document
    try:
        parsed = read_document(name, source.encode("utf-8", "surrogatepass"))
    except InputError:
        return
    assert normal.lint(parsed) == full.lint(parsed)
