"""The answer to ``feedbackLoops``: cycles in the data flow and what they pass through."""

from __future__ import annotations

import strawberry

from lineage.api.types.common import Bounded, LoopKind, Mode
from lineage.api.types.node import Info, Node, load_nodes
from lineage.api.types.path import NodeSequence
from lineage.service import FeedbackLoop as DomainLoop


@strawberry.type(description="One elementary cycle, starting at its first model if it has one.")
class Cycle(NodeSequence):
    @strawberry.field(description="How many edges long the cycle is (as many as its nodes).")
    def length(self) -> int:
        return len(self.node_ids)


@strawberry.type(description="A strongly connected part of the data flow.")
class FeedbackLoop(Bounded):
    kind: LoopKind
    node_ids: list[strawberry.ID]
    model_ids: list[strawberry.ID]
    source_ids: list[strawberry.ID]
    cycles: list[Cycle]
    modes: list[Mode]

    @classmethod
    def from_domain(cls, loop: DomainLoop) -> FeedbackLoop:
        return cls(
            kind=loop.kind,
            node_ids=_ids(loop.nodes),
            model_ids=_ids(loop.models),
            source_ids=_ids(loop.sources),
            cycles=[Cycle(node_ids=_ids(cycle)) for cycle in loop.cycles],
            modes=list(loop.modes),
            **Bounded.fields(loop.truncations),
        )

    @strawberry.field
    async def nodes(self, info: Info) -> list[Node]:
        return await load_nodes(info, self.node_ids)

    @strawberry.field
    async def models(self, info: Info) -> list[Node]:
        return await load_nodes(info, self.model_ids)

    @strawberry.field
    async def sources(self, info: Info) -> list[Node]:
        return await load_nodes(info, self.source_ids)


def _ids(ids: tuple[str, ...]) -> list[strawberry.ID]:
    return [strawberry.ID(node_id) for node_id in ids]
