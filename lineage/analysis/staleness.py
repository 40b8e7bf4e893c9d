"""Which nodes are stale, and why: each node's own status and the worst upstream of it.

A node's **own** status is FRESH (observed within its freshness bound), STALE (observed longer
ago than its bound) or UNKNOWN (no bound, or never observed). The bound is the node's own
freshness, else the configured default for its kind. Its **effective** status is the worst of
its own and of every node upstream of it on serving paths (``serving.py``: data flow, without
the edges that feed a model's training). The **cause** of an effective status worse than the
node's own is the nearest upstream node whose own status it is, with the path from there.
A node with training inputs also gets a **training** status: the worst effective status of
what it is trained on, with that input's cause.

The whole graph in linear time: one multi-source breadth-first search downstream from every
STALE node, then one from every UNKNOWN node over what is left. Each search visits each node
and edge at most once, reaches every node some worse node feeds (cycles included: a search
simply does not enter a node twice), and leaves each node its parent on a shortest path from
the nearest cause. No node is walked from on its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from lineage.analysis.serving import bound_seconds, flow_edges
from lineage.model import Edge, Kind, Node, NodeId
from lineage.store.base import GraphStore


class Status(StrEnum):
    FRESH = "FRESH"
    UNKNOWN = "UNKNOWN"
    STALE = "STALE"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Status.FRESH: 0, Status.UNKNOWN: 1, Status.STALE: 2}


@dataclass(frozen=True)
class NodeStaleness:
    node: Node
    own: Status
    effective: Status
    age_seconds: float | None
    bound_seconds: float | None
    cause: NodeId | None
    """The nearest upstream node whose own status is the effective one (``None`` when the
    node's own status is its effective one)."""
    cause_path: tuple[NodeId, ...]
    """From the cause (first) to the node (last)."""
    training: Status | None = None
    """The worst effective status of the node's training inputs (``None``: it has none)."""
    training_cause: NodeId | None = None
    """Where that status comes from: the input's own cause, else the input itself."""


@dataclass(frozen=True)
class StalenessReport:
    at: datetime
    nodes: tuple[NodeStaleness, ...]

    def counts(self) -> dict[str, int]:
        found = {status.value: 0 for status in Status}
        for entry in self.nodes:
            found[entry.effective.value] += 1
        return found


NO_DEFAULTS: Mapping[Kind, float] = {}


def staleness(
    store: GraphStore, *, at: datetime | None = None, defaults: Mapping[Kind, float] = NO_DEFAULTS
) -> StalenessReport:
    """Every node's own and effective status at ``at`` (now by default); ``defaults``: the
    bound in seconds of a node of that kind that states none."""
    moment = at or datetime.now(UTC)
    snapshot = store.snapshot()
    return rollup(snapshot.nodes, snapshot.edges, moment, defaults=defaults)


def rollup(
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    at: datetime,
    *,
    defaults: Mapping[Kind, float] = NO_DEFAULTS,
) -> StalenessReport:
    """:func:`staleness` over given nodes and edges."""
    by_id = {node.id: node for node in nodes}
    flows = flow_edges(by_id.values(), edges)
    downstream: dict[NodeId, list[NodeId]] = {node_id: [] for node_id in by_id}
    for edge in flows.serving:
        downstream[edge.source].append(edge.target)
    for targets in downstream.values():
        targets.sort()
    own = {node_id: _own(node, at, defaults) for node_id, node in by_id.items()}
    effective = {node_id: status for node_id, (status, _, _) in own.items()}
    parent: dict[NodeId, NodeId] = {}
    cause: dict[NodeId, NodeId] = {}
    for worse in (Status.STALE, Status.UNKNOWN):
        sources = sorted(n for n, (status, _, _) in own.items() if status is worse)
        _spread(worse, sources, downstream, effective, parent, cause)
    training = _training(flows.training, effective, cause)
    entries = []
    for node_id in sorted(by_id):
        status, age, bound = own[node_id]
        origin = cause.get(node_id)
        learned, learned_from = training.get(node_id, (None, None))
        entries.append(
            NodeStaleness(
                node=by_id[node_id],
                own=status,
                effective=effective[node_id],
                age_seconds=age,
                bound_seconds=bound,
                cause=origin,
                cause_path=_path(node_id, parent) if origin else (),
                training=learned,
                training_cause=learned_from,
            )
        )
    return StalenessReport(at, tuple(entries))


def _training(
    edges: Iterable[Edge], effective: Mapping[NodeId, Status], cause: Mapping[NodeId, NodeId]
) -> dict[NodeId, tuple[Status, NodeId]]:
    """Each trained node's worst training input, and where that input's status comes from."""
    found: dict[NodeId, tuple[Status, NodeId]] = {}
    for edge in sorted(edges, key=lambda e: (e.target, e.source)):
        status = effective[edge.source]
        known = found.get(edge.target)
        if known is None or status.rank > known[0].rank:
            found[edge.target] = (status, cause.get(edge.source, edge.source))
    return found


def _own(
    node: Node, at: datetime, defaults: Mapping[Kind, float]
) -> tuple[Status, float | None, float | None]:
    bound = bound_seconds(node, defaults)
    observed = node.last_updated
    age = None
    if observed is not None:
        moment = observed if observed.tzinfo else observed.replace(tzinfo=UTC)
        age = max(0.0, (at - moment).total_seconds())
    if bound is None or age is None:
        return Status.UNKNOWN, age, bound
    return (Status.STALE if age > bound else Status.FRESH), age, bound


def _spread(
    worse: Status,
    sources: list[NodeId],
    downstream: dict[NodeId, list[NodeId]],
    effective: dict[NodeId, Status],
    parent: dict[NodeId, NodeId],
    cause: dict[NodeId, NodeId],
) -> None:
    """One breadth-first search from every node whose own status is ``worse``: each node it
    reaches that is better gets that status, the nearest such source as its cause."""
    seen = set(sources)
    queue = deque(sources)
    root = {source: source for source in sources}
    while queue:
        current = queue.popleft()
        for nxt in downstream[current]:
            if nxt in seen:
                continue
            seen.add(nxt)
            root[nxt] = root[current]
            queue.append(nxt)
            if effective[nxt].rank < worse.rank:
                effective[nxt] = worse
                parent[nxt] = current
                cause[nxt] = root[current]


def _path(node_id: NodeId, parent: dict[NodeId, NodeId]) -> tuple[NodeId, ...]:
    path = [node_id]
    while path[-1] in parent:
        path.append(parent[path[-1]])
    return tuple(reversed(path))
