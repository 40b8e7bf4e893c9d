"""The merged graph as a ``networkx.DiGraph``, for whole-graph analysis."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lineage.model import EdgeType, Kind
from lineage.store.base import GraphSnapshot

if TYPE_CHECKING:
    import networkx as nx


def to_digraph(
    snapshot: GraphSnapshot, *, edge_types: frozenset[EdgeType] = frozenset(EdgeType)
) -> nx.DiGraph:
    """Nodes carry their ``Node`` as attribute ``node``, edges their ``Edge`` as ``edge``."""
    import networkx as nx

    graph = nx.DiGraph()
    for node in snapshot.nodes:
        graph.add_node(node.id, node=node)
    for edge in snapshot.edges:
        if edge.type in edge_types:
            graph.add_edge(edge.source, edge.target, edge=edge)
    return graph


@dataclass(frozen=True)
class GraphSummary:
    nodes: int
    edges: int
    nodes_by_kind: dict[Kind, int]
    edges_by_type: dict[EdgeType, int]


def summarize(snapshot: GraphSnapshot) -> GraphSummary:
    """Counts of nodes per kind and edges per type."""
    kinds = Counter(node.kind for node in snapshot.nodes)
    types = Counter(edge.type for edge in snapshot.edges)
    return GraphSummary(
        nodes=len(snapshot.nodes),
        edges=len(snapshot.edges),
        nodes_by_kind={kind: kinds[kind] for kind in Kind if kinds[kind]},
        edges_by_type={edge_type: types[edge_type] for edge_type in EdgeType if types[edge_type]},
    )
