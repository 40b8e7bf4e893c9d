"""Small builders for test graphs, shared by the store, traversal, loop and CLI tests.

A reference without a kind prefix is a dataset: ``"a"`` is ``dataset:a``, ``"model:m"`` stays
``model:m``. ``batch("a -> b -> c", "c -> a")`` is a batch whose edges are those chains and
whose nodes are their endpoints.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from lineage.model import Edge, EdgeKey, EdgeType, ImportBatch, Kind, Node, NodeId
from lineage.refs import kind_of_id
from lineage.store.base import GraphStore

DEFAULT_ORIGIN = "test:graph"


def nid(ref: str) -> NodeId:
    """``"a"`` -> ``dataset:a``; an id with a kind prefix is returned as it is."""
    return NodeId(ref) if kind_of_id(ref) else NodeId(f"dataset:{ref}")


def ids(*refs: str) -> frozenset[NodeId]:
    return frozenset(nid(ref) for ref in refs)


def node(ref: str, name: str = "", **fields: Any) -> Node:
    node_id = nid(ref)
    kind = kind_of_id(node_id)
    assert isinstance(kind, Kind)
    return Node(node_id, kind, name=name, **fields)


def edge(source: str, target: str, **fields: Any) -> Edge:
    return Edge(nid(source), nid(target), **fields)


def chain(*refs: str, **fields: Any) -> list[Edge]:
    """Edges between consecutive references: ``chain("a", "b", "c")`` is a->b, b->c."""
    return [edge(a, b, **fields) for a, b in itertools.pairwise(refs)]


def cycle(*refs: str, **fields: Any) -> list[Edge]:
    """A chain closed back to its first reference."""
    return chain(*refs, refs[0], **fields)


def batch(
    *edges: Edge | str | Iterable[Edge],
    nodes: Iterable[Node] = (),
    origin: str = DEFAULT_ORIGIN,
) -> ImportBatch:
    """A batch of the given edges (``"a -> b -> c"`` strings, ``Edge`` values or lists of
    them) and nodes; an endpoint not among ``nodes`` is added as an unnamed node."""
    flat: list[Edge] = []
    for item in edges:
        if isinstance(item, str):
            flat += chain(*(part.strip() for part in item.split("->")))
        elif isinstance(item, Edge):
            flat.append(item)
        else:
            flat += list(item)
    declared = {n.id: n for n in nodes}
    for e in flat:
        for end in (e.source, e.target):
            declared.setdefault(end, node(end))
    return ImportBatch(origin, tuple(declared.values()), tuple(flat))


def load(store: GraphStore, *edges: Edge | str | Iterable[Edge], **options: Any) -> GraphStore:
    """Apply ``batch(*edges, **options)`` to ``store`` and return the store."""
    store.apply(batch(*edges, **options))
    return store


def node_ids(store: GraphStore) -> frozenset[NodeId]:
    return frozenset(n.id for n in store.list_nodes())


def edge_keys(store: GraphStore) -> frozenset[EdgeKey]:
    return frozenset(e.key for e in store.snapshot().edges)


def feeds(*pairs: tuple[str, str]) -> frozenset[EdgeKey]:
    """``EdgeKey`` values of FEEDS edges, for comparing with :func:`edge_keys`."""
    return frozenset(EdgeKey(nid(a), EdgeType.FEEDS, nid(b)) for a, b in pairs)


def facts(store: GraphStore) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    """The merged graph without provenance (origins, locations), for comparing two graphs
    that hold the same facts from different origins."""
    snapshot = store.snapshot()
    nodes = tuple(replace(n, origins=(), location=None) for n in snapshot.nodes)
    edges = tuple(replace(e, origins=(), location=None) for e in snapshot.edges)
    return tuple(sorted(nodes, key=lambda n: n.id)), tuple(sorted(edges, key=lambda e: e.key))
