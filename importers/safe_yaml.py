"""Reading YAML the safe way, for every importer that reads YAML.

``yaml.safe_load`` semantics (no arbitrary objects), through libyaml (``CSafeLoader``) when
PyYAML was built with it, plus a guard against documents whose aliases expand far past their
size (a "billion laughs" document): before anything is constructed, the composed node tree is
measured, and the values aliases would add on top of the document's own are counted. A large
document without aliases costs nothing extra and is never refused for its size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML text cannot be read; ``line`` counts from 0 within the text, when known."""

    message: str
    line: int | None = None


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader when PyYAML has it, else the pure-Python one (the same
    semantics), whose scalars fail as YAML errors at their node: an integer longer than
    Python converts (4,300 digits), a float too large to hold and an impossible date are
    refused, not tracebacks or a silent infinity."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A text scalar is its node's value, as the constructor would give it, without the
        constructor's bookkeeping per node: a third of the time of reading a large spec."""
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        return super().construct_object(node, deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return int(super().construct_yaml_int(node))
        except ValueError:
            raise _number_problem(node, f"an integer of {len(node.value)} characters") from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = float(super().construct_yaml_float(node))
        written_as_infinity = node.value.lstrip("+-").lower() == ".inf"
        if math.isinf(value) and not written_as_infinity:
            raise _number_problem(node, f"the number {_shortened(node.value)}")
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:  # 2026-02-30 matches the pattern
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date or time: {exc}", node.start_mark
            ) from None


Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)


def _number_problem(node: yaml.ScalarNode, what: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        None, None, f"{what} is too large to read; quote it to keep it as text", node.start_mark
    )


def problem_of(exc: yaml.YAMLError) -> str:
    """What went wrong, without the position a caller reports as a line of its own."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        return exc.problem
    return str(exc)


def _shortened(text: str, keep: int = 40) -> str:
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text)} characters)"


def compose(text: str, *, max_values: int) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The one document in ``text`` as a node tree, with the loader to construct its values.

    Raises ``YamlProblem`` for invalid YAML, several documents, an alias that contains itself,
    or aliases that would add more than ``max_values`` values to the document's own.
    """
    loader = Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line, _last_line(text)) if mark else None  # libyaml may point past
        raise YamlProblem(f"not valid YAML: {exc.problem or exc.context}", line) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, at a position
        line = text.count("\n", 0, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(f"not valid YAML: {exc.reason} (U+{code:04X})", line) from exc
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise YamlProblem(f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if root is not None and "&" in text:  # an alias needs an anchor, and an anchor needs a &
        _check_alias_expansion(root, max_values)
    return root, loader


def _last_line(text: str) -> int:
    """The 0-based number of the text's last line (an error at the very end is on it)."""
    return max(len(text.splitlines()) - 1, 0)


def _check_alias_expansion(root: yaml.Node, budget: int) -> None:
    """Refuse a tree whose aliases add more than ``budget`` values, or that contains itself.

    Notes
    -----
    A composed tree shares a node wherever the text has an alias, so it is a DAG of its
    distinct nodes; each node's expanded size is computed once (post-order, iteratively), so
    the check is linear in the document, however far the aliases would expand.
    """
    size: dict[int, int] = {}  # id(node) -> values a full construction yields for it
    cap = budget * 2 + 1  # sizes stay small numbers however deep the aliases nest
    distinct = 0
    stack: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    open_nodes: set[int] = set()
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:  # its children are done
            open_nodes.discard(key)
            size[key] = min(1 + sum(size[id(child)] for child in children), cap)
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise YamlProblem(
                "a YAML alias refers to a value that contains it (recursive aliases); "
                "refusing to expand it",
                node.start_mark.line,
            )
        distinct += 1
        children = _children(node)
        if not children:
            size[key] = 1
            continue
        open_nodes.add(key)
        stack.append((node, children))
        stack.extend((child, None) for child in children if id(child) not in size)
    added = size[id(root)] - distinct
    if added > budget:
        raise YamlProblem(
            f"YAML aliases would expand the document by more than {budget} values "
            "(an alias expansion bomb); refusing to expand it",
            root.start_mark.line,
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []
