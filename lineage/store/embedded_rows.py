"""Nodes and edges to and from the embedded store's rows.

Pure functions, no SQL: the store runs the statements, this module shapes their rows.

What filters, walks and merges read is typed columns: node numbers (the store's own integers)
for edge ends, small codes (``codes.py``) for edge types, roles and modes, and plain text for
names and locations. Everything else an origin says about a node or edge (freshness,
``last_updated``, aliases, properties, an edge's label) goes into one JSON ``detail``, which
is ``NULL`` for the many facts that say nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from lineage.model import Edge, Kind, Mode, Node, NodeId, Provenance
from lineage.store import codec, codes

NodeColumns = tuple[str, str, str | None, str | None]
"""A node assertion's ``(name, mode, location, detail)``."""
EdgeKeyColumns = tuple[int, int, int]
"""An edge's ``(source, target, type)``: node numbers and a type code."""
EdgeColumns = tuple[int, int, str | None, str | None]
"""An edge assertion's ``(role, mode, location, detail)``: codes, then text."""
NodeRow = tuple[str, str, str, str, str | None, str | None, str]
"""A merged node as stored: ``(id, kind, name, mode, location, detail, origins)``."""
EdgeRow = tuple[str, str, int, int, int, str | None, str | None, int]
"""An edge assertion as read: ``(source id, target id, type, role, mode, location, detail,
origin number)``."""

_NODE_DETAIL = ("freshness", "last_updated", "aliases", "properties")
_EDGE_DETAIL = ("label", "freshness", "properties")
_KINDS = {kind.value: kind for kind in Kind}
_MODES = {mode.value: mode for mode in Mode}


def normalized(node: Node) -> Node:
    """The node with its aliases as the merged view keeps them: sorted, once each, without
    its own id. A node one origin asserts then merges to exactly its stored assertion."""
    aliases = tuple(sorted(set(node.aliases) - {node.id}))
    return node if aliases == node.aliases else replace(node, aliases=aliases)


def node_columns(node: Node) -> NodeColumns:
    """``node`` (normalized) as an assertion's columns."""
    detail = None
    if node.freshness or node.last_updated or node.aliases or node.properties:
        detail = codec.dumps(codec.fields_to_dict(node, _NODE_DETAIL))
    return (node.name, node.mode.value, node.location, detail)


def edge_assertions(
    edges: Iterable[Edge], numbers: Mapping[NodeId, int]
) -> dict[EdgeKeyColumns, EdgeColumns]:
    """Each distinct edge's key and columns, in node numbers; an edge listed twice is its
    first listing (as ``ImportBatch.distinct_edges``)."""
    type_code, role_code, mode_code = codes.TYPE_CODE, codes.ROLE_CODE, codes.MODE_CODE
    found: dict[EdgeKeyColumns, EdgeColumns] = {}
    for edge in edges:
        key = (numbers[edge.source], numbers[edge.target], type_code[edge.type])
        if key not in found:
            found[key] = (role_code[edge.role], mode_code[edge.mode], edge.location, _detail(edge))
    return found


def _detail(edge: Edge) -> str | None:
    if not (edge.label or edge.freshness or edge.properties):
        return None
    return codec.dumps(codec.fields_to_dict(edge, _EDGE_DETAIL))


def origins_text(provenances: Iterable[Provenance]) -> str:
    """The ``origins`` column: ``[[origin, location], ...]``, as SQLite's ``json_array``
    writes it for a node one origin asserts."""
    return codec.dumps([[p.origin, p.location] for p in provenances])


def node_from_row(row: NodeRow) -> Node:
    node_id, kind, name, mode, location, detail, origins = row
    provenances = tuple(Provenance(str(o), at) for o, at in json.loads(origins))
    return node_from_assertion(node_id, kind, (name, mode, location, detail), provenances)


def node_from_assertion(
    node_id: str, kind: str, columns: NodeColumns, origins: tuple[Provenance, ...]
) -> Node:
    name, mode, location, detail = columns
    return Node(
        NodeId(node_id),
        _KINDS[kind],
        name,
        _MODES[mode],
        location=location,
        origins=origins,
        **_decoded(detail),
    )


def edge_from_row(row: EdgeRow, origin: str) -> Edge:
    """One origin's assertion of an edge, with that origin as its only provenance."""
    source, target, type_code, role, mode, location, detail, _ = row
    return Edge(
        NodeId(source),
        NodeId(target),
        codes.TYPES[type_code],
        role=codes.ROLES[role],
        mode=codes.MODES[mode],
        location=location,
        origins=(Provenance(origin, location),),
        **_decoded(detail),
    )


def _decoded(detail: str | None) -> dict[str, Any]:
    return codec.fields_from_dict(json.loads(detail)) if detail else {}


def newest_known_modes(
    table: npt.NDArray[np.int64], seq: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The rows of an ``(n, 5)`` table of edge assertions ``(source, target, type, mode,
    origin)`` that stand for their edge in the merged view: one per key, the one whose mode
    the merge keeps (``merge.merge_edge``: the newest origin that knows the mode). ``seq``
    gives each origin number its order of application."""
    order = np.lexsort(
        (-seq[table[:, 4]], table[:, 3] == codes.UNKNOWN_MODE, table[:, 2], table[:, 1],
         table[:, 0])
    )  # fmt: skip
    ranked = table[order]
    keys = ranked[:, :3]
    first = np.ones(len(ranked), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    return ranked[first]
