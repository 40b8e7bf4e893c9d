"""The answer to ``lineage``: the nodes up- or downstream of a root, each with a witness path."""

from __future__ import annotations

import strawberry

from lineage import model, service
from lineage.api.types.common import Bounded, Direction
from lineage.api.types.edge import Edge
from lineage.api.types.node import Node
from lineage.api.types.path import Path


@strawberry.type(description="A node the walk reached, its distance and one shortest path.")
class ReachedNode:
    node: Node
    distance: int
    direction: Direction = strawberry.field(description="Which way the walk went to reach it.")
    reached: strawberry.Private[service.ReachedNode]

    @classmethod
    def from_domain(cls, reached: service.ReachedNode) -> ReachedNode:
        return cls(
            node=Node.from_domain(reached.node),
            distance=reached.distance,
            direction=reached.direction,
            reached=reached,
        )

    @strawberry.field(description="From the root to this node.")
    def path(self) -> Path:
        return Path.from_domain(self.reached.path, self.reached.path_edges)


@strawberry.type(description="Bounded lineage of one node, nearest first.")
class Lineage(Bounded):
    root: Node
    direction: Direction
    nodes: list[ReachedNode]
    total_count: int = strawberry.field(description="Matching nodes found before the node cut.")
    witness_edges: strawberry.Private[tuple[model.Edge, ...]]

    @classmethod
    def from_domain(cls, result: service.Lineage) -> Lineage:
        return cls(
            root=Node.from_domain(result.root),
            direction=result.direction,
            nodes=[ReachedNode.from_domain(reached) for reached in result.nodes],
            witness_edges=result.edges,
            **Bounded.fields(result.truncations),
            total_count=result.total_count,
        )

    @strawberry.field(description="The edges of every returned path.")
    def edges(self) -> list[Edge]:
        return Edge.list_from_domain(self.witness_edges)
