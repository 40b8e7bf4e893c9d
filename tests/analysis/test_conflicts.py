"""Freshness conflicts: the slowest serving hop upstream against each consumer's requirement,
checked against a brute-force upstream walk per node, on the example platform, and on both
stores."""

from __future__ import annotations

import itertools
import random
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import EXAMPLES

from lineage.analysis.conflicts import CONSUMERS, DELAYING, find_conflicts, freshness_conflicts
from lineage.freshness import parse_freshness
from lineage.model import Edge, Freshness, ImportBatch, Kind, Node, NodeId, Role
from lineage.service import import_files
from lineage.store.base import GraphStore

PHRASES = ["seconds", "5 seconds", "1 minute", "hourly", "daily", "weekly", None]
KINDS = [Kind.SOURCE, Kind.JOB, Kind.DATASET, Kind.FEATURE, Kind.MODEL, Kind.TOPIC]


def _node(node_id: str, freshness: str | None = None) -> Node:
    kind = Kind(node_id.split(":", 1)[0])
    return Node(NodeId(node_id), kind, freshness=parse_freshness(freshness) if freshness else None)


def generated(count: int, edge_count: int, seed: int) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    nodes = [
        _node(f"{KINDS[i % len(KINDS)].value}:n{i:05d}", rng.choice(PHRASES)) for i in range(count)
    ]
    edges, pairs = [], set()
    for _ in range(edge_count):
        a, b = rng.randrange(count), rng.randrange(count)
        if (a, b) in pairs:
            continue  # a store keeps one edge per pair and type
        pairs.add((a, b))
        role = rng.choices([Role.TRAINING, Role.OTHER, Role.SERVING], [1, 3, 6])[0]
        freshness = parse_freshness("daily") if rng.random() < 0.05 else None
        edges.append(Edge(nodes[a].id, nodes[b].id, role=role, freshness=freshness))
    return nodes, edges


class BruteForce:
    """A walk upstream of every node, reading the rule from the module's documentation."""

    FASTEST = {"seconds": 1.0, "5 seconds": 5.0, "1 minute": 60.0, "hourly": 3600.0}

    def __init__(self, nodes: list[Node], edges: list[Edge]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self.serving = [e for e in edges if self._serves(e)]
        self.into: dict[NodeId, list[Edge]] = {n.id: [] for n in nodes}
        for edge in self.serving:
            self.into[edge.target].append(edge)
        self.cadences = {(e.source, e.target, e.role): self.cadence(e) for e in self.serving}

    def _serves(self, edge: Edge) -> bool:
        kinds = (self.nodes[edge.source].kind, self.nodes[edge.target].kind)
        job_to_model = kinds == (Kind.JOB, Kind.MODEL)
        return edge.role is not Role.TRAINING and not (edge.role is Role.OTHER and job_to_model)

    def _fastest(self, freshness: Freshness | None) -> float | None:
        if freshness is None:
            return None
        return self.FASTEST.get(freshness.text, freshness.seconds)

    def cadence(self, edge: Edge) -> float:
        source = self.nodes[edge.source]
        found = [self._fastest(edge.freshness)]
        if source.kind in DELAYING and self.into[source.id]:
            found.append(self._fastest(source.freshness))
        return max((f for f in found if f is not None), default=0.0)

    def achievable(self, target: NodeId) -> float | None:
        seen, queue, slowest = {target}, deque([target]), None
        while queue:
            for edge in self.into[queue.popleft()]:
                slowest = max(self.cadences[edge.source, edge.target, edge.role], slowest or 0.0)
                if edge.source not in seen:
                    seen.add(edge.source)
                    queue.append(edge.source)
        return slowest


def _check(nodes: list[Node], edges: list[Edge], sample: list[NodeId]) -> None:
    conflicts = {c.node.id: c for c in find_conflicts(nodes, edges, defaults={})}
    walk = BruteForce(nodes, edges)
    serving = {(e.source, e.target) for e in walk.serving}
    for node_id in sample:
        node = walk.nodes[node_id]
        achievable = walk.achievable(node_id)
        required = node.freshness_seconds
        expected = (
            node.kind in CONSUMERS
            and required is not None
            and achievable is not None
            and achievable > required
        )
        assert (node_id in conflicts) is expected, node_id
        if expected:
            found = conflicts[node_id]
            assert found.achievable_seconds == achievable == walk.cadence(found.edge)
            assert found.path[:2] == (found.edge.source, found.edge.target)
            assert found.path[-1] == node_id
            assert all(pair in serving for pair in itertools.pairwise(found.path))


@pytest.mark.parametrize("seed", [0, 1])
def test_conflicts_match_a_walk_per_node_on_a_100k_edge_graph(seed: int) -> None:
    nodes, edges = generated(20_000, 100_000, seed)
    _check(nodes, edges, random.Random(seed).sample([n.id for n in nodes], 60))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 14), st.integers(0, 40), st.integers(0, 10**6))
def test_conflicts_match_a_walk_per_node_on_small_graphs(
    count: int, edge_count: int, seed: int
) -> None:
    nodes, edges = generated(count, edge_count, seed)
    _check(nodes, edges, [n.id for n in nodes])


def test_a_daily_batch_hop_on_a_serving_path_of_a_seconds_model_is_the_offending_edge() -> None:
    nodes = [
        _node("source:events", "real-time"),
        _node("job:nightly", "daily"),
        _node("feature:table", "hourly"),
        _node("model:ranker", "5 seconds"),
    ]
    edges = [
        Edge(NodeId("source:events"), NodeId("job:nightly")),
        Edge(NodeId("job:nightly"), NodeId("feature:table")),
        Edge(NodeId("feature:table"), NodeId("model:ranker"), role=Role.SERVING),
    ]
    found = {c.node.id: c for c in find_conflicts(nodes, edges, defaults={})}
    assert set(found) == {"feature:table", "model:ranker"}
    ranker = found[NodeId("model:ranker")]
    assert (ranker.required_seconds, ranker.achievable_seconds) == (5.0, 86400.0)
    assert (ranker.edge.source, ranker.edge.target) == ("job:nightly", "feature:table")
    assert ranker.path == ("job:nightly", "feature:table", "model:ranker")


def test_a_training_path_and_a_slowly_changing_source_are_no_conflict() -> None:
    nodes = [
        _node("source:contracts", "quarterly"),
        _node("job:nightly", "daily"),
        _node("dataset:history", "daily"),
        _node("job:retrain", "weekly"),
        _node("model:ranker", "5 seconds"),
    ]
    edges = [
        Edge(NodeId("source:contracts"), NodeId("job:nightly")),
        Edge(NodeId("job:nightly"), NodeId("dataset:history")),
        Edge(NodeId("dataset:history"), NodeId("model:ranker"), role=Role.TRAINING),
        Edge(NodeId("job:retrain"), NodeId("model:ranker")),
    ]
    assert find_conflicts(nodes, edges, defaults={}) == ()


def test_a_kind_default_is_a_requirement_and_a_cadence() -> None:
    nodes = [_node("source:s"), _node("job:j"), _node("dataset:d")]
    edges = [Edge(NodeId("source:s"), NodeId("job:j")), Edge(NodeId("job:j"), NodeId("dataset:d"))]
    defaults = {Kind.JOB: 86400.0, Kind.DATASET: 3600.0}
    (found,) = find_conflicts(nodes, edges, defaults=defaults)
    assert (found.node.id, found.required_seconds, found.achievable_seconds) == (
        "dataset:d",
        3600.0,
        86400.0,
    )


def test_a_loop_shares_its_slowest_hop_with_every_member() -> None:
    nodes = [
        _node("dataset:a", "hourly"),
        _node("job:b", "daily"),
        _node("feature:c", "1 minute"),
        _node("source:in", "seconds"),
    ]
    edges = [
        Edge(NodeId("source:in"), NodeId("dataset:a")),
        Edge(NodeId("dataset:a"), NodeId("job:b")),
        Edge(NodeId("job:b"), NodeId("feature:c")),
        Edge(NodeId("feature:c"), NodeId("dataset:a")),
    ]
    found = {c.node.id: c for c in find_conflicts(nodes, edges, defaults={})}
    assert set(found) == {"dataset:a", "feature:c"}
    assert found[NodeId("dataset:a")].path == ("job:b", "feature:c", "dataset:a")


def test_the_example_platform_judges_the_models_fed_by_the_daily_offline_store(
    store: GraphStore,
) -> None:
    import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
    import_files(store, "c4", [EXAMPLES / "docs"])
    found = {c.node.id: c for c in freshness_conflicts(store)}
    offline = NodeId("feature:offline-store")
    # Content quality needs daily and reads the daily store on a serving path: met.
    assert NodeId("model:content-quality") not in found
    # Recommendation and search ranking learn from the store (training edges) but serve from
    # the online store; recommendation's 5 s cannot pass the 1-minute windows upstream of it.
    assert NodeId("model:search-ranking") not in found
    recommendation = found[NodeId("model:recommendation")]
    assert (recommendation.required_seconds, recommendation.achievable_seconds) == (5.0, 60.0)
    assert recommendation.edge.source == "job:flink-windowed-aggregation"
    assert offline not in recommendation.path
    # Were content quality to need seconds, the daily store would be the offending hop.
    store.apply(ImportBatch("tighter", (_node("model:content-quality", "5 seconds"),)))
    tighter = {c.node.id: c for c in freshness_conflicts(store)}[NodeId("model:content-quality")]
    assert (tighter.edge.source, tighter.edge.target) == (offline, "model:content-quality")
    assert tighter.achievable_seconds == 86400.0
