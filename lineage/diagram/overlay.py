"""A view as a C4-overlay Markdown document, in the style of the overlays the C4 importer reads:
a source inventory (freshness and mode), the Mermaid flowchart, and the ``yaml lineage``
corrections block that maps each box to its node. Ready to commit next to architecture docs;
importing it again gives back the same nodes and edges."""

from __future__ import annotations

import yaml

from lineage.diagram.mermaid import corrections, flowchart
from lineage.diagram.view import View
from lineage.model import Kind, Mode, Node


def to_overlay(view: View) -> str:
    parts = [f"# Lineage overlay: {_cell(view.title)}", ""]
    parts += [
        f"{len(view.nodes)} nodes and {len(view.edges)} data-flow edges, as the lineage "
        "service holds them. Solid edges are streaming, dashed ones batch.",
        "",
    ]
    if view.hidden:
        parts += [f"This view is collapsed: {view.hidden}.", ""]
    sources = [node for node in view.nodes if node.kind is Kind.SOURCE]
    if sources and not view.hidden:
        parts += ["## Source inventory", ""]
        parts += ["| ID | Processing | Freshness |", "|----|-----------|-----------|"]
        parts += [_inventory_row(node) for node in sources]
        parts.append("")
    parts += ["## Lineage", "", "```mermaid", *flowchart(view), "```", ""]
    block = yaml.safe_dump(corrections(view), allow_unicode=True, sort_keys=False).rstrip()
    parts += ["## Corrections", "", "```yaml lineage", block, "```", ""]
    return "\n".join(parts)


def _inventory_row(node: Node) -> str:
    """The source by its key alone: a name cell would be read for IDs (``X-1: a name``)."""
    key = node.id.split(":", 1)[1]
    mode = "" if node.mode is Mode.UNKNOWN else node.mode.value.replace("_", "-")
    freshness = node.freshness.text if node.freshness else ""
    return f"| {_cell(key)} | {_cell(mode)} | {_cell(freshness)} |"


def _cell(text: str) -> str:
    """Table text on one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
