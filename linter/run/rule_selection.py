"""`--select`, `--extend-select` and `--ignore`: rules chosen on the command
line by rule id, category or pack, as ruff chooses them by code.

`--select` replaces the selection: only rules matching one of its names
report. `--extend-select` adds to the selection (all rules of the run's
packs, or those `--select` chose). A pack named in either (or the pack of a
rule named in either) is loaded if the run would not load it. `--ignore`
then removes the rules matching one of its names. A document whose front
matter chooses its own packs gets the same filter on those packs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable

from linter.core.errors import ConfigError
from linter.core.model import CATEGORIES, Rule, RuleSet
from linter.core.yaml_shapes import hint

if TYPE_CHECKING:
    from linter.config import Config


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


def _matches(rule: Rule, names: Iterable[str]) -> bool:
    return any(name in (rule.id, rule.category, rule.pack) for name in names)


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] | None = None  # None: every rule of the run's packs
    extend: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: str | None, extend: str | None, ignore: str | None) -> "Selection":
        return cls(_names(select) if select is not None else None, _names(extend), _names(ignore))

    @property
    def chooses(self) -> bool:
        return self.select is not None or bool(self.extend or self.ignore)

    def check(self, every_rule: Iterable[Rule]) -> None:
        """Raise ConfigError for a name that is no rule id, category or pack."""
        rules = list(every_rule)
        known = {rule.id for rule in rules} | {rule.pack for rule in rules} | set(CATEGORIES)
        for option, names in (("--select", self.select or ()), ("--extend-select", self.extend), ("--ignore", self.ignore)):
            for name in names:
                if name not in known:
                    raise ConfigError(f"{option}: '{name}' is not a rule id, category or pack{hint(name, sorted(known))}"
                                      " (see `overclaim rules list`)")

    def packs_to_add(self, every_rule: Iterable[Rule], loaded: Iterable[str]) -> tuple[str, ...]:
        """Packs the run must load for the rules it selects by name or pack."""
        loaded = set(loaded)
        wanted = [*(self.select or ()), *self.extend]
        extra: dict[str, None] = {}
        for rule in every_rule:
            if rule.pack not in loaded and (rule.pack in wanted or rule.id in wanted):
                extra[rule.pack] = None
        return tuple(extra)

    def apply(self, ruleset: RuleSet, added_packs: Iterable[str] = ()) -> RuleSet:
        """The rules this selection keeps. Rules of `added_packs` (loaded only
        because a name asked for them) are kept only where a name matches."""
        added = set(added_packs)
        wanted = [*(self.select or ()), *self.extend]

        def keep(rule: Rule) -> bool:
            if _matches(rule, self.ignore):
                return False
            if self.select is None and rule.pack not in added:
                return True
            return _matches(rule, wanted)

        return replace(ruleset, rules=tuple(rule for rule in ruleset.rules if keep(rule)))


def select_rules(config: "Config", packs: str | None, every_pack: bool = False, selection: "Selection | None" = None) -> RuleSet:
    """The rules a config selects, with --packs and --select/--ignore applied."""
    from linter.config import apply_config
    from linter.packs.pack_files import available_packs
    from linter.cache.store import load_rules_cached

    selected: tuple[str, ...] | None
    if packs:
        selected = tuple(p.strip() for p in packs.split(",") if p.strip())
    elif every_pack:
        selected = tuple(available_packs(config.rule_dirs))
    else:
        selected = config.packs
    added: tuple[str, ...] = ()
    if selection is not None and selection.chooses:
        every_rule = load_rules_cached(tuple(available_packs(config.rule_dirs)), config.rule_dirs).rules
        selection.check(every_rule)
        loaded = load_rules_cached(selected, config.rule_dirs).packs
        added = selection.packs_to_add(every_rule, loaded)
        selected = (*loaded, *added)
    ruleset = apply_config(load_rules_cached(selected, config.rule_dirs), config)
    if selection is not None and selection.chooses:
        ruleset = selection.apply(ruleset, added)
    if not ruleset.rules:
        # A run that checks nothing must not pass as clean.
        where = "--packs" if packs else f"{config.path}" if config.path else "the default packs"
        names = selected if selected is not None else ruleset.packs  # None: the default packs
        if selection is not None and selection.chooses:
            raise ConfigError(f"--select/--ignore: no rule of the packs {', '.join(names)} is left to run")
        raise ConfigError(f"{where}: no rules selected (packs: {', '.join(names) or 'none'}); name at least one pack, e.g. core")
    return ruleset
