"""How the HTML review report holds up on a large run: 500 files, about
5,000 findings (not a test: it prints measurements).

Writes 500 invented drafts into a temporary directory, lints them (in
worker processes), then measures rendering the report (median of three),
the page's size, and, when Debian's chromium and chromedriver and Selenium
are installed, the time Chromium takes to load the page and to apply a
filter change (untick one severity, then one category).

    python benchmarks/report_render.py [--files 500] [--keep report.html]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from linter.cli import _chooser, _run_info, _settings
from linter.files.discovery import Target
from linter.formats.html_format import render
from linter.run.runner import LintSettings, lint_targets

PRODUCTS = ("Golden Root", "BrightLeaf", "CalmWave", "PureVita", "NordHerb", "Solace", "IronBark", "Lumen")
CLAIMS = (
    "{p} capsules cure arthritis and reverse joint damage in just 7 days.",
    "Our formula is 100% safe, with no side effects, because it is all natural.",
    "Doctors recommend {p}, and 9 out of 10 customers saw results.",
    "Stop taking your prescribed painkillers and let {p} heal you.",
    "{p} is a revolutionary breakthrough that works when nothing else has worked.",
    "Results guaranteed or your money back.",
    "You don't have to suffer anymore: {p} relieves anxiety and depression.",
    "Clinically proven to melt away fat without diet or exercise.",
)
NEUTRAL = (
    "{p} is made in small batches from dried root and leaf.",
    "Each bottle holds sixty capsules.",
    "Store in a cool, dry place out of the reach of children.",
    "Free delivery on orders over forty pounds.",
)


def draft(index: int, claims: int) -> str:
    product = PRODUCTS[index % len(PRODUCTS)]
    lines = [f"# {product} batch {index}", ""]
    for step in range(claims):
        lines.append(CLAIMS[(index + step) % len(CLAIMS)].format(p=product))
        lines.append(NEUTRAL[(index + step) % len(NEUTRAL)].format(p=product))
        lines.append("")
    return "\n".join(lines)


def lint(paths: list[Path]):
    config, ruleset = _settings(None, None)
    chooser = _chooser(config, ruleset)
    settings = LintSettings(choose=chooser, keep_sources=True)
    targets = [Target(str(path), path) for path in paths]
    report = lint_targets(chooser.default, targets, lambda: b"", settings=settings, jobs=os.cpu_count() or 1)
    return report, _run_info(config, ruleset)


def measure_in_browser(page: Path) -> dict[str, float] | None:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (browser and driver):
        return None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        chrome.set_page_load_timeout(300)
        started = time.perf_counter()
        chrome.get(page.as_uri())
        loaded = time.perf_counter() - started
        timing = chrome.execute_script(
            "function t(sel) { const box = document.querySelector(sel); const t0 = performance.now();"
            "  box.click(); document.body.offsetHeight; return performance.now() - t0; }"
            "return [t('#filters input[name=sev][value=warning]'), t('#filters input[name=cat]'),"
            "        t('#filters input[name=sev][value=warning]')];")
        return {"load_s": loaded, "filter_ms": max(timing)}
    finally:
        chrome.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--claims", type=int, default=4, help="claim sentences per draft (4: about ten findings)")
    parser.add_argument("--keep", type=Path, help="also write the report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for index in range(args.files):
            path = Path(directory) / f"draft-{index:04d}.md"
            path.write_text(draft(index, args.claims), encoding="utf-8")
            paths.append(path)
        started = time.perf_counter()
        report, run = lint(paths)
        lint_seconds = time.perf_counter() - started
        times, page = [], ""
        for _ in range(3):
            started = time.perf_counter()
            page = render(report, run=run)
            times.append(time.perf_counter() - started)
        out = args.keep or Path(directory) / "report.html"
        out.write_text(page, encoding="utf-8")
        shown = len(report.findings) + sum(len(s.suppressed) for s in report.suppressions)
        print(f"files: {report.files}  findings: {shown}  lines: {sum(t.text.count(chr(10)) for t in report.sources.values())}")
        print(f"lint: {lint_seconds:.1f} s  render: {statistics.median(times):.2f} s (median of 3)  "
              f"page: {len(page.encode('utf-8')) / 1e6:.1f} MB")
        browser = measure_in_browser(out)
        if browser is None:
            print("browser: not measured (needs chromium, chromedriver and selenium)")
        else:
            print(f"browser: load {browser['load_s']:.2f} s  filter change (slowest of 3): {browser['filter_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
