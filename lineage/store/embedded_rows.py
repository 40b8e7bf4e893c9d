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
from lineage.store.batch_columns import BatchColumns, NodeColumns, batch_columns, no_text
from lineage.store.many_rows import flat
from lineage.store.merge import kept_aliases

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

_KINDS = {kind.value: kind for kind in Kind}
_MODES = {mode.value: mode for mode in Mode}


def normalized(nodes: Sequence[Node]) -> list[Node]:
    """The nodes with their aliases as the merged view keeps them: sorted, once each, without
    the node's own id. A node one origin asserts then merges to exactly its stored assertion
    (an empty location is none in its columns, ``batch_columns.node_columns``)."""
    if not any(map(_ALIASES, nodes)):  # most batches: no node has an alias
        return list(nodes)
    return [_with_aliases_normalized(node) for node in nodes]


_ALIASES = attrgetter("aliases")


def _with_aliases_normalized(node: Node) -> Node:
    if not node.aliases:
        return node
    aliases = kept_aliases(node.aliases, node.id)
    return node if aliases == node.aliases else replace(node, aliases=aliases)


@dataclass(frozen=True)
class BatchRows(BatchColumns):
    """A batch's columns (ids still as text, edges as listed) with what numbers them into the
    rows the store writes, once its digests have told that it changed."""

    def node_assertions(self, numbers: Mapping[NodeId, int]) -> list[NodeAssertion]:
        number = cast(Mapping[str, int], numbers)  # an id is its text: no NodeId() per node
        return [(number[node_id], *columns) for node_id, *columns in self.nodes]

    def numbered_edges(self, numbers: Mapping[NodeId, int]) -> NumberedEdges:
        """The batch's distinct edges in node numbers, in key order; an edge listed twice is
        its first listing (as ``ImportBatch.distinct_edges``)."""
        number = cast(Mapping[str, int], numbers).__getitem__
        sources, targets, edge_codes, locations, details = self.edges
        count = len(sources)
        return _numbered(
            [
                np.fromiter(map(number, sources), dtype=np.int64, count=count),
                np.fromiter(map(number, targets), dtype=np.int64, count=count),
                *codes.split_edge_codes(np.frombuffer(edge_codes, dtype=np.uint8)),
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
        detail (most batches), their values straight from the columns, without a tuple per
        row (a million edges)."""
        if not (no_text(self.locations) and no_text(self.details)):
            return SplitRows.of(self.rows(positions))
        chosen = np.column_stack([column[positions] for column in self.columns])
        return SplitRows(chosen.ravel().tolist(), [], len(positions))


@dataclass(frozen=True)
class SplitRows:
    """Rows to insert, whose last two columns are location and detail; each part a flat
    list of its rows' values, row after row (``many_rows.insert_rows``): ``bare`` the rows
    without those two (both ``NULL``, the common case), ``full`` the others."""

    bare: list[Any]
    full: list[Any]
    count: int
    """How many rows the two parts hold."""

    def __len__(self) -> int:
        return self.count

    @classmethod
    def of(cls, rows: Sequence[tuple[Any, ...]]) -> SplitRows:
        full = [row for row in rows if row[-2] is not None or row[-1] is not None]
        bare = rows if not full else [row for row in rows if row[-2] is None and row[-1] is None]
        return cls(flat(row[:-2] for row in bare), flat(full), len(rows))


def _in_order(texts: list[str | None], order: npt.NDArray[np.intp]) -> list[str | None]:
    """``texts`` picked in ``order``; the common column of nothing but ``None`` at once."""
    if no_text(texts):
        return [None] * len(order)
    return [texts[i] for i in order.tolist()]


def batch_rows(nodes: Sequence[Node], edges: Sequence[Edge]) -> BatchRows:
    """``nodes`` (normalized) and ``edges`` as :class:`BatchRows`."""
    columns = batch_columns(nodes, edges)
    return BatchRows(columns.nodes, columns.edges)


def origins_text(provenances: Iterable[Provenance]) -> str:
    """The ``origins`` column: ``[[origin, location], ...]``, as SQLite's ``json_array``
    writes it for a node one origin asserts."""
    return codec.dumps(codec.origins_value(provenances))


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
