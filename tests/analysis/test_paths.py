"""``k_shortest_paths``: shortest first, bounded by k and length, on a bounded subgraph only.

Runs on both stores (the ``store`` fixture).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from support.graphs import cycle, load, nid

from lineage.analysis.paths import k_shortest_paths
from lineage.bounds import Bound, Truncation
from lineage.errors import InputError, NodeNotFound
from lineage.model import Direction, Edge, EdgeType, NodeId
from lineage.store.base import GraphStore

DIAMOND = ["s -> a -> t", "s -> b -> t", "s -> c -> d -> t", "s -> t"]


def path(*refs: str) -> tuple[NodeId, ...]:
    return tuple(nid(ref) for ref in refs)


@pytest.mark.parametrize(
    ("edges", "k", "max_length", "expected", "truncated"),
    [
        pytest.param(DIAMOND, 1, 10, [path("s", "t")], True, id="k1-cut"),
        pytest.param(
            DIAMOND,
            3,
            10,
            [path("s", "t"), path("s", "a", "t"), path("s", "b", "t")],
            True,
            id="k3-ties-by-id",
        ),
        pytest.param(
            DIAMOND,
            10,
            10,
            [path("s", "t"), path("s", "a", "t"), path("s", "b", "t"), path("s", "c", "d", "t")],
            False,
            id="all",
        ),
        pytest.param(
            DIAMOND,
            10,
            2,
            [path("s", "t"), path("s", "a", "t"), path("s", "b", "t")],
            False,
            id="max-length-excludes-longer",
        ),
        pytest.param(["s -> a -> b -> t"], 3, 2, [], False, id="too-far"),
        pytest.param(["s -> a", "t -> a"], 3, 10, [], False, id="unreachable"),
        pytest.param(
            [cycle("s", "a", "b"), "b -> t"],
            5,
            10,
            [path("s", "a", "b", "t")],
            False,
            id="cycles-are-not-walked-twice",
        ),
    ],
)
def test_k_shortest_paths(
    store: GraphStore,
    edges: list[Any],
    k: int,
    max_length: int,
    expected: list[tuple[NodeId, ...]],
    truncated: bool,
) -> None:
    load(store, *edges)
    search = k_shortest_paths(store, "dataset:s", "dataset:t", k=k, max_length=max_length)
    assert [p.nodes for p in search.paths] == expected
    assert search.truncated is truncated
    assert {n for p in search.paths for n in p.nodes} <= search.nodes.keys()


def test_edges_follow_the_nodes(store: GraphStore) -> None:
    load(store, "s -> a -> t")
    (found,) = k_shortest_paths(store, "dataset:s", "dataset:t").paths
    assert [(e.source, e.target) for e in found.edges] == [
        (nid("s"), nid("a")),
        (nid("a"), nid("t")),
    ]
    assert found.length == 2


def test_only_data_flow_by_default(store: GraphStore) -> None:
    from support.graphs import edge

    load(store, "s -> a", edge("a", "t", type=EdgeType.TRIGGERS))
    assert k_shortest_paths(store, "dataset:s", "dataset:t").paths == ()
    flow = frozenset({EdgeType.FEEDS, EdgeType.TRIGGERS})
    assert len(k_shortest_paths(store, "dataset:s", "dataset:t", edge_types=flow).paths) == 1


class EdgeWatcher:
    """A real store that records which node sets ``edges_among`` was asked about."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.asked: list[frozenset[NodeId]] = []

    def edges_among(self, ids: Iterable[NodeId], *, types: frozenset[EdgeType]) -> list[Edge]:
        wanted = frozenset(ids)
        self.asked.append(wanted)
        return self._store.edges_among(wanted, types=types)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_searches_only_the_bounded_subgraph(store: GraphStore) -> None:
    fan_out = [f"s -> x{i} -> y{i}" for i in range(30)]  # downstream of s, not towards t
    fan_in = [f"z{i} -> t" for i in range(30)]  # upstream of t, not from s
    load(store, "s -> a -> t", "s -> b -> c -> t", *fan_out, *fan_in, "t -> after")
    watched = EdgeWatcher(store)
    search = k_shortest_paths(watched, "dataset:s", "dataset:t")  # type: ignore[arg-type]
    assert [p.nodes for p in search.paths] == [path("s", "a", "t"), path("s", "b", "c", "t")]
    assert watched.asked == [frozenset(path("s", "a", "b", "c", "t"))]


def test_node_bound_is_reported(store: GraphStore) -> None:
    load(store, "s -> a -> t", *(f"s -> x{i}" for i in range(10)))
    search = k_shortest_paths(store, "dataset:s", "dataset:t", max_nodes=3)
    assert search.truncations == (
        Truncation(Bound.MAX_NODES, 3, Direction.DOWNSTREAM, nid("dataset:s")),
    )


def test_same_node_and_unknown_nodes(store: GraphStore) -> None:
    load(store, "s -> t")
    with pytest.raises(InputError):
        k_shortest_paths(store, "dataset:s", "s")
    with pytest.raises(NodeNotFound):
        k_shortest_paths(store, "dataset:s", "nowhere")
    with pytest.raises(ValueError):
        k_shortest_paths(store, "dataset:s", "dataset:t", k=0)
