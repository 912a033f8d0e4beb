"""The README's Neovim set-up, run in a real headless Neovim (Debian's
`neovim` package; .ci/run installs it): the snippet starts `overclaim lsp`
and Neovim shows the finding at the right place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readme_snippets import snippet

pytestmark = pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")

PRINT = (
    "lua vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 100); "
    "for _, d in ipairs(vim.diagnostic.get(0)) do "
    "io.stdout:write(string.format('%d %d %d %s\\n', d.lnum, d.col, d.end_col, d.user_data.lsp.code)) end"
)


def test_readme_neovim_snippet_shows_findings(tmp_path: Path):
    (tmp_path / "init.lua").write_text(snippet("neovim-lsp"), encoding="utf-8")
    line = "🏔️ Our balm cures arthritis."
    (tmp_path / "draft.md").write_text(f"# Balm\n\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["nvim", "--headless", "-u", "init.lua", "draft.md", "-c", PRINT, "-c", "qa!"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    shown = [row.split() for row in done.stdout.splitlines() if row.strip()]
    # Neovim counts columns in bytes: the server's UTF-16 range has to be
    # converted exactly for the column to land on "balm".
    start = len(line[: line.index("balm cures arthritis")].encode("utf-8"))
    end = start + len("balm cures arthritis")
    assert ["2", str(start), str(end), "cure-claim"] in shown, (done.stdout, done.stderr)
