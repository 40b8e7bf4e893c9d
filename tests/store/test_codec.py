"""Nodes and edges survive the JSON bodies both stores keep, every field as it was."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from support.facts import edges, nodes, provenances

from lineage.model import Edge, Kind, Node, NodeId, Provenance
from lineage.store import codec


@given(nodes, provenances)
def test_a_node_reads_back_from_its_body_as_it_was(
    node: Node, origins: tuple[Provenance, ...]
) -> None:
    node = replace(node, location=node.location or None, origins=origins)
    assert codec.node_from_body(codec.node_body(node)) == node


@given(edges, provenances)
def test_an_edge_reads_back_from_its_body_as_it_was(
    edge: Edge, origins: tuple[Provenance, ...]
) -> None:
    edge = replace(edge, location=edge.location or None, label=edge.label or None, origins=origins)
    assert codec.edge_from_body(codec.edge_body(edge)) == edge


def test_empty_fields_are_left_out_of_a_body() -> None:
    node = Node(NodeId("job:a"), Kind.JOB, name="", aliases=(), properties={}, location=None)
    assert codec.node_to_dict(node) == {"id": "job:a", "kind": "job", "mode": "unknown"}
