"""Enums and small value types shared by every type family.

The domain's own enums are exposed as they are, so resolvers pass them through unchanged:
GraphQL names are the member names (``EVENT_DRIVEN``), values the domain's (``event_driven``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import strawberry

from lineage import bounds, model
from lineage.service import LoopKind as DomainLoopKind
from lineage.wording import reason

Kind = strawberry.enum(model.Kind, name="Kind", description="What a node is.")
Mode = strawberry.enum(model.Mode, name="Mode", description="How a node or edge processes data.")
Direction = strawberry.enum(model.Direction, name="Direction")
EdgeType = strawberry.enum(model.EdgeType, name="EdgeType")
Role = strawberry.enum(model.Role, name="Role", description="What an edge's data is used for.")
LoopKind = strawberry.enum(DomainLoopKind, name="LoopKind")


@strawberry.enum(description="Input formats an importer may read (not every one is built yet).")
class ImportFormat(StrEnum):
    YAML = "yaml"
    C4 = "c4"
    AVRO = "avro"
    METAFLOW = "metaflow"


@strawberry.type(description="A freshness requirement: the document's words and the bound.")
class Freshness:
    text: str
    seconds: float | None = strawberry.field(
        description="The bound in seconds; null when the text was not understood."
    )

    @classmethod
    def from_domain(cls, freshness: model.Freshness | None) -> Freshness | None:
        return cls(text=freshness.text, seconds=freshness.seconds) if freshness else None


@strawberry.type(description="Where a fact comes from: the origin and the place in it.")
class Origin:
    origin: str
    location: str | None = strawberry.field(description="file:line or a run id.")

    @classmethod
    def from_domain(cls, provenance: model.Provenance) -> Origin:
        return cls(origin=provenance.origin, location=provenance.location)

    @classmethod
    def list_from_domain(cls, origins: tuple[model.Provenance, ...]) -> list[Origin]:
        return [cls.from_domain(p) for p in origins]


Bound = strawberry.enum(bounds.Bound, name="Bound", description="A limit an answer is cut at.")


@strawberry.type(description="A bound that cut an answer, and which walk it stopped.")
class Truncation:
    bound: Bound
    limit: int
    direction: Direction | None = strawberry.field(
        description="The direction of the walk it stopped; null when it cut the whole answer."
    )
    node_id: strawberry.ID | None = strawberry.field(description="Where that walk started.")

    @classmethod
    def from_domain(cls, truncation: bounds.Truncation) -> Truncation:
        node = truncation.node
        return cls(
            bound=truncation.bound,
            limit=truncation.limit,
            direction=truncation.direction,
            node_id=strawberry.ID(node) if node else None,
        )


@strawberry.interface(description="An answer that a bound may have cut.")
class Bounded:
    truncated: bool
    reason: str | None = strawberry.field(description="Which bounds cut the answer, in words.")
    truncations: list[Truncation] = strawberry.field(description="Each bound that cut it.")

    @staticmethod
    def fields(truncations: bounds.Truncations) -> dict[str, Any]:
        """The interface's fields for an answer cut by ``truncations``."""
        return {
            "truncated": bool(truncations),
            "reason": reason(truncations),
            "truncations": [Truncation.from_domain(t) for t in truncations],
        }
