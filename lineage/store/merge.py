"""How several origins' assertions about one node or edge combine into the stored view.

Assertions are given oldest first (in the order their origins were last applied). For each
field the newest assertion that sets it wins; aliases are the union; properties are merged
with newer keys overriding older ones; ``last_updated`` is the latest observation. Every
origin is listed, so an answer can say where each fact came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from lineage.model import Edge, Mode, Node, NodeId, Provenance, Role

T = TypeVar("T")
Assertion = tuple[Provenance, T]


def merge_node(assertions: Sequence[Assertion[Node]]) -> Node:
    if len(assertions) == 1:
        return _sole_node(*assertions[0])
    newest_first = [node for _, node in reversed(assertions)]
    base = newest_first[0]
    observed = [node.last_updated for node in newest_first if node.last_updated]
    return replace(
        base,
        name=_first(node.name for node in newest_first) or "",
        mode=_first(node.mode for node in newest_first if node.mode is not Mode.UNKNOWN)
        or Mode.UNKNOWN,
        freshness=_first(node.freshness for node in newest_first),
        last_updated=max(observed, key=_as_utc) if observed else None,
        aliases=kept_aliases((alias for node in newest_first for alias in node.aliases), base.id),
        properties=_merged_properties([node.properties for _, node in assertions]),
        location=_first(node.location for node in newest_first),
        origins=_provenances(assertions),
    )


def merge_edge(assertions: Sequence[Assertion[Edge]]) -> Edge:
    if len(assertions) == 1:
        return _sole_edge(*assertions[0])
    newest_first = [edge for _, edge in reversed(assertions)]
    return replace(
        newest_first[0],
        label=_first(edge.label for edge in newest_first),
        role=_first(edge.role for edge in newest_first if edge.role is not Role.OTHER)
        or Role.OTHER,
        mode=_first(edge.mode for edge in newest_first if edge.mode is not Mode.UNKNOWN)
        or Mode.UNKNOWN,
        freshness=_first(edge.freshness for edge in newest_first),
        properties=_merged_properties([edge.properties for _, edge in assertions]),
        location=_first(edge.location for edge in newest_first),
        origins=_provenances(assertions),
    )


def _sole_node(provenance: Provenance, node: Node) -> Node:
    """The merge of one assertion, field by field what the general merge gives it: most facts
    have one origin, and a first import merges every one of them."""
    return replace(
        node,
        name=node.name or "",
        freshness=node.freshness or None,
        last_updated=node.last_updated or None,
        aliases=kept_aliases(node.aliases, node.id),
        properties=dict(node.properties),
        location=node.location or None,
        origins=(provenance,),
    )


def _sole_edge(provenance: Provenance, edge: Edge) -> Edge:
    return replace(
        edge,
        label=edge.label or None,
        freshness=edge.freshness or None,
        properties=dict(edge.properties),
        location=edge.location or None,
        origins=(provenance,),
    )


def kept_aliases(aliases: Iterable[str], node_id: NodeId) -> tuple[str, ...]:
    """Aliases as the merged view keeps them: sorted, once each, without the node's own id."""
    return tuple(sorted(set(aliases) - {node_id}))


def _provenances(assertions: Sequence[Assertion[Any]]) -> tuple[Provenance, ...]:
    return tuple(provenance for provenance, _ in assertions)


def _merged_properties(oldest_first: Sequence[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for properties in oldest_first:
        merged.update(properties)
    return merged


def _as_utc(moment: datetime) -> datetime:
    """Naive timestamps (a date-only ``last_updated``) count as UTC, so that observations
    from different origins compare."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _first(values: Any) -> Any:
    return next((value for value in values if value), None)
