"""The scale benchmark's changed batches: 0.5% of the edges dropped and as many added,
scattered over the graph or in one region of it."""

from __future__ import annotations

import pytest
from scale import WINDOW, hub_graph, one_percent_changed

BATCH = hub_graph(2_000)


@pytest.mark.parametrize("clustered", [False, True])
def test_a_changed_batch_drops_half_a_percent_and_adds_as_many(clustered: bool) -> None:
    changed = one_percent_changed(BATCH, clustered=clustered)
    before = {(edge.source, edge.target) for edge in BATCH.edges}
    after = {(edge.source, edge.target) for edge in changed.edges}
    count = len(BATCH.edges) // 200
    assert len(before - after) == len(after - before) == count
    assert changed.nodes == BATCH.nodes


def test_a_change_in_one_region_drops_a_run_of_the_listing_and_adds_edges_near_it() -> None:
    changed = one_percent_changed(BATCH, clustered=True)
    kept = {(edge.source, edge.target) for edge in changed.edges}
    dropped = [i for i, edge in enumerate(BATCH.edges) if (edge.source, edge.target) not in kept]
    assert dropped == list(range(dropped[0], dropped[-1] + 1))
    position = {node.id: i for i, node in enumerate(BATCH.nodes)}
    first, last = (position[BATCH.edges[i].source] for i in (dropped[0], dropped[-1]))
    before = {(edge.source, edge.target) for edge in BATCH.edges}
    added = [edge for edge in changed.edges if (edge.source, edge.target) not in before]
    assert all(first <= position[e.source] < position[e.target] < last + WINDOW for e in added)
