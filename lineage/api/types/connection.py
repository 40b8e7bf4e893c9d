"""Cursor pagination over node lists (the Relay connection shape, with ``totalCount``).

A cursor is the opaque, URL-safe base64 of the last node id seen; the store lists nodes ordered
by id, so "after a cursor" means "ids greater than that one" and survives inserts.

The ``GraphStore`` protocol has no paged listing (only ``list_nodes``, every match), so each page
still lists every matching node from the store; ``NodePage.cut`` then finds the cursor by
binary search and only the page's nodes become GraphQL objects. A store-side page (``after``
and ``limit`` in ``list_nodes``, plus a count) is what would remove the full listing.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import strawberry

from lineage import model
from lineage.api.types.node import Node
from lineage.errors import InputError

_PREFIX = "node:"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class NodeConnectionEdge:
    cursor: str
    node: Node


@strawberry.type(description="A page of nodes.")
class NodeConnection:
    edges: list[NodeConnectionEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All matching nodes, on every page.")

    @strawberry.field(description="The page's nodes, without cursors.")
    def nodes(self) -> list[Node]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(cls, page: NodePage) -> NodeConnection:
        edges = [
            NodeConnectionEdge(cursor=encode_cursor(n.id), node=Node.from_domain(n))
            for n in page.nodes
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.start + len(page.nodes) < page.total,
                has_previous_page=page.start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


@dataclass(frozen=True)
class NodePage:
    """Up to ``first`` nodes after a cursor, with where they start and how many match."""

    nodes: Sequence[model.Node]
    start: int
    total: int

    @classmethod
    def cut(cls, nodes: Sequence[model.Node], *, first: int, after: str | None) -> NodePage:
        """The page of ``nodes`` (ordered by id) after the node id ``after`` (decoded)."""
        start = 0 if after is None else bisect.bisect_right(nodes, after, key=_node_id)
        return cls(nodes=nodes[start : start + first], start=start, total=len(nodes))


def _node_id(node: model.Node) -> str:
    return node.id


def encode_cursor(node_id: str) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{node_id}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX):
        raise InputError(f"not a cursor this server issued: {cursor!r}")
    return text.removeprefix(_PREFIX)
