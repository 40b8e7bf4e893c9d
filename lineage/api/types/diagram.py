"""The answer to ``diagram``: a drawing of a view of the graph, as text (PNG as base64)."""

from __future__ import annotations

import base64

import strawberry

from lineage import service as domain
from lineage.diagram import Format, GroupBy

DiagramFormat = strawberry.enum(Format, name="DiagramFormat", description="How to draw it.")
DiagramGroupBy = strawberry.enum(GroupBy, name="DiagramGroupBy", description="Subgraphs by.")


@strawberry.type(description="A diagram of a view of the graph.")
class Diagram:
    format: DiagramFormat  # type: ignore[valid-type]
    media_type: str
    content: str = strawberry.field(description="The drawing; PNG is base64-encoded.")
    nodes: int = strawberry.field(description="Boxes drawn (a collapsed group is one box).")
    edges: int
    hidden: str | None = strawberry.field(
        description="What a view beyond its limit collapsed, in words; null when nothing."
    )

    @classmethod
    def from_domain(cls, drawing: domain.Drawing, output: Format) -> Diagram:
        content = (
            base64.b64encode(drawing.content).decode("ascii") if output.binary else drawing.text
        )
        return cls(
            format=output,
            media_type=drawing.media_type,
            content=content,
            nodes=len(drawing.view.nodes),
            edges=len(drawing.view.edges),
            hidden=drawing.view.hidden,
        )
