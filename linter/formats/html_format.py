"""`--format html` and `overclaim report`: one self-contained HTML page a
reviewer reads, filters, prints and keeps.

The page is made by a Jinja2 template with autoescaping, so copy (which may
hold markup) only ever appears as text. Its stylesheet and script are inline
and allowed by hash in a Content-Security-Policy that allows nothing else:
no request leaves the page, and even markup that escaped escaping could not
run. The output depends only on the report and the RunInfo given (whose date
the caller sets; SOURCE_DATE_EPOCH pins it for reproducible records).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from importlib.resources import files
from typing import Mapping

import jinja2

from linter import __version__
from linter.run.report import Report
from linter.formats.html_view import ICONS, KINDS, WORDS, build
from linter.run.report import RunInfo

TEMPLATES = "templates"


def report_date(environ: Mapping[str, str]) -> datetime:
    """Now, or the moment SOURCE_DATE_EPOCH names (the reproducible-builds
    convention), so the same run can give a byte-identical record."""
    pinned = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isdigit():
        return datetime.fromtimestamp(int(pinned), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _asset(name: str) -> str:
    return files(__package__).joinpath(TEMPLATES).joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, TEMPLATES),
        autoescape=True,  # every value is text unless the template says otherwise
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(report: Report, run: RunInfo | None = None, **_: object) -> str:
    if run is None:
        run = RunInfo(__version__, report_date({}), "not recorded", ())
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    template = _environment().get_template("report.html.j2")
    return template.render(
        view=build(report, run), style=style, script=script, csp=csp,
        kinds=KINDS, icons=ICONS, words=WORDS,
    )
