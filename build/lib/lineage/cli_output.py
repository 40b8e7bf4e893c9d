"""How the CLI shows answers: one JSON document with ``--json``, rich tables otherwise.

The JSON shapes are a public contract (scripts and CI pipelines parse them): extend them,
never rename a key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.analysis.graph import GraphSummary
from lineage.analysis.loops import FeedbackLoop
from lineage.analysis.traverse import Lineage
from lineage.freshness import describe_seconds
from lineage.model import Edge, Node
from lineage.service import ImportReport, NodeDescription


def print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=2, default=str))


# -- JSON shapes ---------------------------------------------------------------------------


def node_json(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.display_name,
        "mode": node.mode.value,
        "freshness_seconds": node.freshness_seconds,
        "freshness": node.freshness.text if node.freshness else None,
        "last_updated": node.last_updated.isoformat() if node.last_updated else None,
        "aliases": list(node.aliases),
        "properties": dict(node.properties),
        "origins": [{"origin": p.origin, "location": p.location} for p in node.origins],
    }


def edge_json(edge: Edge) -> dict[str, Any]:
    return {
        "from": edge.source,
        "to": edge.target,
        "type": edge.type.value,
        "label": edge.label,
        "role": edge.role.value,
        "mode": edge.mode.value,
        "freshness_seconds": edge.freshness.seconds if edge.freshness else None,
        "origins": [{"origin": p.origin, "location": p.location} for p in edge.origins],
    }


def lineage_json(result: Lineage) -> dict[str, Any]:
    return {
        "root": result.root.id,
        "direction": result.direction.value,
        "nodes": [
            {
                "id": reached.node.id,
                "kind": reached.node.kind.value,
                "name": reached.node.display_name,
                "mode": reached.node.mode.value,
                "distance": reached.distance,
                "path": list(reached.path),
            }
            for reached in result.nodes
        ],
        "truncated": result.truncated,
        "reason": result.reason,
        "total_count": result.total_count,
    }


def loops_json(loops: list[FeedbackLoop]) -> dict[str, Any]:
    return {
        "loops": [
            {
                "kind": loop.kind.value,
                "nodes": list(loop.nodes),
                "cycles": [list(cycle) for cycle in loop.cycles],
                "models": list(loop.models),
                "sources": list(loop.sources),
                "modes": [mode.value for mode in loop.modes],
                "truncated": loop.truncated,
            }
            for loop in loops
        ]
    }


def import_json(report: ImportReport) -> dict[str, Any]:
    return {
        "imported": [
            {
                "origin": r.origin,
                "nodes": r.nodes,
                "edges": r.edges,
                "nodes_removed": r.nodes_removed,
                "edges_removed": r.edges_removed,
            }
            for r in report.results
        ],
        "warnings": [{"location": w.location, "message": w.message} for w in report.warnings],
    }


def summary_json(summary: GraphSummary) -> dict[str, Any]:
    return {
        "nodes": summary.nodes,
        "edges": summary.edges,
        "nodes_by_kind": {kind.value: count for kind, count in summary.nodes_by_kind.items()},
        "edges_by_type": {kind.value: count for kind, count in summary.edges_by_type.items()},
    }


# -- tables --------------------------------------------------------------------------------


def nodes_table(nodes: list[Node]) -> Table:
    table = _table(
        "id", "kind", "name", "mode", "freshness", "aliases", title=f"{len(nodes)} nodes"
    )
    for node in nodes:
        table.add_row(
            node.id,
            node.kind.value,
            node.display_name,
            node.mode.value,
            describe_seconds(node.freshness_seconds),
            ", ".join(node.aliases),
        )
    return table


def show_node(console: Console, described: NodeDescription) -> None:
    node, inputs, outputs = described.node, described.inputs, described.outputs
    console.print(Text.assemble((node.id, "bold"), "  ", node.display_name))
    console.print(f"  kind {node.kind.value}, mode {node.mode.value}")
    if node.freshness:
        seconds = describe_seconds(node.freshness.seconds)
        console.print(f"  freshness {node.freshness.text!r} ({seconds})")
    if node.last_updated:
        console.print(f"  last updated {node.last_updated.isoformat()}")
    if node.aliases:
        console.print(f"  aliases {', '.join(node.aliases)}")
    for key, value in sorted(node.properties.items()):
        console.print(f"  {key}: {value}")
    for provenance in node.origins:
        console.print(f"  from {short_origin(provenance.origin)} ({provenance.location or '-'})")
    for title, edges, end in (("inputs", inputs, "source"), ("outputs", outputs, "target")):
        table = _table("node", "edge", "role", "label", title=f"{title} ({len(edges)})")
        for edge in edges:
            table.add_row(getattr(edge, end), edge.type.value, edge.role.value, edge.label or "")
        console.print(table)


def lineage_table(result: Lineage) -> Table:
    table = _table(
        "hops",
        "id",
        "kind",
        "mode",
        "path",
        title=f"{result.direction.value} of {result.root.id}: {len(result.nodes)} nodes",
    )
    for reached in result.nodes:
        table.add_row(
            str(reached.distance),
            reached.node.id,
            reached.node.kind.value,
            reached.node.mode.value,
            " -> ".join(reached.path),
        )
    if result.truncated:
        table.caption = f"truncated: {result.reason}"
    return table


def show_loops(console: Console, loops: list[FeedbackLoop]) -> None:
    console.print(f"{len(loops)} feedback loop(s)")
    for number, loop in enumerate(loops, start=1):
        modes = ", ".join(mode.value for mode in loop.modes) or "unknown"
        console.print(
            Text.assemble(
                (f"\n{number}. {loop.kind.value}", "bold"),
                f": {len(loop.nodes)} nodes, modes {modes}",
            )
        )
        if loop.models:
            console.print(f"   models: {', '.join(loop.models)}")
        if loop.sources:
            console.print(f"   sources: {', '.join(loop.sources)}")
        shown = "first " if loop.truncated else ""
        console.print(f"   {shown}{len(loop.cycles)} cycle(s):")
        for cycle in loop.cycles:
            console.print("   - " + " -> ".join((*cycle, cycle[0])))


def import_lines(report: ImportReport) -> list[str]:
    lines = [
        f"{short_origin(r.origin)}: {r.nodes} nodes, {r.edges} edges"
        + (
            f" ({r.nodes_removed} nodes, {r.edges_removed} edges removed)"
            if r.nodes_removed or r.edges_removed
            else ""
        )
        for r in report.results
    ]
    lines += [f"warning: {warning}" for warning in report.warnings]
    return lines


def summary_table(summary: GraphSummary) -> Table:
    table = _table("", "count", title=f"{summary.nodes} nodes, {summary.edges} edges")
    for kind, count in summary.nodes_by_kind.items():
        table.add_row(kind.value, str(count))
    for edge_type, count in summary.edges_by_type.items():
        table.add_row(edge_type.value, str(count))
    return table


def _table(*headers: str, title: str) -> Table:
    """A table that wraps long ids instead of cutting them."""
    table = Table(title=title)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def short_origin(origin: str) -> str:
    """An origin as a person reads it: a file's absolute path shown relative to the working
    folder when it is inside it (``yaml:examples/platform.lineage.yaml``). JSON keeps the
    full origin, the one ``remove_origin`` takes."""
    scheme, sep, path = origin.partition(":")
    if not sep or not path.startswith("/"):
        return origin
    try:
        return f"{scheme}:{Path(path).relative_to(Path.cwd().resolve()).as_posix()}"
    except ValueError:
        return origin
