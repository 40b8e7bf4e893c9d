"""The whole graph's edges as integer arrays: an in-memory index for walks and whole-graph
analysis, built once per store generation and reused until the store changes.

Nodes are numbered in id order (code point order, as both stores sort ids), so ordering by
number is ordering by id. Each edge type subset and direction gets a compressed sparse row
(CSR) view on first use: ``indptr[n]:indptr[n + 1]`` slices ``indices`` to the neighbours of
node ``n``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from lineage.model import Direction, EdgeType, Mode, NodeId
from lineage.store import codes

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int8]
MODES = codes.MODES
"""A mode's code in ``node_modes`` and ``edge_modes`` is its position here."""
_CODE_OF_TYPE = {edge_type.value: code for edge_type, code in codes.TYPE_CODE.items()}
_CODE_OF_MODE: dict[str | None, int] = {mode.value: code for mode, code in codes.MODE_CODE.items()}
_CODE_OF_MODE[None] = codes.UNKNOWN_MODE  # an edge stored without a mode
"""Codes by the values the stores keep, so a build converts no enum per row."""


@dataclass(frozen=True)
class Csr:
    indptr: IntArray
    indices: IntArray

    def expand(self, frontier: IntArray) -> tuple[IntArray, IntArray]:
        """Every edge out of the nodes in ``frontier``, as (from, to) arrays, vectorised; the
        edges come in the frontier's order."""
        starts, ends = self.indptr[frontier], self.indptr[frontier + 1]
        counts = ends - starts
        total = int(counts.sum())
        # positions starts[i] .. ends[i]-1 for every i, without a Python loop
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
        return np.repeat(frontier, counts), self.indices[offsets + np.arange(total)]


V = TypeVar("V", int, NodeId)


class NodeValues(Mapping[NodeId, V]):
    """A read-only mapping from the ids of some nodes to one array's values for them (node
    numbers when ``as_ids``, shown as ids). Building it costs no Python loop: a walk's answer
    stays in arrays until somebody reads it."""

    def __init__(
        self, index: Adjacency, numbers: IntArray, values: IntArray, *, as_ids: bool
    ) -> None:
        self._index, self._numbers, self._values, self._as_ids = index, numbers, values, as_ids
        self._member = np.zeros(index.node_count, dtype=bool)
        self._member[numbers] = True

    def __getitem__(self, node_id: NodeId) -> V:
        number = self._index.position(node_id)
        if number is None or not self._member[number]:
            raise KeyError(node_id)
        value = int(self._values[number])
        return self._index.ids[value] if self._as_ids else value  # type: ignore[return-value]

    def __iter__(self) -> Iterator[NodeId]:
        ids = self._index.ids
        return (ids[n] for n in self._numbers.tolist())

    def __len__(self) -> int:
        return len(self._numbers)

    def items(self) -> ItemsView[NodeId, V]:
        return _ArrayItems(self)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class _ArrayItems(ItemsView[NodeId, V]):
    """The pairs of a :class:`NodeValues`, listed from its arrays in one pass."""

    _mapping: NodeValues[V]

    def __iter__(self) -> Iterator[tuple[NodeId, V]]:
        values = self._mapping._values[self._mapping._numbers].tolist()
        if self._mapping._as_ids:
            ids = self._mapping._index.ids
            values = [ids[value] for value in values]
        return zip(self._mapping, values, strict=True)


_LAYOUT = 2
"""How :meth:`Adjacency.to_arrays` lays out the ids; a saved index of another layout is
rebuilt."""


def _unpacked_ids(data: bytes, ends: list[int]) -> list[NodeId]:
    """The ids :meth:`Adjacency.to_arrays` joined with newlines, each ending at its offset in
    ``ends``: one split in C when no id holds a newline (then the pieces are exactly the ids),
    else each id decoded from its own bytes."""
    pieces = data.decode("utf-8").split("\n") if data else []
    if len(pieces) == len(ends):
        return cast(list[NodeId], pieces)
    starts = [0, *(end + 1 for end in ends[:-1])]
    return [NodeId(data[a:b].decode("utf-8")) for a, b in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class Component:
    """A strongly connected part of the graph: its nodes and the edges among them."""

    members: IntArray
    """Node numbers, ascending."""
    sources: IntArray
    targets: IntArray
    """Its edges, ordered by (source, target)."""
    modes: frozenset[Mode]
    """The processing modes of its nodes and edges (``UNKNOWN`` left out)."""


@dataclass
class Adjacency:
    """Node ids (sorted) and edges as parallel integer arrays of node numbers."""

    ids: list[NodeId]
    sources: IntArray
    targets: IntArray
    types: CodeArray
    node_modes: CodeArray
    edge_modes: CodeArray
    _csr: dict[tuple[frozenset[EdgeType], Direction], Csr] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        """Edges are kept in (source, target) order: the downstream CSR is then a count per
        node, no sort, and a process that loads a saved index walks at once."""
        sources, targets = self.sources, self.targets
        later = sources[1:] > sources[:-1]
        same = sources[1:] == sources[:-1]
        if not np.all(later | (same & (targets[1:] >= targets[:-1]))):
            order = np.lexsort((self.types, targets, sources))
            self.sources, self.targets = sources[order], targets[order]
            self.types, self.edge_modes = self.types[order], self.edge_modes[order]

    @functools.cached_property
    def number(self) -> dict[NodeId, int]:
        """Each id's node number, for looking up many; :meth:`position` looks up one."""
        return {node_id: n for n, node_id in enumerate(self.ids)}

    def position(self, node_id: NodeId) -> int | None:
        """The node number of ``node_id`` (``None`` when it is no node), found in the sorted
        ids: a process that asks about one node builds no dict of them all."""
        at = bisect.bisect_left(self.ids, node_id)
        return at if at < len(self.ids) and self.ids[at] == node_id else None

    @classmethod
    def build(
        cls, nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[str, str, str, str]]
    ) -> Adjacency:
        """From ``(id, mode)`` and ``(source, type, target, mode)`` rows (values as stored);
        every edge end must be a node."""
        ordered = sorted((NodeId(node_id), mode) for node_id, mode in nodes)
        ids = [node_id for node_id, _ in ordered]
        number = {node_id: n for n, node_id in enumerate(ids)}
        modes, types = _CODE_OF_MODE, _CODE_OF_TYPE
        node_modes = np.array([modes[m] for _, m in ordered], dtype=np.int8)
        rows = [(number[s], types[t], number[d], modes[m]) for s, t, d, m in edges]
        table = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return cls(
            ids,
            sources=table[:, 0].copy(),
            targets=table[:, 2].copy(),
            types=table[:, 1].astype(np.int8),
            node_modes=node_modes,
            edge_modes=table[:, 3].astype(np.int8),
        )

    @classmethod
    def from_numbered(
        cls, nodes: Sequence[tuple[int, str, str]], edges: npt.NDArray[np.int64]
    ) -> Adjacency:
        """From a store that numbers its nodes itself: ``(number, id, mode)`` per node in id
        order, and an ``(n, 4)`` array of ``(source, target, type code, mode code)`` per edge
        in those numbers."""
        stored = np.array([number for number, _, _ in nodes], dtype=np.int64)
        position = np.full(int(stored.max(initial=-1)) + 1, -1, dtype=np.int64)
        position[stored] = np.arange(len(stored))
        return cls(
            [NodeId(node_id) for _, node_id, _ in nodes],
            sources=position[edges[:, 0]],
            targets=position[edges[:, 1]],
            types=edges[:, 2].astype(np.int8),
            node_modes=np.array([_CODE_OF_MODE[mode] for *_, mode in nodes], dtype=np.int8),
            edge_modes=edges[:, 3].astype(np.int8),
        )

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Plain arrays (no Python objects, so no pickle) that :meth:`from_arrays` reads back."""
        sizes = [len(node_id.encode("utf-8")) + 1 for node_id in self.ids]  # one for the "\n"
        return {
            "layout": np.array([_LAYOUT]),
            "id_bytes": np.frombuffer("\n".join(self.ids).encode("utf-8"), dtype=np.uint8),
            "id_ends": np.cumsum(sizes, dtype=np.int64) - 1,
            "sources": self.sources,
            "targets": self.targets,
            "types": self.types,
            "node_modes": self.node_modes,
            "edge_modes": self.edge_modes,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> Adjacency:
        """The index :meth:`to_arrays` wrote; ``ValueError`` when the arrays do not fit,
        ``KeyError`` when one is missing."""
        if int(arrays["layout"][0]) != _LAYOUT:
            raise ValueError("the index arrays are laid out another way")
        data = arrays["id_bytes"].tobytes()
        ends = arrays["id_ends"].tolist()
        ids = _unpacked_ids(data, ends)
        index = cls(
            ids,
            sources=arrays["sources"].astype(np.int64, copy=False),
            targets=arrays["targets"].astype(np.int64, copy=False),
            types=arrays["types"].astype(np.int8, copy=False),
            node_modes=arrays["node_modes"].astype(np.int8, copy=False),
            edge_modes=arrays["edge_modes"].astype(np.int8, copy=False),
        )
        edges = {len(index.sources), len(index.targets), len(index.types), len(index.edge_modes)}
        if len(edges) != 1 or len(index.node_modes) != len(ids) or (ends and ends[-1] != len(data)):
            raise ValueError("the index arrays do not fit together")
        if not all(map(operator.lt, ids, itertools.islice(ids, 1, None))):
            raise ValueError("the index ids are not in order")
        bounded = [
            (index.sources, len(ids)),
            (index.targets, len(ids)),
            (index.types, len(codes.TYPES)),
            (index.node_modes, len(MODES)),
            (index.edge_modes, len(MODES)),
        ]
        if any(a.size and (a.min() < 0 or a.max() >= limit) for a, limit in bounded):
            raise ValueError("the index holds a node number, edge type or mode out of range")
        return index

    @property
    def node_count(self) -> int:
        return len(self.ids)

    def csr(self, types: frozenset[EdgeType], direction: Direction) -> Csr:
        """Edges of ``types`` from each node (downstream) or into it (upstream)."""
        key = (types, direction)
        if key not in self._csr:
            self._csr[key] = self._build_csr(types, direction)
        return self._csr[key]

    def _of_types(self, types: frozenset[EdgeType]) -> npt.NDArray[np.bool_]:
        """Which edges are of one of ``types``."""
        return np.isin(self.types, [codes.TYPE_CODE[t] for t in types])

    def _build_csr(self, types: frozenset[EdgeType], direction: Direction) -> Csr:
        wanted = self._of_types(types)
        near, far = (self.sources, self.targets)
        if direction is Direction.UPSTREAM:
            near, far = far, near
        near, far = near[wanted], far[wanted]
        if direction is Direction.UPSTREAM:  # by target; the stable sort keeps sources in order
            far = far[np.argsort(near, kind="stable")]
        counts = np.bincount(near, minlength=self.node_count)
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return Csr(indptr, far.astype(np.int64))

    def matrix(self, types: frozenset[EdgeType]) -> Any:
        """The adjacency matrix of the edges of ``types`` (source row, target column), a
        ``scipy.sparse.csr_array``."""
        from scipy import sparse  # scipy takes a while to import; only this needs it

        csr = self.csr(types, Direction.DOWNSTREAM)
        data = np.ones(len(csr.indices), dtype=np.int8)
        shape = (self.node_count, self.node_count)
        return sparse.csr_array((data, csr.indices, csr.indptr), shape=shape)

    def strong_components(self, types: frozenset[EdgeType]) -> list[Component]:
        """The cycles of the graph of ``types``: each strongly connected component with more
        than one node, or one node with an edge to itself, with its edges. Components come
        in the order of their smallest node, members and edges in number (id) order.

        Notes
        -----
        One pass of ``scipy.sparse.csgraph.connected_components`` (Pearce's algorithm,
        O(V + E)), then a sort of the edges that stay inside a component.
        """
        from scipy.sparse import csgraph

        count, labels = csgraph.connected_components(
            self.matrix(types), directed=True, connection="strong"
        )
        kept = self._of_types(types)
        sources, targets = self.sources[kept], self.targets[kept]
        edge_modes = self.edge_modes[kept]
        wanted = np.bincount(labels, minlength=count) > 1
        wanted[labels[sources[sources == targets]]] = True
        inside = (labels[sources] == labels[targets]) & wanted[labels[sources]]
        sources, targets, edge_modes = sources[inside], targets[inside], edge_modes[inside]
        order = np.lexsort((targets, sources, labels[sources]))
        sources, targets, edge_modes = sources[order], targets[order], edge_modes[order]
        members = np.flatnonzero(wanted[labels])
        members = members[np.argsort(labels[members], kind="stable")]
        member_groups = np.split(members, np.flatnonzero(np.diff(labels[members])) + 1)
        edge_cuts = np.flatnonzero(np.diff(labels[sources])) + 1
        edge_groups = zip(
            np.split(sources, edge_cuts),
            np.split(targets, edge_cuts),
            np.split(edge_modes, edge_cuts),
            strict=True,
        )
        found = [
            Component(group, edge_sources, edge_targets, self._modes(group, group_edge_modes))
            for group, (edge_sources, edge_targets, group_edge_modes) in zip(
                member_groups, edge_groups, strict=True
            )
            if group.size
        ]
        return sorted(found, key=lambda component: int(component.members[0]))

    def _modes(self, members: IntArray, edge_modes: CodeArray) -> frozenset[Mode]:
        codes = set(self.node_modes[members].tolist()) | set(edge_modes.tolist())
        return frozenset(MODES[code] for code in codes) - {Mode.UNKNOWN}

    def walk(
        self,
        root: NodeId,
        *,
        direction: Direction,
        types: frozenset[EdgeType],
        max_hops: int,
        limit: int,
    ) -> tuple[NodeValues[int], bool, NodeValues[NodeId]]:
        """Level-by-level breadth-first search from ``root``.

        Returns the distances of the nearest ``limit`` nodes (by distance, then id), whether
        more were reachable within ``max_hops``, and each returned node's parent: its
        smallest-id neighbour one hop nearer the root.
        """
        csr = self.csr(types, direction)
        distance = np.full(self.node_count, -1, dtype=np.int64)
        parent = np.full(self.node_count, -1, dtype=np.int64)
        start = self.position(root)
        if start is None:
            raise KeyError(root)
        distance[start] = 0
        frontier = np.array([start], dtype=np.int64)
        found: list[IntArray] = []
        reached = 0
        # each newly found node's smallest-id parent, kept without sorting the level
        nearest = np.full(self.node_count, self.node_count, dtype=np.int64)
        for hop in range(1, max_hops + 1):
            origins, targets = csr.expand(frontier)
            unseen = distance[targets] < 0
            origins, targets = origins[unseen], targets[unseen]
            if targets.size == 0:
                break
            np.minimum.at(nearest, targets, origins)
            marked = np.zeros(self.node_count, dtype=bool)
            marked[targets] = True
            frontier = np.flatnonzero(marked)  # ascending: by id within the level
            distance[frontier] = hop
            parent[frontier] = nearest[frontier]
            found.append(frontier)
            reached += frontier.size
            if reached > limit:
                break
        ordered = np.concatenate(found) if found else np.empty(0, dtype=np.int64)
        kept = ordered[:limit]
        return (
            NodeValues(self, kept, distance, as_ids=False),
            reached > limit,
            NodeValues(self, kept, parent, as_ids=True),
        )
