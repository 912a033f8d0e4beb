"""The language server, driven for real: `python -m linter lsp` started as a
subprocess and spoken to over stdio by pytest-lsp's LSP client."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = pytest.mark.asyncio(loop_scope="function")

# The first lint loads spaCy; give it time on a slow CI machine.
TIMEOUT = 60.0

DRAFT = (
    "# Joint Relief Balm\n"
    "\n"
    "Loved by hikers 🏔️ everywhere. Our balm cures arthritis.\n"
    "\n"
    "😀😀 It is 100% safe for everyone.\n"
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "linter", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    params = lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
        initialization_options={"debounce": 0.05},
    )
    registrations: list[lsp.RegistrationParams] = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        registrations.append(params)

    await lsp_client.initialize_session(params)
    lsp_client.registrations = registrations
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


async def diagnostics_until(client: LanguageClient, uri: str, done, timeout: float = TIMEOUT) -> list[lsp.Diagnostic]:
    """Wait until the diagnostics published for `uri` satisfy `done`."""
    async def wait() -> list[lsp.Diagnostic]:
        while True:
            found = client.diagnostics.get(uri)
            if found is not None and done(found):
                return list(found)
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout)


def open_document(client: LanguageClient, path: Path, text: str, language: str = "markdown") -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return uri


def replace_all(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def utf16_column(line: str, index: int) -> int:
    return len(line[:index].encode("utf-16-le")) // 2


def by_rule(diagnostics: list[lsp.Diagnostic], rule: str) -> lsp.Diagnostic:
    return next(d for d in diagnostics if d.code == rule)


async def test_claims_after_emoji_get_exact_utf16_ranges(client: LanguageClient):
    uri = open_document(client, client.root / "balm.md", DRAFT)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    lines = DRAFT.split("\n")

    cure = by_rule(found, "cure-claim")
    start = lines[2].index("balm cures arthritis")
    assert cure.range.start == lsp.Position(2, utf16_column(lines[2], start))
    # The mountain emoji before it is two UTF-16 code units: the code-point
    # column would be one less.
    assert cure.range.start.character == start + 1
    assert cure.range.end == lsp.Position(2, utf16_column(lines[2], start + len("balm cures arthritis")))
    assert cure.severity == lsp.DiagnosticSeverity.Error
    assert cure.source == "overclaim"
    assert "Suggestion:" in cure.message and "Source:" in cure.message and "FDCA" in cure.message
    assert cure.code_description.href.startswith("file://") and cure.code_description.href.split("#")[0].endswith("core.yaml")

    safe = by_rule(found, "absolute-safety-claim")
    column = lines[4].index("100% safe")
    assert safe.range.start == lsp.Position(4, column + 2)  # two emoji before it
    assert safe.severity == lsp.DiagnosticSeverity.Warning

    # The server asked to hear about config and rule files changing on disk.
    assert any(r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES for p in client.registrations for r in p.registrations)

    # A missing-disclaimer finding sits on the claim that triggered it.
    disclaimers = [d for d in found if d.code and str(d.code).startswith("missing-")]
    assert disclaimers, [d.code for d in found]
    claim_lines = {d.range.start.line for d in found if not str(d.code).startswith("missing-")}
    assert all(d.range.start.line in claim_lines for d in disclaimers)


async def test_edit_removes_the_claim_and_its_diagnostic(client: LanguageClient):
    uri = open_document(client, client.root / "balm.md", DRAFT)
    await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    edited = DRAFT.replace("Our balm cures arthritis.", "Our balm smells of pine.")
    # Several quick edits: only the last text may end up published.
    replace_all(client, uri, 2, DRAFT.replace("cures", "cures cures"))
    replace_all(client, uri, 3, edited)
    found = await diagnostics_until(client, uri, lambda d: not any(x.code == "cure-claim" for x in d))
    assert any(x.code == "absolute-safety-claim" for x in found)
    # No lint of the older text is published after the newer one.
    await asyncio.sleep(0.5)
    assert list(client.diagnostics[uri]) == found


async def test_hover_explains_the_rule(client: LanguageClient):
    uri = open_document(client, client.root / "balm.md", DRAFT)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    cure = by_rule(found, "cure-claim")
    inside = lsp.Position(cure.range.start.line, cure.range.start.character + 2)
    result = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=inside)
    )
    text = result.contents.value
    assert "cure-claim" in text and "Source:" in text and "Suggestion:" in text and "Fires on:" in text
    assert result.range == cure.range
    nowhere = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(0, 2))
    )
    assert nowhere is None


def apply_edit(text: str, edit: lsp.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    def offset(position: lsp.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        return sum(len(before) for before in lines[: position.line]) + len(line.encode("utf-16-le")[: position.character * 2].decode("utf-16-le"))
    start, end = offset(edit.range.start), offset(edit.range.end)
    return text[:start] + edit.new_text + text[end:]


async def test_accept_with_reason_code_action_suppresses_the_finding(client: LanguageClient):
    uri = open_document(client, client.root / "balm.md", DRAFT)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    cure = by_rule(found, "cure-claim")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=cure.range,
            context=lsp.CodeActionContext(diagnostics=[cure]),
        )
    )
    accept = next(a for a in actions if a.title.startswith("Accept 'cure-claim'"))
    # No config file here: no action that edits one.
    assert not any(a.title.startswith("Disable") for a in actions)
    (edit,) = accept.edit.changes[uri]
    assert edit.new_text == "<!-- overclaim-disable-next-line cure-claim -- reason -->\n"
    assert edit.range.start == lsp.Position(2, 0)
    text = apply_edit(DRAFT, edit)
    replace_all(client, uri, 2, text)
    after = await diagnostics_until(client, uri, lambda d: not any(x.code == "cure-claim" for x in d))
    assert any(x.code == "absolute-safety-claim" for x in after)
    assert not any(x.code == "suppression-without-reason" for x in after)


async def test_plain_text_directive_and_html(client: LanguageClient):
    text_uri = open_document(client, client.root / "copy.txt", "Indented:\n\n    This tea cures diabetes.\n", "plaintext")
    found = await diagnostics_until(client, text_uri, lambda d: any(x.code == "cure-claim" for x in d))
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=text_uri),
            range=by_rule(found, "cure-claim").range,
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    (edit,) = next(a for a in actions if "cure-claim" in a.title).edit.changes[text_uri]
    assert edit.new_text == "    overclaim: disable-next-line cure-claim -- reason\n"
    html = "<p>Our tea &amp; tonic cures diabetes.</p>\n"
    html_uri = open_document(client, client.root / "page.html", html, "html")
    found = await diagnostics_until(client, html_uri, lambda d: any(x.code == "cure-claim" for x in d))
    start = html.index("tonic cures diabetes")
    assert by_rule(found, "cure-claim").range.start == lsp.Position(0, start)


async def test_config_change_and_disable_action(client: LanguageClient):
    config = client.root / ".overclaim.yaml"
    config.write_text("fail_on: error\n", encoding="utf-8")
    uri = open_document(client, client.root / "balm.md", DRAFT)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    cure = by_rule(found, "cure-claim")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=cure.range,
            context=lsp.CodeActionContext(diagnostics=[cure]),
        )
    )
    disable = next(a for a in actions if a.title == "Disable 'cure-claim' in .overclaim.yaml")
    (edit,) = disable.edit.changes[config.as_uri()]
    config.write_text(apply_edit(config.read_text(encoding="utf-8"), edit), encoding="utf-8")
    assert config.read_text(encoding="utf-8") == "fail_on: error\ndisable:\n  - cure-claim\n"
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)])
    )
    after = await diagnostics_until(client, uri, lambda d: not any(x.code == "cure-claim" for x in d))
    assert any(x.code == "absolute-safety-claim" for x in after)

    # A severity override follows too.
    config.write_text("severity:\n  absolute-safety-claim: error\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)])
    )
    after = await diagnostics_until(
        client, uri, lambda d: any(x.code == "cure-claim" for x in d)
        and by_rule(d, "absolute-safety-claim").severity == lsp.DiagnosticSeverity.Error
    )


async def test_broken_config_is_a_diagnostic_not_a_dead_server(client: LanguageClient):
    config = client.root / ".overclaim.yaml"
    config.write_text("packs: [core]\ndisable:\n  - cure-clam\n", encoding="utf-8")
    uri = open_document(client, client.root / "balm.md", DRAFT)
    found = await diagnostics_until(client, uri, lambda d: len(d) > 0)
    (only,) = found
    assert only.code == "not-linted" and "cure-clam" in only.message and str(config) in only.message
    on_config = await diagnostics_until(client, config.as_uri(), lambda d: len(d) > 0)
    assert on_config[0].range.start == lsp.Position(2, 4)
    assert "unknown rule 'cure-clam'" in on_config[0].message
    assert any("cure-clam" in m.message for m in client.messages)

    # Fixed: the document is linted again and the config's diagnostics clear.
    config.write_text("packs: [core]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Changed)])
    )
    await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    await diagnostics_until(client, config.as_uri(), lambda d: len(d) == 0)


async def test_refused_document_and_front_matter_packs(client: LanguageClient):
    bad = "---\noverclaim:\n  market: mars\n---\n\nOur balm cures arthritis.\n"
    uri = open_document(client, client.root / "bad.md", bad)
    (only,) = await diagnostics_until(client, uri, lambda d: len(d) > 0)
    assert only.code == "not-linted" and "unknown market 'mars'" in only.message
    assert only.range.start.line == 2

    # Fixing the front matter in the editor brings the findings back, with
    # the packs it chose: the UK pack's rule for "NHS approved".
    fixed = bad.replace("mars", "uk") + "It is NHS approved.\n"
    replace_all(client, uri, 2, fixed)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    assert any(x.code == "uk-official-approval-claim" for x in found)
    assert all(x.code != "not-linted" for x in found)
    replace_all(client, uri, 3, fixed.replace("market: uk", "market: us"))
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "official-approval-claim" for x in d))
    assert not any(x.code == "uk-official-approval-claim" for x in found)


async def test_unreadable_front_matter_is_a_warning_and_the_body_is_linted(client: LanguageClient):
    text = "---\nloop: &a [1, *a]\noverclaim: {market: uk}\n---\n\nOur balm cures arthritis.\n"
    uri = open_document(client, client.root / "loop.md", text)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    (note,) = [x for x in found if x.code == "not-linted"]
    assert note.severity == lsp.DiagnosticSeverity.Warning and note.range.start.line == 1
    assert "a recursive alias" in note.message and "packs are not read" in note.message


async def test_broken_rule_file_is_a_diagnostic_on_that_file(client: LanguageClient):
    rules = client.root / "house-rules"
    rules.mkdir()
    pack = rules / "house.yaml"
    pack.write_text("rules:\n  - id: house-claim\n    category: nonsense\n", encoding="utf-8")
    (client.root / ".overclaim.yaml").write_text("packs: [core, house]\nrule_dirs: [house-rules]\n", encoding="utf-8")
    uri = open_document(client, client.root / "balm.md", DRAFT)
    (only,) = await diagnostics_until(client, uri, lambda d: len(d) > 0)
    assert only.code == "not-linted" and "house.yaml" in only.message
    on_pack = await diagnostics_until(client, pack.as_uri(), lambda d: len(d) > 0)
    assert all(d.source == "overclaim" for d in on_pack)
    category = next(d for d in on_pack if "unknown category 'nonsense'" in d.message)
    assert category.range.start == lsp.Position(2, 14)

    # The server is alive and answers; once the pack goes, linting resumes.
    pack.unlink()
    (client.root / ".overclaim.yaml").write_text("packs: [core]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=pack.as_uri(), type=lsp.FileChangeType.Deleted)])
    )
    await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    await diagnostics_until(client, pack.as_uri(), lambda d: len(d) == 0)


async def test_accept_inside_a_markdown_paragraph_does_not_split_it(client: LanguageClient):
    text = "Our family recipe is loved by many.\nThis balm cures arthritis.\nMore to come.\n"
    uri = open_document(client, client.root / "para.md", text)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "cure-claim" for x in d))
    cure = by_rule(found, "cure-claim")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=cure.range,
            context=lsp.CodeActionContext(diagnostics=[cure]),
        )
    )
    accept = next(a for a in actions if a.title.startswith("Accept 'cure-claim'"))
    (edit,) = accept.edit.changes[uri]
    assert edit.new_text == " <!-- overclaim-disable-line cure-claim -- reason -->"
    assert edit.range.start == lsp.Position(1, len("This balm cures arthritis."))
    replace_all(client, uri, 2, apply_edit(text, edit))
    after = await diagnostics_until(client, uri, lambda d: not any(x.code == "cure-claim" for x in d))
    assert not any(str(x.code).endswith("suppression") for x in after)
