"""The answer to ``staleness``: one node's own and effective freshness status, and why."""

from __future__ import annotations

from datetime import datetime

import strawberry

from lineage import service as domain
from lineage.api.types.node import Node

Status = strawberry.enum(
    domain.Status, name="FreshnessStatus", description="FRESH, UNKNOWN or STALE."
)


@strawberry.type(description="A node's freshness: its own status and the worst upstream of it.")
class NodeStaleness:
    node: Node
    own: Status  # type: ignore[valid-type]
    effective: Status  # type: ignore[valid-type]
    age_seconds: float | None
    bound_seconds: float | None
    cause: strawberry.ID | None = strawberry.field(
        description="The nearest upstream node whose own status is the effective one."
    )
    cause_path: list[strawberry.ID] = strawberry.field(description="From the cause to the node.")

    @classmethod
    def from_domain(cls, entry: domain.NodeStaleness) -> NodeStaleness:
        return cls(
            node=Node.from_domain(entry.node),
            own=entry.own,
            effective=entry.effective,
            age_seconds=entry.age_seconds,
            bound_seconds=entry.bound_seconds,
            cause=strawberry.ID(entry.cause) if entry.cause else None,
            cause_path=[strawberry.ID(node_id) for node_id in entry.cause_path],
        )


@strawberry.type(description="A node found STALE by a roll-up, and since when.")
class StaleNode:
    id: strawberry.ID
    kind: str
    own: Status  # type: ignore[valid-type]
    cause: strawberry.ID | None
    cause_path: list[strawberry.ID]
    since: datetime = strawberry.field(
        description="The first roll-up of the unbroken series that found it stale."
    )

    @classmethod
    def from_domain(cls, entry: domain.StaleNode) -> StaleNode:
        return cls(
            id=strawberry.ID(entry.id),
            kind=entry.kind,
            own=domain.Status(entry.own),
            cause=strawberry.ID(entry.cause) if entry.cause else None,
            cause_path=[strawberry.ID(node_id) for node_id in entry.path],
            since=datetime.fromisoformat(entry.since),
        )


@strawberry.type(description="A consumer whose required freshness its serving path cannot meet.")
class FreshnessConflict:
    id: strawberry.ID
    kind: str
    required_seconds: float
    achievable_seconds: float = strawberry.field(
        description="The slowest cadence upstream: the best freshness the node can have."
    )
    edge_source: strawberry.ID = strawberry.field(description="The offending edge's source.")
    edge_target: strawberry.ID
    path: list[strawberry.ID] = strawberry.field(
        description="From the offending edge's source to the node."
    )

    @classmethod
    def from_domain(cls, entry: domain.ConflictEntry) -> FreshnessConflict:
        source, target = entry.edge
        return cls(
            id=strawberry.ID(entry.id),
            kind=entry.kind,
            required_seconds=entry.required_seconds,
            achievable_seconds=entry.achievable_seconds,
            edge_source=strawberry.ID(source),
            edge_target=strawberry.ID(target),
            path=[strawberry.ID(node_id) for node_id in entry.path],
        )


@strawberry.type(description="How many nodes a roll-up found with one status.")
class StatusCount:
    status: Status  # type: ignore[valid-type]
    count: int


@strawberry.type(description="A model's age against its freshness bound at a roll-up.")
class ModelAge:
    id: strawberry.ID
    status: Status  # type: ignore[valid-type]
    age_seconds: float | None
    bound_seconds: float | None


@strawberry.type(description="One staleness roll-up of the whole graph.")
class RollupRun:
    at: datetime
    duration_seconds: float
    counts: list[StatusCount]
    stale: list[StaleNode]
    conflicts: list[FreshnessConflict]
    models: list[ModelAge]

    @classmethod
    def from_domain(cls, run: domain.RollupRun) -> RollupRun:
        return cls(
            at=datetime.fromisoformat(run.at),
            duration_seconds=run.duration_seconds,
            counts=[StatusCount(status=domain.Status(s), count=n) for s, n in run.counts.items()],
            stale=[StaleNode.from_domain(node) for node in run.stale],
            conflicts=[FreshnessConflict.from_domain(c) for c in run.conflicts],
            models=[
                ModelAge(
                    id=strawberry.ID(m.id),
                    status=domain.Status(m.status),
                    age_seconds=m.age_seconds,
                    bound_seconds=m.bound_seconds,
                )
                for m in run.models
            ],
        )


@strawberry.type(description="The latest staleness roll-up and the ones before it.")
class StaleRollup:
    latest: RollupRun | None
    history: list[RollupRun] = strawberry.field(description="Newest first, the latest included.")
