"""What a proposed schema change does downstream: the gate a pull request passes or fails.

    SchemaImpact
    ├── check        the verdict of ``schema_change`` (compatible? which fields change?)
    ├── consumers    every job, feature and model downstream of the subject's topics, each
    │                with its distance, one path, mode and freshness, and whether it is hit
    ├── rollout      in what order to upgrade, by the mode
    └── verdict      PASS / WARN / FAIL

**Hit.** An edge may record the fields it reads (``fields: [...]`` on an edge of the YAML
spec). A consumer is hit when the first edge of its path out of the topic reads a changed
field, or says nothing of what it reads (then it may read any). A consumer whose path starts
with an edge reading only unchanged fields is reached but unaffected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from lineage.analysis.impact import PathStep
from lineage.analysis.schema_change import Change, SchemaCheck, check_schema_change
from lineage.analysis.traverse import ReachedNode, lineage
from lineage.avro.modes import Mode
from lineage.avro.schemas import Json
from lineage.bounds import DEFAULT_MAX_HOPS, DEFAULT_MAX_NODES
from lineage.model import Direction, Edge, EdgeType, Kind, Node, NodeId, kind_of_id
from lineage.store.base import GraphStore

CONSUMER_KINDS = frozenset({Kind.JOB, Kind.FEATURE, Kind.MODEL})
HAS_SCHEMA = frozenset({EdgeType.HAS_SCHEMA})


class Verdict(StrEnum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


ROLLOUT = {
    "BACKWARD": "upgrade consumers first, then producers: the new schema reads old data",
    "FORWARD": "upgrade producers first, then consumers: old readers read the new data",
    "FULL": "either order: each side reads the other's data",
    "NONE": "no order is safe: nothing is checked; coordinate one cut-over or use a new topic",
}


@dataclass(frozen=True)
class Consumer:
    node: Node
    distance: int
    """Hops from the nearest of the subject's topics."""
    steps: tuple[PathStep, ...]
    """From that topic (first) to the consumer (last)."""
    hit: bool
    reads: tuple[str, ...] | None
    """The fields the path's first edge says it reads (``None``: it does not say)."""

    @property
    def path(self) -> tuple[NodeId, ...]:
        return tuple(step.node.id for step in self.steps)


@dataclass(frozen=True)
class SchemaImpact:
    check: SchemaCheck
    topics: tuple[NodeId, ...]
    consumers: tuple[Consumer, ...]
    changed_fields: tuple[str, ...]
    """Fields whose change can break a reader: every change but doc-only, and every field a
    compatibility problem names."""

    @property
    def rollout(self) -> str:
        return ROLLOUT[self.check.mode.value.removesuffix("_TRANSITIVE")]

    @property
    def verdict(self) -> Verdict:
        models = any(c.node.kind is Kind.MODEL for c in self.consumers)
        if not self.check.compatible:
            return Verdict.FAIL if models else Verdict.WARN
        removed = {c.field for c in self.check.diff if c.change is Change.REMOVED}
        if any(c.reads and _touches(c.reads, removed) for c in self.consumers):
            return Verdict.WARN
        return Verdict.PASS

    @property
    def hit(self) -> tuple[Consumer, ...]:
        return tuple(consumer for consumer in self.consumers if consumer.hit)


def schema_change_impact(
    store: GraphStore,
    subject: str,
    proposed: Json,
    *,
    mode: Mode | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> SchemaImpact:
    """The impact report of replacing ``subject``'s schema with ``proposed``."""
    check = check_schema_change(store, subject, proposed, mode=mode)
    schema_id = check.schema_node.id
    into = store.edges_of([schema_id], direction=Direction.UPSTREAM, types=HAS_SCHEMA)
    carriers = sorted({edge.source for edge in into})
    topics = [node_id for node_id in carriers if kind_of_id(node_id) is Kind.TOPIC]
    changed = _changed_fields(check)
    nearest: dict[NodeId, Consumer] = {}
    for topic in topics:
        walk = lineage(
            store, topic, direction=Direction.DOWNSTREAM, max_hops=max_hops, max_nodes=max_nodes
        )
        nodes = {reached.node.id: reached.node for reached in walk.nodes} | {topic: walk.root}
        for reached in walk.nodes:
            if reached.node.kind not in CONSUMER_KINDS:
                continue
            consumer = _consumer(reached, nodes, changed)
            known = nearest.get(consumer.node.id)
            if known is None or consumer.distance < known.distance:
                nearest[consumer.node.id] = consumer
    users = [node_id for node_id in carriers if node_id not in topics and node_id not in nearest]
    for node in store.get_nodes(users).values():  # a job that names the schema itself
        if node.kind in CONSUMER_KINDS:
            nearest[node.id] = Consumer(node, 0, (PathStep(node, None),), True, None)
    ordered = sorted(nearest.values(), key=lambda c: (c.distance, c.node.id))
    return SchemaImpact(check, tuple(topics), tuple(ordered), tuple(sorted(changed)))


def _changed_fields(check: SchemaCheck) -> set[str]:
    found = {c.field for c in check.diff if c.change is not Change.DOC_ONLY}
    found |= {c.before for c in check.diff if c.change is Change.RENAMED and c.before}
    found |= {p.field for p in check.problems if p.field}
    return found


def _consumer(reached: ReachedNode, nodes: dict[NodeId, Node], changed: set[str]) -> Consumer:
    first = reached.path_edges[0]
    reads = _reads(first)
    hit = reads is None or _touches(reads, changed)
    steps = [PathStep(nodes[reached.path[0]], None)]
    steps += [
        PathStep(nodes[n], e) for n, e in zip(reached.path[1:], reached.path_edges, strict=True)
    ]
    return Consumer(reached.node, reached.distance, tuple(steps), hit, reads)


def _reads(edge: Edge) -> tuple[str, ...] | None:
    fields = edge.properties.get("fields")
    if isinstance(fields, str):
        return tuple(name.strip() for name in fields.split(",") if name.strip())
    if isinstance(fields, list | tuple):
        return tuple(str(name) for name in fields)
    return None


def _touches(reads: Iterable[str], changed: Iterable[str]) -> bool:
    """Whether reading any of ``reads`` touches a changed field: the same field, a field
    inside a changed record, or a record holding a changed field."""
    changed = list(changed)
    return any(
        r == c or r.startswith(f"{c}.") or c.startswith(f"{r}.") for r in reads for c in changed
    )
