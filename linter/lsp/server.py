"""The pygls wiring: documents in, diagnostics, hovers and code actions out.

Linting runs in one worker thread (spaCy is not shared between threads, and
the event loop stays free to answer hovers while a lint runs). A change is
linted after a short pause in typing (`debounce`); a newer change cancels the
pending lint, and a lint that finishes after the document changed again is
dropped instead of published, so stale findings never reach the editor.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from linter import __version__
from linter.read import EXTENSIONS
from linter.lsp import actions
from linter.lsp import diagnostics
from linter.lsp import hover
from linter.lsp.linting import LANGUAGE_FORMATS, LintResult, lint_text
from linter.lsp.positions import UTF16, LineStarts
from linter.lsp.workspace import Settings, SettingsError, WorkspaceSettings

DEFAULT_DEBOUNCE_SECONDS = 0.25
CONFIG_NAMES = (".overclaim.yaml", "pyproject.toml")


@dataclass(frozen=True)
class Linted:
    """The last published lint of a document, with the text it was made from."""

    version: int | None
    lines: LineStarts
    format: str
    result: LintResult
    config_path: Path | None


class OverclaimServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("overclaim", __version__)
        self.debounce = DEFAULT_DEBOUNCE_SECONDS
        self.settings = WorkspaceSettings(Path.cwd())
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.lint_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="overclaim-lint")
        self.problem_uris: set[str] = set()  # config/rule files we published problems for
        self.shown_errors: set[str] = set()  # config problems already shown as a message

    @property
    def encoding(self) -> str:
        chosen = self.workspace.position_encoding
        return str(chosen.value if hasattr(chosen, "value") else chosen or UTF16)  # type: ignore[union-attr]  # an enum or a str

    def document_format(self, uri: str, language_id: str | None) -> str | None:
        """markdown, html or text; None for a document overclaim does not read."""
        path = to_fs_path(uri) or uri
        by_extension = EXTENSIONS.get(Path(path).suffix.lower())
        if by_extension == "docx":
            return None  # a Word file's bytes are no text an editor holds
        return by_extension or LANGUAGE_FORMATS.get(language_id or "")

    async def lint(self, uri: str, delay: float = 0.0) -> None:
        """Lint the document's current text and publish, unless it changed meanwhile."""
        if delay:
            await asyncio.sleep(delay)
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile
        document = self.workspace.get_text_document(uri)
        format = self.document_format(uri, document.language_id)
        if format is None:
            return
        version, source = document.version, document.source
        path = to_fs_path(uri)
        loop = asyncio.get_running_loop()
        settings, result = await loop.run_in_executor(self.lint_pool, self._lint_blocking, path, uri, source, format)
        if uri not in self.workspace.text_documents or self.workspace.get_text_document(uri).version != version:
            return  # stale: a newer version is (or will be) linted
        self.publish_settings_problems()
        lines = LineStarts.of(source)
        config_path = settings.config.path if isinstance(settings, Settings) else settings.config_path
        self.linted[uri] = Linted(version, lines, format, result, config_path)
        if isinstance(settings, SettingsError):
            found = [diagnostics.settings_diagnostic(settings.config_path, settings.summary, lines, self.encoding)]
        elif result.refused is not None:
            found = [diagnostics.refused_diagnostic(result.refused, lines, self.encoding)]
        else:
            found = diagnostics.finding_diagnostics(result.findings, dict(result.rules), lines, self.encoding)
            found += [diagnostics.note_diagnostic(note, lines, self.encoding) for note in result.notes]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=found))

    def _lint_blocking(self, path: str | None, uri: str, source: str, format: str) -> tuple[Settings | SettingsError, LintResult]:
        settings = self.settings.for_document(Path(path) if path else None)
        if isinstance(settings, SettingsError):
            return settings, LintResult()
        return settings, lint_text(settings, path or uri, source, format)

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self.lint(uri, delay))

    def relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri)

    def publish_settings_problems(self) -> None:
        """Each broken config or rule file gets its problems as diagnostics
        (and one message); a file that is fixed gets its diagnostics cleared."""
        by_path: dict[str, list] = {}
        for result in self.settings.loaded().values():
            if not isinstance(result, SettingsError):
                continue
            for problem in result.problems:
                by_path.setdefault(problem.path, []).append(problem)
            if result.summary not in self.shown_errors:
                self.shown_errors.add(result.summary)
                self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"overclaim: {result.summary}"))
        uris = set()
        for path, problems in by_path.items():
            uri = from_fs_path(str(Path(path).resolve())) or path
            uris.add(uri)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics.problem_diagnostics(problems, _file_lines(path)))
            )
        for uri in self.problem_uris - uris:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.problem_uris = uris
        if not by_path:
            self.shown_errors.clear()


def _file_lines(path: str) -> LineStarts | None:
    try:
        return LineStarts.of(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _is_settings_file(uri: str) -> bool:
    path = Path(to_fs_path(uri) or uri)
    return path.name in CONFIG_NAMES or path.suffix in (".yaml", ".yml")


def build_server() -> OverclaimServer:
    server = OverclaimServer()

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: OverclaimServer, params: lsp.InitializedParams) -> None:
        root = ls.workspace.root_path
        if root:
            ls.settings = WorkspaceSettings(Path(root))
        # Ask the client to tell us about config and rule file changes on
        # disk (files are also fingerprinted on each lint, so a client that
        # cannot watch still gets the new config at the next edit).
        watching = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watching and watching.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=pattern) for pattern in ("**/.overclaim.yaml", "**/pyproject.toml", "**/*.yaml")]
            ls.client_register_capability(
                lsp.RegistrationParams(registrations=[
                    lsp.Registration(
                        id="overclaim-settings-files",
                        method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                    )
                ])
            )

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: OverclaimServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options or {}
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            ls.debounce = max(0.0, float(options["debounce"]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: OverclaimServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: OverclaimServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: OverclaimServer, params: lsp.DidSaveTextDocumentParams) -> None:
        if _is_settings_file(params.text_document.uri):
            ls.relint_all()
        else:
            ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: OverclaimServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if ls.linted.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: OverclaimServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(_is_settings_file(change.uri) for change in params.changes):
            ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: OverclaimServer, params: lsp.HoverParams) -> lsp.Hover | None:
        linted = ls.linted.get(params.text_document.uri)
        if linted is None:
            return None
        offset = linted.lines.offset(params.position.line, params.position.character, ls.encoding)
        found = hover.findings_at(linted.result.findings, offset)
        text = hover.hover_text(found, dict(linted.result.rules))
        if text is None:
            return None
        first = found[0]
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
            range=diagnostics.lsp_range(linted.lines, first.start_offset, first.end_offset, ls.encoding),
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def on_code_action(ls: OverclaimServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        linted = ls.linted.get(uri)
        if linted is None or ls.workspace.get_text_document(uri).version != linted.version:
            return []  # findings of an older text: their positions may be wrong
        encoding = ls.encoding
        start = linted.lines.offset(params.range.start.line, params.range.start.character, encoding)
        end = linted.lines.offset(params.range.end.line, params.range.end.character, encoding)
        chosen = [f for f in linted.result.findings if f.start_offset <= end and f.end_offset >= start]
        made: list[lsp.CodeAction] = []
        for finding in chosen:
            diagnostic = diagnostics.finding_diagnostics([finding], dict(linted.result.rules), linted.lines, encoding)
            insertion = actions.accept_insertion(finding, linted.lines.text, linted.format)
            if insertion is not None:
                where = "above the line" if insertion[1].endswith(("\n", "\r")) else "at the end of the line"
                made.append(_insert_action(
                    f"Accept '{finding.rule}' with a reason (suppression directive {where})",
                    uri, linted.lines, insertion, diagnostic, encoding, preferred=True,
                ))
            config_path = linted.config_path
            if config_path is not None:
                config_uri = from_fs_path(str(config_path))
                config_text = _current_text(ls, config_uri, config_path)
                if config_text is not None:
                    added = actions.disable_insertion(config_path, config_text, finding.rule)
                    if added is not None:
                        made.append(_insert_action(
                            f"Disable '{finding.rule}' in {config_path.name}",
                            config_uri, LineStarts.of(config_text), added, diagnostic, encoding,
                        ))
        return made

    return server


def _current_text(ls: OverclaimServer, uri: str, path: Path) -> str | None:
    if uri in ls.workspace.text_documents:
        return ls.workspace.get_text_document(uri).source
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _insert_action(
    title: str, uri: str, lines: LineStarts, insertion: tuple[int, str], diagnostic: list[lsp.Diagnostic], encoding: str,
    preferred: bool = False,
) -> lsp.CodeAction:
    offset, text = insertion
    position = diagnostics.lsp_range(lines, offset, offset, encoding)
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=diagnostic,
        is_preferred=preferred or None,
        edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=position, new_text=text)]}),
    )


def run() -> None:
    """Serve over stdin/stdout until the client says exit."""
    build_server().start_io()
