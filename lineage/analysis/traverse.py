"""Upstream and downstream lineage: bounded breadth-first walks from one node.

The store does the walk (a pruned BFS in Cypher on Neo4j, level-by-level SQL in the embedded
store) and returns each reachable node's minimum hop distance; this module applies the kind
filter and the node bound, decides whether the answer was cut, and rebuilds one witness path
per returned node from the edges among the reached nodes only. No path enumeration happens
anywhere, so diamonds and cycles cost what their nodes cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypedDict, Unpack

from lineage.analysis.lookup import resolve_node
from lineage.bounds import (
    DEFAULT_MAX_HOPS,
    DEFAULT_MAX_NODES,
    FILTERED_VISIT_FACTOR,
    Bound,
    Cut,
    Truncation,
    Truncations,
    distinct,
)
from lineage.model import Direction, Edge, EdgeKey, EdgeType, Kind, Node, NodeId, kind_of_id
from lineage.store.base import GraphStore, Walk

DATA_FLOW = frozenset({EdgeType.FEEDS})


@dataclass(frozen=True)
class ReachedNode:
    node: Node
    distance: int
    direction: Direction
    path: tuple[NodeId, ...]
    """Node ids from the root (first) to this node (last), one shortest witness."""
    path_edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Lineage(Cut):
    root: Node
    direction: Direction
    nodes: tuple[ReachedNode, ...]
    edges: tuple[Edge, ...]
    """The edges of the returned witness paths: a connected subgraph around the root."""
    truncations: Truncations
    """Every bound that cut the answer (empty when it is complete)."""
    total_count: int
    """How many matching nodes the walk found before the node bound cut the list."""


class WalkOptions(TypedDict, total=False):
    max_hops: int
    max_nodes: int
    kinds: Iterable[Kind] | None
    edge_types: frozenset[EdgeType]


def upstream(store: GraphStore, ref: str, **options: Unpack[WalkOptions]) -> Lineage:
    """Everything ``ref`` is derived from; see :func:`lineage`."""
    return lineage(store, ref, direction=Direction.UPSTREAM, **options)


def downstream(store: GraphStore, ref: str, **options: Unpack[WalkOptions]) -> Lineage:
    """Everything derived from ``ref``; see :func:`lineage`."""
    return lineage(store, ref, direction=Direction.DOWNSTREAM, **options)


def lineage(
    store: GraphStore,
    ref: str,
    *,
    direction: Direction,
    max_hops: int = DEFAULT_MAX_HOPS,
    max_nodes: int = DEFAULT_MAX_NODES,
    kinds: Iterable[Kind] | None = None,
    edge_types: frozenset[EdgeType] = DATA_FLOW,
    witness_edges: bool = True,
) -> Lineage:
    """Bounded lineage of one node.

    Parameters
    ----------
    store : GraphStore
    ref : str
        The root: id, alias, URI or unique name.
    direction : Direction
        ``UPSTREAM``, ``DOWNSTREAM`` or ``BOTH``.
    max_hops : int
        Nodes further than this many edges are not returned (``truncated`` says if any exist).
    max_nodes : int
        At most this many nodes are returned, nearest first.
    kinds : iterable of Kind, optional
        Report only nodes of these kinds; the walk still passes through the others, and only
        matching nodes count against ``max_nodes``.
    edge_types : frozenset of EdgeType
        The edges to follow; data flow (``FEEDS``) by default.
    witness_edges : bool
        Read the edges along the witness paths (each node's ``path_edges`` and the answer's
        ``edges``). Without them a path is node ids only, and a store that chose the parents
        during the walk (the embedded store) reads no edge at all: an answer of every node
        the root reaches then costs what its nodes cost.

    Returns
    -------
    Lineage
        Nodes ordered by distance then id, each with its minimum distance and one shortest
        path from the root; ``truncations`` says which bounds cut it.

    Raises
    ------
    NodeNotFound, AmbiguousNode
        When ``ref`` names no node or several.
    ValueError
        When a bound is not positive.

    Notes
    -----
    Breadth-first, so each node is visited once: O(V + E) over the nodes within ``max_hops``,
    plus one query for the edges among them. Cycles end the walk where they close.

    Examples
    --------
    >>> from lineage.store.embedded import EmbeddedStore
    >>> from lineage.model import ImportBatch, Node, Edge, Kind, NodeId
    >>> store = EmbeddedStore(":memory:")
    >>> a, b = NodeId("source:a"), NodeId("model:b")
    >>> batch = ImportBatch("doc", (Node(a, Kind.SOURCE), Node(b, Kind.MODEL)), (Edge(a, b),))
    >>> _ = store.apply(batch)
    >>> [(r.node.id, r.distance, r.path) for r in downstream(store, "a").nodes]
    [('model:b', 1, ('source:a', 'model:b'))]
    """
    if max_hops < 1 or max_nodes < 1:
        raise ValueError("max_hops and max_nodes must be at least 1")
    root_id = resolve_node(store, ref)
    wanted = frozenset(kinds) if kinds else None
    directions = direction.one_way
    walks = [
        _walk(
            store,
            root_id,
            way,
            max_hops=max_hops,
            max_nodes=max_nodes,
            kinds=wanted,
            edge_types=edge_types,
            witness_edges=witness_edges,
        )
        for way in directions
    ]
    nearest: dict[NodeId, ReachedNode] = {}
    for walk in walks:
        for reached in walk.nodes:
            known = nearest.get(reached.node.id)
            if known is None or reached.distance < known.distance:
                nearest[reached.node.id] = reached
    ordered = sorted(nearest.values(), key=lambda r: (r.distance, r.node.id))
    cut = [truncation for walk in walks for truncation in walk.truncations]
    if len(ordered) > max_nodes:
        ordered = ordered[:max_nodes]
        cut.append(Truncation(Bound.MAX_NODES, max_nodes))
    root = store.get_nodes([root_id])[root_id]
    return Lineage(
        root=root,
        direction=direction,
        nodes=tuple(ordered),
        edges=_path_edges(ordered, root_id, walks) if witness_edges else (),
        truncations=distinct(cut),
        total_count=len(set().union(*(walk.matching for walk in walks))),
    )


@dataclass(frozen=True)
class _Walk:
    direction: Direction
    nodes: list[ReachedNode]
    truncations: list[Truncation]
    matching: frozenset[NodeId]
    """Every node of the wanted kinds the walk found, before the node bound cut the list."""
    parent_of: dict[NodeId, NodeId]
    """The parent of each node on a returned node's witness path (maybe of more nodes)."""
    edge_into: dict[NodeId, Edge] | None
    """The edge from its parent into each node on a returned node's witness path, when the
    walk was asked for witness edges."""


def _walk(
    store: GraphStore,
    root: NodeId,
    direction: Direction,
    *,
    max_hops: int,
    max_nodes: int,
    kinds: frozenset[Kind] | None,
    edge_types: frozenset[EdgeType],
    witness_edges: bool,
) -> _Walk:
    budget = max_nodes if kinds is None else max_nodes * FILTERED_VISIT_FACTOR
    reach = store.reachable(
        Walk(root, direction=direction, types=edge_types, max_hops=max_hops, limit=budget)
    )
    distances = dict(reach.distances.items())
    matching = sorted(
        (node_id for node_id in distances if kinds is None or kind_of_id(node_id) in kinds),
        key=lambda node_id: (distances[node_id], node_id),
    )
    cut = []
    if reach.truncated:
        cut.append(Truncation(Bound.MAX_NODES, max_nodes, direction, root))
    elif _more_beyond(store, root, distances, direction, max_hops, edge_types):
        cut.append(Truncation(Bound.MAX_HOPS, max_hops, direction, root))
    kept = matching[:max_nodes]
    if len(matching) > max_nodes:
        cut.append(Truncation(Bound.MAX_NODES, max_nodes, direction, root))
    edge_into: dict[NodeId, Edge] | None = None
    if reach.parents is None:
        edge_into = _parents(store, root, distances, direction, edge_types)
        parent_of = {node_id: _near_end(edge, direction) for node_id, edge in edge_into.items()}
    else:
        parent_of = dict(reach.parents.items())
        if witness_edges:
            edge_into = _parent_edges(store, root, parent_of, kept, direction, edge_types)
    nodes = store.get_nodes(kept)  # only the returned nodes are read; an id says its kind
    witnesses = _witness_paths(kept, root, parent_of, edge_into if witness_edges else None)
    reached = [
        ReachedNode(nodes[node_id], distances[node_id], direction, *witnesses[node_id])
        for node_id in kept
    ]
    return _Walk(direction, reached, list(distinct(cut)), frozenset(matching), parent_of, edge_into)


def _more_beyond(
    store: GraphStore,
    root: NodeId,
    distances: Mapping[NodeId, int],
    direction: Direction,
    max_hops: int,
    edge_types: frozenset[EdgeType],
) -> bool:
    """Whether an edge leaves the walk's last level for a node it has not seen."""
    rim = [node_id for node_id, distance in distances.items() if distance == max_hops]
    if not rim:
        return False
    seen = distances.keys() | {root}
    return any(
        _far_end(edge, direction) not in seen
        for edge in store.edges_of(rim, direction=direction, types=edge_types)
    )


def _parents(
    store: GraphStore,
    root: NodeId,
    distances: Mapping[NodeId, int],
    direction: Direction,
    edge_types: frozenset[EdgeType],
) -> dict[NodeId, Edge]:
    """For each reached node, the edge from its smallest-id neighbour one hop nearer."""
    level = dict(distances)
    level[root] = 0
    parents: dict[NodeId, Edge] = {}
    for edge in store.edges_among(level, types=edge_types):
        near, far = _near_end(edge, direction), _far_end(edge, direction)
        if far == root or level[near] + 1 != level[far]:
            continue
        known = parents.get(far)
        if known is None or near < _near_end(known, direction):
            parents[far] = edge
    return parents


def _parent_edges(
    store: GraphStore,
    root: NodeId,
    parent_of: Mapping[NodeId, NodeId],
    kept: list[NodeId],
    direction: Direction,
    edge_types: frozenset[EdgeType],
) -> dict[NodeId, Edge]:
    """The edge from each node on a kept node's path to it from its parent (the walk chose
    the parents): only those edges are read, each once."""
    on_paths = _on_paths(kept, root, parent_of.__getitem__)
    downstream = direction is Direction.DOWNSTREAM
    pairs = [(parent_of[n], n) if downstream else (n, parent_of[n]) for n in on_paths]
    parents: dict[NodeId, Edge] = {}
    for edge in store.edges_between(pairs, types=edge_types):  # by key: the first type wins
        parents.setdefault(_far_end(edge, direction), edge)
    return parents


def _path_edges(reached: list[ReachedNode], root: NodeId, walks: list[_Walk]) -> tuple[Edge, ...]:
    """The edges of the returned witness paths, each once, in key order: each path is walked
    up only until it meets a node an earlier path already passed, so this costs the distinct
    nodes on the paths, not the sum of the paths' lengths."""
    found: dict[EdgeKey, Edge] = {}
    for walk in walks:
        ends = [r.node.id for r in reached if r.direction is walk.direction]
        into = walk.edge_into or {}
        for node_id in _on_paths(ends, root, walk.parent_of.__getitem__):
            found[into[node_id].key] = into[node_id]
    return tuple(found[key] for key in sorted(found))


def _on_paths(kept: list[NodeId], root: NodeId, parent: Callable[[NodeId], NodeId]) -> set[NodeId]:
    """Every node but the root on the witness paths of ``kept``: each is visited once."""
    on_paths: set[NodeId] = set()
    for node_id in kept:
        while node_id != root and node_id not in on_paths:
            on_paths.add(node_id)
            node_id = parent(node_id)
    return on_paths


def _witness_paths(
    kept: list[NodeId],
    root: NodeId,
    parent_of: Mapping[NodeId, NodeId],
    edge_into: Mapping[NodeId, Edge] | None,
) -> dict[NodeId, tuple[tuple[NodeId, ...], tuple[Edge, ...]]]:
    """Each kept node's path from the root, and the edges along it when ``edge_into`` is
    given. A node's path is its parent's plus one step, and a parent's is built once however
    many nodes pass through it: no path is walked more than once in Python."""
    built: dict[NodeId, tuple[tuple[NodeId, ...], tuple[Edge, ...]]] = {root: ((root,), ())}
    for node_id in kept:
        unbuilt: list[NodeId] = []
        while node_id not in built:
            unbuilt.append(node_id)
            node_id = parent_of[node_id]
        path, edges = built[node_id]
        for step in reversed(unbuilt):
            path = (*path, step)
            if edge_into is not None:
                edges = (*edges, edge_into[step])
            built[step] = (path, edges)
    return built


def _near_end(edge: Edge, direction: Direction) -> NodeId:
    return edge.source if direction is Direction.DOWNSTREAM else edge.target


def _far_end(edge: Edge, direction: Direction) -> NodeId:
    return edge.target if direction is Direction.DOWNSTREAM else edge.source
