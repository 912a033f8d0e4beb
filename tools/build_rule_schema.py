"""Write schema/overclaim-rules.schema.json, the editors' JSON Schema of rule
packs and lexicons, from the validator's own constants (linter.packs.rule_schema).

Run after changing what a rule file may say: python tools/build_rule_schema.py
(tests/test_rule_schema.py fails while the file is out of date).
"""

from __future__ import annotations

import json
from pathlib import Path

from linter.packs.rule_schema import build_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "overclaim-rules.schema.json"


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    SCHEMA_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":
    main()
