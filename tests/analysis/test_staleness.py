"""Staleness: own and effective status, causes and paths, checked against a brute-force
upstream walk per node on generated graphs, and on both stores."""

from __future__ import annotations

import itertools
import json
import random
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.analysis.staleness import Status, rollup, staleness
from lineage.model import Edge, Freshness, ImportBatch, Kind, Node, NodeId, Role
from lineage.store.base import GraphStore

AT = datetime(2026, 12, 2, 12, tzinfo=UTC)


def node(i: int, kind: Kind, rng: random.Random) -> Node:
    choice = rng.random()
    freshness = Freshness("hourly", 3600.0) if choice < 0.7 else None
    observed = AT - timedelta(seconds=rng.choice([60, 7200])) if rng.random() < 0.8 else None
    return Node(NodeId(f"{kind.value}:n{i:05d}"), kind, freshness=freshness, last_updated=observed)


def generated(count: int, edges: int, seed: int) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    kinds = [Kind.SOURCE, Kind.JOB, Kind.DATASET, Kind.MODEL]
    nodes = [node(i, kinds[i % 4], rng) for i in range(count)]
    links = []
    for _ in range(edges):
        a, b = rng.randrange(count), rng.randrange(count)  # cycles included
        role = rng.choices([Role.TRAINING, Role.OTHER, Role.SERVING], [1, 3, 6])[0]
        links.append(Edge(nodes[a].id, nodes[b].id, role=role))
    return nodes, links


def serves(edge: Edge) -> bool:
    """Not a training edge: neither marked one, nor an unmarked edge from a job into a model."""
    job_to_model = edge.source.startswith("job:") and edge.target.startswith("model:")
    return edge.role is not Role.TRAINING and not (edge.role is Role.OTHER and job_to_model)


class BruteForce:
    """The worst own status of a node and everything upstream of it, by a walk of its own."""

    def __init__(self, nodes: list[Node], edges: list[Edge]) -> None:
        self.upstream: dict[NodeId, list[NodeId]] = {n.id: [] for n in nodes}
        for edge in edges:
            if serves(edge):
                self.upstream[edge.target].append(edge.source)
        self.own = {e.node.id: e.own for e in rollup(nodes, [], AT).nodes}

    def effective(self, target: NodeId) -> Status:
        seen, queue = {target}, deque([target])
        while queue:
            for parent in self.upstream[queue.popleft()]:
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return max((self.own[n] for n in seen), key=lambda status: status.rank)


@pytest.mark.parametrize("seed", [0, 1])
def test_effective_status_is_the_worst_upstream_on_a_100k_edge_graph(seed: int) -> None:
    nodes, edges = generated(20_000, 100_000, seed)
    report = {entry.node.id: entry for entry in rollup(nodes, edges, AT).nodes}
    walk = BruteForce(nodes, edges)
    sample = random.Random(seed).sample([n.id for n in nodes], 200)
    for node_id in sample:
        entry = report[node_id]
        assert entry.effective is walk.effective(node_id), node_id
        if entry.cause is not None:
            assert report[entry.cause].own is entry.effective
            assert entry.cause_path[0] == entry.cause and entry.cause_path[-1] == node_id


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 12), st.integers(0, 30), st.integers(0, 10**6))
def test_every_cause_path_follows_serving_edges_from_a_worse_node(
    count: int, edge_count: int, seed: int
) -> None:
    nodes, edges = generated(count, edge_count, seed)
    serving = {(e.source, e.target) for e in edges if serves(e)}
    report = {entry.node.id: entry for entry in rollup(nodes, edges, AT).nodes}
    walk = BruteForce(nodes, edges)
    for node_id, entry in report.items():
        assert entry.effective is walk.effective(node_id)
        assert entry.effective.rank >= entry.own.rank
        path = entry.cause_path
        assert all(pair in serving for pair in itertools.pairwise(path))
        if entry.effective is not entry.own:
            assert entry.cause is not None and report[entry.cause].own is entry.effective


def test_own_status_follows_the_bound_and_the_last_observation() -> None:
    hourly = Freshness("hourly", 3600.0)
    fresh = Node(
        NodeId("dataset:a"), Kind.DATASET, freshness=hourly, last_updated=AT - timedelta(minutes=5)
    )
    stale = Node(
        NodeId("dataset:b"), Kind.DATASET, freshness=hourly, last_updated=AT - timedelta(hours=3)
    )
    never = Node(NodeId("dataset:c"), Kind.DATASET, freshness=hourly)
    unbounded = Node(NodeId("dataset:d"), Kind.DATASET, last_updated=AT)
    report = {e.node.id: e for e in rollup([fresh, stale, never, unbounded], [], AT).nodes}
    assert [report[n].own for n in ("dataset:a", "dataset:b", "dataset:c", "dataset:d")] == [
        Status.FRESH, Status.STALE, Status.UNKNOWN, Status.UNKNOWN,
    ]  # fmt: skip
    assert report["dataset:b"].age_seconds == 3 * 3600


def test_a_training_edge_does_not_make_what_a_model_serves_stale(store: GraphStore) -> None:
    hourly = Freshness("hourly", 3600.0)
    old = Node(
        NodeId("dataset:history"),
        Kind.DATASET,
        freshness=hourly,
        last_updated=AT - timedelta(days=2),
    )
    live = Node(NodeId("topic:live"), Kind.TOPIC, freshness=hourly, last_updated=AT)
    model = Node(NodeId("model:m"), Kind.MODEL, freshness=hourly, last_updated=AT)
    edges = (
        Edge(old.id, model.id, role=Role.TRAINING),
        Edge(live.id, model.id, role=Role.SERVING),
    )
    store.apply(ImportBatch("doc", (old, live, model), edges))
    report = {e.node.id: e for e in staleness(store, at=AT).nodes}
    assert report[NodeId("model:m")].effective is Status.FRESH
    store.apply(
        ImportBatch("doc", (old, live, model), (Edge(old.id, model.id, role=Role.SERVING),))
    )
    report = {e.node.id: e for e in staleness(store, at=AT).nodes}
    assert report[NodeId("model:m")].effective is Status.STALE
    assert report[NodeId("model:m")].cause_path == ("dataset:history", "model:m")


def test_an_unmarked_edge_from_a_job_into_a_model_is_training() -> None:
    hourly = Freshness("hourly", 3600.0)
    weekly_job = Node(
        NodeId("job:retrain"), Kind.JOB, freshness=hourly, last_updated=AT - timedelta(days=7)
    )
    features = Node(NodeId("feature:live"), Kind.FEATURE, freshness=hourly, last_updated=AT)
    model = Node(NodeId("model:m"), Kind.MODEL, freshness=hourly, last_updated=AT)
    edges = [Edge(weekly_job.id, model.id), Edge(features.id, model.id)]
    entry = {e.node.id: e for e in rollup([weekly_job, features, model], edges, AT).nodes}[
        "model:m"
    ]
    assert (entry.effective, entry.cause) == (Status.FRESH, None)
    assert (entry.training, entry.training_cause) == (Status.STALE, "job:retrain")


def test_training_status_names_the_root_cause_behind_a_training_input() -> None:
    hourly = Freshness("hourly", 3600.0)
    raw = Node(
        NodeId("source:raw"), Kind.SOURCE, freshness=hourly, last_updated=AT - timedelta(days=1)
    )
    table = Node(NodeId("dataset:t"), Kind.DATASET, freshness=hourly, last_updated=AT)
    model = Node(NodeId("model:m"), Kind.MODEL, freshness=hourly, last_updated=AT)
    edges = [Edge(raw.id, table.id), Edge(table.id, model.id, role=Role.TRAINING)]
    report = {e.node.id: e for e in rollup([raw, table, model], edges, AT).nodes}
    assert report["model:m"].effective is Status.FRESH
    assert (report["model:m"].training, report["model:m"].training_cause) == (
        Status.STALE,
        "source:raw",
    )
    assert report["dataset:t"].training is None


def test_a_kind_default_bounds_a_node_that_states_no_freshness() -> None:
    table = Node(NodeId("dataset:t"), Kind.DATASET, last_updated=AT - timedelta(hours=2))
    job = Node(NodeId("job:j"), Kind.JOB, last_updated=AT - timedelta(hours=2))
    own_bound = Node(
        NodeId("dataset:u"),
        Kind.DATASET,
        freshness=Freshness("daily", 86400.0),
        last_updated=AT - timedelta(hours=2),
    )
    report = {
        e.node.id: e
        for e in rollup([table, job, own_bound], [], AT, defaults={Kind.DATASET: 3600.0}).nodes
    }
    assert (report["dataset:t"].own, report["dataset:t"].bound_seconds) == (Status.STALE, 3600.0)
    assert report["job:j"].own is Status.UNKNOWN
    assert report["dataset:u"].own is Status.FRESH


def test_the_cli_reports_the_documented_json(tmp_path: Path) -> None:
    from support.cli import Cli

    from lineage.config import Backend, StoreSettings

    cli = Cli(StoreSettings(backend=Backend.EMBEDDED, db_path=tmp_path / "lineage.db"))
    spec = tmp_path / "spec.lineage.yaml"
    spec.write_text(
        "version: 1\nnodes:\n"
        "  - {id: dataset:raw, freshness: hourly, last_updated: '2026-12-02T08:00:00Z'}\n"
        "  - {id: model:m, freshness: daily, last_updated: '2026-12-02T11:00:00Z'}\n"
        "edges: [{from: dataset:raw, to: model:m, role: serving}]\n"
    )
    assert cli("import", "yaml", spec).exit_code == 0
    result = cli("staleness", "--json", "--at", "2026-12-02T12:00:00Z", "--kind", "model")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["counts"] == {"FRESH": 0, "UNKNOWN": 0, "STALE": 2}
    (model,) = answer["nodes"]
    assert (model["id"], model["own"], model["effective"]) == ("model:m", "FRESH", "STALE")
    assert model["cause"] == {"id": "dataset:raw", "path": ["dataset:raw", "model:m"]}
    assert (model["age_seconds"], model["bound_seconds"]) == (3600.0, 86400.0)
    assert cli("staleness", "--at", "yesterday").exit_code == 2
