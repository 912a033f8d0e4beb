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
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import click

from linter import __version__
from linter.core.errors import OverclaimError
from linter.core.model import SEVERITY_NAMES
from linter.formats import FORMAT_NAMES

if TYPE_CHECKING:
    from linter.config import Config
    from linter.core.model import RuleSet
    from linter.engine.rule_engine import Engine
    from linter.files.discovery import Target
    from linter.run.config_scope import ConfigFinder, Plan
    from linter.run.engine_choice import EngineChooser
    from linter.run.report import RunInfo

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> "click.exceptions.Exit":
    click.echo(f"overclaim: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _settings(config_path: str | None, packs: str | None, every_pack: bool = False) -> "tuple[Config, RuleSet]":
    """Config (found upward from the current directory) and the rules it selects.

    `packs` (from the command line) wins over config; `every_pack` selects all
    available packs instead of the configured ones (for documentation).
    """
    from linter.config import find_config, load_config
    from linter.run.rule_selection import select_rules

    path = Path(config_path) if config_path else find_config(Path.cwd())
    config = load_config(path)
    return config, select_rules(config, packs, every_pack)


def _engine(ruleset: "RuleSet", model: str | None) -> "Engine":
    from linter.engine.rule_engine import Engine
    from linter.cache.store import CachedIndexes
    from linter.nlp.loading import LazyPipeline

    return Engine(ruleset, load_nlp=LazyPipeline(model), indexes=CachedIndexes(model))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="overclaim")
def cli() -> None:
    """overclaim: find overclaims and missing disclaimers in health-marketing copy."""


FAIL_NAMES = [*SEVERITY_NAMES, "never"]
# Kept in step with run.workers.AUTO_BYTES_PER_WORKER (a test checks).
JOBS_HELP = ("Worker processes, at most N (never more than files or cores) "
             "[default: one process, or for runs of 1 MB and more one worker per 512 KB of input, up to the cores].")


def _output_format(chosen: str | None) -> str:
    """The format asked for; otherwise annotations inside GitHub Actions, else text."""
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(list(FORMAT_NAMES)), default=None,
              help="Output format [default: text; github when GITHUB_ACTIONS=true].")
@click.option("--fail-on", type=click.Choice(FAIL_NAMES), default=None,
              help="Lowest severity that fails the run, or never [default: error, or fail_on from config].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="One config file for every file (default: for each file, the nearest .overclaim.yaml, .overclaim.yml or pyproject.toml with [tool.overclaim] above it).")
@click.option("--packs", help="Comma-separated rule packs, overriding config (e.g. core,us); a document's front matter still wins.")
@click.option("--stdin-filename", help="Name (and extension, for the format) of the document read from '-'.")
@click.option("--color/--no-color", default=None, help="Colour the text output [default: only on a terminal].")
@click.option("--report-suppressions", is_flag=True, help="Also list every suppression with its reason, file and line.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False),
              help="Record every finding of this run in a baseline file, and exit 0.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.option("--select", help="Only these rules: comma-separated rule ids, categories or packs (e.g. cure,us).")
@click.option("--extend-select", help="Add rules (ids, categories or packs) to the selection; loads a pack named here.")
@click.option("--ignore", help="Leave out these rules: comma-separated rule ids, categories or packs.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule reported instead of the findings (text or json).")
@click.option("--force-exclude", is_flag=True,
              help="Apply config 'exclude' to files named on the command line too (as pre-commit names them).")
@click.option("--full-parse", is_flag=True,
              help="No prefilter: parse every sentence and run every pattern on it (same findings, much slower; the reference for checking and benchmarks).")
@click.option("--stats", is_flag=True, help="Print how many words were read and how many were parsed, on stderr.")
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False),
              help="Write the output to this file instead of standard output.")
@click.option("--no-cache", is_flag=True, help="Lint every file, neither reading nor writing the result cache.")
def check(paths: Sequence[str], output_format: str | None, fail_on: str | None, config_path: str | None, packs: str | None,
          stdin_filename: str | None, color: bool | None, report_suppressions: bool, baseline_path: str | None,
          write_baseline_path: str | None, jobs: int | None, full_parse: bool, stats: bool, output_path: str | None = None,
          select: str | None = None, extend_select: str | None = None, ignore: str | None = None,
          statistics: bool = False, force_exclude: bool = False, no_cache: bool = False) -> None:
    """Lint files and directories (.md .markdown .mdx .html .htm .txt .docx); '-' reads stdin."""
    from linter.run import baseline as baselines
    from linter.run.config_scope import ConfigFinder, ConfigLoader, plan_run
    from linter.formats import formatter
    from linter.run.config_groups import any_fails, lint_groups, prepare, rule_docs, run_info
    from linter.run.rule_selection import Selection

    if baseline_path and write_baseline_path:
        raise _fail("--baseline and --write-baseline cannot be used together")
    output_format = _output_format(output_format)
    if statistics and output_format not in ("text", "json"):
        raise _fail(f"--statistics prints text or json, not {output_format}")
    selection = Selection.parse(select, extend_select, ignore)
    try:
        finder = ConfigFinder(Path(config_path) if config_path else None)
        configs = ConfigLoader()
        plan = plan_run(paths, finder, configs, force_exclude, stdin_filename)
        _say_what_was_not_linted(finder, plan)
        targets = [target for group in plan.groups for _, target in group.targets]
        if write_baseline_path:
            _refuse_overwriting_an_input(write_baseline_path, targets, "baseline")
        accepted = baselines.load(Path(baseline_path)) if baseline_path else None
        _refuse_overwriting_an_input(output_path, targets, "output")
        runs = prepare(plan, configs, packs, selection, full_parse, keep_sources=output_format == "html", cache=not no_cache)
        with _progress(len(targets)) as advance:
            report = lint_groups(runs, _read_stdin, jobs, advance)
        docs = rule_docs(runs, report)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    for unreadable in report.errors:
        click.echo(f"overclaim: {unreadable}", err=True)
    if stats:
        share = report.parsed_words / report.words if report.words else 0.0
        click.echo(f"overclaim: stats: words={report.words} parsed_words={report.parsed_words} parsed_share={share:.3f}", err=True)
    if write_baseline_path:
        if report.errors:
            raise _fail(f"{write_baseline_path}: baseline not written: {len(report.errors)} file(s) could not be read")
        try:
            written = baselines.write(report, Path(write_baseline_path))
        except OverclaimError as error:
            raise _fail(str(error)) from None
        files = len({entry.path for entry in written.entries})
        click.echo(f"overclaim: wrote {write_baseline_path}: {len(report.findings)} finding(s) in {files} file(s)", err=True)
        raise click.exceptions.Exit(EXIT_CLEAN)
    if accepted is not None and baseline_path:
        report = baselines.apply(report, accepted, Path(baseline_path).parent)
    use_colour = (color if color is not None else sys.stdout.isatty()) and not output_path
    style = click.style if use_colour else (lambda text, **_: text)
    run = run_info(runs, _run_info) if output_format == "html" else None
    if statistics:
        from linter.formats import statistics as per_rule

        rendered = per_rule.render(report, output_format)
    else:
        rendered = formatter(output_format)(report, style=style, suppressions=report_suppressions, run=run, docs=docs)
    if output_path:
        _write_output(output_path, rendered)
    else:
        click.echo(rendered, nl=False, color=use_colour)
    if report.errors or (plan.empty and not targets):
        # A path that held nothing to lint, and nothing else linted: the run
        # checked nothing, which must not pass as clean (a mistyped folder, a
        # folder of PDFs...). Files dropped by --force-exclude alone do not count.
        raise click.exceptions.Exit(EXIT_ERROR)
    raise click.exceptions.Exit(EXIT_FINDINGS if any_fails(report, runs, fail_on) else EXIT_CLEAN)


def _say_what_was_not_linted(finder: "ConfigFinder", plan: "Plan") -> None:
    from linter.read import EXTENSIONS

    for warning in finder.warnings:
        click.echo(f"overclaim: warning: {warning}", err=True)
    for argument, dropped in plan.empty:
        why = f"its {dropped} file(s) are excluded by config" if dropped else f"no {' '.join(EXTENSIONS)} file in it"
        click.echo(f"overclaim: {argument}: no file to lint ({why})", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", "output_path", type=click.Path(dir_okay=False), required=True,
              help="The HTML file to write (e.g. report.html).")
@click.option("--fail-on", type=click.Choice(FAIL_NAMES), default="never", show_default=True,
              help="Lowest severity that makes the run exit 1 (the report is written either way).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="One config file for every file (default: the nearest above each file).")
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


def _run_info(config: "Config", ruleset: "RuleSet") -> "RunInfo":
    from linter.run.report import RunInfo
    from linter.formats.html_format import report_date

    where = str(config.path) if config.path else "none found (defaults)"
    return RunInfo(__version__, report_date(os.environ), where, tuple(ruleset.packs))


def _write_output(output_path: str, text: str) -> None:
    try:
        Path(output_path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise _fail(f"{output_path}: cannot write: {error.strerror or error}") from None
def _read_stdin() -> bytes:
    """Standard input, for '-'; a ReadError (one line for '-') when it is closed."""
    from linter.files.reading import ReadError

    if sys.stdin is None:  # started with stdin closed (`overclaim check - <&-`)
        raise ReadError("standard input is closed")
    try:
        return sys.stdin.buffer.read()
    except (OSError, ValueError) as exc:
        raise ReadError(f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}") from None


def _refuse_overwriting_an_input(path: str | None, targets: "Sequence[Target]", what: str) -> None:
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
def _progress(total: int) -> "Iterator[Callable[[int], None] | None]":
    """A progress bar on a terminal for long runs; silent otherwise."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Linting", file=sys.stderr) as bar:
        yield bar.update


@cli.command("config")
@click.argument("path", default=".")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: the nearest above PATH).")
@click.option("--packs", help="Comma-separated rule packs, overriding config, as for `check`.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_command(path: str, config_path: str | None, packs: str | None, output_format: str) -> None:
    """Show which config governs PATH (a file or directory) and the settings it resolves to."""
    from linter.run.config_scope import ConfigFinder, is_target_excluded
    from linter.files.discovery import Target
    from linter.packs.doc_links import DEFAULT_RULES_DOC
    from linter.run.rule_selection import select_rules
    from linter.run.show_settings import render, settings

    try:
        finder = ConfigFinder(Path(config_path) if config_path else None)
        found = finder.path_for(Path(path))
        from linter.config import load_config

        config = load_config(found)
        ruleset = select_rules(config, packs)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    for warning in finder.warnings:
        click.echo(f"overclaim: warning: {warning}", err=True)
    excluded = is_target_excluded(Target(path, Path(path)), config)
    click.echo(render(settings(path, config, ruleset, excluded, config.docs_url or DEFAULT_RULES_DOC), output_format), nl=False)


def _chooser(config: "Config", ruleset: "RuleSet", full_parse: bool = False) -> "EngineChooser":
    from linter.run.engine_choice import EngineChooser
    from linter.cache.store import CachedIndexes
    from linter.nlp.loading import LazyPipeline

    return EngineChooser(config, ruleset, LazyPipeline(config.model), full_parse, indexes=CachedIndexes(config.model))


@cli.group()
def rules() -> None:
    """List, explain, test and validate rules."""


@rules.command("list")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--packs", help="Comma-separated rule packs (default: every available pack).")
def rules_list(output_format: str, config_path: str | None, packs: str | None) -> None:
    """List rules: id, severity, category and pack."""
    from linter.packs.docs import render_rule_list

    try:
        _, ruleset = _settings(config_path, packs, every_pack=True)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    click.echo(render_rule_list(ruleset.rules, output_format), nl=False)


@rules.command("explain")
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def rules_explain(rule_id: str, config_path: str | None) -> None:
    """Show a rule's message, source, suggestion and examples."""
    from linter.packs.docs import explain

    try:
        _, ruleset = _settings(config_path, None, every_pack=True)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    from linter.core.meta_rule_table import META_RULES

    found = {rule.id: rule for rule in ruleset.rules}
    if rule_id in META_RULES:
        from linter.packs.docs import explain_meta

        click.echo(explain_meta(META_RULES[rule_id]))
        return
    if rule_id not in found:
        from linter.core.yaml_shapes import hint

        raise _fail(f"unknown rule '{rule_id}'{hint(rule_id, sorted([*found, *META_RULES]))} (see `overclaim rules list`)")
    click.echo(explain(found[rule_id]))


@rules.command("test")
@click.argument("packs", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def rules_test(packs: Sequence[str], config_path: str | None) -> None:
    """Run every rule's own examples; report each that does not behave."""
    from linter.engine.rule_examples import check_examples

    try:
        config, ruleset = _settings(config_path, ",".join(packs) if packs else None)
        engine = _engine(ruleset, config.model)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    failures = check_examples(engine)
    for failure in failures:
        click.echo(str(failure))
    total = sum(len(r.examples.fire) + len(r.examples.pass_) for r in ruleset.rules)
    click.echo(f"{total - len(failures)} passed, {len(failures)} failed")
    raise click.exceptions.Exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


@rules.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--no-examples", is_flag=True, help="Only check the files; do not run the rules' examples (which needs spaCy).")
def rules_validate(files: Sequence[str], no_examples: bool) -> None:
    """Validate rule pack and lexicon files (a directory: every .yaml/.yml in it);
    print every problem as file:line:col; then run each rule's examples."""
    from linter.packs.loading import validate_files
    from linter.packs.files_to_validate import rule_files

    try:
        paths = rule_files(files)
    except OverclaimError as error:
        raise _fail(str(error)) from None
    problems = validate_files(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.exceptions.Exit(EXIT_ERROR)
    click.echo(f"{len(paths)} file{'s' if len(paths) != 1 else ''} valid")
    if not no_examples:
        _run_pack_examples(paths)


def _run_pack_examples(paths: Sequence[Path]) -> None:
    """A file can be valid and still not do what its examples say (a default
    `unless` cue silencing the very sentence it was written for): run them."""
    from linter.engine.rule_examples import check_examples
    from linter.packs.loading import load_files

    try:
        ruleset = load_files(paths)
        if not ruleset.rules:
            return  # lexicons only
        failures = check_examples(_engine(ruleset, None))
    except OverclaimError as error:
        raise _fail(str(error)) from None
    for failure in failures:
        click.echo(str(failure))
    total = sum(len(r.examples.fire) + len(r.examples.pass_) for r in ruleset.rules)
    click.echo(f"examples: {total - len(failures)} passed, {len(failures)} failed")
    if failures:
        raise click.exceptions.Exit(EXIT_FINDINGS)


@cli.group("cache")
def cache_group() -> None:
    """Show or empty the cache of rules, indexes and results.

    Entries no run has used for 30 days are removed by a run that adds
    entries (at most once a day); `clean` removes them all now."""


def _cache_directory() -> Path:
    from linter.cache.store import cache_dir

    directory = cache_dir()
    if directory is None:
        raise _fail("the cache is off (OVERCLAIM_NO_CACHE is set)")
    if directory.exists() and not directory.is_dir():
        raise _fail(f"{directory}: the cache directory is not a directory")
    return directory


@cache_group.command("dir")
def cache_dir_command() -> None:
    """Print the cache directory ($OVERCLAIM_CACHE_DIR, else ~/.cache/overclaim)."""
    click.echo(str(_cache_directory()))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@cache_group.command("info")
def cache_info_command() -> None:
    """Count the cache's entries, by kind, and their size."""
    from linter.cache.housekeeping import UNUSED_DAYS, usage

    directory = _cache_directory()
    found = usage(directory)
    kinds = ", ".join(f"{kind} {count}" for kind, count in found.by_kind)
    click.echo(f"{directory}: {found.entries} entries, {_megabytes(found.size)}" + (f" ({kinds})" if kinds else ""))
    click.echo(f"entries unused for {UNUSED_DAYS} days are removed by the next run that adds one")


@cache_group.command("clean")
def cache_clean_command() -> None:
    """Remove every cache entry (only the files overclaim names; the directory stays)."""
    from linter.cache.housekeeping import clean

    directory = _cache_directory()
    removed = clean(directory)
    click.echo(f"{directory}: removed {removed.entries} entries, {_megabytes(removed.size)}")


@cli.command("lsp")
def lsp_command() -> None:
    """Run the language server on stdin/stdout (for editors; needs the 'lsp' extra)."""
    try:
        from linter.lsp.server import run
    except ImportError as error:
        raise _fail(f"the language server needs pygls: pip install 'overclaim[lsp]' ({error})") from None
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


# Full collections by CPython's cyclic garbage collector, counted in
# intermediate ones (its default is 10).
FULL_COLLECTION_EVERY = 1000


def fewer_full_collections() -> None:
    """Make the collector's full passes rare; young objects are collected as usual.

    A run holds millions of long-lived objects (the pipeline, the rule set,
    every block and offset map of a document) and makes few reference
    cycles. A full pass scans every live object, and by default one runs
    after every ten intermediate passes: on 1M words of prose that was 0.8 s
    of an 8 s run, and 0.2 s of 4 s on real pages. Cycles still die in the
    young generations, which keep CPython's thresholds."""
    import gc

    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def main() -> None:
    import signal

    from linter.nlp.matrix_ops import one_blas_thread_from_the_start

    signal.signal(signal.SIGINT, _interrupted)
    fewer_full_collections()
    one_blas_thread_from_the_start()
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
