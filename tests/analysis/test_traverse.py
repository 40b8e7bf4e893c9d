"""Upstream and downstream lineage: bounded BFS, kind filter, minimum distances, witness paths."""

from __future__ import annotations

import itertools
import time

import pytest
from support.graphs import batch, edge, ids, load, nid, node

from lineage.analysis.traverse import downstream, lineage, upstream
from lineage.bounds import Bound, Truncation
from lineage.errors import AmbiguousNode, NodeNotFound
from lineage.model import Direction, EdgeType, Kind, NodeId
from lineage.store.base import GraphStore

DOWN, UP = Direction.DOWNSTREAM, Direction.UPSTREAM


def distances(result) -> dict[NodeId, int]:  # type: ignore[no-untyped-def]
    return {r.node.id: r.distance for r in result.nodes}


def assert_witness_paths(store: GraphStore, result) -> None:  # type: ignore[no-untyped-def]
    """Each path runs from the root to its node along real edges, one edge per hop."""
    edges = {(e.source, e.target) for e in store.snapshot().edges if e.type is EdgeType.FEEDS}
    for reached in result.nodes:
        path = reached.path
        assert (path[0], path[-1]) == (result.root.id, reached.node.id)
        assert len(path) == reached.distance + 1
        for near, far in itertools.pairwise(path):
            step = (near, far) if reached.direction is DOWN else (far, near)
            assert step in edges, f"{reached.node.id}: {near} -> {far} is not an edge"


# -- distances and paths --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "root", "direction", "expected"),
    [
        (["a -> b -> c -> d"], "a", DOWN, {"b": 1, "c": 2, "d": 3}),
        (["a -> b -> c -> d"], "d", UP, {"c": 1, "b": 2, "a": 3}),
        (["a -> b -> c -> d"], "b", DOWN, {"c": 1, "d": 2}),
        (["a -> b -> c -> d", "a -> d"], "a", DOWN, {"b": 1, "c": 2, "d": 1}),  # shortcut
        (["a -> b -> d", "a -> c -> d", "d -> e"], "a", DOWN, {"b": 1, "c": 1, "d": 2, "e": 3}),
        (["x -> a -> b", "y -> b"], "b", UP, {"a": 1, "y": 1, "x": 2}),
        (["a -> b -> c -> a"], "a", DOWN, {"b": 1, "c": 2}),  # a cycle back to the root
        (["a -> b -> c -> b"], "a", DOWN, {"b": 1, "c": 2}),  # a cycle below the root
        (["a -> a -> b"], "a", DOWN, {"b": 1}),  # a self-loop
        (["a -> b"], "b", DOWN, {}),
    ],
)
def test_minimum_hop_distances(
    store: GraphStore, graph: list[str], root: str, direction: Direction, expected: dict
) -> None:
    load(store, *graph)
    result = lineage(store, root, direction=direction)
    assert distances(result) == {nid(k): v for k, v in expected.items()}
    assert (result.truncated, result.truncations) == (False, ())
    assert nid(root) not in distances(result)
    assert_witness_paths(store, result)


def test_paths_run_from_the_root_upstream_too(store: GraphStore) -> None:
    load(store, "a -> b -> c")
    assert [r.path for r in upstream(store, "c").nodes] == [
        (nid("c"), nid("b")),
        (nid("c"), nid("b"), nid("a")),
    ]


def test_witness_is_one_of_the_shortest_paths(store: GraphStore) -> None:
    load(store, "a -> b -> d", "a -> c -> d", "a -> e -> f -> d")
    (reached,) = [r for r in downstream(store, "a").nodes if r.node.id == nid("d")]
    assert reached.path in {(nid("a"), nid("b"), nid("d")), (nid("a"), nid("c"), nid("d"))}
    assert [e.key for e in reached.path_edges] == [
        edge(*pair).key for pair in zip(reached.path, reached.path[1:], strict=False)
    ]


def test_nodes_come_nearest_first_then_by_id(store: GraphStore) -> None:
    load(store, "r -> z -> y", "r -> b", "r -> a -> c")
    assert [r.node.id for r in downstream(store, "r").nodes] == [
        nid(x) for x in ("a", "b", "z", "c", "y")
    ]


def test_result_edges_are_the_witness_edges(store: GraphStore) -> None:
    load(store, "a -> b -> c", "a -> c", "x -> a")
    result = downstream(store, "a")
    assert {(e.source, e.target) for e in result.edges} == {
        (nid("a"), nid("b")),
        (nid("a"), nid("c")),
    }


def test_only_data_flow_is_followed_by_default(store: GraphStore) -> None:
    load(
        store,
        "a -> b",
        edge("b", "c", type=EdgeType.TRIGGERS),
        edge("a", "schema:s", type=EdgeType.HAS_SCHEMA),
    )
    assert set(distances(downstream(store, "a"))) == ids("b")
    with_triggers = lineage(
        store,
        "a",
        direction=DOWN,
        edge_types=frozenset({EdgeType.FEEDS, EdgeType.TRIGGERS}),
    )
    assert set(distances(with_triggers)) == ids("b", "c")


def test_both_directions_merge_at_the_nearest_distance(store: GraphStore) -> None:
    load(store, "u2 -> u1 -> r -> d1 -> d2")
    result = lineage(store, "r", direction=Direction.BOTH)
    assert distances(result) == {nid("u1"): 1, nid("d1"): 1, nid("u2"): 2, nid("d2"): 2}


def test_both_directions_count_a_node_reached_both_ways_once(store: GraphStore) -> None:
    load(store, "r -> a -> b -> r")  # a and b are both upstream and downstream of r
    result = lineage(store, "r", direction=Direction.BOTH)
    assert set(distances(result)) == ids("a", "b")
    assert result.total_count == 2


# -- bounds ---------------------------------------------------------------------------------


def test_max_hops_cuts_and_says_so(store: GraphStore) -> None:
    load(store, "a -> b -> c -> d -> e")
    result = downstream(store, "a", max_hops=2)
    assert set(distances(result)) == ids("b", "c")
    assert result.truncations == (Truncation(Bound.MAX_HOPS, 2, Direction.DOWNSTREAM, nid("a")),)


def test_max_hops_reaching_the_end_is_not_a_cut(store: GraphStore) -> None:
    load(store, "a -> b -> c")
    result = downstream(store, "a", max_hops=2)
    assert (set(distances(result)), result.truncations) == (ids("b", "c"), ())


def test_a_cycle_closing_at_the_hop_bound_is_not_a_cut(store: GraphStore) -> None:
    load(store, "a -> b -> c -> a")
    result = downstream(store, "a", max_hops=2)
    assert (set(distances(result)), result.truncated) == (ids("b", "c"), False)


def test_max_nodes_keeps_the_nearest_and_says_so(store: GraphStore) -> None:
    load(store, "r -> a1 -> far", "r -> a2", "r -> a3", "r -> a4")
    result = downstream(store, "r", max_nodes=3)
    assert set(distances(result)) == ids("a1", "a2", "a3")
    assert result.truncations == (Truncation(Bound.MAX_NODES, 3, Direction.DOWNSTREAM, nid("r")),)


def test_exactly_max_nodes_is_not_a_cut(store: GraphStore) -> None:
    load(store, "r -> a -> b -> c")
    result = downstream(store, "r", max_nodes=3)
    assert (len(result.nodes), result.truncated) == (3, False)


@pytest.mark.parametrize(("max_hops", "max_nodes"), [(0, 10), (10, 0), (-1, 10)])
def test_bounds_must_be_positive(store: GraphStore, max_hops: int, max_nodes: int) -> None:
    load(store, "a -> b")
    with pytest.raises(ValueError):
        downstream(store, "a", max_hops=max_hops, max_nodes=max_nodes)


# -- kind filter ----------------------------------------------------------------------------


@pytest.fixture
def platform(store: GraphStore) -> GraphStore:
    return load(
        store,
        "source:s -> topic:t -> job:j -> model:m",
        "job:j -> dataset:d -> model:n",
        "job:j -> feature:f",
    )


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ([Kind.MODEL], {"model:m": 3, "model:n": 4}),
        ([Kind.JOB, Kind.FEATURE], {"job:j": 2, "feature:f": 3}),
        ([Kind.SCHEMA], {}),
    ],
)
def test_kind_filter_reports_matches_and_walks_through_the_rest(
    platform: GraphStore, kinds: list[Kind], expected: dict
) -> None:
    result = downstream(platform, "source:s", kinds=kinds)
    assert distances(result) == {nid(k): v for k, v in expected.items()}
    assert_witness_paths(platform, result)
    assert not result.truncated


def test_kind_filter_counts_only_matches_against_max_nodes(store: GraphStore) -> None:
    load(store, *(f"source:s -> job:j{i} -> model:m" for i in range(6)))
    result = downstream(store, "source:s", kinds=[Kind.MODEL], max_nodes=1)
    assert (set(distances(result)), result.truncated) == ({nid("model:m")}, False)


def test_kind_filter_cut_by_max_nodes_says_so(store: GraphStore) -> None:
    load(store, "source:s -> job:j", *(f"job:j -> model:m{i}" for i in range(4)))
    result = downstream(store, "source:s", kinds=[Kind.MODEL], max_nodes=2)
    assert set(distances(result)) == {nid("model:m0"), nid("model:m1")}
    assert result.truncations == (
        Truncation(Bound.MAX_NODES, 2, Direction.DOWNSTREAM, nid("source:s")),
    )
    assert result.total_count >= 4


# -- naming the root ------------------------------------------------------------------------


@pytest.fixture
def named(store: GraphStore) -> GraphStore:
    store.apply(
        batch(
            "topic:views.raw -> job:dedup",
            nodes=[
                node("topic:views.raw", "Viewing events", aliases=("VIEWS",)),
                node("job:dedup", "Dedup"),
                node("model:a", "Twin"),
                node("model:b", "Twin"),
            ],
        )
    )
    return store


@pytest.mark.parametrize(
    "ref", ["topic:views.raw", "VIEWS", "views", "Viewing events", "kafka://views.raw", " VIEWS "]
)
def test_root_by_id_alias_name_or_uri(named: GraphStore, ref: str) -> None:
    result = downstream(named, ref)
    assert result.root.id == nid("topic:views.raw")
    assert set(distances(result)) == {nid("job:dedup")}


def test_unknown_root_is_not_found(named: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        downstream(named, "nothing-like-it")


def test_ambiguous_root_lists_the_candidates(named: GraphStore) -> None:
    with pytest.raises(AmbiguousNode) as caught:
        downstream(named, "twin")
    assert caught.value.candidates == ["model:a", "model:b"]


# -- cost -----------------------------------------------------------------------------------


def test_dense_layers_cost_their_nodes_not_their_paths(store: GraphStore) -> None:
    """15 fully connected layers of 8 nodes: 8**14 paths, 113 nodes."""
    layers = [[f"l{depth}n{i}" for i in range(8)] for depth in range(15)]
    edges = [
        edge(a, b) for upper, lower in itertools.pairwise(layers) for a in upper for b in lower
    ]
    load(store, edges, edge("root", layers[0][0]))
    started = time.perf_counter()
    result = downstream(store, "root", max_hops=20)
    assert time.perf_counter() - started < 5
    assert distances(result) == {
        nid(name): depth + 1
        for depth, layer in enumerate(layers)
        for name in (layer if depth else layer[:1])
    }
    assert not result.truncated


def test_a_long_ring_terminates_with_every_node_once(store: GraphStore) -> None:
    ring = [f"n{i:04d}" for i in range(300)]
    load(store, " -> ".join([*ring, ring[0]]))
    result = downstream(store, ring[0], max_hops=1000, max_nodes=1000)
    assert [r.node.id for r in result.nodes] == [nid(n) for n in ring[1:]]
    assert [r.distance for r in result.nodes] == list(range(1, 300))
    assert not result.truncated


def test_both_ways_lists_each_path_edge_once(store: GraphStore) -> None:
    """On a cycle through the root, an edge can lie on a downstream and an upstream path."""
    load(store, "r -> x -> y -> r")
    result = lineage(store, "r", direction=Direction.BOTH)
    keys = [edge.key for edge in result.edges]
    assert len(keys) == len(set(keys))
    assert set(keys) == {edge.key for r in result.nodes for edge in r.path_edges}


def test_edges_are_those_of_the_returned_paths_when_the_node_bound_cuts(store: GraphStore) -> None:
    load(store, "u2 -> u1 -> r -> d1 -> d2")
    result = lineage(store, "r", direction=Direction.BOTH, max_nodes=2)
    assert len(result.nodes) == 2
    assert {edge.key for edge in result.edges} == {
        edge.key for reached in result.nodes for edge in reached.path_edges
    }
