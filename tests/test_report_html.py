"""The HTML review report (`overclaim report`, `check --format html`).

The page is checked where a reviewer uses it: in a real headless Chromium
(tests/browser.py). Highlights must hold exactly each finding's text,
filters must hide and show the right findings, hostile copy must run
nothing, and printing must give a paginated PDF. The rest (determinism, the
record in the footer, errors) is checked on the file itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import start_chromium
from click.testing import CliRunner
from readme_snippets import commands

from linter import __version__
from linter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("examples/supplement-product-page.md", "examples/clinic-landing-page.md")
PINNED = "1767225600"  # 2026-01-01 00:00:00 UTC
ICONS = {"error": "✖", "warning": "▲", "info": "●", "accepted": "✓"}

HOSTILE_MD = """\
# Try <script>window.__pwned = "heading"</script> now
Our tea cures cancer.<script>window.__pwned = "inline"</script>
</textarea><img src=x onerror="window.__pwned='img'"> & &amp; &lt;b&gt; "double" 'single'
<a href="javascript:window.__pwned='link'" title='x" onmouseover="window.__pwned=1'>Results guaranteed</a>
--></style></title><svg onload="window.__pwned='svg'"></svg> {{ 7*7 }} {% raw %} <!-- a comment -->
<iframe srcdoc="<script>parent.__pwned='frame'</script>"></iframe> Miracle cure!
"""
HOSTILE_HTML = """\
<html><head><title>Tea</title></head><body>
<p>Our tea cures cancer.</p><script>window.__pwned = "html"</script>
<p onclick="window.__pwned='click'">Results guaranteed &amp; &#x3C;b&#x3E; safe.</p>
</body></html>
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"SOURCE_DATE_EPOCH": PINNED, "GITHUB_ACTIONS": "false"})


@pytest.fixture
def in_repo(monkeypatch, fast_cli):
    monkeypatch.chdir(ROOT)
    return ROOT


def write_report(out: Path, *paths: str) -> str:
    result = run("report", *paths, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def expected_findings(*paths: str) -> dict[tuple[str, str, str], dict]:
    """Every finding the report must show, open and suppressed, from the JSON format."""
    result = run("check", "--format", "json", "--report-suppressions", "--fail-on", "never", *paths)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    found = {}
    for state, findings in [("open", payload["findings"]),
                            ("accepted", [f for s in payload["suppressions"] for f in s["suppressed"]])]:
        for f in findings:
            found[(f["path"], f"line {f['line']}:{f['column']}", f["rule"])] = {**f, "state": state}
    return found


# --- the file itself ---------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def parsed(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def test_report_and_check_format_html_give_the_same_deterministic_page(in_repo, tmp_path):
    page = write_report(tmp_path / "a.html", *EXAMPLES)
    again = write_report(tmp_path / "b.html", *EXAMPLES)
    assert page == again
    checked = run("check", "--format", "html", *EXAMPLES)
    assert checked.exit_code == 1  # check keeps its exit codes: the examples hold errors
    assert checked.output == page
    assert '<time datetime="2026-01-01T00:00:00+00:00">' in page


def test_the_page_is_self_contained_and_allows_only_its_own_style_and_script(in_repo, tmp_path):
    page = write_report(tmp_path / "r.html", *EXAMPLES)
    elements = parsed(page)
    for tag, attrs in elements.tags:
        assert "src" not in attrs, tag
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs["href"]
    (csp,) = [attrs["content"] for tag, attrs in elements.tags if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp
    (script,), (style,) = elements.scripts, elements.styles
    for source in (script, style):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "url(" not in style and "@import" not in style


def test_the_footer_records_version_config_packs_date_and_each_files_sha256(in_repo, tmp_path):
    page = write_report(tmp_path / "r.html", *EXAMPLES)
    record = page[page.index('<footer class="record"'):]
    assert f"overclaim {__version__}" in record
    assert "2026-01-01 00:00:00 UTC" in record
    assert "Config</dt><dd>none found (defaults)" in record
    for path in EXAMPLES:
        digest = hashlib.sha256((ROOT / path).read_bytes()).hexdigest()
        assert re.search(rf"<td>{re.escape(path)}</td><td>core, us</td><td><code class=\"sha\">{digest}</code>", record)


def test_report_exit_codes_and_output_errors(in_repo, tmp_path):
    out = tmp_path / "r.html"
    failing = run("report", *EXAMPLES, "-o", str(out), "--fail-on", "error")
    assert failing.exit_code == 1 and out.stat().st_size > 0
    before = (ROOT / EXAMPLES[0]).read_bytes()
    refused = run("report", EXAMPLES[0], "-o", EXAMPLES[0])
    assert refused.exit_code == 2
    assert refused.output == f"overclaim: {EXAMPLES[0]}: refusing to write the output over a file being linted\n"
    assert (ROOT / EXAMPLES[0]).read_bytes() == before
    unwritable = run("report", EXAMPLES[0], "-o", str(tmp_path / "no-such-dir" / "r.html"))
    assert unwritable.exit_code == 2 and unwritable.output.count("\n") == 1
    assert unwritable.output.startswith(f"overclaim: {tmp_path / 'no-such-dir' / 'r.html'}: cannot write")


def test_a_file_that_cannot_be_read_is_listed_as_not_reviewed(in_repo, tmp_path):
    out = tmp_path / "r.html"
    result = run("report", EXAMPLES[0], "missing-draft.md", "-o", str(out))
    assert result.exit_code == 2
    page = out.read_text(encoding="utf-8")
    assert '<section class="errors" id="not-reviewed">' in page
    assert "missing-draft.md" in page[page.index("not-reviewed"):page.index('id="filters"')]


def test_hostile_copy_is_escaped_in_the_file(fast_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    page = write_report(tmp_path / "r.html", "hostile.md")
    elements = parsed(page)
    assert [tag for tag, _ in elements.tags].count("script") == 1
    assert not {"img", "svg", "iframe", "textarea"} & {tag for tag, _ in elements.tags}
    assert not any(name.startswith("on") for _, attrs in elements.tags for name in attrs)
    assert "{{ 7*7 }} {% raw %}" in page  # template syntax in copy is copy, not template


def test_every_highlight_is_cut_to_exactly_its_findings_text(in_repo):
    """The same promise as the browser test below, on the view the template lays out."""
    from linter.cli import _chooser, _settings
    from linter.files.discovery import Target
    from linter.formats.html_view import build
    from linter.run.report import RunInfo
    from linter.run.runner import LintSettings, lint_targets

    config, ruleset = _settings(None, None)
    chooser = _chooser(config, ruleset)
    report = lint_targets(chooser.default, [Target(p, ROOT / p) for p in EXAMPLES], lambda: b"",
                          settings=LintSettings(choose=chooser, keep_sources=True))
    view = build(report, RunInfo("0", datetime(2026, 1, 1, tzinfo=timezone.utc), "", ()))
    pieces: dict[int, dict[int, str]] = {}
    for doc in view.documents:
        assert [line.number for line in doc.lines] == list(range(1, len(doc.lines) + 1))
        for line in doc.lines:
            for segment in line.segments:
                for mark in segment.marks:
                    by_line = pieces.setdefault(mark.number, {})
                    by_line[line.number] = by_line.get(line.number, "") + segment.text
    assert len(view.marks) == len(report.findings) + report.suppressed
    for mark in view.marks:
        assert "\n".join(pieces[mark.number].values()) == mark.finding.text
        badges = [m for d in view.documents for line in d.lines for seg in line.segments for m in seg.ends if m is mark]
        assert len(badges) == 1


def test_worker_processes_give_the_same_page(tmp_path):
    from test_parallel import _corpus

    _corpus(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": PINNED}
    pages = []
    for jobs in ("1", "2"):
        out = tmp_path.parent / f"{tmp_path.name}-{jobs}.html"
        done = subprocess.run([sys.executable, "-m", "linter", "report", ".", "-o", str(out), "--jobs", jobs],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stderr  # the corpus holds files that cannot be linted
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    for path in sorted(tmp_path.glob("*.md")):
        if not path.read_bytes().startswith(b"\x89PNG"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() in pages[1]


# --- in the browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


def open_page(browser, path: Path) -> None:
    browser.get(path.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"


HIGHLIGHTS = """
const out = [];
const marks = Array.from(document.querySelectorAll('mark[data-marks]'));
for (const note of document.querySelectorAll('article.note')) {
  const n = note.dataset.n, byLine = new Map();
  for (const m of marks) {
    if (!m.dataset.marks.split(' ').includes(n)) continue;
    const line = m.closest('.ln').id;
    byLine.set(line, (byLine.get(line) || '') + m.textContent);
  }
  const badge = document.querySelector('a.badge[data-n="' + n + '"]');
  out.push({
    path: note.closest('section.doc').querySelector('h2.path').textContent,
    at: note.querySelector('a.at').textContent, rule: note.querySelector('code.rule').textContent,
    text: Array.from(byLine.values()).join('\\n'), label: note.querySelector('.sev').textContent,
    state: note.dataset.state, accepted: !!note.querySelector('.acc'),
    badge: badge ? getComputedStyle(badge, '::after').content : null,
  });
}
return out;
"""


def test_every_highlight_holds_exactly_its_findings_text(in_repo, tmp_path, browser):
    out = tmp_path / "r.html"
    write_report(out, *EXAMPLES)
    expected = expected_findings(*EXAMPLES)
    open_page(browser, out)
    shown = browser.execute_script(HIGHLIGHTS)
    assert len(shown) == len(expected) > 20
    assert any("\n" in f["text"] for f in expected.values())  # a finding across a line break
    assert any(f["state"] == "accepted" for f in expected.values())
    for item in shown:
        finding = expected[(item["path"], item["at"], item["rule"])]
        assert item["text"] == finding["text"], item
        # Severity is said in words and icons, not only in colour.
        assert item["label"] == f"{ICONS[finding['severity']]} {finding['severity'].upper()}"
        kind = "accepted" if finding["state"] == "accepted" else finding["severity"]
        assert item["state"] == finding["state"] and item["accepted"] == (kind == "accepted")
        assert item["badge"].startswith(f'"{ICONS[kind]}'), item
    styles = browser.execute_script(
        "const s = {}; for (const k of ['error', 'warning', 'info', 'accepted']) {"
        "  const m = document.querySelector('mark.k-' + k); if (m) s[k] = getComputedStyle(m).borderBottomStyle; } return s;")
    assert len(set(styles.values())) == len(styles) >= 3  # each kind has its own underline, not just a colour


def test_missing_disclaimers_head_the_document_with_their_trigger(in_repo, tmp_path, browser):
    out = tmp_path / "r.html"
    write_report(out, EXAMPLES[0])
    expected = [f for f in expected_findings(EXAMPLES[0]).values() if f["requires"] and f["state"] == "open"]
    open_page(browser, out)
    items = browser.execute_script(
        "const doc = document.querySelector('section.doc'); const box = doc.querySelector('.missing');"
        "const first = doc.querySelector('.copy');"
        "return {before: !!(box.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING),"
        " items: Array.from(box.querySelectorAll('li')).map(li => li.textContent)};")
    assert items["before"]
    assert len(items["items"]) == len(expected) >= 3
    for finding in expected:
        assert any(finding["requires"] in text and f"Triggered by “{finding['text']}” at line {finding['line']}" in text
                   for text in items["items"]), finding


def test_every_link_leads_somewhere_and_summary_links_name_path_and_line(in_repo, tmp_path, browser):
    out = tmp_path / "r.html"
    write_report(out, *EXAMPLES)
    open_page(browser, out)
    dangling = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
        ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))));")
    assert dangling == []
    link = browser.find_element("css selector", f'table.files a.ref[href="#{EXAMPLES[0]}:3"]')
    link.click()
    target = browser.execute_script("const t = document.querySelector(':target'); return [t.id, t.querySelector('.tx').textContent];")
    assert target == [f"{EXAMPLES[0]}:3", (ROOT / EXAMPLES[0]).read_text(encoding="utf-8").splitlines()[2]]


STATE = """
return {
  notes: Array.from(document.querySelectorAll('article.note')).map(n => ({
    sev: n.dataset.sev, state: n.dataset.state, cat: n.dataset.cat, pack: n.dataset.pack, n: n.dataset.n,
    shown: n.getClientRects().length > 0})),
  refs: Array.from(document.querySelectorAll('[data-n]:not(article)')).map(r => ({n: r.dataset.n, shown: r.getClientRects().length > 0})),
  marks: Array.from(document.querySelectorAll('mark[data-marks]')).map(m => ({ns: m.dataset.marks.split(' '), off: m.classList.contains('off')})),
  count: document.getElementById('shown').textContent,
};
"""


def _check_filtered(browser, keep) -> None:
    state = browser.execute_script(STATE)
    visible = {}
    for note in state["notes"]:
        visible[note["n"]] = keep(note)
        assert note["shown"] == visible[note["n"]], note
    for ref in state["refs"]:
        assert ref["shown"] == visible[ref["n"]], ref
    for mark in state["marks"]:
        assert mark["off"] == (not any(visible[n] for n in mark["ns"])), mark
    assert state["count"] == f"{sum(visible.values())} of {len(visible)} findings shown"


def test_filters_hide_and_show_by_severity_status_category_and_pack(in_repo, tmp_path, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    out = tmp_path / "r.html"
    write_report(out, *EXAMPLES)
    open_page(browser, out)
    form = browser.find_element("id", "filters")
    assert form.is_displayed()

    def box(name, value):
        return browser.find_element("css selector", f'#filters input[name="{name}"][value="{value}"]')

    _check_filtered(browser, lambda n: True)
    box("sev", "error").click()
    _check_filtered(browser, lambda n: n["sev"] != "error")
    box("cat", "disclaimer").click()
    _check_filtered(browser, lambda n: n["sev"] != "error" and n["cat"] != "disclaimer")
    box("sev", "error").click()
    box("state", "accepted").click()
    _check_filtered(browser, lambda n: n["cat"] != "disclaimer" and n["state"] != "accepted")
    box("pack", "us").click()
    _check_filtered(browser, lambda n: n["cat"] != "disclaimer" and n["state"] != "accepted" and n["pack"] != "us")
    assert 0 < sum(n["shown"] for n in browser.execute_script(STATE)["notes"])
    browser.find_element("css selector", '#filters button[type="reset"]').click()
    # The form's values are reset after the reset event, and the page applies
    # them just after: wait for that before looking.
    total = len(browser.execute_script(STATE)["notes"])
    WebDriverWait(browser, 5).until(lambda b: b.find_element("id", "shown").text == f"{total} of {total} findings shown")
    _check_filtered(browser, lambda n: True)


def test_without_script_the_page_reads_in_full(in_repo, tmp_path, browser):
    out = tmp_path / "r.html"
    write_report(out, *EXAMPLES)
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_page(browser, out)
        assert not browser.find_element("id", "filters").is_displayed()
        state = browser.execute_script  # (scripts from WebDriver still run; the page's own do not)
        notes = state("return Array.from(document.querySelectorAll('article.note')).filter(n => n.getClientRects().length > 0).length")
        assert notes == len(expected_findings(*EXAMPLES))
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_a_hostile_draft_runs_nothing_and_reads_as_written(fast_cli, tmp_path, monkeypatch, browser):
    monkeypatch.chdir(tmp_path)
    Path("hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    Path("hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    out = tmp_path / "r.html"
    write_report(out, "hostile.md", "hostile.html")
    open_page(browser, out)
    for element in browser.find_elements("css selector", "mark, a.badge, .ln .tx"):
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));", element)
    assert browser.execute_script("return [window.__pwned, window.parent.__pwned, document.querySelectorAll('img, svg, iframe, textarea').length]") == [None, None, 0]
    assert browser.find_element("id", "filters").is_displayed()  # the page's own script did run
    for name, text in (("hostile.md", HOSTILE_MD), ("hostile.html", HOSTILE_HTML)):
        lines = browser.execute_script(
            "return Array.from(document.querySelectorAll('.ln')).filter(l => l.id.startsWith(arguments[0] + ':'))"
            ".map(l => l.querySelector('.tx').textContent);", name)
        assert lines == text.splitlines()
    assert browser.execute_script("return document.querySelectorAll('mark[data-marks]').length") > 0


def test_printing_gives_a_paginated_record(in_repo, tmp_path, browser):
    from selenium.webdriver.common.print_page_options import PrintOptions

    out = tmp_path / "r.html"
    write_report(out, *EXAMPLES)
    open_page(browser, out)
    options = PrintOptions()
    options.background = True
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    # The summary, then each document from a new page, then the record.
    assert pages >= 1 + len(EXAMPLES) + 1
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element("id", "filters").is_displayed()
        assert browser.find_element("id", "record").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


# --- README ------------------------------------------------------------------------


def test_readme_review_report_snippet(fast_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").mkdir()
    for path in EXAMPLES:
        shutil.copy(ROOT / path, tmp_path / path)
    lines = commands("review-report")
    assert lines and all(shlex.split(line)[1] == "report" for line in lines)
    for line in lines:
        args = shlex.split(line)[1:]
        result = run(*args)
        assert result.exit_code == 0, result.output
        out = Path(args[args.index("-o") + 1])
        page = out.read_text(encoding="utf-8")
        for path in args[1:args.index("-o")]:
            assert f'<h2 class="path">{path}</h2>' in page
