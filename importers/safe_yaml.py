"""Reading YAML the safe way, for every importer that reads YAML.

``yaml.safe_load`` semantics (no arbitrary objects), through libyaml (``CSafeLoader``) when
PyYAML was built with it, plus a guard against documents whose aliases expand far past their
size (a "billion laughs" document): before anything is constructed, the composed node tree is
measured, and the values aliases would add on top of the document's own are counted. A large
document without aliases costs nothing extra and is never refused for its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML text cannot be read; ``line`` counts from 0 within the text, when known."""

    message: str
    line: int | None = None


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it, else the pure-Python one (the same semantics)."""


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
