"""Read each target, lint it, and collect one Report.

A file that cannot be read is recorded as an error and the run goes on: one
bad file never hides the findings in the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from .discovery import Target
from .errors import InputError
from .readers import read_document
from .report import Report

if TYPE_CHECKING:
    from .document import Document
    from .engine import Engine


def read_target(target: Target, read_stdin: Callable[[], bytes], format: str | None = None) -> "Document":
    if target.path is None:
        data = read_stdin()
    else:
        try:
            data = target.path.read_bytes()
        except IsADirectoryError:
            raise InputError(target.display, "is a directory") from None
        except FileNotFoundError:
            raise InputError(target.display, "file not found (deleted or a broken link?)") from None
        except PermissionError:
            raise InputError(target.display, "permission denied") from None
        except OSError as exc:
            raise InputError(target.display, f"cannot read: {exc.strerror or exc}") from None
    return read_document(target.display, data, format)


def lint_targets(
    engine: "Engine",
    targets: Sequence[Target],
    read_stdin: Callable[[], bytes],
    stdin_format: str | None = None,
) -> Report:
    findings = []
    errors = []
    lines: dict[tuple[str, int], str] = {}
    for target in targets:
        try:
            document = read_target(target, read_stdin, stdin_format if target.path is None else None)
        except InputError as error:
            errors.append(error)
            continue
        for finding in engine.lint(document):
            findings.append(finding)
            lines.setdefault((finding.path, finding.line), document.line_text(finding.line))
    findings.sort(key=lambda f: f.sort_key())
    return Report(tuple(findings), tuple(errors), len(targets), lines)
