"""One `overclaim check` run over files that different configs govern: for
each config, its rules, engine chooser and settings; the files of all
groups linted and merged into one report; and the run's outcome, each
finding judged by the fail levels of its own file's config."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from linter.config import Config, fail_level
from linter.packs.doc_links import DEFAULT_RULES_DOC, RuleDocs
from linter.run.report import Report
from linter.review.thresholds import FailPolicy

if TYPE_CHECKING:
    from linter.run.config_scope import Plan
    from linter.files.discovery import Target
    from linter.run.engine_choice import EngineChooser
    from linter.run.report import RunInfo
    from linter.core.model import RuleSet
    from linter.run.one_file import LintSettings
    from linter.run.rule_selection import Selection


@dataclass(frozen=True)
class GroupRun:
    """Files linted by one engine: those of every config that selects the
    same rules (configs that differ only in `exclude`, fail levels or
    `docs_url` share one, since building an engine is costly)."""

    config: Config  # the first of them: it chose the rules
    ruleset: "RuleSet"
    chooser: "EngineChooser"
    settings: "LintSettings"
    targets: tuple[tuple[int, "Target"], ...]  # each with its place in the run
    governing: Mapping[str, Config]  # each file's own config, by the path it is shown as


def _engine_key(config: Config) -> tuple:
    """What of a config changes the engine and the suppressions (MetaPolicy)."""
    severity = tuple(sorted((rule_id, level.label) for rule_id, level in config.severity.items()))
    return (config.packs, tuple(sorted(config.disable)), severity, config.model, config.rule_dirs)


def prepare(plan: "Plan", configs: Callable[[Path | None], Config], packs: str | None, selection: "Selection",
            full_parse: bool, keep_sources: bool, cache: bool = False) -> list[GroupRun]:
    from linter.run.engine_choice import EngineChooser
    from linter.review.meta_rules import MetaPolicy
    from linter.nlp.loading import LazyPipeline
    from linter.cache.store import CachedIndexes, known_rule_ids_cached
    from linter.run.one_file import LintSettings
    from linter.run.rule_selection import select_rules
    from linter.run.result_cache import ResultCache

    pipelines: dict[str | None, LazyPipeline] = {}  # one pipeline per model, shared by every config naming it
    runs: dict[tuple, GroupRun] = {}
    for group in plan.groups:
        config = configs(group.config_path)
        governing = {target.display: config for _, target in group.targets}
        key = _engine_key(config)
        if key in runs:
            run = runs[key]
            runs[key] = replace(run, targets=tuple(sorted(run.targets + group.targets, key=lambda item: item[0])),
                                governing=MappingProxyType({**run.governing, **governing}))
            continue
        ruleset = select_rules(config, packs, selection=selection)
        pipeline = pipelines.setdefault(config.model, LazyPipeline(config.model))
        chooser = EngineChooser(config, ruleset, pipeline, full_parse,
                                indexes=CachedIndexes(config.model),
                                selection=selection if selection.chooses else None)
        settings = LintSettings(choose=chooser, known_rules=known_rule_ids_cached(config.rule_dirs),
                                meta=MetaPolicy.from_settings(config.severity, config.disable), keep_sources=keep_sources,
                                cache=ResultCache.for_run(config, ruleset.packs, full_parse, selection) if cache else None)
        runs[key] = GroupRun(config, ruleset, chooser, settings, group.targets, MappingProxyType(governing))
    return list(runs.values())


def lint_groups(runs: Sequence[GroupRun], read_stdin: Callable[[], bytes], jobs: int | None,
                progress: Callable[[int], None] | None) -> Report:
    from linter.run.report_merge import merge_reports
    from linter.run.runner import lint_targets

    reports = [
        lint_targets(run.chooser.default, [target for _, target in run.targets], read_stdin, settings=run.settings,
                     jobs=jobs, progress=progress)
        for run in runs
    ]
    if not reports:
        return Report(())
    order = {target.display: place for run in runs for place, target in run.targets}
    return merge_reports(reports, order)


def any_fails(report: Report, runs: Sequence[GroupRun], fail_on: str | None) -> bool:
    """Whether a finding fails the run, each by the fail levels of the config that governs its file."""
    policies = {}
    for run in runs:
        for display, config in run.governing.items():
            policies[display] = FailPolicy(fail_level(fail_on) if fail_on else config.fail_on, config.fail_on_category)
    fallback = FailPolicy(fail_level(fail_on)) if fail_on else FailPolicy()
    return any(policies.get(finding.path, fallback).fails(finding) for finding in report.findings)


def rule_docs(runs: Sequence[GroupRun], report: Report) -> RuleDocs:
    """Links to docs/rules.md (or config `docs_url`, the first a config of
    the run sets) for the rules of the built-in packs."""
    from linter.packs.pack_files import builtin_rules_dir

    builtin = builtin_rules_dir().resolve()
    documented = frozenset(rule_id for rule_id, info in report.rules.items()
                           if info.pack and (builtin / f"{info.pack}.yaml").is_file())
    configs = [config for run in runs for config in run.governing.values()]
    base = next((config.docs_url for config in configs if config.docs_url), DEFAULT_RULES_DOC)
    return RuleDocs(base, documented)


def run_info(runs: Sequence[GroupRun], describe: Callable[[Config, "RuleSet"], "RunInfo"]) -> "RunInfo":
    """The HTML report's record of the run: every config used and every pack."""
    from linter.config import Config as Defaults
    from linter.core.model import RuleSet

    if not runs:
        return describe(Defaults(), RuleSet(()))
    first = describe(runs[0].config, runs[0].ruleset)
    configs = dict.fromkeys(describe(config, run.ruleset).config for run in runs for config in run.governing.values())
    packs = dict.fromkeys(pack for run in runs for pack in run.ruleset.packs)
    return replace(first, config=", ".join(configs), packs=tuple(packs))
