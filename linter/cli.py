"""The `overclaim` command line.

Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 usage,
config, rule-file, model or read errors. Errors print as one line on stderr.
spaCy is imported only by the commands that lint, so `--help` stays fast.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

import click

from . import __version__
from .errors import OverclaimError

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
    from .errors import ConfigError
    from .packs import available_packs
    from .rulecache import load_rules_cached

    path = Path(config_path) if config_path else find_config(Path.cwd())
    config = load_config(path)
    if packs:
        selected = tuple(p.strip() for p in packs.split(",") if p.strip())
    elif every_pack:
        selected = tuple(available_packs(config.rule_dirs))
    else:
        selected = config.packs
    ruleset = apply_config(load_rules_cached(selected, config.rule_dirs), config)
    if not ruleset.rules:
        # A run that checks nothing must not pass as clean.
        where = "--packs" if packs else f"{path}" if path else "the default packs"
        raise ConfigError(f"{where}: no rules selected (packs: {', '.join(selected) or 'none'}); name at least one pack, e.g. core")
    return config, ruleset


def _engine(ruleset, model: str | None):
    from .engine import Engine
    from .nlp import LazyPipeline

    pipeline = LazyPipeline(model)
    return Engine(ruleset, load_nlp=pipeline, tables=pipeline.tables())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="overclaim")
def cli() -> None:
    """overclaim: find overclaims and missing disclaimers in health-marketing copy."""


FORMAT_NAMES = ["text", "json", "github", "sarif", "junit", "html"]
FAIL_NAMES = [*SEVERITY_NAMES, "never"]
# Kept in step with parallel.AUTO_BYTES_PER_WORKER (a test checks).
JOBS_HELP = ("Worker processes, at most N (never more than files or cores) "
             "[default: one process, or for runs of 1 MB and more one worker per 512 KB of input, up to the cores].")


def _output_format(chosen: str | None) -> str:
    """The format asked for; otherwise annotations inside GitHub Actions, else text."""
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format [default: text; github when GITHUB_ACTIONS=true].")
@click.option("--fail-on", type=click.Choice(FAIL_NAMES), default=None,
              help="Lowest severity that fails the run, or never [default: error, or fail_on from config].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: .overclaim.yaml or pyproject.toml found upward).")
@click.option("--packs", help="Comma-separated rule packs, overriding config (e.g. core,us); a document's front matter still wins.")
@click.option("--stdin-filename", help="Name (and extension, for the format) of the document read from '-'.")
@click.option("--color/--no-color", default=None, help="Colour the text output [default: only on a terminal].")
@click.option("--report-suppressions", is_flag=True, help="Also list every suppression with its reason, file and line.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record every finding of this run in a baseline file, and exit 0.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.option("--full-parse", is_flag=True,
              help="No prefilter: parse every sentence and run every pattern on it (same findings, much slower; the reference for checking and benchmarks).")
@click.option("--stats", is_flag=True, help="Print how many words were read and how many were parsed, on stderr.")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False),
              help="Write the output to this file instead of standard output.")
def check(paths: Sequence[str], output_format: str | None, fail_on: str | None, config_path: str | None, packs: str | None,
          stdin_filename: str | None, color: bool | None, report_suppressions: bool, baseline_path: str | None,
          write_baseline_path: str | None, jobs: int | None, full_parse: bool, stats: bool, output_path: str | None = None) -> None:
    """Lint files and directories (.md .markdown .mdx .html .htm .txt); '-' reads stdin."""
    from . import baseline as baselines
    from .config import fail_level
    from .discovery import Target, expand
    from .formats import FORMATTERS
    from .metarules import MetaPolicy
    from .rulecache import known_rule_ids_cached
    from .runner import LintSettings, lint_targets
    from .thresholds import FailPolicy

    if baseline_path and write_baseline_path:
        raise _fail("--baseline and --write-baseline cannot be used together")
    output_format = _output_format(output_format)
    try:
        config, ruleset = _settings(config_path, packs)
        targets, missing = expand(paths, config.exclude)
        # A path that does not exist is reported like an unreadable file: one
        # line naming it, the other files still linted, exit 2 at the end.
        targets += [Target(name, Path(name)) for name in missing]
        targets = [Target(stdin_filename or "-", None) if t.path is None else t for t in targets]
        if write_baseline_path:
            _refuse_overwriting_an_input(write_baseline_path, targets, "baseline")
        accepted = baselines.load(Path(baseline_path)) if baseline_path else None
        chooser = _chooser(config, ruleset, full_parse)
        settings = LintSettings(choose=chooser, known_rules=known_rule_ids_cached(config.rule_dirs),
                                meta=MetaPolicy.from_config(config), keep_sources=output_format == "html")
        _refuse_overwriting_an_input(output_path, targets, "output")
        with _progress(len(targets)) as advance:
            report = lint_targets(chooser.default, targets, _read_stdin, settings=settings,
                                  jobs=jobs, progress=advance)
    except OverclaimError as error:
        raise _fail(str(error))
    for error in report.errors:
        click.echo(f"overclaim: {error}", err=True)
    if stats:
        share = report.parsed_words / report.words if report.words else 0.0
        click.echo(f"overclaim: stats: words={report.words} parsed_words={report.parsed_words} parsed_share={share:.3f}", err=True)
    if write_baseline_path:
        if report.errors:
            raise _fail(f"{write_baseline_path}: baseline not written: {len(report.errors)} file(s) could not be read")
        try:
            written = baselines.write(report, Path(write_baseline_path))
        except OverclaimError as error:
            raise _fail(str(error))
        files = len({entry.path for entry in written.entries})
        click.echo(f"overclaim: wrote {write_baseline_path}: {len(report.findings)} finding(s) in {files} file(s)", err=True)
        raise click.exceptions.Exit(EXIT_CLEAN)
    if accepted is not None:
        report = baselines.apply(report, accepted, Path(baseline_path).parent)
    use_colour = (color if color is not None else sys.stdout.isatty()) and not output_path
    style = click.style if use_colour else (lambda text, **_: text)
    run = _run_info(config, ruleset) if output_format == "html" else None
    rendered = FORMATTERS[output_format](report, style=style, suppressions=report_suppressions, run=run)
    if output_path:
        _write_output(output_path, rendered)
    else:
        click.echo(rendered, nl=False, color=use_colour)
    if report.errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    policy = FailPolicy(fail_level(fail_on) if fail_on else config.fail_on, config.fail_on_category)
    raise click.exceptions.Exit(EXIT_FINDINGS if policy.any_fails(report.findings) else EXIT_CLEAN)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False), required=True,
              help="The HTML file to write (e.g. report.html).")
@click.option("--fail-on", type=click.Choice(FAIL_NAMES), default="never", show_default=True,
              help="Lowest severity that makes the run exit 1 (the report is written either way).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: .overclaim.yaml or pyproject.toml found upward).")
@click.option("--packs", help="Comma-separated rule packs, overriding config; a document's front matter still wins.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings not recorded in this baseline file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.pass_context
def report(ctx: click.Context, paths: Sequence[str], output_path: str, fail_on: str, config_path: str | None,
           packs: str | None, baseline_path: str | None, jobs: int | None) -> None:
    """Write a self-contained HTML review report: the copy with every finding
    marked and explained, suppressions with their reasons, a summary with
    filters, and a printable record (tool version, packs, config, date, each
    file's SHA-256; SOURCE_DATE_EPOCH pins the date)."""
    ctx.invoke(check, paths=paths, output_format="html", fail_on=fail_on, config_path=config_path, packs=packs,
               baseline_path=baseline_path, jobs=jobs, output_path=output_path, report_suppressions=True)


def _run_info(config, ruleset):
    from .formats.html_view import RunInfo
    from .formats.html_format import report_date

    where = str(config.path) if config.path else "none found (defaults)"
    return RunInfo(__version__, report_date(os.environ), where, tuple(ruleset.packs))


def _write_output(output_path: str, text: str) -> None:
    try:
        Path(output_path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise _fail(f"{output_path}: cannot write: {error.strerror or error}")
def _read_stdin() -> bytes:
    """Standard input, for '-'; a ReadError (one line for '-') when it is closed."""
    from .fileio import ReadError

    if sys.stdin is None:  # started with stdin closed (`overclaim check - <&-`)
        raise ReadError("standard input is closed")
    try:
        return sys.stdin.buffer.read()
    except (OSError, ValueError) as exc:
        raise ReadError(f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}") from None


def _refuse_overwriting_an_input(path: str | None, targets, what: str) -> None:
    """Inputs are never modified: no output (a baseline, a report) may be
    written over a file being linted, by the same path or another name."""
    if not path:
        return
    written = os.path.abspath(path)
    for target in targets:
        if target.path is None:
            continue
        same = os.path.abspath(target.path) == written
        if not same:
            try:
                same = os.path.exists(path) and os.path.samefile(path, target.path)
            except OSError:
                same = False
        if same:
            raise _fail(f"{path}: refusing to write the {what} over a file being linted")


PROGRESS_MIN_FILES = 200


@contextmanager
def _progress(total: int):
    """A progress bar on a terminal for long runs; silent otherwise."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Linting", file=sys.stderr) as bar:
        yield bar.update


def _chooser(config, ruleset, full_parse: bool = False):
    from .engines import EngineChooser
    from .nlp import LazyPipeline

    pipeline = LazyPipeline(config.model)
    return EngineChooser(config, ruleset, pipeline, full_parse, tables=pipeline.tables())


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
    from .metarules import META_RULES

    found = {rule.id: rule for rule in ruleset.rules}
    if rule_id in META_RULES:
        from .ruledocs import explain_meta

        click.echo(explain_meta(META_RULES[rule_id]))
        return
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


@cli.command("lsp")
def lsp_command() -> None:
    """Run the language server on stdin/stdout (for editors; needs the 'lsp' extra)."""
    try:
        from .lsp.server import run
    except ImportError as error:
        raise _fail(f"the language server needs pygls: pip install 'overclaim[lsp]' ({error})")
    run()


EXIT_INTERRUPTED = 128 + 2  # the shell's code for a run ended by SIGINT


def _interrupted(signum: int, frame: object) -> None:
    # Ctrl-C: one line and the conventional exit code, not click's "Aborted!"
    # and 1 (which reads as "findings"), nor a traceback from wherever the
    # run was. Nothing is half-written: outputs are written at the end, and
    # the rule cache by rename.
    try:
        sys.stderr.write("\noverclaim: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    try:
        cli(prog_name="overclaim")
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if isinstance(code, str):
        click.echo(code, err=True)
        code = 1
    if sys.getprofile() or sys.gettrace():
        sys.exit(code)  # a profiler or coverage tool writes its report at exit
    # Leave without the interpreter's teardown: freeing spaCy's pipeline
    # object by object takes about a tenth of a second, and everything the
    # run writes is written (files are closed where they are written).
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code if isinstance(code, int) else 0)
