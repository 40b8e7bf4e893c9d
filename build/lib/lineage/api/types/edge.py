"""The ``Edge`` type: one merged edge, with its ends resolved through the node loader."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from lineage import model
from lineage.api.types.common import EdgeType, Freshness, Mode, Origin, Role
from lineage.api.types.node import Info, Node, load_node


@strawberry.type(description="`FEEDS`, `TRIGGERS` or `HAS_SCHEMA` from one node to another.")
class Edge:
    source_id: strawberry.ID
    target_id: strawberry.ID
    type: EdgeType
    label: str | None
    role: Role
    mode: Mode
    freshness: Freshness | None
    properties: JSON
    origins: list[Origin]

    @classmethod
    def from_domain(cls, edge: model.Edge) -> Edge:
        return cls(
            source_id=strawberry.ID(edge.source),
            target_id=strawberry.ID(edge.target),
            type=edge.type,
            label=edge.label,
            role=edge.role,
            mode=edge.mode,
            freshness=Freshness.from_domain(edge.freshness),
            properties=dict(edge.properties),
            origins=Origin.list_from_domain(edge.origins),
        )

    @classmethod
    def list_from_domain(cls, edges: tuple[model.Edge, ...]) -> list[Edge]:
        return [cls.from_domain(edge) for edge in edges]

    @strawberry.field(description="Where the data comes from.")
    async def source(self, info: Info) -> Node:
        return await load_node(info, self.source_id)

    @strawberry.field(description="Where the data goes.")
    async def target(self, info: Info) -> Node:
        return await load_node(info, self.target_id)
