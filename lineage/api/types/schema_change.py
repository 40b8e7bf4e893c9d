"""The answer to ``schemaChangeImpact``: the gate of a proposed Avro schema change."""

from __future__ import annotations

import strawberry

from lineage import service as domain
from lineage.api.types.common import Kind, Mode
from lineage.api.types.impact import PathStep
from lineage.api.types.node import Node
from lineage.avro.modes import Mode as DomainCompatibilityMode

CompatibilityMode = strawberry.enum(
    DomainCompatibilityMode,
    name="CompatibilityMode",
    description="Schema Registry compatibility levels.",
)
Verdict = strawberry.enum(domain.Verdict, name="Verdict", description="PASS, WARN or FAIL.")


@strawberry.type(description="One reason the proposed schema cannot replace a version.")
class SchemaProblem:
    version: int
    direction: str = strawberry.field(description="'new reads old' or 'old reads new'.")
    field: str = strawberry.field(description="The dotted path of the field (empty: the whole).")
    message: str


@strawberry.type(description="A field that changes: added, removed, renamed, type changed...")
class FieldChange:
    change: str
    field: str
    before: str | None
    after: str | None


@strawberry.type(description="A job, feature or model downstream of the subject's topics.")
class SchemaConsumer:
    node: Node
    kind: Kind
    distance: int
    steps: list[PathStep]
    mode: Mode
    freshness_seconds: float | None
    hit: bool = strawberry.field(description="It reads a changed field, or does not say.")
    reads: list[str] | None = strawberry.field(description="The fields its path says it reads.")


@strawberry.type(description="A proposed schema change: its verdict and what it reaches.")
class SchemaChangeImpact:
    subject: str
    schema_node: Node
    mode: CompatibilityMode  # type: ignore[valid-type]
    latest_version: int
    compatible: bool
    problems: list[SchemaProblem]
    diff: list[FieldChange]
    topics: list[strawberry.ID]
    consumers: list[SchemaConsumer]
    rollout: str
    verdict: Verdict  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, report: domain.SchemaImpact) -> SchemaChangeImpact:
        check = report.check
        return cls(
            subject=check.subject,
            schema_node=Node.from_domain(check.schema_node),
            mode=check.mode,
            latest_version=check.latest_version,
            compatible=check.compatible,
            problems=[
                SchemaProblem(
                    version=p.version, direction=p.direction.value, field=p.field, message=p.message
                )
                for p in check.problems
            ],
            diff=[
                FieldChange(change=c.change.value, field=c.field, before=c.before, after=c.after)
                for c in check.diff
            ],
            topics=[strawberry.ID(topic) for topic in report.topics],
            consumers=[_consumer(consumer) for consumer in report.consumers],
            rollout=report.rollout,
            verdict=report.verdict,
        )


def _consumer(consumer: domain.Consumer) -> SchemaConsumer:
    return SchemaConsumer(
        node=Node.from_domain(consumer.node),
        kind=consumer.node.kind,
        distance=consumer.distance,
        steps=[PathStep.from_domain(step) for step in consumer.steps],
        mode=consumer.node.mode,
        freshness_seconds=consumer.steps[-1].freshness_seconds,
        hit=consumer.hit,
        reads=list(consumer.reads) if consumer.reads is not None else None,
    )
