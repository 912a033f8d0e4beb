"""The result of a run: findings, files that could not be linted, and the
source lines the text format shows under each finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .errors import InputError
from .model import Finding, Severity


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...] = ()
    files: int = 0
    lines: Mapping[tuple[str, int], str] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        counts = {s.label: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return {"files": self.files, "findings": len(self.findings), **counts}

    def line_text(self, finding: Finding) -> str | None:
        return self.lines.get((finding.path, finding.line))

    def fails(self, level: Severity) -> bool:
        return any(f.severity >= level for f in self.findings)
