"""A document's corrections to the inference: a ```` ```yaml lineage ```` block, or the same
mapping under a ``lineage:`` key of the YAML front matter::

    nodes:
      DS1: {kind: source, id: source:DS-001}
      MDL_REC: model:recs
      Homepage: {kind: job, name: Homepage rows}
      Offline: {mode: batch, freshness: daily}
    ignore: [Homepage]

Keys are diagram ids or box names (compared as :func:`names.normalize` does); a value is a kind,
an id, or both plus a name, a ``mode`` and a ``freshness`` (``null``: none, whatever the label
says). A block that cannot be read is a warning; the document is still read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from lineage.freshness import parse_freshness
from lineage.importers.c4.names import normalize
from lineage.importers.markdown_doc import MarkdownDoc
from lineage.importers.problems import LineProblem
from lineage.importers.safe_yaml import YamlProblem, compose
from lineage.model import Freshness, Kind, Mode
from lineage.refs import kind_of_id, make_id

MAX_OVERRIDE_VALUES = 10_000
"""YAML values an override block may expand to through aliases; far above any real block."""


@dataclass(frozen=True)
class NodeOverride:
    kind: Kind | None = None
    id: str | None = None
    name: str | None = None
    mode: Mode | None = None
    """``None``: the label decides."""
    freshness: Freshness | None = None
    sets_freshness: bool = False
    """The block gives a freshness (``freshness: null`` gives none)."""


@dataclass(frozen=True)
class Overrides:
    """A document's corrections: diagram ids or names (normalized) to kinds/ids, and the
    boxes to leave out."""

    nodes: Mapping[str, NodeOverride] = field(default_factory=dict, hash=False)
    ignore: frozenset[str] = frozenset()

    def lookup(self, *names: str) -> NodeOverride | None:
        return next((self.nodes[n] for n in map(normalize, names) if n in self.nodes), None)

    def ignores(self, *names: str) -> bool:
        return any(normalize(name) in self.ignore for name in names)


def document_overrides(doc: MarkdownDoc) -> tuple[Overrides, list[LineProblem]]:
    """Every correction of a document: its front matter's ``lineage:`` key, then each
    ``yaml lineage`` block; a later mention of a box wins."""
    found: list[Overrides] = []
    problems: list[LineProblem] = []
    if doc.front_matter is not None:
        matter = doc.front_matter
        read, trouble = read_overrides(matter.text, matter.first_line, nested=True)
        found.append(read)
        problems.extend(trouble)
    for block in doc.blocks:
        if block.language in ("yaml", "yml") and "lineage" in block.info.lower().split()[1:]:
            read, trouble = read_overrides(block.text, block.first_line, nested=False)
            found.append(read)
            problems.extend(trouble)
    nodes = {key: value for o in found for key, value in o.nodes.items()}
    return Overrides(nodes, frozenset().union(*(o.ignore for o in found))), problems


def read_overrides(
    text: str, first_line: int, *, nested: bool
) -> tuple[Overrides, tuple[LineProblem, ...]]:
    """Read a ```` ```yaml lineage ```` block (``nested=False``) or YAML front matter, where the
    block sits under a ``lineage:`` key (``nested=True``)."""
    try:
        root, loader = compose(text, max_values=MAX_OVERRIDE_VALUES)
        data = loader.construct_document(root) if root is not None else None
    except YamlProblem as problem:
        return Overrides(), (LineProblem(first_line + (problem.line or 0), problem.message),)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return Overrides(), (LineProblem(first_line, f"not valid YAML: {exc}"),)
    if nested:
        data = data.get("lineage") if isinstance(data, dict) else None
        if data is None:
            return Overrides(), ()
    return _overrides(data, first_line)


def _overrides(data: Any, line: int) -> tuple[Overrides, tuple[LineProblem, ...]]:
    if not isinstance(data, dict):
        return Overrides(), (LineProblem(line, "the lineage block must be a mapping"),)
    problems: list[LineProblem] = []
    unknown = sorted(str(key) for key in data if key not in ("nodes", "ignore"))
    if unknown:
        problems.append(LineProblem(line, f"unknown key {unknown[0]!r} (nodes, ignore)"))
    nodes: dict[str, NodeOverride] = {}
    raw_nodes = data.get("nodes") or {}
    if not isinstance(raw_nodes, dict):
        problems.append(LineProblem(line, "'nodes' must map diagram ids to kinds or ids"))
        raw_nodes = {}
    for ref, value in raw_nodes.items():
        override = _node_override(value)
        if override is None:
            problems.append(LineProblem(line, f"cannot read the override of {ref!r}"))
        else:
            nodes[normalize(str(ref))] = override
    raw_ignore = data.get("ignore") or []
    if isinstance(raw_ignore, str | int):
        raw_ignore = [raw_ignore]
    if not isinstance(raw_ignore, list):
        problems.append(LineProblem(line, "'ignore' must be a list of diagram ids"))
        raw_ignore = []
    ignore = frozenset(normalize(str(item)) for item in raw_ignore if item is not None)
    return Overrides(nodes, ignore), tuple(problems)


def _node_override(value: Any) -> NodeOverride | None:
    """``model``, ``model:recs`` or ``{kind: source, id: source:DS-001, name: ...}``."""
    if isinstance(value, str):
        value = {"id": value} if ":" in value else {"kind": value}
    if not isinstance(value, dict):
        return None
    kind_text, id_text, name = value.get("kind"), value.get("id"), value.get("name")
    mode_text, freshness_text = value.get("mode"), value.get("freshness")
    try:
        kind = Kind(str(kind_text).strip().lower()) if kind_text is not None else None
        mode = Mode(str(mode_text).strip().lower()) if mode_text is not None else None
    except ValueError:
        return None
    freshness = parse_freshness(str(freshness_text)) if freshness_text is not None else None
    node_id = str(id_text).strip() if id_text is not None else None
    if node_id:
        prefixed = kind_of_id(node_id)
        if prefixed is None:
            if kind is None:
                return None
            node_id = make_id(kind, node_id)
        elif kind is not None and prefixed is not kind:
            return None
        kind = kind or prefixed
    return NodeOverride(
        kind,
        node_id or None,
        str(name) if name is not None else None,
        mode,
        freshness,
        sets_freshness="freshness" in value,
    )
