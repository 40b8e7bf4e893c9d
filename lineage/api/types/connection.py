"""Cursor pagination over node lists (the Relay connection shape, with ``totalCount``).

A cursor is the opaque, URL-safe base64 of the last node id seen; the store lists nodes ordered
by id, so "after a cursor" means "ids greater than that one" and survives inserts. The store
does the paging (``list_nodes(after=..., limit=...)``) and the counting, so a page costs what
its nodes cost, not what the whole listing would.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from lineage.api.types.node import Node
from lineage.errors import InputError
from lineage.service import NodePage

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
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )


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
