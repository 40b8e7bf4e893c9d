"""The rows of a fact one origin alone asserts, made in one pass, are the rows the general
path makes: its assertion as it is, and its merge."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from support.facts import edges, nodes, provenances

from lineage.model import Edge, Node, Provenance
from lineage.store import neo4j_rows as rows
from lineage.store.merge import merge_edge, merge_node

origins = st.sampled_from(["one", "docs/a.md"])


@given(origins, nodes, provenances)
def test_a_node_one_origin_asserts_has_its_assertion_and_its_merge_as_rows(
    origin: str, node: Node, listed: tuple[Provenance, ...]
) -> None:
    node = replace(node, origins=listed)  # what the merge must not keep
    merged = merge_node([(Provenance(origin, node.location or None), node)])
    assert rows.sole_node_rows(origin, node) == (
        rows.node_assertion_row(node),
        rows.node_row(merged),
    )


@given(origins, edges, provenances)
def test_an_edge_one_origin_asserts_has_its_assertion_and_its_merge_as_rows(
    origin: str, edge: Edge, listed: tuple[Provenance, ...]
) -> None:
    edge = replace(edge, origins=listed)
    merged = merge_edge([(Provenance(origin, edge.location or None), edge)])
    assert rows.sole_edge_rows(origin, edge) == (
        rows.edge_assertion_row(edge),
        rows.edge_row(merged),
    )
