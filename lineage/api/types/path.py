"""Paths through the graph: ``Path`` (used by lineage, impact and paths) and ``PathSearch``."""

from __future__ import annotations

import strawberry

from lineage import model, service
from lineage.api.types.common import Bounded
from lineage.api.types.edge import Edge
from lineage.api.types.node import Info, Node, load_nodes


@strawberry.interface(description="Nodes in order: a path or a cycle.")
class NodeSequence:
    node_ids: list[strawberry.ID]

    @strawberry.field
    async def nodes(self, info: Info) -> list[Node]:
        return await load_nodes(info, self.node_ids)


@strawberry.type(description="Nodes from the first to the last, and the edges between them.")
class Path(NodeSequence):
    steps: strawberry.Private[tuple[model.Edge, ...]]

    @classmethod
    def from_domain(cls, nodes: tuple[model.NodeId, ...], edges: tuple[model.Edge, ...]) -> Path:
        return cls(node_ids=[strawberry.ID(n) for n in nodes], steps=edges)

    @strawberry.field
    def edges(self) -> list[Edge]:
        return Edge.list_from_domain(self.steps)

    @strawberry.field(description="How many edges long the path is.")
    def length(self) -> int:
        return len(self.node_ids) - 1


@strawberry.type(description="The shortest data-flow paths from one node to another.")
class PathSearch(Bounded):
    source: Node
    target: Node
    paths: list[Path]

    @classmethod
    def from_domain(cls, search: service.PathSearch) -> PathSearch:
        return cls(
            source=Node.from_domain(search.source),
            target=Node.from_domain(search.target),
            paths=[_path(path) for path in search.paths],
            **Bounded.fields(search.truncations),
        )


def _path(path: service.FlowPath) -> Path:
    return Path.from_domain(path.nodes, path.edges)
