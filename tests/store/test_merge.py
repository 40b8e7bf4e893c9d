"""The merge of a fact one origin asserts takes a short path; it must give what the general
merge of several assertions gives, field by field."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from lineage.model import Edge, EdgeType, Freshness, Kind, Mode, Node, NodeId, Provenance, Role
from lineage.store.merge import merge_edge, merge_node

OLDER = Provenance("older", None)
NEWER = Provenance("newer", "doc.md:7")
texts = st.sampled_from(["", "x", "job:a"])
locations = st.sampled_from([None, "", "doc.md:3"])
freshness = st.sampled_from([None, Freshness(text="1h", seconds=3600), Freshness(text="daily")])
properties = st.dictionaries(st.sampled_from(["owner", "tier"]), st.sampled_from(["a", "b", 1]))

nodes = st.builds(
    Node,
    id=st.just(NodeId("job:a")),
    kind=st.just(Kind.JOB),
    name=texts,
    mode=st.sampled_from(list(Mode)),
    freshness=freshness,
    last_updated=st.sampled_from([None, datetime(2026, 12, 3), datetime(2026, 12, 3, tzinfo=UTC)]),
    aliases=st.lists(texts).map(tuple),
    properties=properties,
    location=locations,
)
edges = st.builds(
    Edge,
    source=st.just(NodeId("job:a")),
    target=st.just(NodeId("dataset:b")),
    type=st.sampled_from(list(EdgeType)),
    label=st.sampled_from([None, "", "reads"]),
    role=st.sampled_from(list(Role)),
    mode=st.sampled_from(list(Mode)),
    freshness=freshness,
    properties=properties,
    location=locations,
)


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
