"""Per-request DataLoaders: every node or edge lookup of one request is batched into a few
store calls, whatever the shape of the query (100 nodes with their neighbours is three calls,
not three hundred).

Build a new ``Loaders`` per request: a loader caches what it loaded, and a shared one would
serve stale nodes after an import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from lineage.model import Direction, Edge, Node, NodeId
from lineage.service import edges_touching, nodes_by_id

if TYPE_CHECKING:
    from lineage.api.context import StoreHandle


class Loaders:
    def __init__(self, store: StoreHandle) -> None:
        self._store = store
        self.node: DataLoader[NodeId, Node | None] = DataLoader(load_fn=self._load_nodes)
        """The merged node for an id, ``None`` when no such node exists."""
        self.edges_out: DataLoader[NodeId, list[Edge]] = DataLoader(load_fn=self._load_outputs)
        """Every edge leaving a node, of any type."""
        self.edges_in: DataLoader[NodeId, list[Edge]] = DataLoader(load_fn=self._load_inputs)
        """Every edge entering a node, of any type."""

    def remember(self, nodes: Iterable[Node]) -> None:
        """Prime the node loader with nodes an analysis already returned."""
        self.node.prime_many({node.id: node for node in nodes})

    async def _load_nodes(self, ids: list[NodeId]) -> Sequence[Node | None]:
        found = await self._store.call(nodes_by_id, ids)
        return [found.get(node_id) for node_id in ids]

    async def _load_outputs(self, ids: list[NodeId]) -> Sequence[list[Edge]]:
        return await self._load_edges(ids, Direction.DOWNSTREAM)

    async def _load_inputs(self, ids: list[NodeId]) -> Sequence[list[Edge]]:
        return await self._load_edges(ids, Direction.UPSTREAM)

    async def _load_edges(self, ids: list[NodeId], direction: Direction) -> list[list[Edge]]:
        edges = await self._store.call(edges_touching, ids, direction)
        by_node: dict[NodeId, list[Edge]] = defaultdict(list)
        for edge in edges:
            by_node[edge.source if direction is Direction.DOWNSTREAM else edge.target].append(edge)
        return [by_node[node_id] for node_id in ids]
