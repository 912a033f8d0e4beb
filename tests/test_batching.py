"""Documents linted together (Engine.lint_many, run.one_file.lint_in_batches):
their sentences are parsed in shared batches, and every outcome is what
linting each document alone gives, in order, bad files included."""

from __future__ import annotations

from linter.engine import rule_engine
from linter.engine.rule_engine import Engine
from linter.files.discovery import Target
from linter.read import read_document
from linter.run import one_file
from linter.run.one_file import LintSettings, lint_in_batches, lint_one

# Short pages written for these tests: each has a claim whose context needs
# the parser (a hedge, a reported use, a question), and plain copy around it.
PAGES = {
    "01-clinic.md": "# Our clinic\n\nStudies suggest our infusions may ease migraines. Parking is free.\n",
    "02-tea.txt": "Our tea cures arthritis. It is sold in tins of fifty bags.\n",
    "03-blog.md": "Is it right for you? Doctors prescribe ketamine to treat depression.\n",
    "04-shop.html": "<p>These gummies support healthy joints.</p><p>Ships in two days.</p>\n",
    "05-plain.txt": "The committee met on Tuesday to discuss the library hours.\n",
    "06-drops.md": "Our drops relieve chronic pain in days, and 90% of users feel better.\n",
}


def _targets(tmp_path, pages=PAGES):
    targets = []
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        targets.append(Target(name, tmp_path / name))
    return targets


def test_lint_many_finds_what_lint_finds_in_each(engine):
    documents = [read_document(name, text.encode()) for name, text in PAGES.items()]
    together = engine.lint_many(documents)
    assert [list(result.findings) for result in together] == [engine.lint(d) for d in documents]
    assert all(result.words > 0 for result in together)
    assert sum(result.parsed_words for result in together) > 0


def test_pages_are_parsed_in_one_batch_with_the_same_outcomes(engine, tmp_path, monkeypatch):
    targets = _targets(tmp_path)
    alone = [lint_one(engine, t, lambda: b"", None, LintSettings()) for t in targets]
    batches: list[int] = []
    real_parse_all = rule_engine.parse_all

    def counting(nlp, docs, one_thread):
        batches.append(len(docs))
        return real_parse_all(nlp, docs, one_thread)

    monkeypatch.setattr(rule_engine, "parse_all", counting)
    together = list(lint_in_batches(engine, targets, lambda: b"", None, LintSettings()))
    assert together == alone
    assert len(batches) == 1 and batches[0] >= 4  # one batch for every page's parsed sentences


def test_a_batch_never_holds_more_than_its_bound(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(one_file, "BATCH_DOCUMENTS", 2)
    calls: list[int] = []
    real_lint_many = Engine.lint_many

    def watching(self, documents, *args, **kwargs):
        calls.append(len(documents))
        return real_lint_many(self, documents, *args, **kwargs)

    monkeypatch.setattr(Engine, "lint_many", watching)
    outcomes = list(lint_in_batches(engine, _targets(tmp_path), lambda: b"", None, LintSettings()))
    assert calls == [2, 2, 2] and [o.path for o in outcomes] == list(PAGES)


def test_unreadable_files_and_engine_changes_keep_their_places(ruleset, nlp, tmp_path):
    targets = _targets(tmp_path)
    (tmp_path / "03-blog.md").write_bytes(b"caf\xe9 \x00\x00")  # not text: an error in its place
    other = Engine(ruleset, nlp)
    engines = {}

    def choose(document):  # two engines, alternating by name
        return engines.setdefault(document.path, other if document.path[1] in "246" else None) or default

    default = Engine(ruleset, nlp)
    settings = LintSettings(choose=choose)
    alone = [lint_one(default, t, lambda: b"", None, settings) for t in targets]
    together = list(lint_in_batches(default, targets, lambda: b"", None, settings))
    assert together == alone
    assert [o.path for o in together] == ["01-clinic.md", "02-tea.txt", None, "04-shop.html", "05-plain.txt", "06-drops.md"]


def test_an_engine_bug_on_one_page_loses_no_other_page(engine, tmp_path, monkeypatch):
    targets = _targets(tmp_path)
    alone = [lint_one(engine, t, lambda: b"", None, LintSettings()) for t in targets]
    real_work_of = Engine._work_of

    def buggy(self, run):
        if run.document.path == "04-shop.html":
            raise RecursionError("maximum recursion depth exceeded")
        return real_work_of(self, run)

    monkeypatch.setattr(Engine, "_work_of", buggy)
    together = list(lint_in_batches(engine, targets, lambda: b"", None, LintSettings()))
    assert [o for i, o in enumerate(together) if i != 3] == [o for i, o in enumerate(alone) if i != 3]
    assert together[3].path is None and together[3].error is not None
    assert together[3].error[0] == "04-shop.html" and "internal error, not linted (RecursionError" in together[3].error[1]


def test_the_cli_reports_the_same_in_this_process_and_in_workers(tmp_path):
    """--jobs 1 lints the pages together in this process; --jobs 2 in a worker."""
    import subprocess
    import sys

    _targets(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        run = subprocess.run([sys.executable, "-m", "linter", "check", "--no-cache", "--format", "json", "--jobs", jobs, "."],
                             cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == 1, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and '"02-tea.txt"' in outputs[0]
