"""Long fuzz runs of the readers and the rule loader (random inputs, unlike
the fixed 10,200 examples the test suite runs).

    python fuzz/run.py                       # every target, 20,000 examples each
    python fuzz/run.py html --examples 200000 --seed 7
    python fuzz/run.py rules --minutes 30    # as many examples as fit
    python fuzz/run.py shapes cache          # issue 17: long runs, odd spaces, HTML in Markdown; cache files

A failure prints the smallest input hypothesis found and exits 1: add it as
an @example to tests/robustness/test_fuzz.py, fix the reader, and keep it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "robustness")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as with_seed  # noqa: E402

import robust_strategies as strategies  # noqa: E402
from test_fuzz import assert_offsets_sound  # noqa: E402


def reader_target(name: str, documents):
    def check(data: bytes) -> None:
        doc = strategies.read_or_input_error(name, data)
        if doc is not None:
            assert_offsets_sound(doc)

    return strategies.reader_inputs(documents), check


def rules_target():
    from linter.packs.loading import _blank_vocab
    from linter.packs.rule_file import parse_pack
    from linter.core.yaml_shapes import Checker
    from linter.core.yaml_source import load_yaml

    vocab = _blank_vocab()

    def check(text: str) -> None:
        data, problems = load_yaml("fuzz.yaml", text)
        ck = Checker("fuzz.yaml")
        if data is not None:
            parse_pack(ck, data, "fuzz", vocab)
        for problem in [*problems, *ck.problems]:
            assert problem.line >= 1 and problem.column >= 1 and "\n" not in str(problem)

    return strategies.rule_files(), check


def shapes_target():
    """The shapes of issue 17 (robust_strategies.shaped_documents): long runs,
    odd spaces and invisible characters in claims, HTML in Markdown, front
    matter PyYAML cannot read."""
    from test_fuzz import check_shaped

    return strategies.shaped_documents(), lambda value: check_shaped(*value)


def cache_target():
    """Mutated rule-cache entries: each is a miss or a checked RuleSet, never an exception."""
    import json
    import tempfile

    from linter.cache import store as rulecache
    from linter.core.model import RuleSet
    from linter.packs.loading import load_rules
    from test_fuzz import check_cache_entry

    full = load_rules(("core",))
    entry = Path(tempfile.mkdtemp(prefix="overclaim-fuzz-cache-")) / "rules-k.json"
    rulecache.write_entry(entry, "rules", "k", RuleSet(full.rules[:3], full.lexicons[:1], ("core",)))
    good = entry.read_bytes()
    header = json.loads(good.partition(b"\n")[0])
    header.pop("sha256", None)
    return strategies.mutated_cache_entries(good, header), lambda data: check_cache_entry(entry, data)


TARGETS = {
    "html": lambda: reader_target("fuzz.html", strategies.html_documents()),
    "markdown": lambda: reader_target("fuzz.md", strategies.markdown_documents()),
    "text": lambda: reader_target("fuzz.txt", strategies.text_documents()),
    "rules": rules_target,
    "shapes": shapes_target,
    "cache": cache_target,
}


def run(target: str, examples: int, seed: int, minutes: float | None) -> bool:
    """Fuzz one target: `examples` inputs, or rounds of inputs until `minutes` have passed."""
    strategy, check = TARGETS[target]()
    stop_at = time.monotonic() + minutes * 60 if minutes else None
    done = 0

    def one_round(round_seed: int, count: int) -> None:
        @with_seed(round_seed)
        @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(strategy)
        def fuzz(value) -> None:
            nonlocal done
            done += 1
            started = time.monotonic()
            check(value)
            elapsed = time.monotonic() - started
            assert elapsed < 10, f"one input took {elapsed:.1f} s"

        fuzz()

    started = time.monotonic()
    round_seed = seed
    try:
        if stop_at is None:
            one_round(round_seed, examples)
        while stop_at is not None and time.monotonic() < stop_at:
            one_round(round_seed, 2_000)
            round_seed += 1
    except Exception as exc:  # noqa: BLE001 - report and go on with the next target
        print(f"{target}: FAILED after {done} examples (seed {round_seed}): {type(exc).__name__}: {exc}", flush=True)
        return False
    print(f"{target}: {done} examples passed in {time.monotonic() - started:.0f} s (seed {seed})", flush=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"any of {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--examples", type=int, default=20_000, help="examples per target")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one)")
    parser.add_argument("--minutes", type=float, default=None, help="stop each target after this long")
    args = parser.parse_args()
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; choose from {', '.join(TARGETS)}")
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    results = [run(target, args.examples, seed, args.minutes) for target in args.targets or TARGETS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
