"""YAML loading that remembers where every key and value came from.

Rule packs, lexicons and the config are validated after parsing, and every
problem must point at a line and column. PyYAML's nodes carry that position
but the plain `safe_load` result drops it, so this loader builds dict and list
subclasses that keep the (1-based) position of the node itself (`.at`), of
each mapping key (`.key_at(key)`) and of each value or item (`.where(key)`).
Scalars stay plain `str`/`int`/`bool`: their positions live in the parent.

Only safe tags are constructed (SafeLoader); duplicate keys are reported as
problems instead of being silently overwritten.
"""

from __future__ import annotations

from typing import Any, Hashable, Iterator

import yaml

from linter.core.errors import Problem
from linter.core.limits import MAX_YAML_DEPTH, MAX_YAML_NODES
from linter.core.located import LocatedDict, LocatedList, Position


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


class DepthLimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses lists and mappings nested over MAX_YAML_DEPTH
    while composing: PyYAML composes recursively, and would otherwise fail
    hundreds of levels deeper with a RecursionError that has no position."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._depth += 1
            try:
                if self._depth > MAX_YAML_DEPTH:
                    mark = self.peek_event().start_mark
                    raise yaml.composer.ComposerError(None, None, f"lists and mappings nested over {MAX_YAML_DEPTH} levels deep", mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


class LocatingLoader(DepthLimitedLoader):
    """SafeLoader that builds LocatedDict/LocatedList and collects duplicate keys."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)
        self.path = path
        self.problems: list[Problem] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            # A scalar that looks like a date but is none ("2021-02-30"), a
            # bad !!binary...: PyYAML raises without a position.
            raise yaml.constructor.ConstructorError(None, None, f"invalid value: {exc}", node.start_mark) from None


def _construct_mapping(loader: LocatingLoader, node: yaml.MappingNode) -> Iterator[LocatedDict]:
    data = LocatedDict(_position(node))
    # Yield first so aliases to this mapping (and recursive ones) resolve, as
    # PyYAML's own constructors do.
    yield data
    # Merge keys (`<<: *base`) are flattened in front of the mapping's own
    # pairs; only the own pairs may not repeat, overriding a merged key is the
    # point of merging.
    own_count = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged_count = len(node.value) - own_count
    own_lines: dict[Hashable, int] = {}
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            )
        if index >= merged_count:
            line, col = _position(key_node)
            if key in own_lines:
                message = f"duplicate key '{key}' (first defined at line {own_lines[key]})"
                loader.problems.append(Problem(loader.path, line, col, message))
                continue
            own_lines[key] = line
        data.put(key, loader.construct_object(value_node, deep=True), _position(key_node), _position(value_node))


def _construct_sequence(loader: LocatingLoader, node: yaml.SequenceNode) -> Iterator[LocatedList]:
    data = LocatedList(_position(node))
    yield data
    for child in node.value:
        data.add(loader.construct_object(child, deep=True), _position(child))


LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(path: str, text: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return (value, problems). The value is None on a syntax error.

    Rule files may come from elsewhere, so besides SafeLoader's safe tags the
    document is bounded before anything is built from it: a few lines of
    aliases can stand for billions of values ("billion laughs"), an alias can
    make a collection contain itself, and deep nesting exhausts the stack.
    """
    try:
        loader = LocatingLoader(text, path)  # checks every character first
    except yaml.reader.ReaderError as exc:
        line, col = _offset_position(text, exc.position)
        return None, [Problem(path, line, col, f"invalid YAML: character U+{exc.character:04X} is not allowed")]
    try:
        node = loader.get_single_node()
        problem = size_problem(path, node) if node is not None else None
        if problem:
            return None, [problem]
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(path, exc)]
    except RecursionError:  # not expected past DepthLimitedLoader; one line all the same
        return None, [Problem(path, 1, 1, f"invalid YAML: lists and mappings nested over {MAX_YAML_DEPTH} levels deep")]
    finally:
        loader.dispose()
    return value, loader.problems


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def size_problem(path: str, root: yaml.Node) -> Problem | None:
    """A problem if the document, aliases expanded, is too large, too deep or recursive.

    Iterative, with each distinct node measured once, so measuring a bomb
    costs no more than reading it.
    """
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth), aliases expanded
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            measured = [sizes[id(child)] for child in _children(node)]
            count = 1 + sum(size for size, _ in measured)
            depth = 1 + max((d for _, d in measured), default=0)
            if count > MAX_YAML_NODES:
                return Problem(path, *_position(root), f"the document holds over {MAX_YAML_NODES:,} values once its aliases are expanded")
            if depth > MAX_YAML_DEPTH:
                return Problem(path, *_position(node), f"lists and mappings nested over {MAX_YAML_DEPTH} levels deep")
            sizes[key] = (count, depth)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return Problem(path, *_position(node), "a recursive alias (a collection that contains itself) is not allowed")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)) if id(child) not in sizes)
    return None


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return Problem(path, line, col, message)
