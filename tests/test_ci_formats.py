"""CI output formats: GitHub annotations, SARIF 2.1.0 and JUnit XML.

tests/sarif-schema-2.1.0.json is the SARIF 2.1.0 JSON schema
("Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema") as
shipped, MIT-licensed, in Microsoft's SARIF SDK (npm package
@microsoft/sarif-multitool-linux 5.7.0, file sarif-2.1.0.json), copied
unchanged.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.formats.github import escape_data, escape_property

SCHEMA_PATH = Path(__file__).with_name("sarif-schema-2.1.0.json")
CURE = "Our turmeric blend cures arthritis."
GUARANTEE = "It is guaranteed to work for everyone."
DISCLAIMER = "This is not medical advice. Talk to your doctor about your health."

# ::command key=value,...::message — no raw ',' or ':' inside a value, no raw newline anywhere.
ANNOTATION = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<file>[^,:\r\n]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<endLine>\d+),endColumn=(?P<endColumn>\d+),title=(?P<title>[^,:\r\n]+)::(?P<message>[^\r\n]*)$"
)


def unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def run(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def write(path: str, text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def json_findings(*paths: str) -> list[dict]:
    return json.loads(run("--format", "json", *paths).output)["findings"]


# --- GitHub workflow commands -------------------------------------------------------


def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("100% natural\r\nno: really, yes") == "100%25 natural%0D%0Ano: really, yes"
    assert escape_property("drafts/a,b: c%.md") == "drafts/a%2Cb%3A c%25.md"
    assert unescape(escape_property("x%0A,:\n%")) == "x%0A,:\n%"  # '%' first, so nothing is decoded twice


def test_github_annotations_carry_file_line_col_end_and_title(project):
    write("drafts/spring sale, 100%.md", f"# Sale\n\n{CURE}\n\n{GUARANTEE}\n")
    expected = json_findings("drafts")
    result = run("--format", "github", "drafts")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    annotations = [ANNOTATION.match(line) for line in lines[:-1]]
    assert all(annotations), lines
    assert lines[-1].startswith("Found ")
    assert len(annotations) == len(expected)
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for match, finding in zip(annotations, expected):
        assert unescape(match["file"]) == "drafts/spring sale, 100%.md"
        assert match["file"] == "drafts/spring sale%2C 100%25.md"
        assert (int(match["line"]), int(match["col"]), int(match["endLine"]), int(match["endColumn"])) == (
            finding["line"], finding["column"], finding["end_line"], finding["end_column"])
        assert match["command"] == levels[finding["severity"]]
        assert unescape(match["title"]) == f"overclaim {finding['rule']}"
        message = unescape(match["message"]).split("\n")
        assert message[0] == finding["message"]
        assert message[-1] == f"Source: {finding['source']}"


def test_github_format_is_the_default_inside_github_actions(project, monkeypatch):
    write("page.md", f"{CURE}\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run("page.md").output.startswith("::error file=page.md,line=1,")
    assert run("--format", "text", "page.md").output.startswith("page.md:1:")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert run("page.md").output.startswith("page.md:1:")


def test_unreadable_files_are_error_annotations_too(project):
    write("page.md", f"{CURE}\n")
    Path("broken.md").write_bytes(b"\x00\x01binary")
    result = run("--format", "github", "page.md", "broken.md")
    assert result.exit_code == 2
    assert "::error file=broken.md,title=overclaim%3A file not linted::binary file, not linted" in result.stdout.splitlines()


# --- SARIF --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_schema_rejects_what_it_should(sarif_validator):
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}
    assert list(sarif_validator.iter_errors(bad))
    assert list(sarif_validator.iter_errors({"version": "2.0.0", "runs": []}))


def test_sarif_validates_and_describes_rules_and_regions(project, sarif_validator):
    write("drafts/page.md", f"# Turmeric\n\n😀 “Real” news: {CURE}\n\n{GUARANTEE}\n")
    write("drafts/clean.md", "Our ginger tea is warm and spicy.\n")
    expected = json_findings("drafts")
    result = run("--format", "sarif", "drafts")
    assert result.exit_code == 1
    log = json.loads(result.output)
    assert_valid(sarif_validator, log)
    (run_,) = log["runs"]
    assert log["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "overclaim"
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(ids) and {"cure-claim", "unused-suppression"} <= set(ids)
    cure = rules[ids.index("cure-claim")]
    assert cure["help"]["text"] and "Source: FDCA" in cure["help"]["text"]
    assert cure["properties"]["source"].startswith("FDCA") and cure["properties"]["category"] == "cure"
    assert cure["defaultConfiguration"]["level"] == "error"
    assert len(run_["results"]) == len(expected)
    for result_, finding in zip(run_["results"], expected):
        assert result_["ruleId"] == finding["rule"] and ids[result_["ruleIndex"]] == finding["rule"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "drafts/page.md"
        region = location["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            finding["line"], finding["column"], finding["end_line"], finding["end_column"])
        assert region["snippet"]["text"] == finding["text"]
        assert set(result_["partialFingerprints"]) == {"overclaimFingerprint/v1"}
    # Columns count code points: the emoji before the claim is one column, not two.
    cure_result = next(r for r in run_["results"] if r["ruleId"] == "cure-claim")
    line = Path("drafts/page.md").read_text(encoding="utf-8").splitlines()[2]
    region = cure_result["locations"][0]["physicalLocation"]["region"]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == cure_result["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]


def test_sarif_fingerprints_are_stable_under_edits_above_and_distinct_for_duplicates(project):
    page = write("page.md", f"{CURE}\n\n{CURE}\n")

    def prints() -> list[tuple[str, str]]:
        log = json.loads(run("--format", "sarif", "page.md").output)
        return [(r["ruleId"], r["partialFingerprints"]["overclaimFingerprint/v1"]) for r in log["runs"][0]["results"]]

    before = prints()
    cures = [fp for rule, fp in before if rule == "cure-claim"]
    assert len(cures) == 2 and len(set(cures)) == 2
    assert cures[0].split(":")[0] == cures[1].split(":")[0]  # same claim, counted occurrences
    page.write_text("# New heading\n\nA new opening paragraph about tea.\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    assert prints() == before


def test_sarif_with_suppressions_and_unreadable_files_validates(project, sarif_validator):
    write("page.md", f"<!-- overclaim-disable-next-line cure-claim -- approved by MLR -->\n{CURE}\n\n{DISCLAIMER}\n")
    write("broken.md", "")
    Path("broken.md").write_bytes(b"\x00\x01binary")
    result = run("--format", "sarif", "--report-suppressions", "page.md", "broken.md")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    assert result.stderr.strip() == "overclaim: broken.md: binary file, not linted"
    assert_valid(sarif_validator, log)
    (suppressed,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "cure-claim"]
    assert suppressed["suppressions"] == [{
        "kind": "inSource", "status": "accepted", "justification": "approved by MLR",
        "location": {"physicalLocation": {"artifactLocation": {"uri": "page.md"},
                                          "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}}},
    }]
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "binary file, not linted"
    # Without --report-suppressions a suppressed finding is not a result at all.
    plain = json.loads(run("--format", "sarif", "page.md").output)
    assert [r["ruleId"] for r in plain["runs"][0]["results"]] == []


# --- JUnit --------------------------------------------------------------------------


def test_junit_has_a_testcase_per_file_and_a_failure_per_finding(project):
    write("drafts/a.md", f"{CURE}\n\n{GUARANTEE}\n")
    write("drafts/b.md", "Our ginger tea is warm & spicy.\n")
    expected = json_findings("drafts")
    result = run("--format", "junit", "drafts")
    assert result.exit_code == 1
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["drafts/a.md", "drafts/b.md"]
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    failures = cases[0].findall("failure")
    assert [f.get("type") for f in failures] == [f["rule"] for f in expected]
    assert failures[0].get("message") == (
        f"drafts/a.md:{expected[0]['line']}:{expected[0]['column']}: {expected[0]['severity']} "
        f"[{expected[0]['rule']}] {expected[0]['message']}")
    assert cases[1].findall("failure") == []


def test_help_lists_the_new_options_without_importing_spacy():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from linter.cli import cli\n"
        "result = CliRunner().invoke(cli, ['check', '--help'])\n"
        "assert result.exit_code == 0\n"
        "for option in ('github', 'sarif', 'junit', '--report-suppressions', '--baseline', '--write-baseline', 'never'):\n"
        "    assert option in result.output, option\n"
        "print(sorted(m for m in ('spacy', 'linter.engine.rule_engine', 'linter.review.suppressions') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
