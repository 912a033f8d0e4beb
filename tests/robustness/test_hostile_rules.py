"""Rule files from elsewhere: safe YAML only, bounded size, regular expressions
that cannot hang the matcher, and rule directories that cannot reach outside
the tree the user named. Every problem is reported as file:line:col."""

from __future__ import annotations

import os
import re
import textwrap
import threading
import time
from pathlib import Path

import pytest

from linter.core.errors import ConfigError, RuleFileError
from linter.packs.regex_guard import probes, regex_problem

RULE = """\
  - id: {id}
    category: cure
    severity: error
    message: "{{match}} is a claim."
    source: FTC
    suggest: Say less.
    match:
{match}
    examples:
      fire: ["It cures gout."]
      pass: ["It is tea."]
"""


def pack(name: str, *matches: str, prefix: str = "") -> str:
    rules = "".join(
        RULE.format(id=f"rule-{i}", match=textwrap.indent(textwrap.dedent(m).strip("\n"), " " * 6))
        for i, m in enumerate(matches)
    )
    return f"{prefix}pack: {name}\nrules:\n{rules}"


def validate(overclaim, workdir: Path, text: str, name: str = "hostile.yaml"):
    (workdir / name).write_text(text, encoding="utf-8")
    started = time.monotonic()
    # Reading the file is what is tested here; running its examples is tested in test_cli_ux.py.
    run = overclaim("rules", "validate", "--no-examples", name)
    assert time.monotonic() - started < 20
    return run


def assert_problem(run, name: str, line: int, column: int, *fragments: str) -> None:
    assert run.exit_code == 2, run.stdout + run.stderr
    wanted = f"{name}:{line}:{column}: "
    lines = [line for line in run.error_lines if line.startswith(wanted)]
    assert lines, run.error_lines
    for fragment in fragments:
        assert any(fragment in line for line in lines), (fragment, lines)


def test_a_well_formed_pack_validates(overclaim, workdir):
    run = validate(overclaim, workdir, pack("hostile", "phrases: [cures gout]", "patterns: [[{LOWER: {REGEX: '(s|ed)$'}}]]"))
    assert run.exit_code == 0, run.error_lines


# --- YAML: safe tags only, bounded -----------------------------------------------


def test_python_tags_are_not_constructed(overclaim, workdir):
    marker = workdir / "pwned"
    text = pack("hostile", f'phrases: [!!python/object/apply:os.system ["touch {marker}"]]')
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 10, 17, "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'")
    assert not marker.exists()


def test_billion_laughs(overclaim, workdir):
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        previous, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = "\n".join(lines) + "\n" + pack("hostile", "phrases: *j")
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 1, 1, "holds over 200,000 values once its aliases are expanded")


def test_merge_key_bomb(overclaim, workdir):
    lines = ["m0: &m0 {x: 1}"] + [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], y{i}: 1}}" for i in range(1, 30)]
    run = validate(overclaim, workdir, "\n".join(lines) + "\n" + pack("hostile", "phrases: [a]"))
    assert_problem(run, "hostile.yaml", 1, 1, "once its aliases are expanded")


def test_recursive_alias(overclaim, workdir):
    text = pack("hostile", "patterns: [&loop [{LOWER: a}, *loop]]")
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 10, 18, "a recursive alias (a collection that contains itself) is not allowed")


@pytest.mark.parametrize("depth, message", [(70, "nested over 64 levels deep"), (5000, "invalid YAML: lists and mappings nested over 64 levels deep")])
def test_deep_nesting(overclaim, workdir, depth, message):
    text = pack("hostile", "phrases: " + "[" * depth + "a" + "]" * depth)
    run = validate(overclaim, workdir, text)
    assert run.exit_code == 2 and any(line.startswith("hostile.yaml:") and message in line for line in run.error_lines)


def test_control_character(overclaim, workdir):
    text = pack("hostile", "phrases: [cures\x07 gout]")
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 10, 22, "invalid YAML: character U+0007 is not allowed")


def test_value_that_is_no_date(overclaim, workdir):
    run = validate(overclaim, workdir, "when: 2021-02-30\n" + pack("hostile", "phrases: [a]"))
    assert_problem(run, "hostile.yaml", 1, 7, "invalid value: day is out of range for month")


def test_oversized_rule_file(overclaim, workdir):
    text = pack("hostile", "phrases: [a]") + "#" + "x" * (2 * 1024 * 1024)
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 1, 1, "cannot read file: file too large (2.0 MB; the limit is 2.0 MB)")


def test_not_utf8_rule_file(overclaim, workdir):
    (workdir / "latin.yaml").write_bytes(b"pack: latin\nrules: []\n# caf\xe9\n")
    run = overclaim("rules", "validate", "latin.yaml")
    assert_problem(run, "latin.yaml", 1, 1, "cannot read file", "can't decode byte 0xe9")


def test_a_multi_line_value_is_quoted_on_one_line(overclaim, workdir):
    # Found by fuzz/run.py: a plain scalar continued on the next line put a
    # line break into the problem message.
    text = pack("hostile", "phrases: [a]").replace("id: rule-0", "id: rule-0\n\n        - []")
    run = validate(overclaim, workdir, text)
    assert run.error_lines == ["hostile.yaml:3:9: 'id' in rule 'rule-0\\n- []' must be kebab-case like 'cure-claim', not 'rule-0\\n- []'"]


# --- regular expressions ------------------------------------------------------------


@pytest.mark.parametrize(
    "regex, reason",
    [
        ("(a+)+$", "a quantifier nested inside a repeated group"),
        ("^(\\\\w+\\\\s?)*$", "a quantifier nested inside a repeated group"),
        ("(x+x+)+y", "a quantifier nested inside a repeated group"),
        ("(.)\\\\1", "a backreference"),
        ("(a|a)+$", "takes over 0.25 s on adversarial text of 200 characters"),  # caught by the probes
        ("(a{1,3})+$", "takes over 0.25 s"),
        ("a*a*a*a*a*b", "takes over 0.25 s"),  # polynomial, degree 5
        ("x" * 201, "is 201 characters long; the limit is 200"),
        ("[unclosed", "is not a valid regular expression"),
    ],
)
def test_dangerous_regex_is_refused_with_its_position(overclaim, workdir, regex, reason):
    text = pack("hostile", "phrases: [cures gout]", f'patterns: [[{{LOWER: cures}}, {{TEXT: {{REGEX: "{regex}"}}}}]]')
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 21, 50, "of 'TEXT' in 'match' of rule 'rule-1'", reason)
    assert sum("REGEX" in line for line in run.error_lines) == 1


def test_regex_in_a_dependency_pattern(overclaim, workdir):
    text = pack(
        "hostile",
        """
        dependency:
          - - {RIGHT_ID: verb, RIGHT_ATTRS: {LOWER: {REGEX: "(e+)*$"}}}
        """,
    )
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 11, 59, "REGEX '(e+)*$' of 'LOWER' in 'match' of rule 'rule-0' can take exponential time")


def test_the_shipped_rules_regexes_pass():
    for regex in ("s$", "(s|ed)$", "^[A-Z]", "(?i)^cur(e|es|ed|ing)$", r"\d+%"):
        assert regex_problem(regex) is None


def test_probes_cover_the_characters_a_pattern_mentions():
    import re as std_re
    from re import _parser

    strings = probes(_parser.parse("(x|y)z+$"))
    assert all(len(s) <= 200 for s in strings)
    assert any(std_re.fullmatch("x+\x00", s) for s in strings) and any(std_re.fullmatch("z+\x00", s) for s in strings)


def test_regex_probes_off_the_main_thread_run_in_a_child_process():
    results: dict[str, str | None] = {}

    def check() -> None:
        for regex in ("(a|a)+$", "(s|ed)$"):
            results[regex] = regex_problem(regex)

    worker = threading.Thread(target=check)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert results["(s|ed)$"] is None
    assert "takes over 0.25 s" in (results["(a|a)+$"] or "")


def test_a_timer_set_by_the_host_survives_the_probes():
    import signal

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        assert regex_problem("(a|a)+$")  # uses the timer for 0.25 s
        time.sleep(0.6)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- counts and sizes ----------------------------------------------------------------


def test_too_many_rules(overclaim, workdir, monkeypatch):
    import linter.packs.rule_file

    monkeypatch.setattr(linter.packs.rule_file, "MAX_RULES_PER_PACK", 2)
    run = validate(overclaim, workdir, pack("hostile", "phrases: [a]", "phrases: [b]", "phrases: [c]"))
    assert_problem(run, "hostile.yaml", 3, 3, "'rules' of pack 'hostile' has 3 entries; the limit is 2")


def test_too_many_phrases_tokens_and_characters(overclaim, workdir):
    phrases = "phrases: [" + ", ".join(f"p{i}" for i in range(501)) + "]"
    tokens = "patterns: [[" + ", ".join(["{LOWER: a}"] * 51) + "]]"
    long_phrase = f"lemmas: [{'x' * 501}]"
    run = validate(overclaim, workdir, pack("hostile", phrases, tokens, long_phrase))
    assert_problem(run, "hostile.yaml", 10, 7, "has 501 phrases and patterns; the limit is 500")
    assert_problem(run, "hostile.yaml", 21, 18, "has 51 tokens; the limit is 50")
    assert_problem(run, "hostile.yaml", 32, 16, "is 501 characters long; the limit is 500")


def test_too_many_lexicon_terms(overclaim, workdir, monkeypatch):
    import linter.packs.rule_file

    monkeypatch.setattr(linter.packs.rule_file, "MAX_LEXICON_TERMS", 3)
    (workdir / "lexicons").mkdir()
    (workdir / "lexicons" / "big.yaml").write_text("lexicon: big\nterms: [a, b, c, d]\n", encoding="utf-8")
    run = overclaim("rules", "validate", "lexicons/big.yaml")
    assert_problem(run, "lexicons/big.yaml", 2, 8, "'terms' of lexicon 'big' has 4 entries; the limit is 3")


def test_rule_file_that_is_a_fifo(workdir):
    from linter.packs.loading import load_rules

    rules = workdir / "compliance"
    rules.mkdir()
    os.mkfifo(rules / "stuck.yaml")
    started = time.monotonic()
    with pytest.raises(RuleFileError, match=re.escape("stuck.yaml:1:1: cannot read file: not a regular file")):
        load_rules(("stuck",), (rules,))
    assert time.monotonic() - started < 20


# --- rule directories cannot reach outside the tree ------------------------------------


@pytest.fixture
def outside(tmp_path) -> Path:
    """A directory outside the project, holding a 'secret' that looks like a rule pack."""
    secret = tmp_path / "outside"
    (secret / "lexicons").mkdir(parents=True)
    (secret / "secret.yaml").write_text("pack: secret\nrules:\n  - id: TOP-SECRET-VALUE\n", encoding="utf-8")
    (secret / "lexicons" / "secret.yaml").write_text("lexicon: secret\nterms: [TOP-SECRET-VALUE]\n", encoding="utf-8")
    return secret


@pytest.fixture
def project_dir(workdir) -> Path:
    project = workdir / "project"
    (project / "drafts").mkdir(parents=True)
    (project / "drafts" / "page.md").write_text("Our tea cures gout.\n", encoding="utf-8")
    return project


def check_in(overclaim, project: Path, rule_dirs: str):
    (project / ".overclaim.yaml").write_text(f"rule_dirs: [{rule_dirs}]\n", encoding="utf-8")
    os.chdir(project)
    run = overclaim("check", "drafts")
    assert run.exit_code == 2 and run.stdout == ""
    assert "TOP-SECRET-VALUE" not in run.stderr
    return run


def test_rule_dir_with_dot_dot(overclaim, project_dir, outside):
    run = check_in(overclaim, project_dir, "../../outside")
    assert run.error_lines == [
        f"overclaim: {project_dir / '.overclaim.yaml'}:1:13: rule directory '../../outside' is outside the config file's directory {project_dir}"
    ]


def test_absolute_rule_dir(overclaim, project_dir, outside):
    run = check_in(overclaim, project_dir, str(outside))
    assert "is outside the config file's directory" in run.stderr


def test_rule_dir_that_is_a_symlink_out(overclaim, project_dir, outside):
    (project_dir / "rules").symlink_to(outside)
    run = check_in(overclaim, project_dir, "rules")
    assert "rule directory 'rules' is outside the config file's directory" in run.stderr


def test_pack_file_that_is_a_symlink_out(overclaim, project_dir, outside):
    (project_dir / "rules").mkdir()
    (project_dir / "rules" / "secret.yaml").symlink_to(outside / "secret.yaml")
    run = check_in(overclaim, project_dir, "rules")
    assert f"links to {outside / 'secret.yaml'}, outside the rule directory {project_dir / 'rules'}; not read" in run.stderr


def test_lexicon_folder_that_is_a_symlink_out(overclaim, project_dir, outside):
    (project_dir / "rules").mkdir()
    (project_dir / "rules" / "lexicons").symlink_to(outside / "lexicons")
    run = check_in(overclaim, project_dir, "rules")
    assert f"outside the rule directory {project_dir / 'rules'}; not read" in run.stderr


def test_links_inside_the_rule_dir_are_fine(project_dir):
    from linter.packs.path_guard import files_inside

    rules = project_dir / "rules"
    (rules / "real").mkdir(parents=True)
    (rules / "real" / "a.yaml").write_text("x", encoding="utf-8")
    (rules / "b.yaml").symlink_to(rules / "real" / "a.yaml")
    assert files_inside(rules, "*.yaml") == [rules / "b.yaml"]
    with pytest.raises(ConfigError):
        (rules / "c.yaml").symlink_to("/etc/hostname")
        files_inside(rules, "*.yaml")


# --- issue 17 item 5: rules that passed validation yet hung or exhausted memory ----


def test_gaps_in_order_are_caught_by_the_probes():
    # Backtracks with a degree of its number of gaps on "abcdefg…" (0.5 s a
    # token); runs and pairs of its letters never showed it.
    assert "takes over 0.25 s" in (regex_problem(r"a\w*b\w*c\w*d\w*e\w*f\w*g\w*h$") or "")
    assert "takes over 0.25 s" in (regex_problem(r"a\w*b\w*c\w*d\w*$") or "")


def test_probes_hold_the_patterns_letters_in_order():
    from re import _parser

    strings = probes(_parser.parse(r"a\w*b\w*c$"))
    assert any(s.startswith("abcabc") for s in strings)
    assert any(s.startswith("a" * 10) and "b" * 10 in s and "c" * 10 in s for s in strings)


def _whitespace_runs(text: str) -> list[int]:
    return [len(run) for run in re.findall(r"\s+", text)]


def test_no_whitespace_token_is_longer_than_a_replacement():
    """A whitespace run is one spaCy token however long, and a token-level
    REGEX like `\\s*\\s*x` is quadratic in it (103 s on a 6 KB document):
    every run is collapsed to one space, also one that starts or ends inside
    a decoded entity, so REGEX probes of MAX_TOKEN_CHARS cover every token."""
    from linter.read.document import Block
    from linter.engine.normalise import for_matching
    from linter.read.offsets import TextBuilder

    source = "It cures&xsp;" + " " * 6000 + "&xsp;gout."
    builder = TextBuilder(source)
    builder.keep(0, 8)
    builder.replace(8, 13, "x\u2003")  # an entity decoding to a letter and a space
    builder.keep(13, 6013)
    builder.replace(6013, 6018, "\u2003y")
    builder.keep(6018, len(source))
    text, offsets = builder.build()
    block = for_matching(Block(text, offsets))
    # one space, and the one space character of each entity at its ends
    assert max(_whitespace_runs(block.text)) <= 3, _whitespace_runs(block.text)[:5]
    assert "curesx" in block.text and "ygout" in block.text


def test_a_whitespace_run_after_a_word_does_not_hang_a_token_regex(overclaim, workdir):
    (workdir / "rules").mkdir()
    (workdir / "rules" / "hostile.yaml").write_text(
        pack("hostile", 'patterns: [[{LOWER: cures}, {TEXT: {REGEX: "\\\\s*\\\\s*x"}}]]'), encoding="utf-8"
    )
    (workdir / ".overclaim.yaml").write_text("rule_dirs: [rules]\npacks: [hostile]\n", encoding="utf-8")
    (workdir / "page.md").write_text("It cures" + " \t\u00a0" * 2000 + "y.\n\nIt cures x.\n", encoding="utf-8")
    started = time.monotonic()
    run = overclaim("check", "--format", "json", "page.md")
    assert time.monotonic() - started < 20  # 100 s and more before
    assert run.exit_code == 1, run.stderr
    assert '"rule": "rule-0"' in run.stdout


@pytest.mark.parametrize(
    "tokens, reason",
    [
        # the attack: gaps of up to 50 any-words, and repeats: std::bad_alloc on 647 bytes
        ('{LOWER: a}, {OP: "{0,50}"}, {LOWER: b}, {OP: "{1,50}"}, {LOWER: c}', "has 99 optional tokens"),
        ('{LOWER: a}' + ', {OP: "?"}' * 15 + ', {LOWER: b}', "has 15 optional tokens"),
        ('{LOWER: a}, {OP: "{0,8}"}, {OP: "{0,7}"}, {LOWER: b}', "has 15 optional tokens"),
        ('{LOWER: a}, {OP: "*"}, {LOWER: b}, {OP: "+"}, {LOWER: c}, {OP: "{2,}"}, {LOWER: d}', "has 3 unbounded gaps"),
        ('{LOWER: a}, {OP: "{0,51}"}, {LOWER: b}, {OP: "?"}', "repeats a token up to 51 times ('{0,51}'); the limit is 50"),
    ],
)
def test_quantifiers_that_explode_the_matcher_are_refused(overclaim, workdir, tokens, reason):
    text = pack("hostile", "phrases: [cures gout]", f"patterns: [[{tokens}]]")
    run = validate(overclaim, workdir, text)
    assert_problem(run, "hostile.yaml", 21, 18, "a pattern in 'patterns' of 'match' of rule 'rule-1'", reason)


@pytest.mark.parametrize(
    "tokens",
    [
        '{LOWER: a}, {OP: "{0,50}"}, {LOWER: b}',  # one gap: run as "*", its length checked on the match
        '{LOWER: a}' + ', {LOWER: x, OP: "?"}' * 6 + ', {OP: "{0,8}"}, {LOWER: b}',  # 14, the limit
        '{LOWER: a}, {OP: "*"}, {LOWER: b}, {OP: "+"}, {LOWER: c}, {OP: "{3}"}, {LOWER: d, OP: "!"}',
    ],
)
def test_quantifiers_within_the_limits_validate(overclaim, workdir, tokens):
    run = validate(overclaim, workdir, pack("hostile", f"patterns: [[{tokens}]]").replace("It cures gout.", "a b c d"))
    assert not any("optional tokens" in line or "unbounded gaps" in line or "repeats a token" in line for line in run.error_lines), run.error_lines


def test_the_quantifier_attack_no_longer_reaches_the_matcher(overclaim, workdir):
    (workdir / "rules").mkdir()
    hostile = pack("hostile", 'patterns: [[{LOWER: a}, {OP: "{0,50}"}, {OP: "{1,50}"}, {OP: "{0,50}"}, {LOWER: b}]]')
    (workdir / "rules" / "hostile.yaml").write_text(hostile, encoding="utf-8")
    (workdir / ".overclaim.yaml").write_text("rule_dirs: [rules]\npacks: [hostile]\n", encoding="utf-8")
    (workdir / "page.md").write_text(("a " * 300) + "b\n", encoding="utf-8")
    run = overclaim("check", "page.md")
    assert run.exit_code == 2 and run.stdout == ""
    assert any(line.endswith("has 149 optional tokens ('?' counts 1, '{m,n}' counts n-m); the limit is 14, "
                             "since the matcher's work doubles with each (split the pattern)") for line in run.error_lines)


@pytest.mark.parametrize(
    "terms, line, column, reason",
    [
        ("[tea, " + "x" * 20_000 + "]", 2, 14, "lexicon 'big': term 'xxxxxxxxxxxxxxxxxxxx…' is 20,000 characters long; the limit is 200"),
        ("[tea, " + "word " * 13 + "]", 2, 14, "has 13 words; the limit is 12"),
        ("[tea, {term: " + "y" * 201 + "}]", 2, 21, "lexicon 'big': term 'yyyyyyyyyyyyyyyyyyyy…' is 201 characters long"),
        ("[{term: tea, forms: [teas, " + "t" * 300 + "]}]", 2, 35, "term 'tea' of lexicon 'big': form 'tttttttttttttttttttt…' is 300 characters"),
    ],
)
def test_oversized_lexicon_terms_are_refused(overclaim, workdir, terms, line, column, reason):
    (workdir / "lexicons").mkdir()
    (workdir / "lexicons" / "big.yaml").write_text(f"lexicon: big\nterms: {terms}\n", encoding="utf-8")
    run = overclaim("rules", "validate", "lexicons/big.yaml")
    assert_problem(run, "lexicons/big.yaml", line, column, reason)
