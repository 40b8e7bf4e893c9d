"""Lineage diagrams: a view of the graph (``view.py``) drawn as Mermaid, a C4-overlay document,
Graphviz DOT, or SVG and PNG rendered by Graphviz.

    view       View (what to draw and what to highlight), GroupBy, collapse beyond a limit
    style      what kind, mode, role and status look like, shared by every format; the legend
    mermaid    a Mermaid flowchart whose front matter maps each box back to its node
    overlay    a C4-overlay Markdown document: a source inventory, the flowchart, corrections
    dot        Graphviz DOT
    render     SVG and PNG from DOT through Graphviz's ``dot`` (exit 3 when it is missing)

The Mermaid and overlay outputs import back with the C4 importer to the same nodes and edges.
"""

from lineage.diagram.view import Format, GroupBy, View

__all__ = ["Format", "GroupBy", "View"]
