"""Staleness roll-ups: the whole graph's statuses and freshness conflicts, judged at one moment
from one snapshot, and kept in the run log so users can see the history and when each node
became stale.

Each run keeps its counts, the STALE nodes with their causes and paths, the conflicts, and
each model's age against its bound (what ``/metrics`` exposes); a node stale in the run before
keeps the moment it became stale (``since``). UNKNOWN nodes are only counted: on a platform
that reports few observations they are most of the graph, and the run log would grow with
them.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from lineage.analysis.conflicts import FreshnessConflict, find_conflicts
from lineage.analysis.staleness import NodeStaleness, Status, rollup
from lineage.bulk import pauses_collector
from lineage.model import Kind
from lineage.store.base import GraphStore, RunRecord

ROLLUP = "rollup"
"""The run log's kind and name for roll-ups."""


@dataclass(frozen=True)
class StaleNode:
    id: str
    kind: str
    own: str
    """Its own status: STALE, or FRESH or UNKNOWN when the cause is upstream."""
    cause: str | None
    path: tuple[str, ...]
    since: str
    """When it became stale: the first run of the unbroken series that found it so (ISO)."""


@dataclass(frozen=True)
class ConflictEntry:
    id: str
    kind: str
    required_seconds: float
    achievable_seconds: float
    edge: tuple[str, str]
    """The offending edge: (source, target)."""
    path: tuple[str, ...]


@dataclass(frozen=True)
class ModelAge:
    id: str
    status: str
    age_seconds: float | None
    bound_seconds: float | None


@dataclass(frozen=True)
class RollupRun:
    at: str
    """The moment judged at (ISO, UTC)."""
    duration_seconds: float
    counts: Mapping[str, int]
    """Nodes per effective status."""
    stale_by_kind: Mapping[str, int]
    """Nodes whose effective status is STALE, per kind."""
    stale: tuple[StaleNode, ...]
    conflicts: tuple[ConflictEntry, ...]
    models: tuple[ModelAge, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> RollupRun:
        data = json.loads(text)
        return cls(
            at=data["at"],
            duration_seconds=data["duration_seconds"],
            counts=data["counts"],
            stale_by_kind=data["stale_by_kind"],
            stale=tuple(
                StaleNode(**{**entry, "path": tuple(entry["path"])}) for entry in data["stale"]
            ),
            conflicts=tuple(
                ConflictEntry(**{**c, "edge": tuple(c["edge"]), "path": tuple(c["path"])})
                for c in data["conflicts"]
            ),
            models=tuple(ModelAge(**model) for model in data["models"]),
        )


@pauses_collector
def run_rollup(
    store: GraphStore,
    *,
    defaults: Mapping[Kind, float],
    keep: int,
    at: datetime | None = None,
) -> RollupRun:
    """Judge the whole graph now (or at ``at``), record the run, and return it."""
    started = time.perf_counter()
    moment = at or datetime.now(UTC)
    snapshot = store.snapshot()
    report = rollup(snapshot.nodes, snapshot.edges, moment, defaults=defaults)
    conflicts = find_conflicts(snapshot.nodes, snapshot.edges, defaults=defaults)
    previous = latest_rollup(store)
    run = _summarised(report.nodes, conflicts, moment, previous, time.perf_counter() - started)
    store.record_run(RunRecord(ROLLUP, ROLLUP, moment, run.to_json()), keep=keep)
    return run


def latest_rollup(store: GraphStore) -> RollupRun | None:
    found = rollup_history(store, limit=1)
    return found[0] if found else None


def rollup_history(store: GraphStore, *, limit: int = 20) -> list[RollupRun]:
    """The newest ``limit`` roll-ups, newest first."""
    return [RollupRun.from_json(run.document) for run in store.runs(ROLLUP, ROLLUP, limit=limit)]


def _summarised(
    entries: tuple[NodeStaleness, ...],
    conflicts: tuple[FreshnessConflict, ...],
    at: datetime,
    previous: RollupRun | None,
    duration: float,
) -> RollupRun:
    moment = at.isoformat()
    began = {node.id: node.since for node in previous.stale} if previous else {}
    stale = [
        StaleNode(
            id=entry.node.id,
            kind=entry.node.kind.value,
            own=entry.own.value,
            cause=entry.cause,
            path=entry.cause_path,
            since=began.get(entry.node.id, moment),
        )
        for entry in entries
        if entry.effective is Status.STALE
    ]
    counts = Counter(entry.effective.value for entry in entries)
    stale_kinds = Counter(node.kind for node in stale)
    return RollupRun(
        at=moment,
        duration_seconds=round(duration, 6),
        counts={status.value: counts.get(status.value, 0) for status in Status},
        stale_by_kind={kind.value: stale_kinds.get(kind.value, 0) for kind in Kind},
        stale=tuple(stale),
        conflicts=tuple(conflict_entry(c) for c in conflicts),
        models=tuple(
            ModelAge(e.node.id, e.effective.value, e.age_seconds, e.bound_seconds)
            for e in entries
            if e.node.kind is Kind.MODEL
        ),
    )


def conflict_entry(conflict: FreshnessConflict) -> ConflictEntry:
    """A conflict as a roll-up keeps it: ids, not nodes."""
    return ConflictEntry(
        id=conflict.node.id,
        kind=conflict.node.kind.value,
        required_seconds=conflict.required_seconds,
        achievable_seconds=conflict.achievable_seconds,
        edge=(conflict.edge.source, conflict.edge.target),
        path=conflict.path,
    )
