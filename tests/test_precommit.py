"""The pre-commit hook, for real: the `pre-commit` tool installs this
checkout's hook into a throwaway git repository, which then refuses a
commit with an overclaim and accepts a clean one.

The hook repository is a snapshot of this working tree (tracked and
untracked, non-ignored files, so uncommitted work is what gets tested),
committed into a temporary git repository and named by path in the README's
`.pre-commit-config.yaml` snippet. pre-commit builds its own virtualenv and
pip-installs overclaim from it, which downloads spaCy and the English
pipeline: one to two minutes. Deselect with `-m "not slow"`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from readme_snippets import commands, snippet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def snapshot(destination: Path, env: dict[str, str]) -> str:
    """Copy the working tree's files into a new repository; return its commit."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True, timeout=60,
    ).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=destination, env=env)
    git("add", "-A", cwd=destination, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=destination, env=env)
    return git("rev-parse", "HEAD", cwd=destination, env=env).strip()


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    base = tmp_path_factory.mktemp("pre-commit")
    gitconfig = base / "gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(base / "cache"),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Copy Writer",
        "GIT_AUTHOR_EMAIL": "writer@example.com",
        "GIT_COMMITTER_NAME": "Copy Writer",
        "GIT_COMMITTER_EMAIL": "writer@example.com",
        "PRE_COMMIT_COLOR": "never",
    }
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GITHUB_ACTIONS", "PRE_COMMIT"):
        env.pop(variable, None)
    return base, env


def commit(project: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess:
    # The first commit builds pre-commit's environment (pip installs spaCy): allow for a slow mirror.
    return subprocess.run(["git", "commit", "-m", message], cwd=project, env=env,
                          capture_output=True, text=True, timeout=1500)


def test_the_hook_refuses_an_overclaim_and_accepts_clean_copy(environment):
    base, env = environment
    hook_repo = base / "overclaim-src"
    hook_repo.mkdir()
    rev = snapshot(hook_repo, env)

    project = base / "site"
    (project / "content").mkdir(parents=True)
    git("init", "-q", cwd=project, env=env)
    config = yaml.safe_load(snippet("pre-commit-config"))
    config["repos"][0].update(repo=str(hook_repo), rev=rev)
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    install = commands("pre-commit-install", "pre-commit")[0]
    done = subprocess.run(install.split(), cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / ".git" / "hooks" / "pre-commit").is_file()

    draft = project / "content" / "joints.md"
    draft.write_text("# Turmeric Gold\n\nOur turmeric blend cures arthritis.\n", encoding="utf-8")
    git("add", "-A", cwd=project, env=env)
    refused = commit(project, env, "Add the joints page")
    output = refused.stdout + refused.stderr
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    assert "An unexpected error has occurred" not in output, output + (log.read_text() if log.is_file() else "")
    assert refused.returncode != 0, output
    assert "overclaim" in output and "Failed" in output
    assert "content/joints.md:3:" in output and "[cure-claim]" in output
    assert git("rev-list", "--all", cwd=project, env=env).strip() == ""  # nothing was committed

    draft.write_text("# Turmeric Gold\n\nOur turmeric blend is made with organic turmeric root.\n", encoding="utf-8")
    git("add", "-A", cwd=project, env=env)
    accepted = commit(project, env, "Add the joints page")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    hook_lines = [line for line in (accepted.stdout + accepted.stderr).splitlines() if line.startswith("overclaim")]
    assert len(hook_lines) == 1 and hook_lines[0].endswith("Passed")
    assert git("log", "--format=%s", cwd=project, env=env).strip() == "Add the joints page"
