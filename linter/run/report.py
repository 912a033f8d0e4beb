"""The result of a run: findings, files that could not be linted, the source
lines the formats show and fingerprint, the suppressions that were applied,
and what the formats need to describe each rule."""

from __future__ import annotations

from datetime import datetime
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping

from linter.core.errors import InputError
from linter.review.fingerprint import fingerprint
from linter.core.model import Finding, Severity

if TYPE_CHECKING:
    from linter.core.rule_info import RuleInfo
    from linter.review.suppressions import Suppression


@dataclass(frozen=True)
class SourceText:
    """A linted document in full, for formats that show the whole copy (the
    HTML review report): its text, the SHA-256 of the bytes that were read
    (so a signed-off record names exactly the text reviewed), and the packs
    its rules came from."""

    path: str
    text: str
    sha256: str
    packs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...] = ()
    files: int = 0
    lines: Mapping[tuple[str, int], str] = field(default_factory=dict)
    suppressions: tuple["Suppression", ...] = ()
    paths: tuple[str, ...] = ()  # the documents linted, in order
    rules: Mapping[str, "RuleInfo"] = field(default_factory=lambda: MappingProxyType({}))
    baselined: int = 0  # findings left out because the baseline has them
    words: int = 0  # words of prose seen, and of those, words parsed (--stats)
    parsed_words: int = 0
    # Each document's full text by path; only when the run was asked to keep
    # them (LintSettings.keep_sources), as the other formats never need them.
    sources: Mapping[str, SourceText] = field(default_factory=lambda: MappingProxyType({}))

    def summary(self) -> dict[str, int]:
        counts = {s.label: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        # `files` counts the files linted; a file that could not be is not
        # one of them (a summary must not pass it off as clean).
        return {"files": self.linted, "not_linted": len(self.errors), "findings": len(self.findings), **counts}

    @property
    def linted(self) -> int:
        return max(self.files - len(self.errors), 0)

    def line_text(self, finding: Finding) -> str | None:
        return self.lines.get((finding.path, finding.line))

    def context(self, finding: Finding) -> str:
        """The source text of every line the finding touches, joined by newlines."""
        return "\n".join(self.lines.get((finding.path, n), "") for n in range(finding.line, finding.end_line + 1))

    def fingerprint(self, finding: Finding) -> str:
        return fingerprint(finding, self.context(finding))

    @property
    def suppressed(self) -> int:
        return len({f for s in self.suppressions for f in s.suppressed})

    def fails(self, level: Severity) -> bool:
        return any(f.severity >= level for f in self.findings)

    def without(self, findings: Iterable[Finding], baselined: int) -> "Report":
        """This report with only `findings` kept, counting `baselined` as left out."""
        return replace(self, findings=tuple(findings), baselined=self.baselined + baselined)


@dataclass(frozen=True)
class RunInfo:
    """How the report was made, for the sign-off record in its footer."""

    version: str
    generated: datetime
    config: str  # the config file used, or a note that none was
    packs: tuple[str, ...]  # the packs selected for the run
