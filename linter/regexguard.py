"""A REGEX in a rule's token pattern must not be able to hang the linter.

spaCy's Matcher runs `REGEX` predicates with Python's `re`, a backtracking
engine: `(a+)+$` takes exponential time on "aaaa…!", and a REGEX runs on
every token of every document. Each REGEX is therefore checked when its rule
file is loaded, and refused (with the rule file's line and column) if it

1. is longer than MAX_REGEX_CHARS or does not compile;
2. has a construct known to backtrack catastrophically: a quantifier nested
   in a repeated group (`(a+)+`, `(a*b?)*`), alternatives inside a repetition
   that can start with the same character (`(a|ab)*`, `(\\w|\\d)+`), or a
   backreference;
3. takes longer than REGEX_PROBE_SECONDS over a set of adversarial probes:
   long runs of the characters the pattern mentions, with and without a
   character that makes the match fail at the end.

The probes run with `re` itself, the engine spaCy uses (the third-party
`regex` module backtracks differently: it finishes `(a+)+$` at once where
`re` hangs, so it cannot vouch for `re`). `re` checks for signals while it
matches, so on the main thread a timer interrupts a runaway probe; on other
threads the probes run in a child process that is killed at the deadline.
Probes are as long as the longest token the engine ever produces
(MAX_TOKEN_CHARS, enforced by `chunking`), so a REGEX that passes them also
runs in bounded time on real text.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from .limits import MAX_REGEX_CHARS, MAX_TOKEN_CHARS, REGEX_PROBE_SECONDS

if sys.version_info >= (3, 11):
    from re import _constants as _sre  # type: ignore[attr-defined]  # private
    from re import _parser as _sre_parse  # type: ignore[attr-defined]  # private
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT})
# Possessive quantifiers and atomic groups (3.11+) never backtrack into.
_ATOMIC = frozenset(op for op in (getattr(_sre, "POSSESSIVE_REPEAT", None), getattr(_sre, "ATOMIC_GROUP", None)) if op)
_ANY = None  # "could be any character" in a first-character set
_BASE_ALPHABET = "aA1 .-'_!é"
_FAIL = "\x00"  # matched by almost no pattern: forces backtracking at the end
MAX_PROBE_ALPHABET = 24


class _Timeout(Exception):
    pass


def regex_problem(pattern: Any) -> str | None:
    """Why `pattern` cannot be used as a REGEX, or None if it is safe."""
    if not isinstance(pattern, str):
        return None  # spaCy's own validation reports the wrong type
    if len(pattern) > MAX_REGEX_CHARS:
        return f"is {len(pattern)} characters long; the limit is {MAX_REGEX_CHARS}"
    try:
        parsed = _sre_parse.parse(pattern)
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression: {exc}"
    risk = _static_risk(parsed)
    if risk:
        return f"can take exponential time: {risk}; rewrite it without that construct"
    if not _probes_finish(pattern, compiled, probes(parsed)):
        return (
            f"takes over {REGEX_PROBE_SECONDS:g} s on adversarial text of {MAX_TOKEN_CHARS} characters "
            "(catastrophic backtracking); simplify it"
        )
    return None


# --- static screening ---------------------------------------------------------------


def _static_risk(parsed: Any) -> str | None:
    return _walk(list(parsed), in_repeat=False, ignore_case=bool(parsed.state.flags & re.IGNORECASE))


def _walk(items: list, in_repeat: bool, ignore_case: bool) -> str | None:
    for op, av in items:
        if op in _ATOMIC:
            continue
        if op in _REPEATS:
            low, high, sub = av
            repeats = high > 1
            if in_repeat and high == _sre.MAXREPEAT and low != high:
                return "a quantifier nested inside a repeated group, like (a+)+"
            if repeats and high == _sre.MAXREPEAT and _overlapping_branches(list(sub), ignore_case):
                return "alternatives that can start with the same character inside a repetition, like (a|ab)*"
            risk = _walk(list(sub), in_repeat or repeats, ignore_case)
        elif op == _sre.SUBPATTERN:
            risk = _walk(list(av[-1]), in_repeat, ignore_case)
        elif op == _sre.BRANCH:
            risk = next((r for r in (_walk(list(b), in_repeat, ignore_case) for b in av[1]) if r), None)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            risk = _walk(list(av[1]), in_repeat, ignore_case)
        elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
            risk = "a backreference"
        else:
            risk = None
        if risk:
            return risk
    return None


def _overlapping_branches(items: list, ignore_case: bool) -> bool:
    """Does a BRANCH directly inside the repeated group have two alternatives
    that can start with the same character?"""
    while len(items) == 1 and items[0][0] == _sre.SUBPATTERN:
        items = list(items[0][1][-1])
    branch = next((av for op, av in items if op == _sre.BRANCH), None)
    if branch is None:
        return False
    firsts = [_first_chars(list(alternative), ignore_case) for alternative in branch[1]]
    for i, first in enumerate(firsts):
        for other in firsts[i + 1 :]:
            if first is _ANY or other is _ANY or first & other:
                return True
    return False


def _first_chars(items: list, ignore_case: bool) -> frozenset[str] | None:
    """The characters a match of `items` can start with; None for "any"."""
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width: look at what follows
        if op == _sre.LITERAL:
            char = chr(av)
            return frozenset({char.lower(), char.upper()} if ignore_case else {char})
        if op == _sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind == _sre.LITERAL:
                    chars.add(chr(value))
                elif kind == _sre.RANGE and value[1] - value[0] < 256:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return _ANY  # NEGATE, CATEGORY, wide ranges
            if ignore_case:
                chars |= {c.lower() for c in chars} | {c.upper() for c in chars}
            return frozenset(chars)
        if op == _sre.SUBPATTERN:
            return _first_chars(list(av[-1]), ignore_case)
        return _ANY  # repeats that may be empty, branches, ANY, categories...
    return frozenset()


# --- probing ----------------------------------------------------------------------


def probes(parsed: Any, length: int = MAX_TOKEN_CHARS) -> list[str]:
    """Adversarial strings for a parsed pattern: runs of each character the
    pattern mentions, and of pairs of them, each with and without a failing end."""
    alphabet = list(dict.fromkeys([*_mentioned(list(parsed)), *_BASE_ALPHABET]))[:MAX_PROBE_ALPHABET]
    found = [""]
    for char in alphabet:
        run = char * length
        found += [run, run[:-1] + _FAIL, run[:-1] + "!"]
    for first in alphabet[:8]:
        for second in alphabet[:8]:
            if first != second:
                found.append(((first + second) * length)[: length - 1] + _FAIL)
    return found


def _mentioned(items: list) -> Iterator[str]:
    for op, av in items:
        if op == _sre.LITERAL:
            yield chr(av)
        elif op == _sre.IN:
            for kind, value in av:
                if kind == _sre.LITERAL:
                    yield chr(value)
                elif kind == _sre.RANGE:
                    yield chr(value[0])
                    yield chr(value[1])
        elif op in _REPEATS:
            yield from _mentioned(list(av[2]))
        elif op == _sre.SUBPATTERN:
            yield from _mentioned(list(av[-1]))
        elif op == _sre.BRANCH:
            for alternative in av[1]:
                yield from _mentioned(list(alternative))
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            yield from _mentioned(list(av[1]))
        elif op in _ATOMIC:
            yield from _mentioned(list(av[-1] if op != _sre.ATOMIC_GROUP else av))


def _probes_finish(pattern: str, compiled: re.Pattern, strings: list[str]) -> bool:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        try:
            with _deadline(REGEX_PROBE_SECONDS):
                for text in strings:
                    compiled.search(text)
        except _Timeout:
            return False
        return True
    return _probes_finish_in_child(pattern, strings)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Timeout in the main thread after `seconds`; restores any timer set before."""

    def expire(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if outer_delay:
            remaining = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer_interval)


_CHILD = "import re, sys\np = re.compile(sys.stdin.readline().rstrip('\\n'))\nfor line in sys.stdin.read().split('\\n\\x01'):\n    p.search(line)\n"


def _probes_finish_in_child(pattern: str, strings: list[str]) -> bool:
    if "\n" in pattern:
        pattern = pattern.replace("\n", "\\n")
    payload = pattern + "\n" + "\n\x01".join(strings)
    try:
        subprocess.run(
            [sys.executable, "-I", "-c", _CHILD],
            input=payload.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=REGEX_PROBE_SECONDS + 2.0,  # plus the child's start-up
            check=True,
        )
    except subprocess.TimeoutExpired:
        return False
    except (OSError, subprocess.CalledProcessError):
        return True  # no child could run the probes; the static screen still applied
    return True
