"""The answer to ``lineage``: the nodes up- or downstream of a root, each with a witness path."""

from __future__ import annotations

import strawberry

from lineage.analysis.traverse import Lineage as DomainLineage
from lineage.analysis.traverse import ReachedNode as DomainReachedNode
from lineage.api.types.common import Direction
from lineage.api.types.edge import Edge
from lineage.api.types.node import Node
from lineage.api.types.path import Path


@strawberry.type(description="A node the walk reached, its distance and one shortest path.")
class ReachedNode:
    node: Node
    distance: int
    direction: Direction = strawberry.field(description="Which way the walk went to reach it.")
    path: Path = strawberry.field(description="From the root to this node.")

    @classmethod
    def from_domain(cls, reached: DomainReachedNode) -> ReachedNode:
        return cls(
            node=Node.from_domain(reached.node),
            distance=reached.distance,
            direction=reached.direction,
            path=Path.from_domain(reached.path, reached.path_edges),
        )


@strawberry.type(description="Bounded lineage of one node, nearest first.")
class Lineage:
    root: Node
    direction: Direction
    nodes: list[ReachedNode]
    edges: list[Edge] = strawberry.field(description="The edges of every returned path.")
    truncated: bool
    reason: str | None = strawberry.field(description="Which bound cut the answer, if one did.")
    total_count: int = strawberry.field(description="Matching nodes found before the node cut.")

    @classmethod
    def from_domain(cls, result: DomainLineage) -> Lineage:
        return cls(
            root=Node.from_domain(result.root),
            direction=result.direction,
            nodes=[ReachedNode.from_domain(reached) for reached in result.nodes],
            edges=Edge.list_from_domain(result.edges),
            truncated=result.truncated,
            reason=result.reason,
            total_count=result.total_count,
        )
