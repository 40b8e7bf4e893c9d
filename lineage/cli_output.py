"""How the CLI shows answers: one JSON document with ``--json``, rich tables otherwise.

The JSON shapes are a public contract (scripts and CI pipelines parse them): extend them,
never rename a key.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lineage.bounds import Truncation
from lineage.freshness import describe_seconds
from lineage.model import Edge, Node
from lineage.service import (
    AffectedModel,
    FeedbackLoop,
    FlowPath,
    FreshnessConflict,
    GraphSummary,
    ImpactReport,
    ImportReport,
    JobRun,
    JobStatus,
    Lineage,
    NodeDescription,
    NodeStaleness,
    PathSearch,
    PathStep,
    RollupRun,
    SchemaCheck,
    SchemaImpact,
    StalenessReport,
)
from lineage.wording import reason


def print_json(document: dict[str, Any]) -> None:
    """One indented UTF-8 JSON document on stdout. orjson encodes in C what the standard
    library's indenting encoder does in Python (a 190k-node answer: 0.1 s, not 2 s), and
    writes no ``NaN``: a float that is not a number becomes ``null``."""
    encoded = orjson.dumps(document, default=str, option=orjson.OPT_INDENT_2)
    sys.stdout.flush()  # after any text already printed
    sys.stdout.buffer.write(encoded + b"\n")
    sys.stdout.flush()


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
        **truncation_json(result.truncations),
        "total_count": result.total_count,
    }


def truncation_json(truncations: tuple[Truncation, ...]) -> dict[str, Any]:
    """``truncated``, ``reason`` (one line) and ``truncations`` (each bound that cut)."""
    return {
        "truncated": bool(truncations),
        "reason": reason(truncations),
        "truncations": [
            {
                "bound": t.bound.value,
                "limit": t.limit,
                "direction": t.direction.value if t.direction else None,
                "node": t.node,
            }
            for t in truncations
        ],
    }


def impact_json(report: ImpactReport) -> dict[str, Any]:
    """The GraphQL ``impact`` answer, in the CLI's snake_case."""
    return {
        "root": report.root.id,
        "by_kind": [
            {"kind": kind.value, "count": len(nodes), "nodes": [node.id for node in nodes]}
            for kind, nodes in report.by_kind.items()
        ],
        "models": [_affected_model_json(model) for model in report.models],
        **truncation_json(report.truncations),
        "total_count": report.total_count,
    }


def _affected_model_json(affected: AffectedModel) -> dict[str, Any]:
    slowest = affected.slowest
    return {
        "id": affected.model.id,
        "name": affected.model.display_name,
        "distance": affected.distance,
        "modes": [mode.value for mode in affected.modes],
        "freshness_conflict": affected.freshness_conflict,
        "slowest": _step_json(slowest) if slowest else None,
        "path": list(affected.path),
        "steps": [_step_json(step) for step in affected.steps],
    }


def _step_json(step: PathStep) -> dict[str, Any]:
    return {
        "id": step.node.id,
        "modes": [mode.value for mode in step.modes],
        "freshness_seconds": step.freshness_seconds,
        "via": edge_json(step.via) if step.via else None,
    }


def paths_json(search: PathSearch) -> dict[str, Any]:
    """The GraphQL ``paths`` answer, in the CLI's snake_case."""
    return {
        "from": search.source.id,
        "to": search.target.id,
        "paths": [
            {
                "length": path.length,
                "nodes": list(path.nodes),
                "edges": [edge_json(edge) for edge in path.edges],
            }
            for path in search.paths
        ],
        **truncation_json(search.truncations),
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
                **truncation_json(loop.truncations),
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
    _caption_truncation(table, result.truncations)
    return table


def show_impact(console: Console, report: ImpactReport) -> None:
    """Affected nodes by kind, then each affected model with the way to it."""
    kinds = _table("kind", "count", "nearest", title=f"a change to {report.root.id} reaches")
    for kind, nodes in report.by_kind.items():
        kinds.add_row(kind.value, str(len(nodes)), ", ".join(node.id for node in nodes[:3]))
    console.print(kinds)
    console.print(f"{len(report.models)} model(s) affected")
    for affected in report.models:
        modes = ", ".join(mode.value for mode in affected.modes) or "mode unknown"
        facts = [f"{affected.distance} hop(s)", modes, *_slowest_text(affected)]
        if affected.freshness_conflict:
            facts.append("freshness conflict")
        console.print(Text.assemble(("  " + affected.model.id, "bold"), "  " + "; ".join(facts)))
        console.print("    " + " -> ".join(affected.path))
    if report.truncated:
        console.print(f"truncated: {reason(report.truncations)}")


def _slowest_text(affected: AffectedModel) -> list[str]:
    slowest = affected.slowest
    if slowest is None:
        return []
    return [f"slowest {slowest.node.id} ({describe_seconds(slowest.freshness_seconds)})"]


def paths_table(search: PathSearch) -> Table:
    title = f"{len(search.paths)} path(s) from {search.source.id} to {search.target.id}"
    table = _table("#", "length", "path", "roles", title=title)
    for number, path in enumerate(search.paths, start=1):
        table.add_row(str(number), str(path.length), " -> ".join(path.nodes), _roles(path))
    _caption_truncation(table, search.truncations)
    return table


def _roles(path: FlowPath) -> str:
    return ", ".join(dict.fromkeys(edge.role.value for edge in path.edges))


def _caption_truncation(table: Table, truncations: tuple[Truncation, ...]) -> None:
    if truncations:
        table.caption = f"truncated: {reason(truncations)}"


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


def show_schema_check(console: Console, result: SchemaCheck) -> None:
    verdict = "compatible" if result.compatible else "INCOMPATIBLE"
    console.print(
        Text(
            f"{result.subject}: {verdict} under {result.mode.value} "
            f"(against version {result.latest_version}"
            f"{' and earlier' if result.mode.transitive else ''})"
        )
    )
    for problem in result.problems:
        console.print(Text(f"  v{problem.version}, {problem.direction.value}: {problem.message}"))
    if result.diff:
        table = Table("change", "field", "before", "after")
        for change in result.diff:
            table.add_row(
                change.change.value, change.field, change.before or "", change.after or ""
            )
        console.print(table)


def show_schema_impact(console: Console, report: SchemaImpact) -> None:
    from lineage.schema_report import summary_line

    console.print(Text(summary_line(report), style="bold"))
    show_schema_check(console, report.check)
    console.print(Text(f"rollout: {report.rollout}"))
    if not report.consumers:
        console.print("no job, feature or model is downstream of the subject's topics")
        return
    table = Table("consumer", "kind", "hops", "hit", "mode", "freshness", "path")
    for consumer in report.consumers:
        table.add_row(
            Text(consumer.node.id),
            consumer.node.kind.value,
            str(consumer.distance),
            "hit" if consumer.hit else "reached",
            consumer.node.mode.value,
            describe_seconds(consumer.steps[-1].freshness_seconds),
            Text(" -> ".join(consumer.path)),
        )
    console.print(table)


def staleness_json(report: StalenessReport, entries: list[NodeStaleness]) -> dict[str, Any]:
    return {
        "at": report.at.isoformat(),
        "counts": report.counts(),
        "nodes": [
            {
                "id": e.node.id,
                "own": e.own.value,
                "effective": e.effective.value,
                "age_seconds": e.age_seconds,
                "bound_seconds": e.bound_seconds,
                "cause": {"id": e.cause, "path": list(e.cause_path)} if e.cause else None,
                "training": (
                    {"status": e.training.value, "cause": e.training_cause} if e.training else None
                ),
            }
            for e in entries
        ],
    }


def show_staleness(console: Console, report: StalenessReport, entries: list[NodeStaleness]) -> None:
    counts = ", ".join(f"{count} {status}" for status, count in report.counts().items())
    console.print(Text(f"at {report.at.isoformat(timespec='seconds')}: {counts}"))
    table = Table("node", "own", "effective", "age", "bound", "cause")
    for e in entries:
        table.add_row(
            Text(e.node.id),
            e.own.value,
            e.effective.value,
            describe_seconds(e.age_seconds),
            describe_seconds(e.bound_seconds),
            Text(" -> ".join(e.cause_path)) if e.cause else "",
        )
    console.print(table)


def conflicts_json(conflicts: tuple[FreshnessConflict, ...]) -> dict[str, Any]:
    return {
        "conflicts": [
            {
                "id": c.node.id,
                "kind": c.node.kind.value,
                "required_seconds": c.required_seconds,
                "achievable_seconds": c.achievable_seconds,
                "edge": {"source": c.edge.source, "target": c.edge.target},
                "path": list(c.path),
            }
            for c in conflicts
        ]
    }


def show_conflicts(console: Console, conflicts: tuple[FreshnessConflict, ...]) -> None:
    console.print(Text(f"{len(conflicts)} freshness conflict(s)"))
    table = Table("node", "needs", "can get", "offending edge", "path")
    for c in conflicts:
        table.add_row(
            Text(c.node.id),
            describe_seconds(c.required_seconds),
            describe_seconds(c.achievable_seconds),
            Text(f"{c.edge.source} -> {c.edge.target}"),
            Text(" -> ".join(c.path)),
        )
    console.print(table)


def rollup_json(run: RollupRun) -> dict[str, Any]:
    return asdict(run)


def show_rollups(console: Console, runs: list[RollupRun]) -> None:
    table = Table("at", "FRESH", "UNKNOWN", "STALE", "conflicts", "took")
    for run in runs:
        counts = run.counts
        table.add_row(
            run.at,
            *(str(counts.get(status, 0)) for status in ("FRESH", "UNKNOWN", "STALE")),
            str(len(run.conflicts)),
            f"{run.duration_seconds:.2f}s",
        )
    console.print(table)
    if runs and runs[0].stale:
        stale = Table("stale node", "own", "since", "cause", title=f"stale at {runs[0].at}")
        for node in runs[0].stale:
            stale.add_row(Text(node.id), node.own, node.since, Text(" -> ".join(node.path)))
        console.print(stale)


def job_run_json(run: JobRun) -> dict[str, Any]:
    return asdict(run)


def job_status_json(status: JobStatus) -> dict[str, Any]:
    return {
        "name": status.name,
        "kind": status.kind,
        "importer": status.importer,
        "schedule": status.schedule,
        "last": job_run_json(status.last) if status.last else None,
        "history": [job_run_json(run) for run in status.history],
    }


def job_run_line(run: JobRun) -> str:
    done = f"{run.name}: {run.outcome.value} in {run.duration_seconds:.2f}s"
    if run.error:
        return f"{done}: {run.error}"
    if run.origins:
        return f"{done}: {run.origins} origin(s), {run.nodes} node(s), {run.edges} edge(s)"
    return done


def show_jobs(console: Console, statuses: list[JobStatus]) -> None:
    table = Table("job", "kind", "schedule", "last start", "outcome", "took", "error")
    for status in statuses:
        last = status.last
        table.add_row(
            Text(status.name),
            status.importer or status.kind,
            status.schedule or "by hand",
            last.started if last else "never",
            last.outcome.value if last else "",
            f"{last.duration_seconds:.2f}s" if last else "",
            Text(last.error or "") if last else "",
        )
    console.print(table)
