"""The k shortest data-flow paths from one node to another.

Never over the whole graph: the search runs on the bounded subgraph of nodes that lie on some
walk of at most ``max_length`` edges from the source to the target, which the store finds with
two bounded breadth-first walks (downstream of the source, upstream of the target). Only that
subgraph is loaded into networkx.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lineage.analysis.lookup import resolve_node
from lineage.analysis.traverse import DATA_FLOW
from lineage.bounds import (
    DEFAULT_K,
    DEFAULT_MAX_LENGTH,
    PATH_WALK_MAX_NODES,
    Bound,
    Cut,
    Truncation,
    Truncations,
    distinct,
)
from lineage.errors import InputError
from lineage.model import Direction, Edge, EdgeType, Node, NodeId
from lineage.store.base import GraphStore, Reach, Walk

if TYPE_CHECKING:  # networkx loads only when a path search runs
    import networkx as nx


@dataclass(frozen=True)
class FlowPath:
    nodes: tuple[NodeId, ...]
    """From the source (first) to the target (last)."""
    edges: tuple[Edge, ...]

    @property
    def length(self) -> int:
        return len(self.edges)


@dataclass(frozen=True)
class PathSearch(Cut):
    source: Node
    target: Node
    paths: tuple[FlowPath, ...]
    """Shortest first, ties by node ids."""
    nodes: dict[NodeId, Node]
    """Every node on a returned path."""
    truncations: Truncations
    """More paths within ``max_length`` exist than were returned (``K``), or a bounding walk
    hit its node bound (``MAX_NODES``, with the walk's direction and start)."""


def k_shortest_paths(
    store: GraphStore,
    source_ref: str,
    target_ref: str,
    *,
    k: int = DEFAULT_K,
    max_length: int = DEFAULT_MAX_LENGTH,
    max_nodes: int = PATH_WALK_MAX_NODES,
    edge_types: frozenset[EdgeType] = DATA_FLOW,
) -> PathSearch:
    """Up to ``k`` shortest simple paths from ``source_ref`` to ``target_ref``.

    Parameters
    ----------
    store : GraphStore
    source_ref, target_ref : str
        The two ends: id, alias, URI or unique name each.
    k : int
        Return at most this many paths.
    max_length : int
        Only paths of at most this many edges.
    max_nodes : int
        Each of the two bounding walks visits at most this many nodes.
    edge_types : frozenset of EdgeType
        The edges a path may follow; data flow (``FEEDS``) by default.

    Returns
    -------
    PathSearch
        No paths (an empty tuple) when the target is not reachable within ``max_length``.

    Raises
    ------
    NodeNotFound, AmbiguousNode
        When a reference names no node or several.
    InputError
        When both references name the same node.
    ValueError
        When a bound is not positive.

    Notes
    -----
    A node lies on a path of at most L edges only if its distance from the source plus its
    distance to the target is at most L, so the subgraph of such nodes holds every such path.
    On it, ``networkx.shortest_simple_paths`` (Yen's algorithm, O(k V (V + E)) unweighted) yields
    paths shortest first; ``itertools.islice`` stops it after ``k + 1`` (the extra one only
    tells whether the answer was cut).

    See Also
    --------
    networkx.shortest_simple_paths, lineage.analysis.traverse.lineage

    Examples
    --------
    >>> from lineage.store.embedded import EmbeddedStore
    >>> from lineage.model import ImportBatch, Node, Edge, Kind, NodeId
    >>> store = EmbeddedStore(":memory:")
    >>> s, a, b, m = (NodeId(i) for i in ("source:s", "job:a", "job:b", "model:m"))
    >>> nodes = (Node(s, Kind.SOURCE), Node(a, Kind.JOB), Node(b, Kind.JOB), Node(m, Kind.MODEL))
    >>> edges = (Edge(s, a), Edge(s, b), Edge(a, m), Edge(b, m), Edge(s, m))
    >>> _ = store.apply(ImportBatch("doc", nodes, edges))
    >>> [p.nodes for p in k_shortest_paths(store, "source:s", "model:m", k=2).paths]
    [('source:s', 'model:m'), ('source:s', 'job:a', 'model:m')]
    """
    import networkx as nx

    if k < 1 or max_length < 1 or max_nodes < 1:
        raise ValueError("k, max_length and max_nodes must be at least 1")
    source_id = resolve_node(store, source_ref)
    target_id = resolve_node(store, target_ref)
    if source_id == target_id:
        raise InputError(f"{source_ref!r} and {target_ref!r} name the same node, {source_id}")
    cut: list[Truncation] = []

    def bounding_walk(start: NodeId, direction: Direction) -> Reach:
        reach = store.reachable(
            Walk(start, direction=direction, types=edge_types, max_hops=max_length, limit=max_nodes)
        )
        if reach.truncated:
            cut.append(Truncation(Bound.MAX_NODES, max_nodes, direction, start))
        return reach

    down = bounding_walk(source_id, Direction.DOWNSTREAM)
    found: list[list[NodeId]] = []
    graph = nx.DiGraph()
    if target_id in down.distances:
        up = bounding_walk(target_id, Direction.UPSTREAM)
        graph = _subgraph(store, source_id, target_id, down, up, max_length, edge_types)
        found = list(itertools.islice(_within(graph, source_id, target_id, max_length), k + 1))
    if len(found) > k:
        cut.append(Truncation(Bound.K, k))
    paths = tuple(
        sorted((_flow_path(graph, nodes) for nodes in found[:k]), key=lambda p: (p.length, p.nodes))
    )
    on_paths = {node_id for path in paths for node_id in path.nodes} | {source_id, target_id}
    nodes = store.get_nodes(on_paths)
    return PathSearch(
        source=nodes[source_id],
        target=nodes[target_id],
        paths=paths,
        nodes=nodes,
        truncations=distinct(cut),
    )


def _subgraph(
    store: GraphStore,
    source: NodeId,
    target: NodeId,
    down: Reach,
    up: Reach,
    max_length: int,
    edge_types: frozenset[EdgeType],
) -> nx.DiGraph:
    """The nodes on some source-to-target walk of at most ``max_length`` edges, and their edges."""
    import networkx as nx

    to_target = dict(up.distances) | {target: 0}
    from_source = dict(down.distances) | {source: 0}
    between = {
        node_id
        for node_id, distance in from_source.items()
        if node_id in to_target and distance + to_target[node_id] <= max_length
    }
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(between))  # a fixed order makes ties come out the same way
    for edge in sorted(store.edges_among(between, types=edge_types), key=lambda e: e.key):
        graph.add_edge(edge.source, edge.target, edge=edge)
    return graph


def _within(
    graph: nx.DiGraph, source: NodeId, target: NodeId, max_length: int
) -> Iterator[list[NodeId]]:
    import networkx as nx

    paths = nx.shortest_simple_paths(graph, source, target)
    return itertools.takewhile(lambda nodes: len(nodes) - 1 <= max_length, paths)


def _flow_path(graph: nx.DiGraph, nodes: list[NodeId]) -> FlowPath:
    edges = tuple(graph.edges[a, b]["edge"] for a, b in itertools.pairwise(nodes))
    return FlowPath(tuple(nodes), edges)
