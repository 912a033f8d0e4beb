"""Project configuration: `.overclaim.yaml` (or `.yml`) or `[tool.overclaim]` in pyproject.toml.

Every problem is reported as `path:line:col: message`, all at once, in one
ConfigError. YAML positions come from `core.yaml_source`. tomllib gives no positions,
so for pyproject.toml the lines of the `[tool.overclaim]` table (and of
`[tool.overclaim.severity]`) are scanned for `key =`; a value's position is
its key's, and a key the scan cannot place (e.g. inside an inline table)
falls back to its table's header.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from linter.core.errors import ConfigError, Problem
from linter.files.reading import ReadError, read_regular_file
from linter.core.meta_rule_table import META_CATEGORY, META_RULES
from linter.core.model import CATEGORIES, RuleSet, Severity
from linter.core.yaml_shapes import Checker, hint
from linter.core.located import LocatedDict, LocatedList, Position
from linter.core.limits import MAX_DATA_DEPTH, MAX_RULE_FILE_BYTES
from linter.files.nesting import too_deep
from linter.core.model import SEVERITY_NAMES

CONFIG_FILE = ".overclaim.yaml"
# Both spellings of the YAML extension are read; `.yaml` wins where both exist.
CONFIG_FILES = (CONFIG_FILE, ".overclaim.yml")
PYPROJECT = "pyproject.toml"
KEYS = ("packs", "disable", "severity", "fail_on", "fail_on_category", "model", "rule_dirs", "exclude", "docs_url")
NEVER = "never"
FAIL_LEVELS = (*SEVERITY_NAMES, NEVER)  # `never`: findings of that kind never fail the run
FAIL_CATEGORIES = (*CATEGORIES, META_CATEGORY)


@dataclass(frozen=True)
class Config:
    packs: tuple[str, ...] | None = None  # None: the default packs
    disable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    fail_on: Severity | None = Severity.ERROR  # None: never fail on findings
    # Per-category fail levels that replace `fail_on` for findings of that
    # category (None: never fail).
    fail_on_category: Mapping[str, Severity | None] = field(default_factory=lambda: MappingProxyType({}))
    model: str | None = None
    rule_dirs: tuple[Path, ...] = ()  # absolute, resolved
    exclude: tuple[str, ...] = ()
    # Where docs/rules.md is published; each finding links to its rule there.
    docs_url: str | None = None
    path: Path | None = None
    # Where rule ids were named ("disable.0", "severity.cure-claim"), so that
    # apply_config can point at them once the rules are known.
    positions: Mapping[str, Position] = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)


def find_config(start: Path) -> Path | None:
    """The nearest `.overclaim.yaml` (or `.yml`), or pyproject.toml with [tool.overclaim], from `start` upward."""
    directory = Path(start).resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        for name in CONFIG_FILES:
            if (candidate / name).is_file():
                return candidate / name
        if (candidate / PYPROJECT).is_file() and _has_tool_table(candidate / PYPROJECT):
            return candidate / PYPROJECT
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        text = read_regular_file(Path(path), MAX_RULE_FILE_BYTES).decode("utf-8")
    except (ReadError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    ck = Checker(str(path))
    data = _from_pyproject(ck, text) if Path(path).name == PYPROJECT else _from_yaml(ck, text)
    config = _validate(ck, data, Path(path)) if data is not None else Config(path=Path(path))
    if ck.problems:
        raise ConfigError("\n".join(str(p) for p in sorted(ck.problems, key=lambda p: (p.line, p.column))))
    return config


def fail_level(name: str) -> Severity | None:
    """'error', 'warning', 'info' -> that severity; 'never' -> None."""
    return None if name == NEVER else Severity.parse(name)


def apply_config(ruleset: RuleSet, config: Config, strict: bool = True) -> RuleSet:
    """The ruleset without disabled rules and with severity overrides applied.

    Rule ids in `disable` and `severity` must be loaded rules (or meta
    rules); with `strict=False` (a document that chose its own packs) ids of
    rules that are not loaded are ignored instead.
    """
    known = {rule.id for rule in ruleset.rules} | set(META_RULES)
    named = [(f"disable.{i}", rule_id) for i, rule_id in enumerate(config.disable)]
    named += [(f"severity.{rule_id}", rule_id) for rule_id in config.severity]
    problems = []
    for key, rule_id in named:
        if rule_id not in known and strict:
            line, col = config.positions.get(key, (1, 1))
            packs = ", ".join(ruleset.packs) or "none"
            section = key.split(".")[0]
            message = f"unknown rule '{rule_id}' in '{section}'{hint(rule_id, sorted(known))} (loaded packs: {packs})"
            problems.append(Problem(str(config.path or "<config>"), line, col, message))
    if problems:
        raise ConfigError("\n".join(str(p) for p in problems))
    disabled = set(config.disable)
    rules = tuple(
        replace(rule, severity=config.severity.get(rule.id, rule.severity))
        for rule in ruleset.rules
        if rule.id not in disabled
    )
    return replace(ruleset, rules=rules)


def _validate(ck: Checker, data: Any, path: Path) -> Config:
    node = ck.mapping(data, (1, 1), "the config")
    if node is None:
        return Config(path=path)
    for key in node:
        if key not in KEYS:
            ck.error(node.key_at(key), f"unknown key '{key}'{hint(str(key), KEYS)}")
    where = "the config"
    positions: dict[str, Position] = {}
    packs = ck.strings(node, "packs", where)
    disable = ck.strings(node, "disable", where) or ()
    items = node.get("disable")
    positions.update((f"disable.{i}", items.where(i)) for i in range(len(disable)) if isinstance(items, LocatedList))
    severity: dict[str, Severity] = {}
    overrides: Any = ck.mapping(node["severity"], node.where("severity"), "'severity'") if "severity" in node else None
    for rule_id in overrides or {}:
        level = ck.choice(overrides, rule_id, SEVERITY_NAMES, "severity", "'severity'")
        if level is not None:
            severity[str(rule_id)] = Severity.parse(level)
            positions[f"severity.{rule_id}"] = overrides.key_at(rule_id)
    fail_on = ck.choice(node, "fail_on", FAIL_LEVELS, "'fail_on' severity", where)
    by_category: dict[str, Severity | None] = {}
    levels: Any = None
    if "fail_on_category" in node:
        levels = ck.mapping(node["fail_on_category"], node.where("fail_on_category"), "'fail_on_category'")
    for category in levels or {}:
        if category not in FAIL_CATEGORIES:
            suggestion = hint(str(category), FAIL_CATEGORIES) or f" (expected one of {', '.join(FAIL_CATEGORIES)})"
            ck.error(levels.key_at(category), f"unknown category '{category}' in 'fail_on_category'{suggestion}")
            continue
        level = ck.choice(levels, category, FAIL_LEVELS, "level", "'fail_on_category'")
        if level is not None:
            by_category[str(category)] = fail_level(level)
    return Config(
        packs=packs,
        disable=disable,
        severity=MappingProxyType(severity),
        fail_on=fail_level(fail_on) if fail_on else Severity.ERROR,
        fail_on_category=MappingProxyType(by_category),
        model=ck.string(node, "model", where),
        rule_dirs=_rule_dirs(ck, node, path.parent.resolve()),
        exclude=ck.strings(node, "exclude", where) or (),
        docs_url=ck.string(node, "docs_url", where),
        path=path,
        positions=MappingProxyType(positions),
    )


def _rule_dirs(ck: Checker, node: LocatedDict, base: Path) -> tuple[Path, ...]:
    if ck.strings(node, "rule_dirs", "the config") is None:
        return ()
    names = node["rule_dirs"]  # a list: checked just above
    dirs = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            continue
        shown = name if len(name) <= 80 else name[:80] + "…"
        try:
            # resolve() follows symlinks and `..`, so both ways out of the tree are caught.
            directory = (base / name).resolve()
            usable = directory.is_dir()
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long for the system
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            ck.error(names.where(index), f"rule directory '{shown}' cannot be used: {reason}")
            continue
        if not directory.is_relative_to(base):
            ck.error(names.where(index), f"rule directory '{shown}' is outside the config file's directory {base}")
        elif not usable:
            ck.error(names.where(index), f"rule directory '{shown}' does not exist")
        else:
            dirs.append(directory)
    return tuple(dirs)


def _from_yaml(ck: Checker, text: str) -> Any:
    from linter.core.yaml_source import load_yaml  # PyYAML only for a YAML config

    data, problems = load_yaml(ck.path, text)
    ck.problems.extend(problems)
    return data


_TOML_POSITION = re.compile(r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$")
_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*overclaim\s*(?:\.\s*(?P<sub>[A-Za-z0-9_-]+)\s*)?\]")
_OTHER_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


def _has_tool_table(path: Path) -> bool:
    import tomllib  # only when there is a pyproject.toml to read

    try:
        text = path.read_text(encoding="utf-8")
        tool = tomllib.loads(text).get("tool")
        return isinstance(tool, dict) and "overclaim" in tool
    except (OSError, UnicodeDecodeError):
        return False
    except (tomllib.TOMLDecodeError, RecursionError):
        # A broken pyproject that means to configure overclaim should be
        # reported by load_config, not skipped.
        return any(_HEADER.match(line) for line in text.splitlines())


# `[tools.overclaim]`, `[tool.overclaims]`...: a table meant for overclaim
# that TOML reads without complaint and overclaim would never see.
_ANY_HEADER = re.compile(r"^\s*\[\s*(?P<top>[A-Za-z0-9_-]+)\s*\.\s*(?P<name>[A-Za-z0-9_-]+)\s*[.\]]")


def misnamed_tables(path: Path) -> list[str]:
    """A warning for each table of a pyproject.toml whose name is close to
    `[tool.overclaim]` but not it, as `path:line: ...` (empty when there is
    none or the file cannot be read: load_config reports that)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    warnings = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = _ANY_HEADER.match(line)
        if not found or _HEADER.match(line):
            continue
        top, name = found["top"].lower(), found["name"].lower()
        near_top = top == "tool" or difflib.SequenceMatcher(None, top, "tool").ratio() >= 0.75
        near_name = name == "overclaim" or difflib.SequenceMatcher(None, name, "overclaim").ratio() >= 0.8
        if near_top and near_name:
            table = line.strip().split("]")[0] + "]"
            warnings.append(f"{path}:{number}: table {table} is not read by overclaim; did you mean [tool.overclaim]?")
    return warnings


def _from_pyproject(ck: Checker, text: str) -> LocatedDict | None:
    import tomllib  # only when there is a pyproject.toml to read

    deep = too_deep(text, MAX_DATA_DEPTH, toml=True)
    if deep:  # tomllib recurses: a RecursionError, with no position, far deeper
        ck.error(deep, f"invalid TOML: arrays and tables nested deeper than {MAX_DATA_DEPTH} levels")
        return None
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError as exc:
        # tomllib (3.11) exposes the position only inside its message.
        found = _TOML_POSITION.match(str(exc))
        at = (1, 1)
        if found and found["line"]:
            at = (int(found["line"]), int(found["col"]))
        elif found:
            at = (text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1)
        ck.error(at, f"invalid TOML: {found['message'] if found else exc}")
        return None
    if not isinstance(tool, dict) or "overclaim" not in tool:
        return None
    return _located(tool["overclaim"], _toml_positions(text), "")


def _toml_positions(text: str) -> dict[str, Position]:
    """'key' / 'sub.key' → position, for keys in [tool.overclaim] and its sub-tables."""
    positions: dict[str, Position] = {}
    prefix: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            prefix = f"{header['sub']}." if header["sub"] else ""
            positions.setdefault(header["sub"] or "", (number, line.index("[") + 1))
        elif _OTHER_HEADER.match(line):
            prefix = None
        elif prefix is not None and (key := _KEY.match(line)):
            positions[prefix + key["key"].strip('"')] = (number, len(key["indent"]) + 1)
    return positions


def _located(value: Any, positions: dict[str, Position], prefix: str) -> Any:
    """TOML data as LocatedDict/LocatedList, so YAML and TOML share one validator."""
    table_at = positions.get(prefix.rstrip("."), positions.get("", (1, 1)))
    if isinstance(value, dict):
        node = LocatedDict(table_at)
        for key, item in value.items():
            at = positions.get(prefix + key, table_at)
            node.put(key, _located(item, positions, f"{prefix}{key}."), at, at)
        return node
    if isinstance(value, list):
        items = LocatedList(table_at)
        for item in value:
            items.add(_located(item, positions, prefix), table_at)
        return items
    return value
