"""A real headless Chromium for the tests of pages the linter writes.

The browser is Debian's (`chromium`, `chromium-driver`: `.ci/run` installs
them), driven by Selenium with both binaries named explicitly, so Selenium
never tries to download a browser. Without them a test fails in CI
(CI=true), where the browser must be present, and is skipped elsewhere with
the reason.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver",)


def _find(names: tuple[str, ...]) -> str | None:
    return next((found for found in map(shutil.which, names) if found), None)


def start_chromium():
    """A Selenium WebDriver on headless Chromium; fails or skips (see above) when there is none."""
    browser, driver = _find(CHROMIUM_NAMES), _find(DRIVER_NAMES)
    if browser is None or driver is None:
        missing = "chromium" if browser is None else "chromedriver"
        reason = f"{missing} not found: install the Debian packages chromium and chromium-driver"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI must run the browser tests; .ci/run installs them)")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))
