"""Freshness conflicts: where the architecture cannot meet a stated freshness at all.

Each serving hop ``u -> v`` (``serving.py``) has a **cadence**: the quickest it passes a change
on, the slower of what the edge states and what ``u`` states when ``u`` processes or holds
derived data: a job, dataset, feature or topic with serving inputs of its own (a "daily"
table renews once a day, "seconds" may renew every second; ``fastest_seconds``). Where data
enters (a source, or any node without serving inputs) its freshness says how often the world
it records changes, and a model's says what it requires: neither delays what flows out.
What a path can deliver is bounded by its slowest hop, so the best freshness a node can have,
its **achievable bound**, is the slowest cadence of any serving hop upstream of it.

A **consumer** (a model, feature or dataset: the kinds whose freshness is a requirement; a
job's is its schedule) whose bound (``serving.bound_seconds``) is tighter than what it can
achieve is in conflict, and the slowest hop is the **offending edge**: a batch hop with a
daily cadence on a serving path of a seconds-freshness model.

Linear in nodes plus edges: every node of a strongly connected component has the same
upstream, so the achievable bound is computed once per component, in topological order of
the condensation; the path from the offending edge is kept as one parent per node.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from lineage.analysis.serving import bound_seconds, flow_edges
from lineage.freshness import fastest_seconds
from lineage.model import Edge, Freshness, Kind, Node, NodeId
from lineage.store.base import GraphStore

CONSUMERS = frozenset({Kind.MODEL, Kind.FEATURE, Kind.DATASET})
"""The kinds whose stated freshness is a requirement a path must meet."""
DELAYING = frozenset({Kind.JOB, Kind.DATASET, Kind.FEATURE, Kind.TOPIC})
"""The kinds whose stated freshness delays what flows out of them."""


@dataclass(frozen=True)
class FreshnessConflict:
    node: Node
    required_seconds: float
    achievable_seconds: float
    """The slowest cadence upstream on serving paths: the best freshness the node can have."""
    edge: Edge
    """The offending edge: the slowest serving hop upstream."""
    path: tuple[NodeId, ...]
    """From the offending edge's source (first) to the node (last), along serving edges."""


def freshness_conflicts(
    store: GraphStore, *, defaults: Mapping[Kind, float] | None = None
) -> tuple[FreshnessConflict, ...]:
    """Every node whose freshness its upstream cannot deliver, ordered by id."""
    snapshot = store.snapshot()
    return find_conflicts(snapshot.nodes, snapshot.edges, defaults=defaults or {})


def find_conflicts(
    nodes: Iterable[Node], edges: Iterable[Edge], *, defaults: Mapping[Kind, float]
) -> tuple[FreshnessConflict, ...]:
    """:func:`freshness_conflicts` over given nodes and edges."""
    by_id = {node.id: node for node in nodes}
    ids = sorted(by_id)
    position = {node_id: i for i, node_id in enumerate(ids)}
    hops = sorted(flow_edges(by_id.values(), edges).serving, key=lambda e: (e.source, e.target))
    derived = {hop.target for hop in hops}
    cadence = [_cadence(hop, by_id[hop.source], hop.source in derived, defaults) for hop in hops]
    graph = _Condensation(len(ids), [(position[h.source], position[h.target]) for h in hops])
    slowest = graph.slowest_upstream(cadence)
    parent = graph.parents(slowest)
    found = []
    for i, node_id in enumerate(ids):
        if by_id[node_id].kind not in CONSUMERS:
            continue
        required = bound_seconds(by_id[node_id], defaults)
        hop = slowest[graph.component[i]]
        if required is None or hop is None or cadence[hop] <= required:
            continue
        path = _path(i, hops[hop], position, parent)
        found.append(
            FreshnessConflict(
                node=by_id[node_id],
                required_seconds=required,
                achievable_seconds=cadence[hop],
                edge=hops[hop],
                path=tuple(ids[p] for p in path),
            )
        )
    return tuple(found)


def _cadence(hop: Edge, source: Node, derived: bool, defaults: Mapping[Kind, float]) -> float:
    """The quickest a hop passes a change on: the slower of the edge's word and its source's,
    when its source holds derived data of a kind that delays what flows out of it."""
    stated = [_fastest(hop.freshness)]
    if derived and source.kind in DELAYING:
        own = _fastest(source.freshness)
        stated.append(own if own is not None else defaults.get(source.kind))
    return max((seconds for seconds in stated if seconds is not None), default=0.0)


def _fastest(freshness: Freshness | None) -> float | None:
    return fastest_seconds(freshness.text) if freshness else None


class _Condensation:
    """The serving graph on positions ``0..n-1``, condensed into its strongly connected
    components (every member of one has the same upstream)."""

    def __init__(self, count: int, hops: Sequence[tuple[int, int]]) -> None:
        # imported here: scipy.sparse.csgraph takes 0.2 s to import, and every CLI command
        # imports this module through lineage.service
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import connected_components

        self.hops = hops
        sources = np.array([s for s, _ in hops], dtype=np.int64)
        targets = np.array([t for _, t in hops], dtype=np.int64)
        matrix = csr_array(
            (np.ones(len(hops), dtype=np.int8), (sources, targets)), shape=(count, count)
        )
        components, labels = connected_components(matrix, directed=True, connection="strong")
        self.count = int(components)
        self.component: list[int] = labels.tolist()
        self.onward: list[list[int]] = [[] for _ in range(self.count)]
        """Each component's hops into other components, by index."""
        self.inside: list[list[int]] = [[] for _ in range(count)]
        """Each node's hops to another member of its component, by index."""
        for index, (source, target) in enumerate(hops):
            a, b = self.component[source], self.component[target]
            (self.inside[source] if a == b else self.onward[a]).append(index)
        self.via: list[int | None] = [None] * self.count
        """The hop a component's slowest upstream hop came in by (``None``: that hop ends in
        the component itself)."""

    def slowest_upstream(self, cadence: Sequence[float]) -> list[int | None]:
        """For each component, the index of the slowest hop into it, inside it or anywhere
        upstream of it; ``None``: no hop at all. Among equally slow hops the nearest wins (a
        hop ending in the component over one further up, then the lowest index), so the
        offending edge reported is the one closest to the consumer."""
        best: list[int | None] = [None] * self.count
        for index, (_, target) in enumerate(self.hops):
            b = self.component[target]
            best[b] = _slower(best[b], index, cadence)
        for current in self._topological_order():
            found = best[current]
            if found is None:
                continue
            for hop in self.onward[current]:
                b = self.component[self.hops[hop][1]]
                if best[b] is None or cadence[found] > cadence[best[b]]:
                    best[b], self.via[b] = found, hop
        return best

    def parents(self, slowest: Sequence[int | None]) -> dict[int, int]:
        """One parent per node, leading back along serving hops to its component's slowest
        upstream hop: a breadth-first search inside each component from where that hop's
        path enters it."""
        parent: dict[int, int] = {}
        members: dict[int, list[int]] = {}
        for node, component in enumerate(self.component):
            members.setdefault(component, []).append(node)
        for component, hop in enumerate(slowest):
            if hop is None:
                continue
            entering = self.via[component]
            source, entry = self.hops[hop if entering is None else entering]
            parent[entry] = source
            self._spread(entry, parent)
        return parent

    def _spread(self, entry: int, parent: dict[int, int]) -> None:
        seen, queue = {entry}, deque([entry])
        while queue:
            current = queue.popleft()
            for hop in self.inside[current]:
                nxt = self.hops[hop][1]
                if nxt not in seen:
                    seen.add(nxt)
                    parent[nxt] = current
                    queue.append(nxt)

    def _topological_order(self) -> list[int]:
        """The components, each after every component upstream of it (Kahn's algorithm)."""
        waiting = [0] * self.count
        for hops in self.onward:
            for hop in hops:
                waiting[self.component[self.hops[hop][1]]] += 1
        ready = deque(c for c in range(self.count) if waiting[c] == 0)
        found = []
        while ready:
            current = ready.popleft()
            found.append(current)
            for hop in self.onward[current]:
                nxt = self.component[self.hops[hop][1]]
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    ready.append(nxt)
        return found


def _slower(best: int | None, candidate: int, cadence: Sequence[float]) -> int:
    """The slower of two hops; the lower index when they are as slow."""
    if best is None:
        return candidate
    if cadence[candidate] > cadence[best] or (
        cadence[candidate] == cadence[best] and candidate < best
    ):
        return candidate
    return best


def _path(
    node: int, hop: Edge, position: Mapping[NodeId, int], parent: Mapping[int, int]
) -> list[int]:
    """From the offending hop's source to ``node``, following the parents back."""
    entry, path = position[hop.target], [node]
    while path[-1] != entry:
        path.append(parent[path[-1]])
    path.append(position[hop.source])
    return path[::-1]
