"""Flows, steps, triggers and declared lineage as nodes and edges.

    job:<Flow>             the flow (engine metaflow; batch, or event_driven when triggered)
    job:<Flow>.<step>      each step, FEEDS along the DAG, naming its flow in ``flow``
    TRIGGERS               from the upstream flow of @trigger_on_finish, from an event source
                           (``source:<event>``) of @trigger
    FEEDS                  from what a step reads into it and its flow, out of them to what it
                           writes: @lineage(reads, writes), the task's ``_lineage`` record,
                           and run tags ``lineage.reads:<ref>`` / ``lineage.writes:<ref>``
                           (those two from the latest successful run)

There is no edge between a flow and its own steps, so no loop appears that is not in the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lineage.importers.metaflow.records import FlowRecord, RunRecord
from lineage.model import Edge, EdgeType, ImportWarning, Kind, Mode, Node, NodeId
from lineage.refs import id_from_uri, kind_of_id, make_id

READS_TAG = "lineage.reads:"
WRITES_TAG = "lineage.writes:"
DECORATOR_SUFFIX = ".lineage"
"""The ``@lineage`` decorator, by the name Metaflow records: ``<module>.lineage``."""


@dataclass(frozen=True)
class Facts:
    nodes: dict[NodeId, Node]
    edges: list[Edge]
    warnings: list[ImportWarning]


def flow_facts(flows: Iterable[FlowRecord], source: str) -> Facts:
    facts = Facts({}, [], [])
    for flow in flows:
        _add_flow(facts, flow, source)
    return facts


def _add_flow(facts: Facts, flow: FlowRecord, source: str) -> None:
    flow_id = make_id(Kind.JOB, flow.name)
    where = f"{source}/{flow.name}"
    decorators = {
        d.get("name"): d.get("attributes") or {} for d in flow.graph.get("decorators") or []
    }
    triggered = "trigger" in decorators or "trigger_on_finish" in decorators
    facts.nodes[flow_id] = Node(
        flow_id,
        Kind.JOB,
        name=flow.name,
        mode=Mode.EVENT_DRIVEN if triggered else Mode.BATCH,
        last_updated=_last_success(flow.runs),
        properties=_flow_properties(flow),
        location=where,
    )
    steps = flow.graph.get("steps") or {}
    for name, step in steps.items():
        step_id = make_id(Kind.JOB, f"{flow.name}.{name}")
        facts.nodes[step_id] = Node(
            step_id,
            Kind.JOB,
            name=f"{flow.name}.{name}",
            mode=Mode.BATCH,
            properties={"flow": flow.name, "step_type": step.get("type"), "engine": "metaflow"},
            location=f"{flow.graph.get('file') or flow.name}:{step.get('line')}",
        )
    for name, step in steps.items():
        for child in step.get("next") or ():
            if child in steps:
                facts.edges.append(
                    Edge(
                        make_id(Kind.JOB, f"{flow.name}.{name}"),
                        make_id(Kind.JOB, f"{flow.name}.{child}"),
                        location=where,
                    )
                )
    for upstream in _finish_triggers(decorators.get("trigger_on_finish")):
        _ensure(facts, make_id(Kind.JOB, upstream))
        facts.edges.append(
            Edge(make_id(Kind.JOB, upstream), flow_id, EdgeType.TRIGGERS, location=where)
        )
    for event in _events(decorators.get("trigger")):
        event_id = make_id(Kind.SOURCE, event)
        facts.nodes.setdefault(
            event_id, Node(event_id, Kind.SOURCE, name=event, mode=Mode.EVENT_DRIVEN)
        )
        facts.edges.append(Edge(event_id, flow_id, EdgeType.TRIGGERS, location=where))
    _add_declared(facts, flow, steps, where)


def _add_declared(facts: Facts, flow: FlowRecord, steps: dict[str, Any], where: str) -> None:
    flow_id = make_id(Kind.JOB, flow.name)
    for name, step in steps.items():
        for decorator in step.get("decorators") or ():
            if str(decorator.get("name", "")).endswith(DECORATOR_SUFFIX):
                attributes = decorator.get("attributes") or {}
                _link(
                    facts,
                    flow_id,
                    f"{flow.name}.{name}",
                    _refs(attributes.get("reads")),
                    _refs(attributes.get("writes")),
                    where,
                    attributes.get("fields"),
                )
    latest = _reference_run(flow.runs)
    if latest is None:
        return
    for task in latest.lineage:
        _link(
            facts,
            flow_id,
            f"{flow.name}.{task.step}",
            task.reads,
            task.writes,
            f"{where}/{latest.run_id}/{task.step}/{task.task}",
            None,
        )
    reads = [t.removeprefix(READS_TAG) for t in latest.tags if t.startswith(READS_TAG)]
    writes = [t.removeprefix(WRITES_TAG) for t in latest.tags if t.startswith(WRITES_TAG)]
    _link(facts, flow_id, None, reads, writes, f"{where}/{latest.run_id}", None)


def _link(
    facts: Facts,
    flow_id: NodeId,
    step: str | None,
    reads: Iterable[str],
    writes: Iterable[str],
    where: str,
    fields: Any,
) -> None:
    """FEEDS edges from each read into the step and its flow, out of them to each write."""
    ends = [flow_id] + ([make_id(Kind.JOB, step)] if step else [])
    extra = {"fields": [str(f) for f in fields]} if isinstance(fields, list) and fields else {}
    for ref in reads:
        node_id = _node_of(facts, ref, where)
        if node_id is not None:
            facts.edges.extend(Edge(node_id, end, properties=extra, location=where) for end in ends)
    for ref in writes:
        node_id = _node_of(facts, ref, where)
        if node_id is not None:
            facts.edges.extend(Edge(end, node_id, location=where) for end in ends)


def _node_of(facts: Facts, ref: str, where: str) -> NodeId | None:
    """The node a ref names: an id with its kind, or a URI that says its kind."""
    node_id = id_from_uri(ref) if "://" in ref else (NodeId(ref) if kind_of_id(ref) else None)
    if node_id is None:
        facts.warnings.append(
            ImportWarning(
                where,
                f"{ref!r} names no node: use an id (topic:views.raw) or a URI "
                "(kafka://, s3://, feature://, model://, metaflow://)",
            )
        )
        return None
    _ensure(facts, node_id)
    return node_id


def _ensure(facts: Facts, node_id: NodeId) -> None:
    kind = kind_of_id(node_id)
    assert kind is not None
    facts.nodes.setdefault(node_id, Node(node_id, kind))


def _refs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value and value != "None" else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item and item != "None"]
    return []


def _finish_triggers(attributes: dict[str, Any] | None) -> Iterator[str]:
    """The upstream flows of @trigger_on_finish in every form: ``flow``, ``flows``, a
    project-qualified name (``proj.branch.Flow``), or ``{"name": ..., "project": ...}``."""
    if not attributes:
        return
    values = [attributes.get("flow"), *(attributes.get("flows") or [])]
    for value in values:
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value and value != "None":
            yield value.rsplit(".", 1)[-1]


def _events(attributes: dict[str, Any] | None) -> Iterator[str]:
    if not attributes:
        return
    for value in [attributes.get("event"), *(attributes.get("events") or [])]:
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value and value != "None":
            yield value


def _reference_run(runs: tuple[RunRecord, ...]) -> RunRecord | None:
    """The run whose recorded lineage stands for the flow's: the latest successful one (a
    failed run may have stopped before it wrote anything), else the latest."""
    successful = [run for run in runs if run.successful]
    return successful[-1] if successful else (runs[-1] if runs else None)


def _last_success(runs: tuple[RunRecord, ...]) -> datetime | None:
    successful = [run for run in runs if run.successful and run.finished_at]
    return max(successful, key=lambda run: run.started_at).finished_at if successful else None


def _flow_properties(flow: FlowRecord) -> dict[str, Any]:
    runs = flow.runs
    latest = runs[-1] if runs else None
    failures = [run for run in runs if not run.successful and run.failed_steps]
    properties: dict[str, Any] = {
        "engine": "metaflow",
        "run_count": len(runs),
        "last_status": (
            "succeeded" if latest.successful else "failed" if latest.failed_steps else "running"
        )
        if latest
        else None,
        "last_run": latest.run_id if latest else None,
    }
    if latest and latest.resumed_from:
        properties["last_run_resumed_from"] = latest.resumed_from
    if failures:
        last = failures[-1]
        properties["last_failure"] = {
            "run": last.run_id,
            "at": last.started_at.isoformat(),
            "steps": list(last.failed_steps),
        }
    if flow.graph.get("file"):
        properties["file"] = flow.graph["file"]
    if flow.graph.get("doc"):
        properties["doc"] = flow.graph["doc"]
    return properties
