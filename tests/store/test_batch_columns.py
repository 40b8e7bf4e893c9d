"""A batch read a field at a time says what its facts say one by one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.facts import edges, nodes

from lineage.model import Edge, Freshness, Kind, Node, NodeId
from lineage.store import codes
from lineage.store.batch_columns import batch_columns, node_columns
from lineage.store.embedded_rows import normalized

_BARE_EDGES = [Edge(NodeId("job:a"), NodeId(f"dataset:d{i}")) for i in range(1000)]
_BARE_NODES = [Node(NodeId(f"dataset:d{i}"), Kind.DATASET) for i in range(1000)]


@given(st.lists(nodes, max_size=5), st.lists(edges, max_size=5))
def test_the_columns_hold_each_fact_as_it_is(
    batch_nodes: list[Node], batch_edges: list[Edge]
) -> None:
    columns = batch_columns(batch_nodes, batch_edges)
    assert columns.nodes == [(node.id, *node_columns(node)) for node in batch_nodes]
    sources, targets, edge_codes, locations, details = columns.edges
    assert sources == [edge.source for edge in batch_edges]
    assert targets == [edge.target for edge in batch_edges]
    assert [codes.EDGE_CODES[code] for code in edge_codes] == [
        (edge.type, edge.role, edge.mode) for edge in batch_edges
    ]
    assert locations == [edge.location or None for edge in batch_edges]
    for edge, detail in zip(batch_edges, details, strict=True):
        said = json.loads(detail) if detail else {}
        assert said.get("label") == (edge.label or None)
        assert bool(said.get("properties")) == bool(edge.properties)
        assert ("freshness" in said) == (edge.freshness is not None)


@pytest.mark.parametrize("position", [0, 500, 999])
@pytest.mark.parametrize(
    "field", [{"label": "reads"}, {"freshness": Freshness(text="1h")}, {"properties": {"a": 1}}]
)
def test_the_one_edge_with_a_detail_keeps_it_wherever_it_is_listed(
    position: int, field: dict[str, object]
) -> None:
    listed = list(_BARE_EDGES)
    listed[position] = replace(listed[position], **field)
    details = batch_columns([], listed).edges[-1]
    assert [i for i, detail in enumerate(details) if detail is not None] == [position]
    assert set(json.loads(details[position])) == set(field)


@pytest.mark.parametrize("position", [0, 999])
@pytest.mark.parametrize(
    "field",
    [{"aliases": ("d",)}, {"last_updated": datetime(2026, 12, 4)}, {"properties": {"a": 1}}],
)
def test_the_one_node_with_a_detail_keeps_it_wherever_it_is_listed(
    position: int, field: dict[str, object]
) -> None:
    listed = list(_BARE_NODES)
    listed[position] = replace(listed[position], **field)
    details = [row[-1] for row in batch_columns(listed, []).nodes]
    assert [i for i, detail in enumerate(details) if detail is not None] == [position]


def test_only_the_nodes_with_aliases_are_normalized() -> None:
    listed = list(_BARE_NODES)
    listed[7] = replace(listed[7], aliases=("z", "a", "z", "dataset:d7"))
    found = normalized(listed)
    assert found[7].aliases == ("a", "z")
    assert all(found[i] is listed[i] for i in range(len(listed)) if i != 7)
    assert all(a is b for a, b in zip(normalized(_BARE_NODES), _BARE_NODES, strict=True))
