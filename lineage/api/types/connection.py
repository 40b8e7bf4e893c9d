"""Cursor pagination over node lists (the Relay connection shape, with ``totalCount``).

A cursor is the opaque, URL-safe base64 of the last node id seen; the store lists nodes ordered
by id, so "after a cursor" means "ids greater than that one" and survives inserts.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

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
    def from_domain(
        cls, nodes: Sequence[model.Node], *, first: int, after: str | None
    ) -> NodeConnection:
        """One page of ``nodes`` (ordered by id): up to ``first`` after the ``after`` cursor."""
        start = 0
        if after is not None:
            last_seen = decode_cursor(after)
            start = next((i for i, n in enumerate(nodes) if n.id > last_seen), len(nodes))
        page = nodes[start : start + first]
        edges = [
            NodeConnectionEdge(cursor=encode_cursor(n.id), node=Node.from_domain(n)) for n in page
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=start + len(page) < len(nodes),
                has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=len(nodes),
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
