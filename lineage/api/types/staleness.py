"""The answer to ``staleness``: one node's own and effective freshness status, and why."""

from __future__ import annotations

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
