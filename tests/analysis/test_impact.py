"""``impact``: affected nodes by kind, the path to each model, and the freshness on the way.

Runs on both stores (the ``store`` fixture), so each backend's walk gives the same report.
"""

from __future__ import annotations

import pytest
from support.graphs import batch, chain, edge, load, nid, node

from lineage.analysis.impact import impact
from lineage.bounds import Bound, Truncation
from lineage.errors import NodeNotFound
from lineage.model import Direction, EdgeType, Freshness, Kind, Mode
from lineage.store.base import GraphStore

DAY = 86_400.0


def by_kind(store: GraphStore, ref: str, **options: object) -> dict[str, frozenset[str]]:
    report = impact(store, ref, **options)  # type: ignore[arg-type]
    return {kind.value: frozenset(n.id for n in nodes) for kind, nodes in report.by_kind.items()}


@pytest.mark.parametrize(
    ("edges", "root", "expected"),
    [
        pytest.param(
            ["source:s -> topic:t -> job:j -> model:m"],
            "source:s",
            {"topic": {"topic:t"}, "job": {"job:j"}, "model": {"model:m"}},
            id="chain",
        ),
        pytest.param(
            ["source:s -> a -> model:m", "source:s -> b -> model:m"],
            "source:s",
            {"dataset": {"dataset:a", "dataset:b"}, "model": {"model:m"}},
            id="diamond-reports-each-node-once",
        ),
        pytest.param(
            ["model:m -> source:fb -> a -> model:m"],
            "model:m",
            {"source": {"source:fb"}, "dataset": {"dataset:a"}},
            id="feedback-cycle-ends-at-the-root",
        ),
        pytest.param(
            ["a -> b", "c -> d"],
            "dataset:b",
            {},
            id="a-sink-affects-nothing",
        ),
    ],
)
def test_affected_nodes_by_kind(
    store: GraphStore, edges: list[str], root: str, expected: dict[str, set[str]]
) -> None:
    load(store, *edges)
    assert by_kind(store, root) == {k: frozenset(v) for k, v in expected.items()}


def test_groups_follow_kind_order_and_nearest_first(store: GraphStore) -> None:
    load(store, "source:s -> model:near", "source:s -> a -> model:far", "a -> topic:t")
    report = impact(store, "source:s")
    assert list(report.by_kind) == [Kind.TOPIC, Kind.DATASET, Kind.MODEL]
    assert [n.id for n in report.by_kind[Kind.MODEL]] == ["model:near", "model:far"]
    assert [(m.model.id, m.distance) for m in report.models] == [
        ("model:near", 1),
        ("model:far", 2),
    ]


def test_each_model_has_one_shortest_path_with_its_steps(store: GraphStore) -> None:
    load(store, "source:s -> a -> b -> model:m", "source:s -> c -> model:m")
    (affected,) = impact(store, "source:s").models
    assert affected.path == (nid("source:s"), nid("c"), nid("model:m"))
    assert affected.steps[0].via is None
    assert [step.via.target for step in affected.steps[1:] if step.via] == [
        nid("c"),
        nid("model:m"),
    ]


def test_modes_and_freshness_on_the_way(store: GraphStore) -> None:
    nodes = [
        node("source:s", mode=Mode.STREAMING, freshness=Freshness("sub-second", 1.0)),
        node("a", mode=Mode.BATCH, freshness=Freshness("daily", DAY)),
        node("model:m", freshness=Freshness("seconds", 5.0)),
    ]
    edges = [
        edge("source:s", "a", mode=Mode.STREAMING),
        edge("a", "model:m", mode=Mode.BATCH, freshness=Freshness("hourly", 3600.0)),
    ]
    store.apply(batch(edges, nodes=nodes))
    (affected,) = impact(store, "source:s").models
    assert affected.modes == (Mode.STREAMING, Mode.BATCH)
    assert affected.slowest is not None and affected.slowest.node.id == nid("a")
    assert affected.slowest.freshness_seconds == DAY
    assert affected.freshness_conflict


def test_no_conflict_when_the_path_is_fresh_enough_or_unknown(store: GraphStore) -> None:
    nodes = [
        node("source:s", freshness=Freshness("sub-second", 1.0)),
        node("model:fresh", freshness=Freshness("daily", DAY)),
        node("model:unbounded"),
    ]
    store.apply(batch("source:s -> model:fresh", "source:s -> model:unbounded", nodes=nodes))
    assert [m.freshness_conflict for m in impact(store, "source:s").models] == [False, False]


def test_bounds_say_when_they_cut(store: GraphStore) -> None:
    load(store, chain("source:s", "a", "b", "c", "model:m"))
    report = impact(store, "source:s", max_hops=2)
    assert report.truncations == (
        Truncation(Bound.MAX_HOPS, 2, Direction.DOWNSTREAM, nid("source:s")),
    )
    assert report.models == ()
    report = impact(store, "source:s", max_nodes=1)
    assert report.truncated
    assert {t.bound for t in report.truncations} == {Bound.MAX_NODES}
    assert {t.limit for t in report.truncations} == {1}
    assert len(report.affected) == 1


def test_triggers_are_followed_only_when_asked(store: GraphStore) -> None:
    load(store, "job:a -> b", edge("job:a", "job:c", type=EdgeType.TRIGGERS), "job:c -> model:m")
    assert Kind.MODEL not in impact(store, "job:a").by_kind
    assert [m.model.id for m in impact(store, "job:a", include_triggers=True).models] == ["model:m"]


def test_unknown_root(store: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        impact(store, "nothing-by-that-name")
