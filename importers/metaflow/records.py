"""What the importer keeps of Metaflow's metadata: flows, their DAG, their runs.

These records are the normalized export too (``lineage metaflow export``): plain JSON, so
lineage moves between machines without Metaflow and without a single pickle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

EXPORT_VERSION = 1


@dataclass(frozen=True)
class TaskLineage:
    """What one task said at run time it read and wrote (its own ``_lineage`` artifact)."""

    step: str
    task: str
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    started_at: datetime
    """From the run id or the ``_parameters`` record: the run record's own time moves when
    its tags change."""
    tags: tuple[str, ...] = ()
    """The user's tags, as the run record holds them now (they change after the run)."""
    system_tags: tuple[str, ...] = ()
    """Metaflow's: ``user:<name>``, ``project:<name>``, ... (a namespace is one of these)."""
    finished_at: datetime | None = None
    successful: bool = False
    """The end step's last attempt succeeded (the rule the Metaflow UI uses)."""
    failed_steps: tuple[str, ...] = ()
    lineage: tuple[TaskLineage, ...] = ()
    resumed_from: str | None = None
    """The run this one resumed (``resume`` clones its finished steps)."""


@dataclass(frozen=True)
class FlowRecord:
    name: str
    """The FlowSpec class name: what the datastore and a document call the flow."""
    graph: dict[str, Any]
    """The latest run's ``_graph_info``: steps, their ``next``, decorators."""
    runs: tuple[RunRecord, ...] = field(default_factory=tuple)
    """Oldest first."""


def to_export(source: str, flows: list[FlowRecord]) -> dict[str, Any]:
    return {
        "version": EXPORT_VERSION,
        "source": source,
        "flows": [_plain(asdict(f)) for f in flows],
    }


def from_export(document: dict[str, Any]) -> tuple[str, list[FlowRecord]]:
    """The records of an export; ``KeyError``/``TypeError``/``ValueError`` when it is not one."""
    if not isinstance(document, dict):
        raise TypeError(f"an export is a JSON object, not {json.dumps(document)[:40]}")
    if document.get("version") != EXPORT_VERSION:
        raise ValueError(f"export version {document.get('version')!r}, expected {EXPORT_VERSION}")
    flows = [
        FlowRecord(
            name=str(flow["name"]),
            graph=dict(flow["graph"]),
            runs=tuple(_run(run) for run in flow["runs"]),
        )
        for flow in document["flows"]
    ]
    return str(document["source"]), flows


def _run(run: dict[str, Any]) -> RunRecord:
    return RunRecord(
        run_id=str(run["run_id"]),
        started_at=_time(run["started_at"]),
        tags=tuple(run.get("tags") or ()),
        system_tags=tuple(run.get("system_tags") or ()),
        finished_at=_time(run["finished_at"]) if run.get("finished_at") else None,
        successful=bool(run.get("successful")),
        failed_steps=tuple(run.get("failed_steps") or ()),
        lineage=tuple(
            TaskLineage(
                str(t["step"]),
                str(t["task"]),
                tuple(t.get("reads", ())),
                tuple(t.get("writes", ())),
            )
            for t in run.get("lineage") or ()
        ),
        resumed_from=str(run["resumed_from"]) if run.get("resumed_from") else None,
    )


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def attempt_of(entry: dict[str, Any]) -> int:
    """The attempt a metadata entry is about (its ``attempt_id:N`` tag), 0 when untagged."""
    for tag in entry.get("tags") or ():
        if isinstance(tag, str) and tag.startswith("attempt_id:") and tag[11:].isdigit():
            return int(tag[11:])
    return 0


def finished(run: RunRecord) -> bool:
    """Whether a run is over (it succeeded, or a step failed): its record will not change,
    but for its tags."""
    return run.successful or bool(run.failed_steps)


def finished_run(known: Mapping[str, RunRecord], run_id: str) -> RunRecord | None:
    """The run a previous import read, when it had finished then: it need not be read again."""
    run = known.get(run_id)
    return run if run is not None and finished(run) else None


def from_epoch_ms(value: int) -> datetime:
    """A Metaflow ``ts_epoch`` (milliseconds) as a time."""
    return datetime.fromtimestamp(value / 1e3, UTC)


def started_by_run_id(run_id: str) -> datetime | None:
    """When a run of the local provider started: its id is epoch microseconds. ``None`` for
    the ids of a service (an integer, ``argo-...``), whose start is found elsewhere."""
    if run_id.isdigit() and len(run_id) >= 16:
        return datetime.fromtimestamp(int(run_id) / 1e6, UTC)
    return None
