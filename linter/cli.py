"""The `overclaim` command line.

Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 usage,
config, rule-file, model or read errors. Errors print as one line on stderr.
spaCy is imported only by the commands that lint, so `--help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import click

from . import __version__
from .errors import OverclaimError
from .model import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_NAMES = ["error", "warning", "info"]


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"overclaim: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _settings(config_path: str | None, packs: str | None, every_pack: bool = False):
    """Config (found upward from the current directory) and the rules it selects.

    `packs` (from the command line) wins over config; `every_pack` selects all
    available packs instead of the configured ones (for documentation).
    """
    from .config import apply_config, find_config, load_config
    from .packs import available_packs, load_rules

    path = Path(config_path) if config_path else find_config(Path.cwd())
    config = load_config(path)
    if packs:
        selected = tuple(p.strip() for p in packs.split(",") if p.strip())
    elif every_pack:
        selected = tuple(available_packs(config.rule_dirs))
    else:
        selected = config.packs
    ruleset = apply_config(load_rules(selected, config.rule_dirs), config)
    return config, ruleset


def _engine(ruleset, model: str | None):
    from .engine import Engine
    from .nlp import load_pipeline

    return Engine(ruleset, load_pipeline(model))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="overclaim")
def cli() -> None:
    """overclaim: find overclaims and missing disclaimers in health-marketing copy."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(SEVERITY_NAMES), default=None, help="Lowest severity that fails the run [default: error, or fail_on from config].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: .overclaim.yaml or pyproject.toml found upward).")
@click.option("--packs", help="Comma-separated rule packs, overriding config (e.g. core,us).")
@click.option("--stdin-filename", help="Name (and extension, for the format) of the document read from '-'.")
@click.option("--color/--no-color", default=None, help="Colour the text output [default: only on a terminal].")
def check(paths: Sequence[str], output_format: str, fail_on: str | None, config_path: str | None, packs: str | None,
          stdin_filename: str | None, color: bool | None) -> None:
    """Lint files and directories (.md .markdown .mdx .html .htm .txt); '-' reads stdin."""
    from .discovery import Target, expand
    from .formats import FORMATTERS
    from .runner import lint_targets

    try:
        config, ruleset = _settings(config_path, packs)
        targets, missing = expand(paths, config.exclude)
        if missing:
            raise OverclaimError(f"{missing[0]}: no such file or directory")
        targets = [Target(stdin_filename or "-", None) if t.path is None else t for t in targets]
        engine = _engine(ruleset, config.model)
    except OverclaimError as error:
        raise _fail(str(error))
    report = lint_targets(engine, targets, sys.stdin.buffer.read)
    for error in report.errors:
        click.echo(f"overclaim: {error}", err=True)
    use_colour = color if color is not None else sys.stdout.isatty()
    style = click.style if use_colour else (lambda text, **_: text)
    click.echo(FORMATTERS[output_format](report, style=style), nl=False)
    if report.errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    level = Severity.parse(fail_on) if fail_on else config.fail_on
    raise click.exceptions.Exit(EXIT_FINDINGS if report.fails(level) else EXIT_CLEAN)


@cli.group()
def rules() -> None:
    """List, explain, test and validate rules."""


@rules.command("list")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--packs", help="Comma-separated rule packs (default: every available pack).")
def rules_list(output_format: str, config_path: str | None, packs: str | None) -> None:
    """List rules: id, severity, category and pack."""
    from .ruledocs import render_rule_list

    try:
        _, ruleset = _settings(config_path, packs, every_pack=True)
    except OverclaimError as error:
        raise _fail(str(error))
    click.echo(render_rule_list(ruleset.rules, output_format), nl=False)


@rules.command("explain")
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def rules_explain(rule_id: str, config_path: str | None) -> None:
    """Show a rule's message, source, suggestion and examples."""
    from .ruledocs import explain

    try:
        _, ruleset = _settings(config_path, None, every_pack=True)
    except OverclaimError as error:
        raise _fail(str(error))
    found = {rule.id: rule for rule in ruleset.rules}
    if rule_id not in found:
        raise _fail(f"unknown rule '{rule_id}' (see `overclaim rules list`)")
    click.echo(explain(found[rule_id]))


@rules.command("test")
@click.argument("packs", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def rules_test(packs: Sequence[str], config_path: str | None) -> None:
    """Run every rule's own examples; report each that does not behave."""
    from .examples import check_examples

    try:
        config, ruleset = _settings(config_path, ",".join(packs) if packs else None)
        engine = _engine(ruleset, config.model)
    except OverclaimError as error:
        raise _fail(str(error))
    failures = check_examples(engine)
    for failure in failures:
        click.echo(str(failure))
    total = sum(len(r.examples.fire) + len(r.examples.pass_) for r in ruleset.rules)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    raise click.exceptions.Exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


@rules.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def rules_validate(files: Sequence[str]) -> None:
    """Validate rule pack and lexicon files; print every problem as file:line:col."""
    from .packs import validate_files

    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise _fail(f"{missing[0]}: no such file")
    problems = validate_files([Path(f) for f in files])
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(EXIT_ERROR)
    click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} valid")


def main() -> None:
    cli(prog_name="overclaim")
