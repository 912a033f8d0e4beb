"""When findings fail the run: a default level plus per-category levels.

`--fail-on` (or `fail_on` in config) sets the default; `fail_on_category`
in config replaces it for the categories it names. A level of None
("never") means findings of that kind are reported but never fail the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

from linter.core.model import Finding, Severity


@dataclass(frozen=True)
class FailPolicy:
    default: Severity | None = Severity.ERROR
    by_category: Mapping[str, Severity | None] = field(default_factory=lambda: MappingProxyType({}))

    def level_for(self, category: str) -> Severity | None:
        return self.by_category[category] if category in self.by_category else self.default

    def fails(self, finding: Finding) -> bool:
        level = self.level_for(finding.category)
        return level is not None and finding.severity >= level

    def any_fails(self, findings: Iterable[Finding]) -> bool:
        return any(self.fails(finding) for finding in findings)
