"""Rule files are read only from inside the rule directories the user named.

`config` already refuses a `rule_dirs` entry that resolves outside the config
file's directory; a rule directory can still hold a symlink (a pack, or the
whole `lexicons/` folder) pointing anywhere on the machine. Such a file is
refused, not read, so a rule directory from elsewhere cannot make overclaim
read (and echo in its error messages) arbitrary files.
"""

from __future__ import annotations

from pathlib import Path

from linter.core.errors import ConfigError


def files_inside(directory: Path, pattern: str) -> list[Path]:
    """Files matching `pattern` under `directory`, sorted; ConfigError for any
    that resolves to a place outside `directory`."""
    root = Path(directory).resolve()
    found = sorted(Path(directory).glob(pattern))
    for path in found:
        target = path.resolve()
        if not target.is_relative_to(root):
            raise ConfigError(f"{path}: links to {target}, outside the rule directory {root}; not read")
    return found
