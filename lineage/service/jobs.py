"""Configured jobs: the import jobs of ``lineage.yaml`` and the staleness roll-up, run by the
scheduler, by ``lineage jobs run NAME`` or by the ``runJob`` mutation, each run recorded in the
store's run log.

A run ends SUCCEEDED, UNCHANGED (its input is what its last successful run read: nothing is
written) or FAILED (its error is kept, and the next run is tried at its next time). An import
job reads only under the configuration's ``roots``, checked again at every run, symbolic links
followed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from lineage.config_file import ROLLUP_JOB, ImportJob, LineageConfig
from lineage.errors import InputError, LineageError
from lineage.model import ImportBatch
from lineage.service.imports import apply_batches, read_batches
from lineage.service.rollups import run_rollup
from lineage.store.base import GraphStore, RunRecord

JOB = "job"
"""The run log's kind for job runs."""

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    UNCHANGED = "UNCHANGED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class JobRun:
    name: str
    started: str
    """ISO, UTC."""
    duration_seconds: float
    outcome: Outcome
    error: str | None = None
    nodes: int = 0
    """Nodes (for the roll-up: nodes judged STALE) the run's batches assert."""
    edges: int = 0
    origins: int = 0
    warnings: int = 0
    digest: str | None = None
    """What the input was, so the next run can tell it is unchanged."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> JobRun:
        data = json.loads(text)
        return cls(**{**data, "outcome": Outcome(data["outcome"])})


@dataclass(frozen=True)
class JobStatus:
    name: str
    kind: str
    """``import`` or ``rollup``."""
    schedule: str | None
    importer: str | None
    last: JobRun | None
    history: tuple[JobRun, ...]
    """Newest first, the last included."""


def job_names(config: LineageConfig) -> list[str]:
    return [*(job.name for job in config.imports), ROLLUP_JOB]


def require_job(config: LineageConfig, name: str) -> None:
    """``InputError`` naming the configured jobs, for a name that is none of them."""
    if name != ROLLUP_JOB:
        config.job(name)


def run_job(store: GraphStore, config: LineageConfig, name: str) -> JobRun:
    """Run one configured job now and record it. A failure is recorded and returned, not
    raised: the scheduler goes on with the other jobs. ``InputError`` for an unknown name
    (the caller's mistake, not a failed run); ``StoreError`` when the run cannot be recorded
    because the store is down."""
    require_job(config, name)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    try:
        if name == ROLLUP_JOB:
            run = _rollup(store, config)
        else:
            run = _import(store, config, config.job(name))
    except LineageError as exc:
        run = _ended(Outcome.FAILED, error=str(exc))
    except Exception as exc:  # a job must never take the scheduler down
        log.exception("job %s failed unexpectedly", name)
        run = _ended(Outcome.FAILED, error=f"{type(exc).__name__}: {exc}")
    run = replace(
        run,
        name=name,
        started=started.isoformat(),
        duration_seconds=round(time.perf_counter() - clock, 6),
    )
    if run.outcome is Outcome.FAILED:
        log.warning("job %s failed: %s", name, run.error)
    else:
        log.info("job %s: %s in %.2fs", name, run.outcome.value, run.duration_seconds)
    record_job_run(store, config, run)
    return run


def record_job_run(store: GraphStore, config: LineageConfig, run: JobRun) -> None:
    """Add ``run`` to the run log; ``StoreError`` when the store cannot take it (the caller
    keeps it for later: the scheduler does)."""
    started = datetime.fromisoformat(run.started)
    store.record_run(RunRecord(JOB, run.name, started, run.to_json()), keep=config.rollup.keep)


def job_statuses(store: GraphStore, config: LineageConfig, *, limit: int = 20) -> list[JobStatus]:
    """Every configured job with its newest ``limit`` runs."""
    found = []
    for name in job_names(config):
        history = job_history(store, name, limit=limit)
        job = None if name == ROLLUP_JOB else config.job(name)
        schedule = config.rollup.schedule if job is None else job.schedule
        found.append(
            JobStatus(
                name=name,
                kind="rollup" if job is None else "import",
                schedule=schedule.text if schedule else None,
                importer=job.importer if job else None,
                last=history[0] if history else None,
                history=tuple(history),
            )
        )
    return found


def job_history(store: GraphStore, name: str, *, limit: int = 20) -> list[JobRun]:
    return [JobRun.from_json(run.document) for run in store.runs(JOB, name, limit=limit)]


def _rollup(store: GraphStore, config: LineageConfig) -> JobRun:
    run = run_rollup(store, defaults=config.freshness, keep=config.rollup.keep)
    return _ended(Outcome.SUCCEEDED, nodes=len(run.stale))


def _import(store: GraphStore, config: LineageConfig, job: ImportJob) -> JobRun:
    files = sorted(_files_within_roots(job, config))
    digest = _files_digest(files) if job.paths and not job.urls else None
    if digest is not None and digest == _last_success_digest(store, job.name):
        return _ended(Outcome.UNCHANGED, digest=digest)
    batches = read_batches(store, job.importer, job.request())
    if digest is None:
        digest = _batches_digest(batches)
        if digest == _last_success_digest(store, job.name):
            return _ended(Outcome.UNCHANGED, digest=digest)
    report = apply_batches(store, batches, strict=job.strict)
    return _ended(
        Outcome.SUCCEEDED,
        nodes=report.nodes,
        edges=report.edges,
        origins=len(report.results),
        warnings=len(report.warnings),
        digest=digest,
    )


def _ended(outcome: Outcome, **counts: Any) -> JobRun:
    """What a run ended with; ``run_job`` adds its name, start and duration."""
    return JobRun("", "", 0.0, outcome, **counts)


def _last_success_digest(store: GraphStore, name: str) -> str | None:
    for run in job_history(store, name, limit=50):
        if run.outcome is not Outcome.FAILED:
            return run.digest
    return None


def _files_within_roots(job: ImportJob, config: LineageConfig) -> Iterator[Path]:
    """Every file under the job's paths; ``InputError`` for one whose real place (symbolic
    links followed) is outside the roots, or a path that is gone."""
    for path in job.paths:
        if not path.exists():
            raise InputError(f"job {job.name!r}: {path} does not exist")
        for found in [path] if path.is_file() else path.rglob("*"):
            if config.outside_roots(found):
                raise InputError(
                    f"job {job.name!r}: {found} leads outside the configured roots "
                    f"({found.resolve()}); nothing imported"
                )
            if found.is_file():
                yield found


def _files_digest(files: list[Path]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _batches_digest(batches: list[ImportBatch]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for batch in batches:
        digest.update(repr((batch.origin, batch.nodes, batch.edges, batch.state)).encode())
    return digest.hexdigest()
