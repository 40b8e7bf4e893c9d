"""Elementary cycles: the same cycles as networkx, each once, lazily, on any size."""

from __future__ import annotations

import itertools

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from lineage.analysis.cycles import elementary_cycles


def rotated(cycle: list[int]) -> tuple[int, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])


@st.composite
def small_graphs(draw: st.DrawFn) -> list[list[int]]:
    """Successor lists of up to 8 nodes, self-loops and 2-cycles included."""
    count = draw(st.integers(min_value=1, max_value=8))
    pairs = draw(st.sets(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))))
    return [sorted(b for a, b in pairs if a == node) for node in range(count)]


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_the_cycles_are_those_networkx_finds_each_once(successors: list[list[int]]) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(successors)))
    graph.add_edges_from((a, b) for a, onward in enumerate(successors) for b in onward)
    ours = [rotated(cycle) for cycle in elementary_cycles(successors)]
    assert len(ours) == len(set(ours))
    assert set(ours) == {rotated(cycle) for cycle in nx.simple_cycles(graph)}


def test_each_cycle_starts_at_its_smallest_node_and_follows_edges() -> None:
    successors = [[1], [2, 0], [0, 1]]
    found = list(elementary_cycles(successors))
    assert found == [[0, 1, 2], [0, 1], [1, 2]]


def test_a_complete_graph_gives_its_first_cycles_without_listing_the_rest() -> None:
    """K30 has more elementary cycles than could ever be listed; the first ten come at once."""
    count = 30
    successors = [[b for b in range(count) if b != a] for a in range(count)]
    first = list(itertools.islice(elementary_cycles(successors), 10))
    assert len(first) == 10
    assert all(cycle[0] == 0 and len(set(cycle)) == len(cycle) for cycle in first)


def test_a_cycle_longer_than_the_interpreter_stack_is_found() -> None:
    count = 5_000
    successors = [[(node + 1) % count] for node in range(count)]
    assert list(elementary_cycles(successors)) == [list(range(count))]
