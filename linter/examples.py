"""Run each rule's own examples: `fire` sentences must produce a finding of
that rule, `pass` sentences must not. Used by `overclaim rules test` and by
the test suite, so a rule whose examples are wrong cannot ship."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .document import Document
from .readers.plaintext import read_text

if TYPE_CHECKING:
    from .engine import Engine
    from .model import Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    expectation: str  # "fire" or "pass"
    text: str
    where: str  # rule definition position
    found: tuple[str, ...]  # rule ids that did fire

    def __str__(self) -> str:
        verb = "should fire but did not" if self.expectation == "fire" else "should not fire but did"
        return f"{self.where}: [{self.rule}] example {verb}: {self.text!r}"


def example_document(text: str) -> Document:
    return read_text("<example>", text)


def rule_ids_for(engine: "Engine", text: str) -> tuple[str, ...]:
    return tuple(sorted({f.rule for f in engine.lint(example_document(text), one_per_claim=False)}))


def iter_examples(rule: "Rule") -> Iterator[tuple[str, str]]:
    yield from (("fire", text) for text in rule.examples.fire)
    yield from (("pass", text) for text in rule.examples.pass_)


def check_examples(engine: "Engine") -> list[ExampleFailure]:
    failures = []
    for rule in engine.rules.values():
        for expectation, text in iter_examples(rule):
            found = rule_ids_for(engine, text)
            if (rule.id in found) != (expectation == "fire"):
                failures.append(ExampleFailure(rule.id, expectation, text, str(rule.defined_at), found))
    return failures
