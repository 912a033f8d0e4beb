"""Finding, loading and cross-checking rule packs and lexicons.

A rules directory holds packs (`*.yaml`) and lexicons (`lexicons/*.yaml`).
The built-in directory ships as the package `linter.rules`; config and CLI
can add more. Every problem in every file is collected and raised at once as
one RuleFileError.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from linter.core.errors import ConfigError, Problem, RuleFileError
from linter.core.meta_rule_table import META_RULES
from linter.files.reading import ReadError, read_regular_file
from linter.core.limits import MAX_RULE_FILE_BYTES
from linter.core.model import Lexicon, Rule, RuleSet
from linter.packs import pack_files
from linter.packs.rule_file import parse_lexicon, parse_pack
from linter.core.yaml_shapes import Checker, Ref, hint
from linter.core.located import LocatedDict, LocatedList
from linter.core.yaml_source import load_yaml

if TYPE_CHECKING:
    from spacy.vocab import Vocab

DEFAULT_PACKS = ("core", "us")
CONDITIONS = "conditions"  # the lexicon `approved_for` entries refer to


def load_rules(packs: Sequence[str] | None = None, extra_dirs: Sequence[Path] = ()) -> RuleSet:
    """Load the selected packs and every lexicon; raise RuleFileError listing all problems.

    `packs=None` loads the default packs (those of DEFAULT_PACKS that exist)
    plus every pack found in `extra_dirs`: a directory the user added is
    meant to be used.
    """
    found = pack_files.available_packs(extra_dirs)
    selected = _select(packs, found, extra_dirs)
    vocab = _blank_vocab()
    problems: list[Problem] = []
    lexicons = _load_lexicons(pack_files.lexicon_files(pack_files.rule_dirs(extra_dirs)), problems)
    checkers = [Checker(str(found[name])) for name in selected]
    rules = [rule for name, ck in zip(selected, checkers) for rule in _parse(ck, found[name], "pack", vocab)]
    for ck in checkers:
        problems.extend(ck.problems)
    problems.extend(_cross_check(rules, checkers, lexicons, {}))
    if problems:
        raise RuleFileError(problems)
    return RuleSet(tuple(rules), tuple(lexicons), tuple(selected))


def known_rule_ids(extra_dirs: Sequence[Path] = ()) -> frozenset[str]:
    """Every rule id written in any available pack, loaded or not (read, not validated).

    Suppression directives may name any of them: a rule of a pack this run
    did not load is not a typo.
    """
    return frozenset(_rule_ids(pack_files.available_packs(extra_dirs).values()))


def validate_files(paths: Sequence[Path]) -> list[Problem]:
    """All problems in the given pack and lexicon files (for `overclaim rules validate`)."""
    return _check_files(paths)[0]


def load_files(paths: Sequence[Path]) -> RuleSet:
    """The rules of the given pack files, with the lexicons they may use (as
    validate_files reads them), to run their examples; RuleFileError if any
    file has a problem."""
    problems, rules, lexicons, packs = _check_files(paths)
    if problems:
        raise RuleFileError(problems)
    return RuleSet(tuple(rules), tuple(lexicons), tuple(packs))


def _check_files(paths: Sequence[Path]) -> tuple[list[Problem], list[Rule], list[Lexicon], list[str]]:
    """Problems, rules, lexicons and pack names of the given files.

    LEX references may name built-in lexicons and those in a `lexicons/`
    directory next to a given pack; rule ids are checked against the
    built-in packs too, since they would clash when loaded together.
    """
    problems: list[Problem] = []
    packs: list[tuple[Path, Any]] = []
    lexicon_paths = {path.resolve(): path for path in pack_files.lexicon_files([pack_files.builtin_rules_dir()])}
    for path in paths:
        data, read_problems = _read(path)
        # `rules`/`terms` also decide, so a missing `pack:` or `lexicon:` is
        # reported as such rather than as an unknown kind of file.
        if isinstance(data, LocatedDict) and ("lexicon" in data or "terms" in data):
            lexicon_paths[path.resolve()] = path  # read again, and its problems reported, with the others
        elif isinstance(data, LocatedDict) and ("pack" in data or "rules" in data):
            problems.extend(read_problems)
            packs.append((path, data))
            lexicon_paths.update((p.resolve(), p) for p in pack_files.lexicon_files([path.parent]))
        elif read_problems:
            problems.extend(read_problems)
        else:
            message = "not a rule pack or lexicon: expected a top-level 'pack' or 'lexicon' key"
            problems.append(Problem(str(path), 1, 1, message))
    lexicons = _load_lexicons(lexicon_paths.values(), problems)
    vocab = _blank_vocab() if packs else None
    checkers = [Checker(str(path)) for path, _ in packs]
    rules = [rule for (path, data), ck in zip(packs, checkers) for rule in parse_pack(ck, data, path.stem, vocab)]
    for ck in checkers:
        problems.extend(ck.problems)
    given = {path.resolve() for path, _ in packs}
    others = [path for path in pack_files.available_packs().values() if path.resolve() not in given]
    problems.extend(_cross_check(rules, checkers, lexicons, _rule_ids(others)))
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.message))
    return problems, rules, lexicons, [path.stem for path, _ in packs]


def _select(packs: Sequence[str] | None, found: dict[str, Path], extra_dirs: Sequence[Path]) -> list[str]:
    if packs is None:
        extra = {Path(directory).resolve() for directory in extra_dirs}
        return [name for name in DEFAULT_PACKS if name in found] + [
            name for name, path in found.items() if path.parent.resolve() in extra and name not in DEFAULT_PACKS
        ]
    unknown = [name for name in packs if name not in found]
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        available = ", ".join(sorted(found)) or "none"
        raise ConfigError(f"unknown rule pack {names}{hint(unknown[0], list(found))} (available: {available})")
    return list(dict.fromkeys(packs))


def _blank_vocab() -> "Vocab":
    # Imported here so that loading config or printing --help never pays for spaCy.
    import spacy

    return spacy.blank("en").vocab


def _read(path: Path) -> tuple[Any, list[Problem]]:
    try:
        text = read_regular_file(Path(path), MAX_RULE_FILE_BYTES).decode("utf-8")
    except (ReadError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), 1, 1, f"cannot read file: {exc}")]
    return load_yaml(str(path), text)


def _parse(ck: Checker, path: Path, kind: str, vocab: "Vocab | None") -> Iterable[Any]:
    data, problems = _read(path)
    ck.problems.extend(problems)
    if data is None and problems:
        return ()
    if kind == "pack":
        return parse_pack(ck, data, path.stem, vocab)
    lexicon = parse_lexicon(ck, data, path.stem)
    return (lexicon,) if lexicon else ()


def _load_lexicons(paths: Iterable[Path], problems: list[Problem]) -> list[Lexicon]:
    lexicons: dict[str, Lexicon] = {}
    for path in paths:
        ck = Checker(str(path))
        for lexicon in _parse(ck, path, "lexicon", None):
            if lexicon.name in lexicons:
                first = lexicons[lexicon.name].defined_at
                at = (lexicon.defined_at.line, lexicon.defined_at.column)
                ck.error(at, f"duplicate lexicon '{lexicon.name}' (first defined at {first.path}:{first.line})")
            else:
                lexicons[lexicon.name] = lexicon
        problems.extend(ck.problems)
    problems.extend(_unknown_approved_conditions(lexicons.get(CONDITIONS), lexicons.values()))
    return list(lexicons.values())


def _unknown_approved_conditions(conditions: Lexicon | None, lexicons: Iterable[Lexicon]) -> list[Problem]:
    """Every `approved_for` entry must be a term of the conditions lexicon, or
    the off-label check could never see it approved."""
    known = {" ".join(t.text.casefold().split()) for t in conditions.terms} if conditions else set()
    problems = []
    for lexicon in lexicons:
        for term in lexicon.terms:
            for condition in term.approved_for or ():
                if " ".join(condition.casefold().split()) not in known and term.defined_at:
                    at = term.defined_at
                    message = f"'approved_for' of term '{term.text}' names '{condition}', which is not a term of lexicon '{CONDITIONS}'"
                    problems.append(Problem(at.path, at.line, at.column, message))
    return problems


def _rule_ids(paths: Iterable[Path]) -> dict[str, tuple[str, int]]:
    """Rule id → (path, line) of packs that are context only; their own problems are not ours."""
    ids: dict[str, tuple[str, int]] = {}
    for path in paths:
        data, _ = _read(path)
        rules = data.get("rules") if isinstance(data, LocatedDict) else None
        for rule in rules if isinstance(rules, LocatedList) else ():
            if isinstance(rule, LocatedDict) and isinstance(rule.get("id"), str):
                ids.setdefault(rule["id"], (str(path), rule.key_at("id")[0]))
    return ids


def _cross_check(
    rules: list[Rule], checkers: list[Checker], lexicons: list[Lexicon], context_ids: dict[str, tuple[str, int]]
) -> list[Problem]:
    """Problems no single file can show: duplicate ids and names pointing into other files."""
    problems = []
    first: dict[str, tuple[str, int]] = dict(context_ids)
    for rule in rules:
        if rule.id in META_RULES:
            # Config and directives name meta rules by id: a rule of that id
            # could never be told apart from the built-in one.
            message = f"rule id '{rule.id}' is reserved for a built-in meta rule (suppressions); choose another id"
            problems.append(Problem(rule.defined_at.path, rule.defined_at.line, rule.defined_at.column, message))
        elif rule.id in first:
            path, line = first[rule.id]
            message = f"duplicate rule id '{rule.id}' (first defined at {path}:{line})"
            problems.append(Problem(rule.defined_at.path, rule.defined_at.line, rule.defined_at.column, message))
        else:
            first[rule.id] = (rule.defined_at.path, rule.defined_at.line)
    tags = sorted(set().union(*(lexicon.tag_names for lexicon in lexicons)))
    by_id = {rule.id: rule for rule in rules}
    written = set(context_ids).union(*(ck.rule_ids for ck in checkers))
    for ck in checkers:
        problems.extend(_unknown_tag(ref, tags) for ref in ck.tag_refs if ref.name not in tags)
        problems.extend(filter(None, (_bad_trigger(ref, by_id, written) for ref in ck.rule_refs)))
    return problems


def _unknown_tag(ref: Ref, tags: list[str]) -> Problem:
    suffix = hint(ref.name, tags) if tags else " (no lexicons are loaded)"
    return ref.problem(f"unknown lexicon or tag '{ref.name}' in {ref.where}{suffix}")


def _bad_trigger(ref: Ref, rules: dict[str, Rule], written: set[str]) -> Problem | None:
    rule = rules.get(ref.name)
    if ref.name not in written:
        return ref.problem(f"unknown rule '{ref.name}' in {ref.where}{hint(ref.name, sorted(written))}")
    if rule is not None and rule.is_document_level:
        reason = "only line-level rules can trigger a disclaimer"
        return ref.problem(f"rule '{ref.name}' in {ref.where} is document-level; {reason}")
    return None
