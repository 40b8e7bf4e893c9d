"""Feedback loops: strongly connected components of the data flow, their cycles and kinds."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest
from support.graphs import batch, cycle, edge, ids, load, nid, node

from lineage.analysis.loops import FeedbackLoop, LoopKind, feedback_loops
from lineage.model import EdgeType, Mode, NodeId
from lineage.store.base import GraphStore


def loops_of(store: GraphStore, **options) -> list[FeedbackLoop]:  # type: ignore[no-untyped-def]
    return feedback_loops(store, **options)


def normalized(cycle_ids: tuple[NodeId, ...]) -> tuple[NodeId, ...]:
    """A cycle rotated to start at its smallest id, to compare cycles as sets."""
    start = cycle_ids.index(min(cycle_ids))
    return cycle_ids[start:] + cycle_ids[:start]


def cycles(*chains: str) -> frozenset[tuple[NodeId, ...]]:
    return frozenset(normalized(tuple(nid(p.strip()) for p in c.split("->"))) for c in chains)


# -- which loops are found ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (["a -> b -> c"], set()),
        (["a -> b -> c", "a -> c"], set()),  # a diamond is not a loop
        (["a -> b -> a"], {("a", "b")}),
        (["a -> b -> c -> a", "c -> d"], {("a", "b", "c")}),
        (["a -> a", "a -> b"], {("a",)}),
        (["a -> b -> a", "c -> d -> c", "b -> c"], {("a", "b"), ("c", "d")}),
        (["a -> b -> a", "b -> c -> b"], {("a", "b", "c")}),  # loops sharing a node are one
        (["a -> b -> c -> a", "a -> a"], {("a", "b", "c")}),  # a self-loop inside a component
    ],
)
def test_every_strongly_connected_component_is_one_loop(
    store: GraphStore, graph: list[str], expected: set[tuple[str, ...]]
) -> None:
    load(store, *graph)
    found = {frozenset(loop.nodes) for loop in loops_of(store)}
    assert found == {frozenset(nid(n) for n in members) for members in expected}


def test_only_data_flow_makes_loops(store: GraphStore) -> None:
    load(
        store,
        "a -> b",
        edge("b", "a", type=EdgeType.TRIGGERS),
        edge("c", "c", type=EdgeType.TRIGGERS),
    )
    assert loops_of(store) == []


# -- cycles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (["a -> b -> c -> a"], ["a -> b -> c"]),
        (["a -> b -> a", "b -> c -> b"], ["a -> b", "b -> c"]),
        (["a -> b -> c -> a", "a -> c"], ["a -> b -> c", "a -> c"]),
        (["a -> b -> c -> a", "b -> a"], ["a -> b -> c", "a -> b"]),
        (["a -> b -> a", "a -> a"], ["a -> b", "a"]),
        (["a -> a"], ["a"]),
    ],
)
def test_elementary_cycles_of_a_loop(
    store: GraphStore, graph: list[str], expected: list[str]
) -> None:
    load(store, *graph)
    (loop,) = loops_of(store)
    assert frozenset(normalized(c) for c in loop.cycles) == cycles(*expected)
    assert not loop.truncated


def test_cycles_are_cut_at_max_cycles_and_say_so(store: GraphStore) -> None:
    """A complete graph on 5 nodes has 84 elementary cycles."""
    names = [f"k{i}" for i in range(5)]
    load(store, [edge(a, b) for a, b in itertools.permutations(names, 2)])
    (loop,) = loops_of(store, max_cycles=5)
    assert (len(loop.cycles), loop.truncated) == (5, True)
    edges = {(nid(a), nid(b)) for a, b in itertools.permutations(names, 2)}
    for found in loop.cycles:
        assert len(set(found)) == len(found)
        assert all(pair in edges for pair in zip(found, (*found[1:], found[0]), strict=True))
    (everything,) = loops_of(store, max_cycles=100)
    assert (len(everything.cycles), everything.truncated) == (84, False)


def test_a_dense_component_lists_only_max_cycles(store: GraphStore) -> None:
    """A complete graph on 30 nodes has more cycles than could ever be listed: the answer
    comes at all only because the enumeration stops after ``max_cycles``."""
    names = [f"k{i:02d}" for i in range(30)]
    load(store, [edge(a, b) for a, b in itertools.permutations(names, 2)])
    (loop,) = loops_of(store, max_cycles=20)
    assert (len(loop.nodes), len(loop.cycles), loop.truncated) == (30, 20, True)


def test_cycles_start_at_a_model(store: GraphStore) -> None:
    load(store, "a -> model:m -> source:z -> a")
    (loop,) = loops_of(store)
    assert loop.cycles == ((nid("model:m"), nid("source:z"), nid("a")),)


# -- kinds, models, sources, modes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "kind"),
    [
        (["model:m -> source:s -> topic:t -> model:m"], LoopKind.ML_FEEDBACK),
        (["model:m -> model:n -> model:m"], LoopKind.ML_FEEDBACK),
        (["dataset:d -> job:j -> dataset:d"], LoopKind.DATA_CYCLE),
        (["job:j -> job:j"], LoopKind.SELF_LOOP),
        (["model:m -> model:m"], LoopKind.SELF_LOOP),
    ],
)
def test_loop_kind(store: GraphStore, graph: list[str], kind: LoopKind) -> None:
    load(store, *graph)
    (loop,) = loops_of(store)
    assert loop.kind is kind


def test_loop_lists_the_models_sources_and_modes_it_crosses(store: GraphStore) -> None:
    store.apply(
        batch(
            cycle("model:recs", "source:implicit", "source:views", "topic:views", "job:flink"),
            edge("model:rank", "source:implicit", mode=Mode.EVENT_DRIVEN),
            edge("job:flink", "model:rank"),
            edge("source:other", "topic:views"),
            nodes=[
                node("source:views", mode=Mode.STREAMING),
                node("job:flink", mode=Mode.STREAMING),
                node("model:recs", mode=Mode.BATCH),
                node("source:other", mode=Mode.HYBRID),  # feeds the loop, is not on it
            ],
        )
    )
    (loop,) = loops_of(store)
    assert loop.kind is LoopKind.ML_FEEDBACK
    assert set(loop.models) == ids("model:recs", "model:rank")
    assert set(loop.sources) == ids("source:implicit", "source:views")
    assert set(loop.modes) == {Mode.STREAMING, Mode.BATCH, Mode.EVENT_DRIVEN}
    assert set(loop.nodes) == ids(
        "model:recs", "model:rank", "source:implicit", "source:views", "topic:views", "job:flink"
    )


def test_ml_feedback_loops_come_first(store: GraphStore) -> None:
    load(store, "a -> a", "d -> e -> d", "model:m -> s -> model:m", "f -> g -> h -> f")
    kinds = [loop.kind for loop in loops_of(store)]
    assert kinds[0] is LoopKind.ML_FEEDBACK
    assert sorted(kinds) == sorted(
        [LoopKind.ML_FEEDBACK, LoopKind.SELF_LOOP, LoopKind.DATA_CYCLE, LoopKind.DATA_CYCLE]
    )


@pytest.mark.parametrize(
    ("scope", "expected"), [("a", {("a", "b")}), ("d", {("d", "e")}), ("x", set())]
)
def test_scope_keeps_the_loop_through_one_node(
    store: GraphStore, scope: str, expected: set[tuple[str, ...]]
) -> None:
    load(store, "a -> b -> a", "d -> e -> d", "x -> a")
    found = {frozenset(loop.nodes) for loop in loops_of(store, scope=nid(scope))}
    assert found == {frozenset(nid(n) for n in members) for members in expected}


_LIST_CYCLES = """
from lineage.analysis.loops import feedback_loops
from lineage.model import Edge, ImportBatch, Kind, Node, NodeId
from lineage.store.embedded import EmbeddedStore

names = [f"job:{letter}" for letter in "abcdefgh"]
nodes = tuple(Node(NodeId(n), Kind.JOB) for n in names)
edges = tuple(Edge(NodeId(a), NodeId(b)) for a in names for b in names if a != b)
store = EmbeddedStore(":memory:")
store.apply(ImportBatch("test", nodes, edges))
print([loop.cycles for loop in feedback_loops(store, max_cycles=5)])
"""


def test_the_cycles_cut_at_max_cycles_are_the_same_in_every_process() -> None:
    """String hashing changes per process; the listed cycles must not."""
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _LIST_CYCLES],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1
