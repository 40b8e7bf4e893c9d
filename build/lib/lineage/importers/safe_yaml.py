"""Reading YAML the safe way, for every importer that reads YAML.

``yaml.safe_load`` semantics (no arbitrary objects), plus a guard against documents whose
aliases expand far past their size (a "billion laughs" document): the composed node tree is
counted, following every alias, before anything is constructed.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML text cannot be read; ``line`` counts from 0 within the text, when known."""

    message: str
    line: int | None = None


def compose(text: str, *, max_values: int) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The one document in ``text`` as a node tree, with the loader to construct its values.

    Raises ``YamlProblem`` for invalid YAML, several documents, or a document that would
    expand to more than ``max_values`` values.
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(
            f"not valid YAML: {exc.problem or exc.context}", mark.line if mark else None
        ) from exc
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise YamlProblem(f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if root is not None and _expands_past(root, max_values):
        raise YamlProblem(
            f"the document expands to more than {max_values} values through YAML aliases; "
            "refusing to expand it",
            root.start_mark.line,
        )
    return root, loader


def _expands_past(root: yaml.Node, budget: int) -> bool:
    """Count the nodes a full construction would visit, following aliases each time."""
    pending = [root]
    seen = 0
    while pending:
        node = pending.pop()
        seen += 1
        if seen > budget:
            return True
        if isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(item for pair in node.value for item in pair)
    return False
