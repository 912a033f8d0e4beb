"""The copy-paste snippets of README.md, by name.

A snippet is the fenced code block right after a `<!-- snippet: NAME -->`
comment, so the tests run exactly what a reader copies.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
_SNIPPET = re.compile(r"<!-- snippet: (?P<name>[a-z0-9-]+) -->\n```[a-z]*\n(?P<body>.*?)^```$", re.DOTALL | re.MULTILINE)


def snippets() -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _SNIPPET.finditer(README.read_text(encoding="utf-8")):
        assert match["name"] not in found, f"snippet {match['name']} twice in README.md"
        found[match["name"]] = match["body"]
    return found


def snippet(name: str) -> str:
    found = snippets()
    assert name in found, f"README.md has no snippet '{name}' (has: {', '.join(sorted(found))})"
    return found[name]


def commands(name: str, program: str = "overclaim") -> list[str]:
    """The lines of a shell snippet that run `program`, comments removed."""
    lines = []
    for line in snippet(name).splitlines():
        command = re.sub(r"\s+#.*$", "", line).strip()
        if command.startswith(program + " "):
            lines.append(command)
    return lines
