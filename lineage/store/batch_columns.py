"""A batch as columns of plain values: what both stores fingerprint, so that an unchanged
batch is told in one pass over its facts, and what the embedded store writes.

A node is ``(id, name, mode, location, detail)`` and the edges are a list per field
(sources, targets, the codes of type, role and mode in one, locations, details), where
``detail`` is the JSON of every other field (freshness, ``last_updated``, aliases and
properties of a node; label, freshness and properties of an edge), ``None`` for the many
facts that say nothing more. An empty location is none, as the merge keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from lineage.model import Edge, Node
from lineage.store import codec, codes
from lineage.store.fingerprint import DIGEST_BYTES, fingerprint

NodeColumns = tuple[str, str, str | None, str | None]
"""A node assertion's ``(name, mode, location, detail)``."""
_NODE_DETAIL = ("freshness", "last_updated", "aliases", "properties")
_EDGE_DETAIL = ("label", "freshness", "properties")


def node_columns(node: Node) -> NodeColumns:
    """``node`` as an assertion's columns."""
    return (node.name, node.mode.value, node.location or None, _detail(node, _NODE_DETAIL))


@dataclass(frozen=True)
class Digests:
    """The fingerprints of a batch's nodes and of its edges as listed. The same part listed
    the same way has the same digest and is not compared row by row; one listed in another
    order is compared row by row. ``None``: a part that cannot be fingerprinted."""

    nodes: bytes | None
    edges: bytes | None

    def column(self) -> bytes | None:
        """The ``origin.digest`` column: both digests, or ``NULL``."""
        return self.nodes + self.edges if self.nodes and self.edges else None

    @classmethod
    def from_column(cls, value: bytes | None) -> Digests:
        if value is None or len(value) != 2 * DIGEST_BYTES:  # an older file's single digest
            return cls(None, None)
        return cls(value[:DIGEST_BYTES], value[DIGEST_BYTES:])

    def same_nodes(self, before: Digests) -> bool:
        return self.nodes is not None and self.nodes == before.nodes

    def same_edges(self, before: Digests) -> bool:
        return self.edges is not None and self.edges == before.edges


@dataclass(frozen=True)
class BatchColumns:
    """A batch in columns, with node ids still as text and edges as listed: enough for its
    digests, which tell an unchanged batch before anything is written."""

    nodes: list[tuple[str, str, str, str | None, str | None]]
    """``(id, *NodeColumns)`` per node."""
    edges: tuple[Sequence[Any], ...]
    """Column by column: sources, targets (ids), each edge's type, role and mode as one
    position in ``codes.EDGE_CODES`` (``bytes``, a byte an edge), locations, details."""

    def digests(self) -> Digests:
        return Digests(fingerprint(self.nodes), fingerprint(self.edges))


def batch_columns(nodes: Sequence[Node], edges: Sequence[Edge]) -> BatchColumns:
    """``nodes`` and ``edges`` as :class:`BatchColumns`.

    Both are read with ``map``, a field at a time, because this runs once per fact of a
    batch: a million times for a large one.
    """
    node_rows = zip(
        map(NODE_ID, nodes),
        map(_NAME, nodes),
        map(_MODE_VALUE, nodes),
        _locations(nodes),
        _details(nodes, _NODE_DETAIL),
        strict=True,
    )
    edge_columns = (
        list(map(_SOURCE, edges)),
        list(map(_TARGET, edges)),
        _edge_codes(edges),
        _locations(edges),
        _details(edges, _EDGE_DETAIL),
    )
    return BatchColumns(list(node_rows), edge_columns)


NODE_ID = attrgetter("id")
"""A node's id, read in C: for ``map`` over a batch's nodes."""
_NAME, _SOURCE, _TARGET, _LOCATION = map(attrgetter, ("name", "source", "target", "location"))
_TYPE_ROLE_MODE = attrgetter("type", "role", "mode")
_MODE_VALUE = attrgetter("mode._value_")
"""A node's mode as text: the enum's own attribute, read in C (``.value`` is a Python
property, a third of the time of a node's columns)."""


def _edge_codes(edges: Sequence[Edge]) -> bytes:
    """Each edge's position in ``codes.EDGE_CODES``, a byte each (there are fewer than 256)."""
    return bytes(map(codes.EDGE_CODE.__getitem__, map(_TYPE_ROLE_MODE, edges)))


def _locations(facts: Sequence[Node] | Sequence[Edge]) -> list[str | None]:
    """Each fact's location, an empty one as none (as the merge and the other store keep it)."""
    locations = list(map(_LOCATION, facts))
    if no_text(locations) or "" not in locations:
        return locations
    return [location or None for location in locations]


def no_text(texts: list[str | None]) -> bool:
    """Whether a column of texts holds none (the common location or detail column): told by
    ``list.count``, which finds ``None`` by identity in C, where ``any`` or ``in`` would
    compare each value (ten times as long)."""
    return texts.count(None) == len(texts)


def _details(facts: Sequence[Node] | Sequence[Edge], fields: tuple[str, ...]) -> list[str | None]:
    """Each fact's detail; at once when no fact has one (a field at a time, in C, instead
    of a function call per fact)."""
    if any(any(map(attrgetter(field), facts)) for field in fields):
        return [_detail(fact, fields) for fact in facts]
    return [None] * len(facts)


def _detail(fact: Node | Edge, fields: tuple[str, ...]) -> str | None:
    """The JSON of a fact's ``fields`` that are not empty; ``None`` when all are."""
    encoded = codec.fields_to_dict(fact, fields)
    return codec.dumps(encoded) if encoded else None
