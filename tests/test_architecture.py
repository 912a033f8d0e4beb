"""The package's shape: no import loops, and spaCy's and CPython's internals
reached only from `linter/spacy_compat/`.

Imports are read with `ast` from every module, wherever they are written:
at the top, inside functions (a loop "broken" by a function-level import is
still a loop) and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "linter"
SHIM_FOLDER = "linter.spacy_compat"

# Modules of CPython whose contents are undocumented internals.
PRIVATE_MODULES = frozenset({"sre_parse", "sre_compile", "sre_constants", "re._parser", "re._constants", "re._compiler"})
# html.parser's documented interface; everything else in it (its regexes) is internal.
HTML_PARSER_PUBLIC = frozenset({"HTMLParser"})


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, ast.Module]:
    return {module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def imported(tree: ast.Module, here: str, is_package: bool) -> list[tuple[str, str | None, int]]:
    """(module, name or None, line) for every import in `tree`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = here.split(".") if is_package else here.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([module] if module else []))
            found += [(module, alias.name, node.lineno) for alias in node.names]
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    packages = {name for name in modules if (PACKAGE.parent / name.replace(".", "/") / "__init__.py").is_file()}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, tree in modules.items():
        for module, member, _ in imported(tree, name, name in packages):
            if not module.startswith("linter"):
                continue
            target = f"{module}.{member}" if member and f"{module}.{member}" in modules else module
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_loop():
    assert cycles(import_graph()) == []


def test_the_loop_finder_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def private_reaches(name: str, tree: ast.Module) -> list[str]:
    problems = []
    for module, member, line in imported(tree, name, False):
        if module.startswith("linter") or module == "__future__":
            continue
        where = f"{name}:{line}"
        if module in PRIVATE_MODULES or any(part.startswith("_") for part in module.split(".")):
            problems.append(f"{where} imports {module}")
        elif member and member.startswith("_"):
            problems.append(f"{where} imports {module}.{member}")
        elif module == "html.parser" and member not in HTML_PARSER_PUBLIC:
            problems.append(f"{where} imports html.parser.{member}")
    for node in ast.walk(tree):
        # Installing a module by hand (a stand-in for one of spaCy's).
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "sys.modules":
                    problems.append(f"{name}:{node.lineno} assigns into sys.modules")
    return problems


def test_only_the_shim_folder_reaches_into_internals():
    problems = []
    for name, tree in all_modules().items():
        if name == SHIM_FOLDER or name.startswith(SHIM_FOLDER + "."):
            continue
        problems += private_reaches(name, tree)
    assert problems == []


def test_the_internals_check_sees_a_private_import():
    tree = ast.parse("from re import _parser\nfrom html.parser import tagfind_tolerant\nimport sys\nsys.modules['x'] = 1\n")
    assert len(private_reaches("linter.example", tree)) == 3


def folder_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between linter's folders (a module at the top is its own node)."""

    def folder(module: str) -> str:
        return module.split(".")[1] if "." in module else module

    folders: dict[str, set[str]] = {folder(name): set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            if folder(target) != folder(name):
                folders[folder(name)].add(folder(target))
    return folders


def test_the_folders_import_each_other_without_a_loop():
    # Each folder is one stage; a loop between folders would mean a stage
    # reaches back into a later one.
    assert cycles(folder_graph(import_graph())) == []
