"""Domain values to and from the rows the Neo4j store's Cypher reads and writes.

Pure functions, no driver: the store runs the queries, this module shapes their parameters
and merges what they return (with ``merge.py``, the logic both stores share).

A merged node is stored as a ``:LineageNode`` with readable properties (``id``, ``kind``,
``key``, ``name``, ``mode``, ``aliases``, ``freshness_text``, ``freshness_seconds``,
``last_updated``, ``location``, ``origins``), the ``*_fold`` copies lookups match on, and
``body``: the merged node as JSON, which is what the store reads back (node properties can
be nested maps, which Neo4j properties cannot hold). Edges likewise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from lineage.model import Edge, EdgeKey, EdgeType, Node, NodeId, Provenance
from lineage.store import codec
from lineage.store.merge import kept_aliases, merge_edge, merge_node
from lineage.store.neo4j_cypher import edge_type_name, fold, kind_label

Fact = TypeVar("Fact", Node, Edge)
Key = TypeVar("Key")

Row = dict[str, Any]


def node_assertion_row(node: Node) -> Row:
    return {"id": node.id, "body": codec.node_body(node)}


def edge_assertion_row(edge: Edge) -> Row:
    return {**key_row(edge.key), "body": codec.edge_body(edge)}


def key_row(key: EdgeKey) -> Row:
    return {"source": key.source, "type": edge_type_name(key.type), "target": key.target}


def key_from_row(row: Mapping[str, Any]) -> EdgeKey:
    return EdgeKey(NodeId(row["source"]), EdgeType(row["type"]), NodeId(row["target"]))


def node_row(node: Node) -> Row:
    """Parameters for ``write_nodes``: the kind (choosing the label) and every property."""
    origins = [provenance.origin for provenance in node.origins]
    return _node_row(node, node.aliases, origins, codec.node_body(node))


def edge_row(edge: Edge) -> Row:
    """Parameters for ``write_edges``: the key (choosing the type) and every property."""
    origins = [provenance.origin for provenance in edge.origins]
    return {**key_row(edge.key), "props": _edge_props(edge, origins, codec.edge_body(edge))}


def sole_node_rows(origin: str, node: Node) -> tuple[Row, Row]:
    """``node_assertion_row(node)`` and the ``node_row`` of its merge when ``origin`` alone
    asserts it, from one encoding of the node: a first import makes both for every node.

    The merge of a single assertion changes two things the encoding shows: its aliases
    (sorted, once each, without the node's own id) and its origins (``origin`` alone)."""
    encoded = codec.node_to_dict(node)
    assertion = {"id": node.id, "body": codec.dumps(encoded)}
    aliases = kept_aliases(node.aliases, node.id)
    if aliases:
        encoded["aliases"] = list(aliases)
    else:
        encoded.pop("aliases", None)
    encoded["origins"] = [codec.origin_entry(origin, node.location or None)]
    return assertion, _node_row(node, aliases, [origin], codec.dumps(encoded))


def sole_edge_rows(origin: str, edge: Edge) -> tuple[Row, Row]:
    """``edge_assertion_row(edge)`` and the ``edge_row`` of its merge when ``origin`` alone
    asserts it, from one encoding of the edge; the merge changes only its origins."""
    encoded = codec.edge_to_dict(edge)
    key = key_row(edge.key)
    assertion = {**key, "body": codec.dumps(encoded)}
    encoded["origins"] = [codec.origin_entry(origin, edge.location or None)]
    return assertion, {**key, "props": _edge_props(edge, [origin], codec.dumps(encoded))}


def _node_row(node: Node, aliases: tuple[str, ...], origins: list[str], body: str) -> Row:
    kind_label(node.kind)  # the whitelist: a kind without a label never reaches Cypher
    freshness = node.freshness
    return {
        "kind": node.kind.value,
        "props": {
            "id": node.id,
            "kind": node.kind.value,
            "key": node.key,
            "name": node.display_name,
            "mode": node.mode.value,
            "aliases": list(aliases),
            "freshness_text": freshness.text if freshness else None,
            "freshness_seconds": freshness.seconds if freshness else None,
            "last_updated": node.last_updated,
            "location": node.location or None,
            "origins": origins,
            "id_fold": fold(node.id),
            "key_fold": fold(node.key),
            "name_fold": fold(node.display_name),
            "aliases_fold": [fold(alias) for alias in aliases],
            "body": body,
        },
    }


def _edge_props(edge: Edge, origins: list[str], body: str) -> Row:
    freshness = edge.freshness
    return {
        "label": edge.label or None,
        "role": edge.role.value,
        "mode": edge.mode.value,
        "freshness_text": freshness.text if freshness else None,
        "freshness_seconds": freshness.seconds if freshness else None,
        "location": edge.location or None,
        "origins": origins,
        "body": body,
    }


def merged_nodes(records: Iterable[Mapping[str, Any]]) -> dict[NodeId, Node]:
    """Merge ``node_assertions`` rows per node, oldest origin first (by ``seq``)."""
    return _merged(records, codec.node_from_body, lambda node: node.id, merge_node)


def merged_edges(records: Iterable[Mapping[str, Any]]) -> dict[EdgeKey, Edge]:
    """Merge ``edge_assertions`` rows per edge, oldest origin first (by ``seq``)."""
    return _merged(records, codec.edge_from_body, lambda edge: edge.key, merge_edge)


def _merged(
    records: Iterable[Mapping[str, Any]],
    decode: Callable[[str], Fact],
    key_of: Callable[[Fact], Key],
    merge: Callable[[list[tuple[Provenance, Fact]]], Fact],
) -> dict[Key, Fact]:
    """Each fact's assertions (one record per origin) merged into one, oldest origin first."""
    found: dict[Key, list[tuple[int, Provenance, Fact]]] = defaultdict(list)
    for record in records:
        fact = decode(record["body"])
        provenance = Provenance(record["origin"], fact.location)
        found[key_of(fact)].append((record["seq"], provenance, fact))
    return {
        key: merge([(provenance, fact) for _, provenance, fact in sorted(rows, key=_seq)])
        for key, rows in found.items()
    }


def _seq(row: tuple[int, Provenance, Any]) -> int:
    return row[0]
