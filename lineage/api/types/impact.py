"""The answer to ``impact``: what a change to one node reaches, grouped for a change-planner."""

from __future__ import annotations

import strawberry

from lineage import model
from lineage import service as domain
from lineage.api.types.common import Bounded, Kind, Mode
from lineage.api.types.edge import Edge
from lineage.api.types.node import Node
from lineage.api.types.path import Path


@strawberry.type(description="A node on a path and the edge that reaches it.")
class PathStep:
    node: Node
    via: Edge | None = strawberry.field(description="Null for the changed node itself.")
    modes: list[Mode] = strawberry.field(description="Known modes of the edge in and the node.")
    freshness_seconds: float | None = strawberry.field(
        description="The loosest known bound of the edge in and the node."
    )

    @classmethod
    def from_domain(cls, step: domain.PathStep) -> PathStep:
        return cls(
            node=Node.from_domain(step.node),
            via=Edge.from_domain(step.via) if step.via else None,
            modes=list(step.modes),
            freshness_seconds=step.freshness_seconds,
        )


@strawberry.type(description="An affected model and one shortest path from the change to it.")
class AffectedModel:
    model: Node
    distance: int
    path: Path
    steps: list[PathStep]
    modes: list[Mode] = strawberry.field(description="Every known mode on the way, in order.")
    slowest: PathStep | None = strawberry.field(
        description="The step before the model with the loosest freshness bound."
    )
    freshness_conflict: bool = strawberry.field(
        description="The model asks for fresher data than the slowest step guarantees."
    )

    @classmethod
    def from_domain(cls, affected: domain.AffectedModel) -> AffectedModel:
        steps = [PathStep.from_domain(step) for step in affected.steps]
        slowest = affected.slowest
        return cls(
            model=Node.from_domain(affected.model),
            distance=affected.distance,
            path=Path.from_domain(affected.path, tuple(s.via for s in affected.steps if s.via)),
            steps=steps,
            modes=list(affected.modes),
            slowest=steps[affected.steps.index(slowest)] if slowest else None,
            freshness_conflict=affected.freshness_conflict,
        )


@strawberry.type(description="The affected nodes of one kind, nearest first.")
class KindGroup:
    kind: Kind
    count: int
    nodes: list[Node]

    @classmethod
    def from_domain(cls, kind: model.Kind, nodes: tuple[model.Node, ...]) -> KindGroup:
        return cls(kind=kind, count=len(nodes), nodes=[Node.from_domain(n) for n in nodes])


@strawberry.type(description="Everything downstream of a change, as a change-planner reads it.")
class Impact(Bounded):
    root: Node
    by_kind: list[KindGroup]
    models: list[AffectedModel]
    total_count: int

    @classmethod
    def from_domain(cls, report: domain.ImpactReport) -> Impact:
        return cls(
            root=Node.from_domain(report.root),
            by_kind=[KindGroup.from_domain(k, nodes) for k, nodes in report.by_kind.items()],
            models=[AffectedModel.from_domain(m) for m in report.models],
            **Bounded.fields(report.truncations),
            total_count=report.total_count,
        )
