"""Run each rule's own examples: `fire` sentences must produce a finding of
that rule, `pass` sentences must not. A pass example that says why it passes
(`because`) must pass for that reason: the named cue is on every match of
the rule, or (`no-match`) the rule does not match at all. Used by `overclaim
rules test` and by the test suite, so a rule whose examples are wrong cannot
ship."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from linter.read.document import Document
from linter.core.model import ABSENT, NO_MATCH
from linter.read.plaintext import read_text
from linter.packs.rule_file import DEFAULT_UNLESS

if TYPE_CHECKING:
    from linter.engine.rule_engine import Engine
    from linter.core.model import Rule
    from linter.core.model import Finding


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    expectation: str  # "fire" or "pass"
    text: str
    where: str  # rule definition position
    found: tuple[str, ...]  # rule ids that did fire
    reason: str = ""  # for a pass example that fails its `because`: what happened instead
    why: str = ""  # for a fire example that did not fire: what stopped it, and how to change that

    def __str__(self) -> str:
        if self.reason:
            return f"{self.where}: [{self.rule}] example passes, but not {self.reason}: {self.text!r}"
        verb = "should fire but did not" if self.expectation == "fire" else "should not fire but did"
        return f"{self.where}: [{self.rule}] example {verb}: {self.text!r}" + (f"; {self.why}" if self.why else "")


def example_document(text: str) -> Document:
    return read_text("<example>", text)


def rule_ids_for(engine: "Engine", text: str) -> tuple[str, ...]:
    return tuple(sorted({f.rule for f in engine.lint(example_document(text), one_per_claim=False)}))


def iter_examples(rule: "Rule") -> Iterator[tuple[str, str, str | None]]:
    """(expectation, text, the reason a pass example gives or None)."""
    yield from (("fire", text, None) for text in rule.examples.fire)
    yield from (("pass", text, because) for text, because in rule.examples.passes())


def wrong_reason(engine: "Engine", rule: "Rule", text: str, because: str) -> str:
    """"" when a passing example passes for the reason it gives; otherwise
    what happened instead (for the failure message)."""
    raw = [f for f in engine.lint(example_document(text), one_per_claim=False, keep_suppressed=True) if f.rule == rule.id]
    if because == NO_MATCH:
        return "for lack of a match: it matches with cues " + _cues(raw) if raw else ""
    if not raw:
        return f"because it is {because}: the rule does not match it at all (say 'because: {NO_MATCH}')"
    if because.startswith(ABSENT):
        needed = because[len(ABSENT):]
        present = [f for f in raw if needed in f.cues]
        return f"because it is {because}: a match has cues {_cues(present)}" if present else ""
    missing = [f for f in raw if because not in f.cues]
    return f"because it is {because}: a match has cues {_cues(missing)}" if missing else ""


def why_silent(engine: "Engine", rule: "Rule", text: str) -> str:
    """Why a fire example did not fire: the context cues that suppressed its
    match (and, where the rule sets no `unless`, that those are the default
    cues), or that the rule does not match it at all."""
    if rule.disclaimer is not None:
        return ""
    raw = [f for f in engine.lint(example_document(text), one_per_claim=False, keep_suppressed=True) if f.rule == rule.id]
    if not raw:
        return "the rule does not match it at all"
    cues = sorted({cue for f in raw for cue in f.cues if cue in rule.unless})
    if not cues:
        return ""
    named = ", ".join(f"'{cue}'" for cue in cues)
    default = " (a default cue: the rule sets no 'unless')" if rule.unless == DEFAULT_UNLESS else ""
    keep = sorted(rule.unless - set(cues))
    change = f"set 'unless: [{', '.join(keep)}]' (or 'unless: []' for no cue)" if keep else "set 'unless: []'"
    return (f"it matches, but the context cue {named} suppressed it{default}; to report it in that context, {change}"
            " in the rule")


def _cues(findings: "Iterable[Finding]") -> str:
    found = sorted({cue for f in findings for cue in f.cues})
    return "[" + ", ".join(found) + "]"


def check_examples(engine: "Engine") -> list[ExampleFailure]:
    failures = []
    for rule in engine.rules.values():
        for expectation, text, because in iter_examples(rule):
            found = rule_ids_for(engine, text)
            if (rule.id in found) != (expectation == "fire"):
                why = why_silent(engine, rule, text) if expectation == "fire" else ""
                failures.append(ExampleFailure(rule.id, expectation, text, str(rule.defined_at), found, why=why))
            elif because is not None and rule.disclaimer is None:
                reason = wrong_reason(engine, rule, text, because)
                if reason:
                    failures.append(ExampleFailure(rule.id, expectation, text, str(rule.defined_at), found, reason))
    return failures
