"""`--format sarif`: a SARIF 2.1.0 log for code-scanning tools.

One run. `tool.driver.rules` describes every rule that could report (with
its help text, regulatory source, category and pack); each result points at
its rule by id and index, has a region with 1-based lines and columns
counted in Unicode code points (`columnKind: unicodeCodePoints`; endColumn
is exclusive, as SARIF defines it), and a `partialFingerprints` entry that
stays the same when lines are inserted above the finding. With
`--report-suppressions`, suppressed findings are included too, each with an
`inSource` suppression carrying the directive's reason as justification.
Files that could not be read are tool execution notifications.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import quote

from linter import __version__
from linter.packs.doc_links import RuleDocs
from linter.core.model import Finding, Severity
from linter.run.report import Report
from linter.core.rule_info import RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "overclaimFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(display: str) -> str:
    """A relative path stays a relative URI reference; an absolute one becomes a file: URI."""
    path = display.replace("\\", "/")
    if path.startswith("/") or PureWindowsPath(display).drive:
        return "file://" + ("" if path.startswith("/") else "/") + quote(path)
    return quote(posixpath.normpath(path))


def rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": f"{info.summary} Source: {info.source}"},
        "help": {
            "text": f"{info.help}\n\nSource: {info.source}",
            "markdown": f"{info.help}\n\n**Source:** {info.source}",
        },
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"category": info.category, "pack": info.pack, "source": info.source,
                       "tags": [tag for tag in (info.category, info.pack) if tag]},
    }


def _location(path: str, line: int, column: int, end_line: int, end_column: int, snippet: str | None) -> dict:
    region: dict[str, Any] = {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}
    if snippet is not None:
        region["snippet"] = {"text": snippet}
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}


def render(report: Report, suppressions: bool = False, docs: RuleDocs | None = None, **_: object) -> str:
    infos = dict(report.rules)
    shown: list[tuple[Finding, list[dict]]] = [(f, []) for f in report.findings]
    if suppressions:
        for record in report.suppressions:
            where = _location(record.path, record.line, record.column, record.line, record.column, None)
            for finding in record.suppressed:
                shown.append((finding, [{"kind": "inSource", "status": "accepted",
                                         "justification": record.reason, "location": where}]))
        shown.sort(key=lambda item: item[0].sort_key())
    for finding, _suppressed in shown:
        infos.setdefault(finding.rule, _fallback(finding))
    order = sorted(infos)
    index = {rule_id: i for i, rule_id in enumerate(order)}
    occurrences: Counter[tuple[str, str]] = Counter()
    results = []
    for finding, suppressed_by in shown:
        fingerprint = report.fingerprint(finding)
        occurrences[(finding.path, fingerprint)] += 1
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [_location(finding.path, finding.line, finding.column, finding.end_line,
                                    finding.end_column, finding.text)],
            "partialFingerprints": {FINGERPRINT_KEY: f"{fingerprint}:{occurrences[(finding.path, fingerprint)]}"},
            "properties": {"category": finding.category, "suggestion": " ".join(finding.suggestion.split()),
                           "source": finding.source, "cues": list(finding.cues)},
        }
        if finding.requires:
            result["properties"]["requires"] = finding.requires
        if finding.replacement is not None:
            result["fixes"] = [_fix(finding)]
        if suppressed_by:
            result["suppressions"] = suppressed_by
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "overclaim", "version": __version__, "semanticVersion": __version__,
                            "rules": [_with_help_uri(rule_descriptor(infos[rule_id]), docs) for rule_id in order]}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": not report.errors,
            "properties": {"filesLinted": report.linted, "filesNotLinted": len(report.errors)},
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": error.reason},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(error.path)}}}]}
                for error in report.errors
            ],
        }],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _with_help_uri(descriptor: dict[str, Any], docs: RuleDocs | None) -> dict[str, Any]:
    """The rule's documentation link: `helpUri` when it is an absolute URL
    (as SARIF requires), else kept as the `docs` property."""
    url = docs.url(descriptor["id"]) if docs else None
    if url and docs is not None and docs.absolute:
        descriptor["helpUri"] = url
    elif url:
        descriptor["properties"]["docs"] = url
    return descriptor


def _fix(finding: Finding) -> dict[str, Any]:
    """The rule's safe rewrite as a SARIF fix: a proposal a viewer may offer
    to apply; overclaim itself never edits a draft."""
    region = {"startLine": finding.line, "startColumn": finding.column,
              "endLine": finding.end_line, "endColumn": finding.end_column}
    return {
        "description": {"text": f"Replace “{' '.join(finding.text.split())}” with “{finding.replacement}”"},
        "artifactChanges": [{
            "artifactLocation": {"uri": artifact_uri(finding.path)},
            "replacements": [{"deletedRegion": region, "insertedContent": {"text": finding.replacement}}],
        }],
    }


def _fallback(finding: Finding) -> RuleInfo:
    return RuleInfo(finding.rule, finding.category, finding.severity, finding.message,
                    " ".join(finding.suggestion.split()), finding.source, "")
