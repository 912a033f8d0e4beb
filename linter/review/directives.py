"""Parsing `overclaim-...` directives into suppression requests.

Readers record every `overclaim-NAME ARGUMENT` comment as a Directive
(Markdown/HTML: `<!-- overclaim-disable-next-line cure-claim -- reason -->`;
plain text: `overclaim: disable-next-line cure-claim -- reason`). Here the
name becomes a kind and the argument becomes rule ids and a reason:

    ARGUMENT := RULES [ "--" REASON ]
    RULES    := "all" | RULE-ID { "," RULE-ID }

A directive that cannot be understood carries a `problem` and suppresses
nothing (it is reported as `invalid-suppression`).
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.read.document import Directive
from linter.core.yaml_shapes import hint

PREFIX = "overclaim-"
NEXT_LINE, LINE, RANGE_START, RANGE_END, FILE = "disable-next-line", "disable-line", "disable", "enable", "disable-file"
KINDS = (NEXT_LINE, LINE, RANGE_START, RANGE_END, FILE)
ALL = "all"
REASON_SEPARATOR = "--"


# The most rule ids a message quotes from a directive.
LABEL_RULES = 5


@dataclass(frozen=True)
class Request:
    """One parsed directive."""

    directive: Directive
    kind: str  # one of KINDS ('' when the name is not understood)
    rules: tuple[str, ...]  # the ids named, in order, without duplicates; () with all_rules
    all_rules: bool
    reason: str  # whitespace collapsed; '' when none was given
    problem: str | None = None

    @property
    def label(self) -> str:
        """How the directive reads in messages: `overclaim-disable-next-line cure-claim`."""
        rules = ALL if self.all_rules else ",".join(self.rules[:LABEL_RULES])
        if len(self.rules) > LABEL_RULES:
            rules += f",… ({len(self.rules)} rules)"  # a message stays one short line
        return f"{PREFIX}{self.kind} {rules}".rstrip()


def parse(directive: Directive) -> Request:
    kind = directive.name[len(PREFIX) :] if directive.name.startswith(PREFIX) else directive.name
    rules_text, separator, reason = directive.argument.partition(REASON_SEPARATOR)
    reason = " ".join(reason.split())

    def invalid(problem: str) -> Request:
        return Request(directive, kind if kind in KINDS else "", (), False, reason, problem)

    if kind not in KINDS:
        names = [PREFIX + k for k in KINDS]
        suggestion = hint(directive.name, names) or f" (expected one of {', '.join(names)})"
        return invalid(f"unknown directive '{directive.name}'{suggestion}")
    items = [item.strip() for item in rules_text.split(",")]
    items = [item for item in items if item]
    if any(len(item.split()) > 1 for item in items):
        return invalid(
            f"'{directive.name} {rules_text.strip()}': separate rule ids with commas, and put the reason after ' -- '"
        )
    if not items:
        if kind == RANGE_END:
            return Request(directive, kind, (), True, reason)
        return invalid(f"'{directive.name}' names no rule: list rule ids (comma-separated) or write 'all'")
    if ALL in items:
        if len(items) > 1:
            return invalid(f"'{directive.name}': 'all' cannot be combined with rule ids")
        return Request(directive, kind, (), True, reason)
    return Request(directive, kind, tuple(dict.fromkeys(items)), False, reason)
