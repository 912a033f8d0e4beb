"""`--format junit`: JUnit XML for CI test-report views.

One testsuite; one testcase per linted file (named by its path), with one
`<failure>` per finding in it; a file that could not be read is a testcase
with an `<error>`. `failures` counts the files with findings. With
`--report-suppressions`, each file's suppressions are listed in its
`<system-out>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from linter.core.model import Finding
from linter.run.report import Report

SUITE = "overclaim"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _failure(parent: ET.Element, finding: Finding) -> None:
    element = ET.SubElement(
        parent,
        "failure",
        message=_clean(f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.label} [{finding.rule}] {finding.message}"),
        type=finding.rule,
    )
    details = [f"{finding.message}", f"text: {finding.text}"]
    if finding.suggestion:
        details.append(f"suggestion: {' '.join(finding.suggestion.split())}")
    details.append(f"source: {finding.source}")
    element.text = _clean("\n".join(details))


def render(report: Report, suppressions: bool = False, **_: object) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_path[finding.path].append(finding)
    paths = list(dict.fromkeys([*report.paths, *by_path]))
    failures = sum(1 for path in paths if by_path[path])
    counts = {"tests": str(len(paths) + len(report.errors)), "failures": str(failures),
              "errors": str(len(report.errors)), "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=_clean(path), file=_clean(path))
        for finding in by_path[path]:
            _failure(case, finding)
        records = [r for r in report.suppressions if r.path == path]
        if suppressions and records:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n".join(
                f"{r.path}:{r.line}:{r.column}: {r.kind} {','.join(r.rules)} -- {r.reason or '(no reason given)'}"
                f" ({len(r.suppressed)} suppressed)"
                for r in records
            ))
    for error in report.errors:
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=_clean(error.path), file=_clean(error.path))
        ET.SubElement(case, "error", message=_clean(str(error)), type="unreadable")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
