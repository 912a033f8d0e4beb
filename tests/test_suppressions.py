"""Inline suppressions with reasons: the stage after the engine.

Each test lints real copy with the session engine, checks that the claims
are there without the directives (so a test cannot pass because a rule
stopped firing), then applies the directives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.core.meta_rule_table import INVALID, UNKNOWN_RULE, UNUSED, WITHOUT_REASON
from linter.review.meta_rules import MetaPolicy
from linter.core.model import Severity
from linter.packs.loading import known_rule_ids
from linter.read import read_document
from linter.review.suppressions import apply_suppressions

DISCLAIMER = "This is not medical advice. Talk to your doctor about your health."
CURE = "Our turmeric blend cures arthritis."  # cure-claim (error)
GUARANTEE = "It is guaranteed to work for everyone."  # guaranteed-results (warning)


@pytest.fixture(scope="module")
def known():
    return known_rule_ids()


@pytest.fixture
def suppress(engine, known):
    """suppress(text, name) -> (raw engine findings, outcome)."""

    def run(text: str, name: str = "draft.md", policy: MetaPolicy = MetaPolicy()):  # noqa: B008 (frozen)
        document = read_document(name, text.encode("utf-8"))
        raw = engine.lint(document)
        active = frozenset(engine.rules)
        return raw, apply_suppressions(document, raw, known, active, policy)

    return run


def where(findings) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in findings)


# The claims these tests suppress. Whatever else the rule packs find in the
# sample copy (they change independently) must pass through untouched.
OURS = {"cure-claim", "guaranteed-results"}


def ours(findings) -> list[tuple[str, int]]:
    return [item for item in where(findings) if item[0] in OURS]


def others(findings) -> list[tuple[str, int]]:
    return [item for item in where(findings) if item[0] not in OURS]


THREE = f"""\
# Turmeric

<!-- overclaim-disable-next-line cure-claim -- Approved by MLR review 2024-05, ticket CL-12 -->
{CURE}

<!-- overclaim-disable-next-line guaranteed-results -->
{GUARANTEE}

<!-- overclaim-disable-next-line miracle-hype -- legacy wording, kept for now -->
Our ginger tea is warm and spicy.

{DISCLAIMER}
"""


def test_three_suppressions_give_exactly_the_expected_findings(suppress):
    raw, outcome = suppress(THREE)
    assert ours(raw) == [("cure-claim", 4), ("guaranteed-results", 7)]
    assert where(outcome.findings) == sorted([(WITHOUT_REASON, 6), (UNUSED, 9)] + others(raw))
    without, unused = outcome.findings
    assert without.severity is Severity.WARNING and without.category == "suppression"
    assert (without.column, without.end_column) == (1, 56)
    assert without.text == "<!-- overclaim-disable-next-line guaranteed-results -->"
    assert "'miracle-hype' reports nothing here" in unused.message
    records = [(s.line, s.kind, s.rules, s.reason, where(s.suppressed)) for s in outcome.suppressions]
    assert records == [
        (3, "disable-next-line", ("cure-claim",), "Approved by MLR review 2024-05, ticket CL-12", [("cure-claim", 4)]),
        (6, "disable-next-line", ("guaranteed-results",), "", [("guaranteed-results", 7)]),
        (9, "disable-next-line", ("miracle-hype",), "legacy wording, kept for now", []),
    ]


def test_report_suppressions_lists_each_with_reason_file_and_line(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    Path("page.md").write_text(THREE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "page.md", "--report-suppressions", "--no-color"])
    assert result.exit_code == 0, result.output  # only warnings are left
    section = result.output[result.output.index("Suppressions (3):") :].splitlines()
    # The cure claim's exact span is the rule pack's business; its line and rule are ours.
    assert section[2].startswith("  suppressed page.md:4:") and "error [cure-claim] “" in section[2]
    assert section[:2] + section[3:7] == [
        "Suppressions (3):",
        "page.md:3:1: disable-next-line cure-claim -- “Approved by MLR review 2024-05, ticket CL-12”",
        "page.md:6:1: disable-next-line guaranteed-results -- (no reason given)",
        "  suppressed page.md:7:7: warning [guaranteed-results] “guaranteed to work”",
        "page.md:9:1: disable-next-line miracle-hype -- “legacy wording, kept for now”",
        "  suppressed nothing",
    ]
    assert result.output.rstrip().endswith("(0 errors, 2 warnings, 0 info); 2 suppressed.")
    # Without the flag the findings are the same and the listing is absent.
    plain = CliRunner().invoke(cli, ["check", "page.md", "--no-color"])
    assert "Suppressions (" not in plain.output
    assert plain.output.count("[suppression-without-reason]") == 1


def test_range_disable_enable_covers_only_the_lines_between(suppress):
    text = f"""\
{CURE}

<!-- overclaim-disable cure-claim, guaranteed-results -- quoted from the 2019 brochure under review -->
{CURE}

{GUARANTEE}
<!-- overclaim-enable cure-claim -->

{CURE} {GUARANTEE}

{DISCLAIMER}
"""
    raw, outcome = suppress(text)
    assert ours(raw) == [("cure-claim", 1), ("cure-claim", 4), ("cure-claim", 9),
                          ("guaranteed-results", 6), ("guaranteed-results", 9)]
    # cure-claim is enabled again at line 7; guaranteed-results stays off to the end.
    assert where(outcome.findings) == sorted([("cure-claim", 1), ("cure-claim", 9)] + others(raw))
    (record,) = outcome.suppressions
    assert where(record.suppressed) == [("cure-claim", 4), ("guaranteed-results", 6), ("guaranteed-results", 9)]


def test_enable_without_rules_ends_every_open_range(suppress):
    text = f"<!-- overclaim-disable all -- archived page -->\n{CURE}\n<!-- overclaim-enable -->\n\n{CURE}\n\n{DISCLAIMER}\n"
    raw, outcome = suppress(text)
    assert ours(raw) == [("cure-claim", 2), ("cure-claim", 5)]
    assert ours(outcome.findings) == [("cure-claim", 5)]  # 'all' covers other rules' findings on line 2 too
    assert outcome.suppressions[0].rules == ("all",)


def test_disable_file_applies_wherever_it_is(suppress):
    text = f"{CURE}\n\n{GUARANTEE}\n\n<!-- overclaim-disable-file cure-claim -- clinical trial summary, claims substantiated -->\n"
    raw, outcome = suppress(text)
    assert {"cure-claim", "guaranteed-results"} <= {f.rule for f in raw}
    assert "cure-claim" not in {f.rule for f in outcome.findings}
    assert "guaranteed-results" in {f.rule for f in outcome.findings}


def test_disable_line_as_a_trailing_comment(suppress):
    text = f"{CURE} <!-- overclaim-disable-line cure-claim -- approved wording -->\n\n{CURE}\n\n{DISCLAIMER}\n"
    raw, outcome = suppress(text)
    assert ours(raw) == [("cure-claim", 1), ("cure-claim", 3)]
    assert where(outcome.findings) == sorted([("cure-claim", 3)] + others(raw))


def test_next_line_skips_blank_lines_and_stacked_directives(suppress):
    text = f"""\
<!-- overclaim-disable-next-line cure-claim -- approved -->
<!-- overclaim-disable-next-line guaranteed-results -- approved -->

{CURE} {GUARANTEE}

{DISCLAIMER}
"""
    raw, outcome = suppress(text)
    assert ours(raw) == [("cure-claim", 4), ("guaranteed-results", 4)]
    assert where(outcome.findings) == others(raw)
    assert [where(s.suppressed) for s in outcome.suppressions] == [[("cure-claim", 4)], [("guaranteed-results", 4)]]


def test_next_line_covers_only_the_next_line(suppress):
    text = f"<!-- overclaim-disable-next-line cure-claim -- approved -->\n{CURE}\n{CURE}\n\n{DISCLAIMER}\n"
    raw, outcome = suppress(text)
    assert where(outcome.findings) == sorted([("cure-claim", 3)] + others(raw))


def test_unknown_rule_is_reported_with_a_hint_and_suppresses_nothing(suppress):
    text = f"<!-- overclaim-disable-next-line cure-claims -- approved -->\n{CURE}\n\n{DISCLAIMER}\n"
    raw, outcome = suppress(text)
    assert where(outcome.findings) == sorted([("cure-claim", 2), (UNKNOWN_RULE, 1)] + others(raw))
    unknown = next(f for f in outcome.findings if f.rule == UNKNOWN_RULE)
    assert "unknown rule 'cure-claims'" in unknown.message and "did you mean 'cure-claim'?" in unknown.message


@pytest.mark.parametrize(
    "directive, problem",
    [
        ("overclaim-disable-next-line -- approved", "names no rule"),
        ("overclaim-disabel-next-line cure-claim -- approved", "did you mean 'overclaim-disable-next-line'?"),
        ("overclaim-disable-next-line cure-claim approved by legal", "separate rule ids with commas"),
        ("overclaim-disable-next-line all, cure-claim -- approved", "'all' cannot be combined"),
        ("overclaim-disable-next-line unused-suppression -- approved", "cannot be suppressed inline"),
    ],
)
def test_malformed_directives_are_reported_and_suppress_nothing(suppress, directive, problem):
    _, outcome = suppress(f"<!-- {directive} -->\n{CURE}\n\n{DISCLAIMER}\n")
    rules = where(outcome.findings)
    assert ("cure-claim", 2) in rules
    assert (INVALID, 1) in rules
    assert problem in next(f for f in outcome.findings if f.rule == INVALID).message


def test_enable_with_nothing_open_is_invalid(suppress):
    raw, outcome = suppress(f"<!-- overclaim-enable cure-claim -->\n{CURE}\n\n{DISCLAIMER}\n")
    assert where(outcome.findings) == sorted([("cure-claim", 2), (INVALID, 1)] + others(raw))
    assert "nothing to enable" in next(f for f in outcome.findings if f.rule == INVALID).message


def test_a_rule_that_did_not_run_is_not_called_unused(suppress, engine, known):
    inactive = sorted(known - set(engine.rules))
    assert inactive, "expected packs outside the default selection (uk, eu)"
    _, outcome = suppress(f"<!-- overclaim-disable-next-line {inactive[0]} -- UK page variant -->\nPlain text here.\n")
    assert outcome.findings == ()


def test_all_that_suppresses_nothing_is_unused(suppress):
    raw, outcome = suppress("<!-- overclaim-disable-next-line all -- just in case -->\nOur ginger tea is warm.\n")
    assert where(outcome.findings) == sorted([(UNUSED, 1)] + others(raw))


def test_plain_text_directives(suppress):
    text = f"""\
overclaim: disable-next-line cure-claim -- approved by MLR
{CURE}

# overclaim: disable-next-line guaranteed-results
{GUARANTEE}

{DISCLAIMER}
"""
    raw, outcome = suppress(text, "draft.txt")
    assert ours(raw) == [("cure-claim", 2), ("guaranteed-results", 5)]
    assert where(outcome.findings) == sorted([(WITHOUT_REASON, 4)] + others(raw))


def test_html_directives(suppress):
    text = f"""\
<html><body>
<!-- overclaim-disable-next-line cure-claim -- approved by MLR -->
<p>{CURE}</p>
<p>{GUARANTEE}</p>
<p>{DISCLAIMER}</p>
</body></html>
"""
    raw, outcome = suppress(text, "page.html")
    assert ours(raw) == [("cure-claim", 3), ("guaranteed-results", 4)]
    assert where(outcome.findings) == sorted([("guaranteed-results", 4)] + others(raw))


def test_config_can_turn_meta_rules_off_or_change_their_severity(suppress):
    text = f"<!-- overclaim-disable-next-line cure-claim -->\n{CURE}\n\n{DISCLAIMER}\n"
    _, quiet = suppress(text, policy=MetaPolicy(disabled=frozenset({WITHOUT_REASON})))
    assert quiet.findings == ()
    _, strict = suppress(text, policy=MetaPolicy(severity={WITHOUT_REASON: Severity.ERROR}))
    assert [(f.rule, f.severity) for f in strict.findings] == [(WITHOUT_REASON, Severity.ERROR)]


def test_meta_rules_in_config_are_accepted(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    Path(".overclaim.yaml").write_text(
        "severity:\n  suppression-without-reason: error\n", encoding="utf-8"
    )
    Path("page.md").write_text(f"<!-- overclaim-disable-next-line cure-claim -->\n{CURE}\n\n{DISCLAIMER}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "page.md", "--no-color"])
    assert result.exit_code == 1, result.output
    assert "page.md:1:1: error [suppression-without-reason]" in result.output


def test_rules_explain_knows_the_meta_rules():
    result = CliRunner().invoke(cli, ["rules", "explain", "suppression-without-reason"])
    assert result.exit_code == 0
    assert result.output.startswith("suppression-without-reason (warning, suppression, built in")


def test_config_can_disable_a_meta_rule(tmp_path, monkeypatch, fast_cli):
    monkeypatch.chdir(tmp_path)
    Path(".overclaim.yaml").write_text("disable: [suppression-without-reason, unused-suppression]\n", encoding="utf-8")
    Path("page.md").write_text(THREE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "page.md", "--no-color"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "No claims found in 1 file (2 suppressed)."
