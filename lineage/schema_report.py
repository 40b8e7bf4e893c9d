"""Schema-change answers as JSON, and the impact report as Markdown (a pull-request
comment) or one HTML page.

The JSON is a public contract (CI jobs parse it): extend it, never rename a key.
"""

from __future__ import annotations

import html
from typing import Any

from lineage.freshness import describe_seconds
from lineage.service import Consumer, PathStep, SchemaCheck, SchemaImpact


def check_json(check: SchemaCheck) -> dict[str, Any]:
    """``lineage schema check --json``: the verdict, its messages, the field diff."""
    return {
        "subject": check.subject,
        "schema_node": check.schema_node.id,
        "mode": check.mode.value,
        "latest_version": check.latest_version,
        "compatible": check.compatible,
        "messages": [
            {
                "version": p.version,
                "direction": p.direction.value,
                "field": p.field,
                "message": p.message,
            }
            for p in check.problems
        ],
        "diff": [
            {"change": c.change.value, "field": c.field, "before": c.before, "after": c.after}
            for c in check.diff
        ],
    }


def impact_json(report: SchemaImpact) -> dict[str, Any]:
    """``lineage schema-impact --format json``: the check, then what it reaches."""
    return {
        **check_json(report.check),
        "topics": list(report.topics),
        "consumers": [_consumer_json(consumer) for consumer in report.consumers],
        "rollout": report.rollout,
        "verdict": report.verdict.value,
    }


def _consumer_json(consumer: Consumer) -> dict[str, Any]:
    last = consumer.steps[-1]
    return {
        "id": consumer.node.id,
        "kind": consumer.node.kind.value,
        "name": consumer.node.display_name,
        "distance": consumer.distance,
        "path": list(consumer.path),
        "mode": consumer.node.mode.value,
        "freshness_seconds": last.freshness_seconds,
        "hit": consumer.hit,
        "reads": list(consumer.reads) if consumer.reads is not None else None,
    }


def summary_line(report: SchemaImpact) -> str:
    check = report.check
    state = "compatible" if check.compatible else "incompatible"
    models = sum(1 for c in report.hit if c.node.kind.value == "model")
    return (
        f"{report.verdict.value}: {check.subject} is {state} under {check.mode.value}; "
        f"{len(report.hit)} of {len(report.consumers)} consumers hit ({models} models)"
    )


def impact_markdown(report: SchemaImpact) -> str:
    """A pull-request comment: the summary, the problems, the diff, the consumers."""
    check = report.check
    lines = [f"### Schema change: {_md(check.subject)}", "", f"**{_md(summary_line(report))}**", ""]
    if check.problems:
        lines += [f"- v{p.version}, {p.direction.value}: {_md(p.message)}" for p in check.problems]
        lines.append("")
    lines += [f"Rollout: {report.rollout}.", ""]
    if check.diff:
        lines += ["| change | field | before | after |", "|---|---|---|---|"]
        lines += [
            f"| {c.change.value} | `{_md(c.field)}` | {_md(c.before or '')} "
            f"| {_md(c.after or '')} |"
            for c in check.diff
        ]
        lines.append("")
    if report.consumers:
        lines += [
            "| consumer | kind | hops | hit | mode | freshness | path |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [_consumer_row(consumer) for consumer in report.consumers]
    else:
        lines.append("No job, feature or model is downstream of the subject's topics.")
    return "\n".join(lines) + "\n"


def _consumer_row(consumer: Consumer) -> str:
    fresh = _freshness(consumer.steps[-1])
    path = " → ".join(f"`{_md(node_id)}`" for node_id in consumer.path)
    return (
        f"| `{_md(consumer.node.id)}` | {consumer.node.kind.value} | {consumer.distance} | "
        f"{'**hit**' if consumer.hit else 'reached'} | {consumer.node.mode.value} | {fresh} "
        f"| {path} |"
    )


def impact_html(report: SchemaImpact) -> str:
    """One standalone page: no script, no external resource."""
    check = report.check
    e = html.escape
    problems = "".join(
        f"<li>v{p.version}, {e(p.direction.value)}: {e(p.message)}</li>" for p in check.problems
    )
    diff = "".join(
        f"<tr><td>{e(c.change.value)}</td><td><code>{e(c.field)}</code></td>"
        f"<td>{e(c.before or '')}</td><td>{e(c.after or '')}</td></tr>"
        for c in check.diff
    )
    consumers = "".join(
        f'<tr class="{"hit" if c.hit else "reached"}"><td><code>{e(c.node.id)}</code></td>'
        f"<td>{e(c.node.kind.value)}</td><td>{c.distance}</td>"
        f"<td>{'hit' if c.hit else 'reached'}</td><td>{e(c.node.mode.value)}</td>"
        f"<td>{e(_freshness(c.steps[-1]))}</td><td>{e(' → '.join(c.path))}</td></tr>"
        for c in report.consumers
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Schema change: {e(check.subject)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
td, th {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }}
tr.hit td {{ background: #fde8e8; }}
.verdict-FAIL {{ color: #b00020; }} .verdict-WARN {{ color: #a15c00; }}
.verdict-PASS {{ color: #1b7f3b; }}
</style></head><body>
<h1>Schema change: {e(check.subject)}</h1>
<p class="verdict-{report.verdict.value}"><strong>{e(summary_line(report))}</strong></p>
<ul>{problems}</ul>
<p>Rollout: {e(report.rollout)}.</p>
<h2>Fields</h2>
<table><tr><th>change</th><th>field</th><th>before</th><th>after</th></tr>{diff}</table>
<h2>Consumers</h2>
<table><tr><th>consumer</th><th>kind</th><th>hops</th><th>hit</th><th>mode</th><th>freshness</th>
<th>path</th></tr>{consumers}</table>
</body></html>
"""


def _freshness(step: PathStep) -> str:
    return describe_seconds(step.freshness_seconds)


def _md(text: str) -> str:
    """Text safe in a Markdown table cell: pipes and backticks escaped, one line."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")
