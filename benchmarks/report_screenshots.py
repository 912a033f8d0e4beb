"""Screenshots of the HTML review report, taken with Debian's headless chromium.

    python benchmarks/report_screenshots.py [--out DIR]   # shared sample + multi-file run, into DIR
    python benchmarks/report_screenshots.py --readme      # the README's picture, docs/images/review-report.png

The shared sample (../shared/samples/ketamine-chronic-pain.txt beside the
repository) is only read, never copied into the repository; it is skipped
when absent. The README's picture is of the repository's own sample drafts,
with the date pinned (SOURCE_DATE_EPOCH) so it can be remade identically.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "ketamine-chronic-pain.txt"
EXAMPLES = ("examples/supplement-product-page.md", "examples/clinic-landing-page.md")
README_IMAGE = ROOT / "docs" / "images" / "review-report.png"
PINNED_DATE = "1767225600"  # 2026-01-01


def write_report(paths: list[str], out: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": PINNED_DATE}
    done = subprocess.run([sys.executable, "-m", "linter", "report", *paths, "-o", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"overclaim report failed ({done.returncode}): {done.stderr.strip()}")


def screenshot(page: Path, png: Path, width: int, height: int) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found: install the Debian package chromium")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={png}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {png}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "overclaim-report-screenshots")
    parser.add_argument("--readme", action="store_true", help="write the README's picture instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        if args.readme:
            write_report([EXAMPLES[0]], work / "report.html")
            screenshot(work / "report.html", README_IMAGE, 1100, 1500)
            return 0
        if SHARED_SAMPLE.is_file():
            write_report([os.path.relpath(SHARED_SAMPLE, ROOT)], work / "shared.html")
            screenshot(work / "shared.html", args.out / "shared-sample.png", 1280, 2400)
        else:
            print(f"skipped the shared sample: {SHARED_SAMPLE} not found")
        write_report(list(EXAMPLES), work / "multi.html")
        screenshot(work / "multi.html", args.out / "multi-file.png", 1280, 2400)
    return 0


if __name__ == "__main__":
    sys.exit(main())
