"""Findings on the same words: one claim that several rules report.

"miracle cure" is both a cure claim and hype; "I lost 45 pounds in six
weeks" is a testimonial, a figure and a speed claim. The reader should see
such words once, with every rule and category they carry. Findings of one
file whose spans overlap (directly or through another finding of the group)
form a group; a finding that overlaps nothing is a group of its own.

A missing-disclaimer finding is never grouped: it is about the whole
document and only placed at the claim that calls for the disclaimer, so it
stays a block of its own (and "I lost 45 pounds in six weeks" is three
claims on the same words, as a reader counts them, plus that notice).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from linter.core.model import Finding


def span_groups(findings: Iterable[Finding]) -> tuple[tuple[Finding, ...], ...]:
    """The findings, grouped by shared words, groups in order of their first
    finding, and each group in the order the findings were given.

    The input is the report's order (path, line, column, rule), which within
    one file is the order of start offsets, so one sweep that tracks how far
    the current group reaches finds every group.
    """
    groups: list[list[Finding]] = []
    current: list[Finding] | None = None  # the open group of line-level findings
    reach = -1
    for finding in sorted(findings, key=lambda f: (f.path, f.start_offset, f.sort_key())):
        if finding.requires is not None:  # a missing disclaimer: a group of its own
            groups.append([finding])
            continue
        if current is not None and finding.path == current[0].path and finding.start_offset < reach:
            current.append(finding)
            reach = max(reach, finding.end_offset)
            continue
        current = [finding]
        groups.append(current)
        reach = max(finding.end_offset, finding.start_offset + 1)
    return tuple(tuple(group) for group in groups)


def group_numbers(findings: Sequence[Finding]) -> list[int | None]:
    """For each finding (in the given order), the number of its group of
    findings on shared words, counted from 1 over the groups of two or more
    findings; None for a finding that shares its words with no other."""
    numbers: dict[int, int] = {}
    shared = (group for group in span_groups(findings) if len(group) > 1)
    for number, group in enumerate(shared, start=1):
        for finding in group:
            numbers[id(finding)] = number
    return [numbers.get(id(finding)) for finding in findings]
