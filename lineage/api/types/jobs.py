"""Configured jobs (import jobs and the staleness roll-up) and what their runs did."""

from __future__ import annotations

from datetime import datetime

import strawberry

from lineage import service as domain

Outcome = strawberry.enum(
    domain.Outcome,
    name="JobOutcome",
    description="SUCCEEDED; UNCHANGED (the input was what the last success read: nothing "
    "written); FAILED (see error).",
)


@strawberry.type(description="One run of a job.")
class JobRun:
    name: str
    started: datetime
    duration_seconds: float
    outcome: Outcome  # type: ignore[valid-type]
    error: str | None
    nodes: int = strawberry.field(description="Nodes the run imported (roll-up: found stale).")
    edges: int
    origins: int
    warnings: int

    @classmethod
    def from_domain(cls, run: domain.JobRun) -> JobRun:
        return cls(
            name=run.name,
            started=datetime.fromisoformat(run.started),
            duration_seconds=run.duration_seconds,
            outcome=run.outcome,
            error=run.error,
            nodes=run.nodes,
            edges=run.edges,
            origins=run.origins,
            warnings=run.warnings,
        )


@strawberry.type(
    name="ConfiguredJob", description="A configured job, its schedule and its recent runs."
)
class Job:
    name: str
    kind: str = strawberry.field(description="import or rollup.")
    importer: str | None
    schedule: str | None = strawberry.field(description="Cron or interval; null: by hand only.")
    last: JobRun | None
    history: list[JobRun] = strawberry.field(description="Newest first, the last included.")

    @classmethod
    def from_domain(cls, status: domain.JobStatus) -> Job:
        return cls(
            name=status.name,
            kind=status.kind,
            importer=status.importer,
            schedule=status.schedule,
            last=JobRun.from_domain(status.last) if status.last else None,
            history=[JobRun.from_domain(run) for run in status.history],
        )
