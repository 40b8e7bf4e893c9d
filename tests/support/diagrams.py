"""Reading a parsed ``Diagram`` in the parser tests."""

from __future__ import annotations

from lineage.importers.diagram import Diagram, DiagramEdge, DiagramNode


def nodes_by_id(diagram: Diagram) -> dict[str, DiagramNode]:
    return {node.id: node for node in diagram.nodes}


def edge_pairs(diagram: Diagram) -> list[tuple[str, str]]:
    return [(edge.source, edge.target) for edge in diagram.edges]


def only_edge(diagram: Diagram) -> DiagramEdge:
    """The diagram's one edge, read without a warning."""
    assert diagram.warnings == ()
    assert len(diagram.edges) == 1, diagram.edges
    return diagram.edges[0]
