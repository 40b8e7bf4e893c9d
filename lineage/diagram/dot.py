"""A view as Graphviz DOT: a shape per kind, dashed batch edges, stale, conflicting and loop
elements coloured, subgraph clusters per group, and a legend cluster. Every id and label is a
quoted DOT string, escaped, so any node name renders."""

from __future__ import annotations

import itertools
from collections import defaultdict

from lineage.diagram import style
from lineage.diagram.view import View
from lineage.model import Kind, Node


def to_dot(view: View) -> str:
    by_id = {node.id: node for node in view.nodes}
    lines = [
        "digraph lineage {",
        f"  graph [rankdir=LR, fontname=Helvetica, label={quote(_caption(view))}, labelloc=t];",
        "  node [fontname=Helvetica, fontsize=10, style=filled, fillcolor=white];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    groups: dict[str | None, list[Node]] = defaultdict(list)
    for node in view.nodes:
        groups[view.group_of(node)].append(node)
    for index, (group, nodes) in enumerate(sorted(groups.items(), key=lambda g: g[0] or "")):
        indent = "  "
        if group is not None:
            lines.append(f"  subgraph cluster_{index} {{ label={quote(group)}; style=rounded;")
            indent = "    "
        lines += [indent + _node(node, view) for node in nodes]
        if group is not None:
            lines.append("  }")
    for edge in view.edges:
        attributes = []
        label = style.edge_label(edge, view.edge_counts.get((edge.source, edge.target)))
        if label:
            attributes.append(f"label={quote(label)}")
        if style.dashed(edge, by_id[edge.source]):
            attributes.append("style=dashed")
        if (edge.source, edge.target) in view.loop_edges:
            attributes.append(f'color="{style.LOOP_COLOUR}", penwidth=2.5')
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [{', '.join(attributes)}];")
    if view.legend:
        lines += _legend()
    lines.append("}")
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def _node(node: Node, view: View) -> str:
    label = f"{node.name or node.id}\n{style.node_details(node)}"
    attributes = [f"label={quote(label)}", f"shape={style.DOT_SHAPES[node.kind]}"]
    attributes.append(f"tooltip={quote(node.id)}")
    if node.id in view.stale:
        attributes.append(f'color="{style.STALE_COLOUR}", penwidth=2.5, fillcolor="#fde0e0"')
    elif node.id in view.conflicts:
        attributes.append(f'color="{style.CONFLICT_COLOUR}", penwidth=2.5, fillcolor="#ffefd9"')
    if node.id == view.focus:
        attributes.append(f'color="{style.FOCUS_COLOUR}", penwidth=3')
    return f"{quote(node.id)} [{', '.join(attributes)}];"


def _caption(view: View) -> str:
    return f"{view.title}\n{view.hidden}" if view.hidden else view.title


def _legend() -> list[str]:
    """One row: a box per kind, then stale and conflict, the first three joined by the edge
    styles (streaming, batch, loop) and the rest by invisible edges that keep them in line."""
    lines = ['  subgraph cluster_legend { label="Legend"; style=dashed; fontsize=10;']
    names = [kind.value for kind in Kind]
    for kind in Kind:
        label = quote(kind.value)
        lines.append(f'    "legend:{kind.value}" [label={label}, shape={style.DOT_SHAPES[kind]}];')
    lines.append(f'    "legend:stale" [label="stale", color="{style.STALE_COLOUR}", penwidth=2.5];')
    lines.append(
        f'    "legend:conflict" [label="conflict", color="{style.CONFLICT_COLOUR}", penwidth=2.5];'
    )
    chain = [f'"legend:{name}"' for name in [*names, "stale", "conflict"]]
    looks = [
        'label="streaming"',
        'label="batch", style=dashed',
        f'label="loop", color="{style.LOOP_COLOUR}", penwidth=2.5',
    ]
    for index, (a, b) in enumerate(itertools.pairwise(chain)):
        look = looks[index] if index < len(looks) else "style=invis"
        lines.append(f"    {a} -> {b} [{look}];")
    lines.append("  }")
    return lines
