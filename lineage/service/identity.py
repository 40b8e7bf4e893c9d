"""One thing, one node: a batch's new node takes the id of the node the graph knows it by.

An Avro subject ``views.raw-value`` documented as ``SCH-VIEW`` in an architecture doc arrives
as ``schema:views.raw-value`` with the alias ``SCH-VIEW``; the graph already holds
``schema:SCH-VIEW``. Before the batch is applied, each of its nodes whose id the graph does
not hold, and of whose aliases exactly one names a node of the same kind, takes that node's
id (its own id becomes an alias), and its edges follow. A node two batch nodes would join, or
an alias naming several nodes, is left alone: guessing would merge things that differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from lineage.model import Edge, ImportBatch, Node, NodeId, kind_of_id
from lineage.store.base import GraphStore


def joined_to_known_nodes(batch: ImportBatch, store: GraphStore) -> ImportBatch:
    """``batch`` with its new nodes renamed to the known nodes their aliases name."""
    known = store.get_nodes([node.id for node in batch.nodes])
    wanted = {
        node.id: target
        for node in batch.nodes
        if node.id not in known and (target := _known_as(node, store)) is not None
    }
    taken = Counter(wanted.values())
    own = {node.id for node in batch.nodes}
    renamed = {old: new for old, new in wanted.items() if taken[new] == 1 and new not in own}
    if not renamed:
        return batch
    nodes = tuple(_renamed_node(node, renamed) for node in batch.nodes)
    edges = tuple(_renamed_edge(edge, renamed) for edge in batch.edges)
    return replace(batch, nodes=nodes, edges=edges)


def _known_as(node: Node, store: GraphStore) -> NodeId | None:
    """The one node of ``node``'s kind its aliases name, if exactly one."""
    found = {
        node_id
        for alias in node.aliases
        for node_id in store.resolve(alias)
        if kind_of_id(node_id) is node.kind
    }
    return found.pop() if len(found) == 1 else None


def _renamed_node(node: Node, renamed: dict[NodeId, NodeId]) -> Node:
    new = renamed.get(node.id)
    if new is None:
        return node
    aliases = tuple(sorted({*node.aliases, node.id} - {new}))
    return replace(node, id=new, aliases=aliases)


def _renamed_edge(edge: Edge, renamed: dict[NodeId, NodeId]) -> Edge:
    source, target = renamed.get(edge.source, edge.source), renamed.get(edge.target, edge.target)
    if (source, target) == (edge.source, edge.target):
        return edge
    return replace(edge, source=source, target=target)
