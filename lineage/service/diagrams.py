"""Diagrams of the graph: the views users ask for, built from the store and drawn in a format.

    whole graph            every node and data-flow edge
    --root NODE            up, down or both ways from a node, to a depth
    --loop N               one feedback loop (1 is the first `lineage loops` lists)
    --impact SUBJECT FILE  the consumers a schema change hits, and the subject
    --stale                the stale nodes and the paths from their causes

Every view marks the stale nodes and the freshness conflicts, judged once per drawing from one
snapshot, and collapses by group beyond its limit (``lineage.diagram.view.collapse``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lineage.analysis.conflicts import find_conflicts
from lineage.analysis.lookup import resolve_node
from lineage.analysis.loops import feedback_loops
from lineage.analysis.schema_impact import schema_change_impact
from lineage.analysis.staleness import NO_DEFAULTS, Status, rollup
from lineage.analysis.traverse import lineage
from lineage.avro.schemas import Json
from lineage.bulk import pauses_collector
from lineage.diagram import Format, GroupBy, View
from lineage.diagram.dot import to_dot
from lineage.diagram.mermaid import to_mermaid
from lineage.diagram.overlay import to_overlay
from lineage.diagram.render import render
from lineage.diagram.view import DEFAULT_LIMIT, collapse, data_flow
from lineage.errors import InputError
from lineage.model import Direction, EdgeType, Kind, NodeId
from lineage.store.base import GraphSnapshot, GraphStore

FEEDS = frozenset({EdgeType.FEEDS})
DIRECTIONS = {
    "up": Direction.UPSTREAM,
    "down": Direction.DOWNSTREAM,
    **{direction.value: direction for direction in Direction},
}
"""What a view's direction may be called: ``up``, ``down``, ``both``, or the full names."""


def direction_of(text: str) -> Direction:
    try:
        return DIRECTIONS[text.strip().lower()]
    except KeyError:
        raise InputError(f"direction {text!r} is not one of: up, down, both") from None


@dataclass(frozen=True)
class ViewRequest:
    root: str | None = None
    direction: Direction = Direction.BOTH
    depth: int = 2
    loop: int | None = None
    impact: tuple[str, Json] | None = None
    """A schema subject and its proposed schema."""
    stale: bool = False
    kinds: frozenset[Kind] = frozenset()
    """Draw only nodes of these kinds (and the root); empty: every kind."""
    group_by: GroupBy = GroupBy.NONE
    limit: int = DEFAULT_LIMIT
    legend: bool = True
    at: datetime | None = None


@dataclass(frozen=True)
class Drawing:
    content: bytes
    media_type: str
    view: View

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


@pauses_collector
def diagram(
    store: GraphStore,
    request: ViewRequest,
    output: Format,
    *,
    defaults: Mapping[Kind, float] | None = None,
) -> Drawing:
    """The view ``request`` asks for, drawn as ``output``."""
    if request.limit < 1:
        raise InputError(f"the size limit must be at least 1, not {request.limit}")
    snapshot = store.snapshot()
    judged = _Judged.of(snapshot, request.at, defaults or NO_DEFAULTS)
    chosen = _of_kinds(_view(store, request, snapshot, judged), request.kinds)
    view = collapse(judged.marked(replace(chosen, legend=request.legend)), request.limit)
    return Drawing(draw(view, output), output.media_type, view)


def draw(view: View, output: Format) -> bytes:
    if output is Format.MERMAID:
        return to_mermaid(view).encode("utf-8")
    if output is Format.C4:
        return to_overlay(view).encode("utf-8")
    dot_text = to_dot(view)
    if output is Format.DOT:
        return dot_text.encode("utf-8")
    return render(dot_text, output)


@dataclass(frozen=True)
class _Judged:
    """The graph's stale nodes (with the path from each one's cause) and freshness conflicts,
    judged once from the snapshot every view of one drawing shares."""

    stale: dict[NodeId, tuple[NodeId, ...]]
    conflicts: frozenset[NodeId]

    @classmethod
    def of(
        cls, snapshot: GraphSnapshot, at: datetime | None, defaults: Mapping[Kind, float]
    ) -> _Judged:
        moment = at or datetime.now(UTC)
        report = rollup(snapshot.nodes, snapshot.edges, moment, defaults=defaults)
        stale = {
            e.node.id: e.cause_path or (e.node.id,)
            for e in report.nodes
            if e.effective is Status.STALE
        }
        found = find_conflicts(snapshot.nodes, snapshot.edges, defaults=defaults)
        return cls(stale, frozenset(c.node.id for c in found))

    def marked(self, view: View) -> View:
        drawn = {node.id for node in view.nodes}
        return replace(
            view,
            stale=frozenset(drawn.intersection(self.stale)),
            conflicts=frozenset(drawn & self.conflicts),
        )


def _view(
    store: GraphStore, request: ViewRequest, snapshot: GraphSnapshot, judged: _Judged
) -> View:
    chosen = [request.root is not None, request.loop is not None, request.impact is not None]
    if sum(chosen) + request.stale > 1:
        raise InputError("choose one view: a root, a loop, a schema impact or the stale set")
    if request.root is not None:
        return _around(store, request)
    if request.loop is not None:
        return _loop(store, request.loop, request.group_by)
    if request.impact is not None:
        return _impact(store, *request.impact, group_by=request.group_by)
    if request.stale:
        ids = list(dict.fromkeys(node for path in judged.stale.values() for node in path))
        return _among(store, ids, "the stale set and its causes", request.group_by)
    return View("the whole graph", snapshot.nodes, data_flow(snapshot.edges), request.group_by)


def _of_kinds(view: View, kinds: frozenset[Kind]) -> View:
    if not kinds or kinds >= frozenset(Kind):
        return view
    kept = tuple(n for n in view.nodes if n.kind in kinds or n.id == view.focus)
    ids = {node.id for node in kept}
    edges = tuple(e for e in view.edges if e.source in ids and e.target in ids)
    return replace(view, nodes=kept, edges=edges)


def _around(store: GraphStore, request: ViewRequest) -> View:
    assert request.root is not None
    if request.depth < 1:
        raise InputError(f"the depth must be at least 1, not {request.depth}")
    root = resolve_node(store, request.root)
    found = lineage(
        store,
        root,
        direction=request.direction,
        max_hops=request.depth,
        max_nodes=max(request.limit * 20, 1000),
        witness_edges=False,
    )
    ids = [root, *(reached.node.id for reached in found.nodes)]
    title = f"{request.direction.value} of {root}, {request.depth} hops"
    return _among(store, ids, title, request.group_by, focus=root)


def _loop(store: GraphStore, number: int, group_by: GroupBy) -> View:
    loops = feedback_loops(store)
    if not 1 <= number <= len(loops):
        raise InputError(f"there is no loop {number}: the graph has {len(loops)} (lineage loops)")
    loop = loops[number - 1]
    view = _among(store, list(loop.nodes), f"feedback loop {number}", group_by)
    cycle_edges = {
        pair for cycle in loop.cycles for pair in zip(cycle, (*cycle[1:], cycle[0]), strict=True)
    }
    return replace(view, loop_edges=frozenset(cycle_edges))


def _impact(store: GraphStore, subject: str, proposed: Json, *, group_by: GroupBy) -> View:
    report = schema_change_impact(store, subject, proposed)
    hit = [consumer.node.id for consumer in report.hit]
    ids = [report.check.schema_node.id, *report.topics, *hit]
    return _among(store, ids, f"consumers hit by the change to {subject}", group_by)


def _among(
    store: GraphStore,
    ids: list[NodeId],
    title: str,
    group_by: GroupBy,
    *,
    focus: NodeId | None = None,
) -> View:
    found = store.get_nodes(ids)
    nodes = tuple(found[node_id] for node_id in sorted(found))
    edges = data_flow(store.edges_among(found, types=FEEDS))
    return View(title, nodes, edges, group_by, focus)
