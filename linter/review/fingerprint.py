"""A finding's identity that survives edits elsewhere in the file.

The fingerprint hashes the rule, the matched text and the text of the
line(s) the match is on, each with whitespace collapsed, and nothing about
where it is: lines inserted above a claim, or a paragraph re-indented, do
not change it; rewording the claim or its line does. The same claim twice in
one file has the same fingerprint twice, so users count occurrences.
"""

from __future__ import annotations

import hashlib

from linter.core.model import Finding

LENGTH = 20  # hex digits: 80 bits


def normalise(text: str) -> str:
    return " ".join(text.split())


def fingerprint(finding: Finding, context: str) -> str:
    """`context` is the source text of the finding's lines (see Report.context)."""
    payload = "\x1f".join((finding.rule, normalise(finding.text), normalise(context)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:LENGTH]
