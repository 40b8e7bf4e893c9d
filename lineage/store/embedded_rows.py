"""Nodes and edges to and from the embedded store's rows.

Pure functions, no SQL: the store runs the statements, this module shapes their rows.

What filters, walks and merges read is typed columns: node numbers (the store's own integers)
for edge ends, small codes (``codes.py``) for edge types, roles and modes, and plain text for
names and locations. Everything else an origin says about a node or edge (freshness,
``last_updated``, aliases, properties, an edge's label) goes into one JSON ``detail``, which
is ``NULL`` for the many facts that say nothing more.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from lineage.model import Edge, Kind, Mode, Node, NodeId, Provenance, checked_before
from lineage.store import codec, codes, edge_table
from lineage.store.fingerprint import DIGEST_BYTES, fingerprint

NodeColumns = tuple[str, str, str | None, str | None]
"""A node assertion's ``(name, mode, location, detail)``."""
NodeAssertion = tuple[int, str, str, str | None, str | None]
"""A node assertion's row without its origin: ``(node number, *NodeColumns)``."""
EdgeAssertion = tuple[int, int, int, int, int, str | None, str | None]
"""An edge assertion's row without its origin: ``(source, target, type, role, mode,
location, detail)``; node numbers, then codes, then text."""
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
    """The node with its aliases as the merged view keeps them (sorted, once each, without
    its own id) and an empty location as none. A node one origin asserts then merges to
    exactly its stored assertion."""
    if node.location == "":
        node = replace(node, location=None)
    if not node.aliases:
        return node
    aliases = tuple(sorted(set(node.aliases) - {node.id}))
    return node if aliases == node.aliases else replace(node, aliases=aliases)


def node_columns(node: Node) -> NodeColumns:
    """``node`` (normalized) as an assertion's columns."""
    detail = None
    if node.freshness or node.last_updated or node.aliases or node.properties:
        detail = codec.dumps(codec.fields_to_dict(node, _NODE_DETAIL))
    return (node.name, node.mode.value, node.location, detail)


@dataclass(frozen=True)
class Digests:
    """The fingerprints of a batch's nodes and of its edges as listed. The same part listed
    the same way has the same digest and is not compared row by row; one listed in another
    order is compared row by row. ``None``: a part that cannot be fingerprinted."""

    nodes: bytes | None
    edges: bytes | None

    def column(self) -> bytes | None:
        """The ``origin.digest`` column: both digests, or ``NULL``."""
        return self.nodes + self.edges if self.nodes and self.edges else None

    @classmethod
    def from_column(cls, value: bytes | None) -> Digests:
        if value is None or len(value) != 2 * DIGEST_BYTES:  # an older file's single digest
            return cls(None, None)
        return cls(value[:DIGEST_BYTES], value[DIGEST_BYTES:])

    def same_nodes(self, before: Digests) -> bool:
        return self.nodes is not None and self.nodes == before.nodes

    def same_edges(self, before: Digests) -> bool:
        return self.edges is not None and self.edges == before.edges


@dataclass(frozen=True)
class BatchRows:
    """A batch in the columns the store keeps, with node ids still as text and edges as
    listed: enough for its digests, which tell an unchanged batch before any node is numbered
    (a re-import of the same files then costs one pass over its facts)."""

    nodes: list[tuple[str, str, str, str | None, str | None]]
    """``(id, *NodeColumns)`` per node."""
    edges: tuple[list[Any], ...]
    """Column by column: sources, targets (ids), then the rest of an ``EdgeAssertion``."""

    def digests(self) -> Digests:
        return Digests(fingerprint(self.nodes), fingerprint(self.edges))

    def node_assertions(self, numbers: Mapping[NodeId, int]) -> list[NodeAssertion]:
        number = cast(Mapping[str, int], numbers)  # an id is its text: no NodeId() per node
        return [(number[node_id], *columns) for node_id, *columns in self.nodes]

    def numbered_edges(self, numbers: Mapping[NodeId, int]) -> NumberedEdges:
        """The batch's distinct edges in node numbers, in key order; an edge listed twice is
        its first listing (as ``ImportBatch.distinct_edges``)."""
        number = cast(Mapping[str, int], numbers).__getitem__
        sources, targets, *small_codes, locations, details = self.edges
        count = len(sources)
        return _numbered(
            [
                np.fromiter(map(number, sources), dtype=np.int64, count=count),
                np.fromiter(map(number, targets), dtype=np.int64, count=count),
                *(np.array(column, dtype=np.int64) for column in small_codes),
            ],
            locations,
            details,
        )


def stored_edges(assertions: list[EdgeAssertion]) -> NumberedEdges:
    """Edge assertion rows read back from the store (distinct already) as ``NumberedEdges``."""
    if not assertions:
        return _numbered([np.zeros(0, dtype=np.int64)] * 5, [], [])
    *numbers, locations, details = map(list, zip(*assertions, strict=True))
    return _numbered([np.array(column, dtype=np.int64) for column in numbers], locations, details)


def _numbered(
    listed: list[npt.NDArray[np.int64]], locations: list[str | None], details: list[str | None]
) -> NumberedEdges:
    """Edge columns as listed (sources, targets, types, roles, modes, then the texts) as
    ``NumberedEdges``: each key's first listing, in key order."""
    listed_keys = np.column_stack(listed[:3])
    order = edge_table.distinct_in_key_order(listed_keys)
    keys = listed_keys[order]
    columns = (keys[:, 0], keys[:, 1], keys[:, 2], *(column[order] for column in listed[3:]))
    texts = _in_order(locations, order), _in_order(details, order)
    hashes = edge_table.row_hashes(columns[3], columns[4], *texts)
    return NumberedEdges(columns, *texts, edge_table.EdgeTable(keys, hashes))


@dataclass(frozen=True)
class NumberedEdges:
    """A batch's distinct edges in node numbers and key order, column by column, with the
    :class:`~lineage.store.edge_table.EdgeTable` that compares them with the stored ones."""

    columns: tuple[npt.NDArray[np.int64], ...]
    """Sources, targets, types, roles, modes."""
    locations: list[str | None]
    details: list[str | None]
    table: edge_table.EdgeTable

    def __len__(self) -> int:
        return len(self.table)

    def rows(self, positions: npt.NDArray[np.intp] | None = None) -> list[EdgeAssertion]:
        """The ``EdgeAssertion`` rows at ``positions`` (all of them by default), in order."""
        if positions is None:
            positions = np.arange(len(self))
        chosen = positions.tolist()
        columns = [column[positions].tolist() for column in self.columns]
        texts = ([text[i] for i in chosen] for text in (self.locations, self.details))
        return list(zip(*columns, *texts, strict=True))

    def split_rows(self, positions: npt.NDArray[np.intp]) -> SplitRows:
        """The rows at ``positions`` as :class:`SplitRows`; when no edge has a location or a
        detail (most batches), without making the full rows at all (a million edges)."""
        if any(texts.count(None) < len(texts) for texts in (self.locations, self.details)):
            return SplitRows.of(self.rows(positions))
        columns = [column[positions].tolist() for column in self.columns]
        return SplitRows(list(zip(*columns, strict=True)), [])


@dataclass(frozen=True)
class SplitRows:
    """Rows to insert, whose last two columns are location and detail: ``bare`` without
    them (both ``NULL``, the common case), ``full`` with them."""

    bare: list[tuple[Any, ...]]
    full: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.bare) + len(self.full)

    @classmethod
    def of(cls, rows: Sequence[tuple[Any, ...]]) -> SplitRows:
        full = [row for row in rows if row[-2] is not None or row[-1] is not None]
        if not full:
            return cls([row[:-2] for row in rows], [])
        return cls([row[:-2] for row in rows if row[-2] is None and row[-1] is None], full)


def _in_order(texts: list[str | None], order: npt.NDArray[np.intp]) -> list[str | None]:
    """``texts`` picked in ``order``; the common column of nothing but ``None`` at once."""
    if texts.count(None) == len(texts):
        return [None] * len(order)
    return [texts[i] for i in order.tolist()]


def batch_rows(nodes: Sequence[Node], edges: Sequence[Edge]) -> BatchRows:
    """``nodes`` (normalized) and ``edges`` as :class:`BatchRows`.

    The edges are read with ``map``, column by column, because this runs once per edge of a
    batch: a million times for a large one.
    """
    edge_columns = (
        list(map(_SOURCE, edges)),
        list(map(_TARGET, edges)),
        list(map(codes.TYPE_CODE.__getitem__, map(_TYPE, edges))),
        list(map(codes.ROLE_CODE.__getitem__, map(_ROLE, edges))),
        list(map(codes.MODE_CODE.__getitem__, map(_MODE, edges))),
        _locations(edges),
        list(map(_detail, edges)),
    )
    return BatchRows([(node.id, *node_columns(node)) for node in nodes], edge_columns)


_SOURCE, _TARGET, _TYPE, _ROLE, _MODE, _LOCATION = map(
    attrgetter, ("source", "target", "type", "role", "mode", "location")
)


def _locations(edges: Sequence[Edge]) -> list[str | None]:
    """Each edge's location, an empty one as none (as the merge and the other store keep it)."""
    locations = list(map(_LOCATION, edges))
    return [location or None for location in locations] if "" in locations else locations


def _detail(edge: Edge) -> str | None:
    if not (edge.label or edge.freshness or edge.properties):
        return None
    return codec.dumps(codec.fields_to_dict(edge, _EDGE_DETAIL))


def origins_text(provenances: Iterable[Provenance]) -> str:
    """The ``origins`` column: ``[[origin, location], ...]``, as SQLite's ``json_array``
    writes it for a node one origin asserts."""
    return codec.dumps([[p.origin, p.location] for p in provenances])


def one_origin_text(origin: str) -> Callable[[str | None], str]:
    """``origins_text`` of ``origin`` alone, as a function of the location: the batch's
    new nodes all share the origin, so only the location is encoded per node."""
    start = f"[[{json.dumps(origin)},"
    return lambda location: f"{start}{'null' if location is None else json.dumps(location)}]]"


def node_from_row(row: NodeRow) -> Node:
    node_id, kind, name, mode, location, detail, origins = row
    if detail is not None:
        return node_from_assertion(node_id, kind, (name, mode, location, detail), _origins(origins))
    values = {
        "id": node_id,
        "kind": _KINDS[kind],
        "name": name,
        "mode": _MODES[mode],
        "location": location,
        "origins": _origins(origins),
    }
    return checked_before(Node, values)  # the merged row was a checked Node when written


@functools.lru_cache(maxsize=1024)
def _origins(text: str) -> tuple[Provenance, ...]:
    """The ``origins`` column decoded; many nodes share one text (one origin, no location),
    and the answer is immutable, so it is decoded once."""
    return tuple(Provenance(str(origin), at) for origin, at in json.loads(text))


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
