"""The merge of a fact one origin asserts takes a short path; it must give what the general
merge of several assertions gives, field by field."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from support.facts import edges, nodes

from lineage.model import Edge, Kind, Node, NodeId, Provenance
from lineage.store.merge import merge_edge, merge_node

OLDER = Provenance("older", None)
NEWER = Provenance("newer", "doc.md:7")


@given(nodes)
def test_a_node_one_origin_asserts_merges_as_if_an_empty_assertion_came_before(
    node: Node,
) -> None:
    blank = Node(node.id, node.kind)
    general = merge_node([(OLDER, blank), (NEWER, node)])
    assert merge_node([(NEWER, node)]) == replace(general, origins=(NEWER,))


@given(edges)
def test_an_edge_one_origin_asserts_merges_as_if_an_empty_assertion_came_before(
    edge: Edge,
) -> None:
    blank = Edge(edge.source, edge.target, edge.type)
    general = merge_edge([(OLDER, blank), (NEWER, edge)])
    assert merge_edge([(NEWER, edge)]) == replace(general, origins=(NEWER,))


def test_the_merge_of_one_assertion_copies_its_properties() -> None:
    node = Node(NodeId("job:a"), Kind.JOB, properties={"owner": "a"})
    assert merge_node([(NEWER, node)]).properties is not node.properties
