"""Re-lint latency and memory of `overclaim lsp`, measured through a real LSP client.

    python benchmarks/lsp_latency.py              # 30 edits, 100 documents
    python benchmarks/lsp_latency.py --edits 60

Starts `python -m linter lsp` as a subprocess and speaks to it over stdio with
pygls's LanguageClient. It opens a 1,000-word health-marketing article, waits
for the first diagnostics (this pays for loading spaCy), then makes edits one
at a time (a sentence's claim switched on and off) and times each edit from
sending `didChange` to receiving the diagnostics for that version. Debounce
is set to 0 here so the figure is the lint itself; in an editor the server
waits `debounce` (0.25 s by default) after the last keystroke first.
Then it opens 100 further documents and reports the server's resident memory.
Not a test (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

PARAGRAPHS = (
    "Our turmeric capsules are made from organic root grown on small family farms. Each batch is tested "
    "for purity by an independent laboratory before it is bottled, and the results are posted on our site.",
    "Many customers take two capsules with breakfast. Some people notice that their knees feel less stiff "
    "after a long walk, although everyone is different and you should talk to your doctor first.",
    "Clinical studies show that 87% of users feel better within a week. This supplement reduces inflammation "
    "and supports healthy joints, so you can get back to the activities you love.",
    "The formula also contains black pepper extract, which helps the body absorb curcumin. We never add "
    "fillers, artificial colours or preservatives, and the capsules are suitable for vegetarians.",
    "Shipping is free on orders over forty dollars, and every order comes with a sixty-day return policy. "
    "If the capsules are not for you, send the bottle back and we will refund the full price.",
)
SWITCH = ("It is a gentle daily habit.", "It cures arthritis for good.")


def article(words: int = 1000) -> str:
    parts, count, index = ["# Turmeric Gold: a daily capsule for active joints", ""], 0, 0
    while count < words:
        paragraph = PARAGRAPHS[index % len(PARAGRAPHS)]
        parts += [paragraph, ""]
        count += len(paragraph.split())
        index += 1
    parts[len(parts) // 2] += " " + SWITCH[0]
    return "\n".join(parts)


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main(edits: int, documents: int) -> None:
    client = LanguageClient("overclaim-benchmark", "1")
    published: dict[str, asyncio.Queue] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        published.setdefault(params.uri, asyncio.Queue()).put_nowait(params)

    async def diagnostics_for(uri: str, version: int) -> lsp.PublishDiagnosticsParams:
        queue = published.setdefault(uri, asyncio.Queue())
        while True:
            params = await queue.get()
            if params.version == version:
                return params

    await client.start_io(sys.executable, "-m", "linter", "lsp")
    with tempfile.TemporaryDirectory() as root:
        await client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), root_uri=Path(root).as_uri(), initialization_options={"debounce": 0}
        ))
        client.initialized(lsp.InitializedParams())
        text = article()
        uri = (Path(root) / "article.md").as_uri()
        started = time.perf_counter()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", 1, text)))
        first = await diagnostics_for(uri, 1)
        cold = time.perf_counter() - started
        timings = []
        for version in range(2, edits + 2):
            text = text.replace(*SWITCH) if SWITCH[0] in text else text.replace(*reversed(SWITCH))
            started = time.perf_counter()
            client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=uri), [lsp.TextDocumentContentChangeWholeDocument(text)]
            ))
            result = await diagnostics_for(uri, version)
            timings.append(time.perf_counter() - started)
            claimed = any(d.code == "cure-claim" for d in result.diagnostics)
            assert claimed == (SWITCH[1] in text), "the edit's claim was not reported as expected"
        pid = client._server.pid  # the server process, for its memory
        before = rss_megabytes(pid)
        for number in range(documents):
            other = (Path(root) / f"doc{number}.md").as_uri()
            client.text_document_did_open(lsp.DidOpenTextDocumentParams(
                lsp.TextDocumentItem(other, "markdown", 1, article(300) + f"\n\nDraft {number}.\n")
            ))
            await diagnostics_for(other, 1)
        after = rss_megabytes(pid)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    words = len(article().split())
    print(f"article: {words} words, {len(first.diagnostics)} diagnostics")
    print(f"first lint (starts spaCy): {cold * 1000:.0f} ms")
    print(f"re-lint after an edit, {edits} edits: median {statistics.median(timings) * 1000:.1f} ms, "
          f"p90 {sorted(timings)[int(len(timings) * 0.9) - 1] * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")
    print(f"server memory: {before:.0f} MB after the article, {after:.0f} MB after {documents} more documents")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--documents", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.edits, arguments.documents))
