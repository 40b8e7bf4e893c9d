"""A view as a Mermaid flowchart.

Boxes get the ids ``n0``, ``n1``... (Mermaid ids cannot hold every node id); the YAML front
matter's ``lineage`` key maps each back to its node's id, kind, name, mode and freshness, the
corrections block the C4 importer reads, so the flowchart imports back to the same graph. The
legend is a subgraph the same block tells the importer to ignore. Labels are escaped with
Mermaid's entity codes, so any name renders: quotes, brackets, ``|``, ``#``, ``<``, non-ASCII.
"""

from __future__ import annotations

from typing import Any

import yaml

from lineage.diagram import style
from lineage.diagram.view import View
from lineage.model import Kind, NodeId

_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "\n": " "}


def to_mermaid(view: View, *, front_matter: bool = True) -> str:
    """The flowchart text, with its corrections as front matter (``front_matter=False``: the
    caller writes them elsewhere, as the overlay does; see :func:`corrections`)."""
    lines = []
    if front_matter:
        matter = {"title": view.title, "lineage": corrections(view)}
        lines = ["---", yaml.safe_dump(matter, allow_unicode=True, sort_keys=False).rstrip(), "---"]
    lines += flowchart(view)
    return "\n".join(lines) + "\n"


def box_ids(view: View) -> dict[NodeId, str]:
    return {node.id: f"n{i}" for i, node in enumerate(view.nodes)}


def corrections(view: View) -> dict[str, Any]:
    """What each box is: the block the C4 importer reads before inferring anything."""
    ids = box_ids(view)
    nodes: dict[str, Any] = {}
    for node in view.nodes:
        entry: dict[str, Any] = {"id": str(node.id), "kind": node.kind.value}
        if node.name:
            entry["name"] = node.name
        entry["mode"] = node.mode.value
        entry["freshness"] = node.freshness.text if node.freshness else None
        nodes[ids[node.id]] = entry
    legend = [f"legend{i}" for i in range(len(LEGEND_BOXES))] if view.legend else []
    return {"nodes": nodes, "ignore": legend}


def flowchart(view: View) -> list[str]:
    ids = box_ids(view)
    by_id = {node.id: node for node in view.nodes}
    lines = ["flowchart LR"]
    if view.hidden:
        lines.append(f"    %% {view.hidden}")
    groups: dict[str | None, list[str]] = {}
    for node in view.nodes:
        opening, closing = style.MERMAID_SHAPES[node.kind]
        label = escape(node.name or node.id) + "<br/>" + escape(style.node_details(node))
        groups.setdefault(view.group_of(node), []).append(
            f'{ids[node.id]}{opening}"{label}"{closing}'
        )
    for index, (group, boxes) in enumerate(sorted(groups.items(), key=lambda g: g[0] or "")):
        if group is None:
            lines += [f"    {box}" for box in boxes]
            continue
        lines.append(f'    subgraph group{index}["{escape(group)}"]')
        lines += [f"        {box}" for box in boxes]
        lines.append("    end")
    for index, edge in enumerate(view.edges):
        arrow = "-.->" if style.dashed(edge, by_id[edge.source]) else "-->"
        label = style.edge_label(edge, view.edge_counts.get((edge.source, edge.target)))
        middle = f'|"{escape(label)}"|' if label else ""
        lines.append(f"    {ids[edge.source]} {arrow}{middle} {ids[edge.target]}")
        if (edge.source, edge.target) in view.loop_edges:
            lines.append(f"    linkStyle {index} stroke:{style.LOOP_COLOUR},stroke-width:3px")
    lines += _classes(view, ids)
    if view.legend:
        lines += _legend()
    return lines


def escape(text: str) -> str:
    return "".join(_ENTITIES.get(char, char) for char in text)


def _classes(view: View, ids: dict[NodeId, str]) -> list[str]:
    lines = [
        f"    classDef stale stroke:{style.STALE_COLOUR},stroke-width:3px",
        f"    classDef conflict stroke:{style.CONFLICT_COLOUR},stroke-width:3px",
        f"    classDef focus stroke:{style.FOCUS_COLOUR},stroke-width:4px",
    ]
    for name, members in (("conflict", view.conflicts), ("stale", view.stale)):
        drawn = sorted(ids[n] for n in members if n in ids)
        if drawn:
            lines.append(f"    class {','.join(drawn)} {name}")
    if view.focus in ids:
        lines.append(f"    class {ids[view.focus]} focus")
    return lines


LEGEND_BOXES = (
    *(
        f'{style.MERMAID_SHAPES[kind][0]}"{kind.value}"{style.MERMAID_SHAPES[kind][1]}'
        for kind in Kind
    ),
    '["stale"]:::stale',
    '["freshness conflict"]:::conflict',
)
"""The legend's boxes, ``legend0``, ``legend1``...: a shape per kind, then the highlights."""


def _legend() -> list[str]:
    lines = ['    subgraph legend["Legend"]', "    direction TB"]
    lines += [f"        legend{i}{box}" for i, box in enumerate(LEGEND_BOXES)]
    lines.append('        legend0 -->|"streaming"| legend1')
    lines.append('        legend1 -.->|"batch"| legend2')
    lines.append("    end")
    return lines
