"""`overclaim config PATH`: which config governs a file and the settings it
resolves to (as ruff's `--show-settings`), so a user can see why a rule did
or did not run on it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from linter.nlp.loading import FALLBACK_MODELS

if TYPE_CHECKING:
    from linter.core.model import Severity
    from linter.config import Config
    from linter.core.model import RuleSet


def settings(path: str, config: "Config", ruleset: "RuleSet", excluded: bool, docs_url: str) -> dict:
    def level(value: "Severity | None") -> str:
        return value.label if value is not None else "never"

    return {
        "path": path,
        "config": str(config.path) if config.path else None,
        "excluded": excluded,
        "packs": list(ruleset.packs),
        "disable": list(config.disable),
        "severity": {rule_id: s.label for rule_id, s in config.severity.items()},
        "fail_on": level(config.fail_on),
        "fail_on_category": {category: level(value) for category, value in config.fail_on_category.items()},
        "model": config.model,
        "rule_dirs": [str(directory) for directory in config.rule_dirs],
        "exclude": list(config.exclude),
        "docs_url": docs_url,
        "rules": sorted(rule.id for rule in ruleset.rules),
    }


def render(shown: dict, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"

    def text(value: object) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{key}: {item}" for key, item in value.items()) or "(none)"
        if isinstance(value, list):
            return ", ".join(value) or "(none)"
        if isinstance(value, bool):
            return "yes (config 'exclude'; linted only when named without --force-exclude)" if value else "no"
        return str(value)

    labels = dict(shown)
    labels["config"] = shown["config"] or "none found (defaults)"
    labels["model"] = shown["model"] or f"(default: {' or '.join(FALLBACK_MODELS)})"
    labels["rules"] = f"{len(shown['rules'])}: {', '.join(shown['rules'])}"
    width = max(len(key) for key in labels) + 1
    return "".join(f"{key + ':':<{width}} {text(value)}\n" for key, value in labels.items())
