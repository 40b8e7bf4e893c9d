"""What a diagram draws: nodes, data-flow edges, what to highlight, and the groups it collapsed.

A view larger than its limit collapses: each group (by kind, mode or origin; by kind when the
view groups by nothing) becomes one box counting what it holds, and the edges between groups one
edge counting the edges it stands for, so a diagram of a 100k-node platform stays readable and
never hangs Graphviz. The view says what it hid (``collapsed``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from lineage.model import Edge, EdgeType, Kind, Mode, Node, NodeId

DEFAULT_LIMIT = 150


class Format(StrEnum):
    MERMAID = "mermaid"
    C4 = "c4"
    DOT = "dot"
    SVG = "svg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def binary(self) -> bool:
        return self is Format.PNG


_MEDIA_TYPES = {
    Format.MERMAID: "text/vnd.mermaid; charset=utf-8",
    Format.C4: "text/markdown; charset=utf-8",
    Format.DOT: "text/vnd.graphviz; charset=utf-8",
    Format.SVG: "image/svg+xml",
    Format.PNG: "image/png",
}


class GroupBy(StrEnum):
    KIND = "kind"
    MODE = "mode"
    ORIGIN = "origin"
    NONE = "none"


@dataclass(frozen=True)
class Collapsed:
    """One box standing for the nodes of a group the view hid."""

    group: str
    nodes: int


@dataclass(frozen=True)
class View:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    """FEEDS edges between the view's nodes."""
    group_by: GroupBy = GroupBy.NONE
    focus: NodeId | None = None
    stale: frozenset[NodeId] = frozenset()
    conflicts: frozenset[NodeId] = frozenset()
    loop_edges: frozenset[tuple[NodeId, NodeId]] = frozenset()
    legend: bool = True
    """Draw the legend (a page that shows its own says no)."""
    collapsed: tuple[Collapsed, ...] = ()
    """Set when the view collapsed: the groups drawn as one box each."""
    edge_counts: dict[tuple[NodeId, NodeId], int] = field(default_factory=dict, hash=False)
    """For a collapsed view, how many edges each drawn edge stands for."""

    def group_of(self, node: Node) -> str | None:
        return group_key(node, self.group_by)

    @property
    def hidden(self) -> str | None:
        """What a collapsed view hid, in words."""
        if not self.collapsed:
            return None
        total = sum(group.nodes for group in self.collapsed)
        return f"{total} nodes collapsed into {len(self.collapsed)} groups by {self.group_by}"


def group_key(node: Node, group_by: GroupBy) -> str | None:
    if group_by is GroupBy.KIND:
        return node.kind.value
    if group_by is GroupBy.MODE:
        return node.mode.value
    if group_by is GroupBy.ORIGIN:
        return node.origins[0].origin if node.origins else "unknown"
    return None


def data_flow(edges: Iterable[Edge]) -> tuple[Edge, ...]:
    return tuple(
        sorted((e for e in edges if e.type is EdgeType.FEEDS), key=lambda e: (e.source, e.target))
    )


def collapse(view: View, limit: int = DEFAULT_LIMIT) -> View:
    """The view itself when it has at most ``limit`` nodes; else one box per group."""
    if len(view.nodes) <= limit:
        return view
    group_by = view.group_by if view.group_by is not GroupBy.NONE else GroupBy.KIND
    members: dict[str, list[Node]] = defaultdict(list)
    for node in view.nodes:
        members[group_key(node, group_by) or "other"].append(node)
    box = {node.id: _group_id(key, nodes) for key, nodes in members.items() for node in nodes}
    boxes = tuple(
        Node(
            _group_id(key, nodes),
            _group_kind(nodes),
            name=f"{key}: {len(nodes)} nodes",
            mode=_group_mode(nodes),
        )
        for key, nodes in sorted(members.items())
    )
    counts: Counter[tuple[NodeId, NodeId]] = Counter(
        (box[e.source], box[e.target]) for e in view.edges if box[e.source] != box[e.target]
    )
    stale = {box[n] for n in view.stale if n in box}
    return replace(
        view,
        nodes=boxes,
        edges=tuple(Edge(a, b) for a, b in sorted(counts)),
        group_by=group_by,
        focus=box.get(view.focus) if view.focus else None,
        stale=frozenset(stale),
        conflicts=frozenset(box[n] for n in view.conflicts if n in box),
        loop_edges=frozenset(),
        collapsed=tuple(Collapsed(key, len(nodes)) for key, nodes in sorted(members.items())),
        edge_counts=dict(counts),
    )


def _group_id(key: str, nodes: list[Node]) -> NodeId:
    return NodeId(f"{_group_kind(nodes).value}:group-{key}")


def _group_kind(nodes: list[Node]) -> Kind:
    kinds = {node.kind for node in nodes}
    return kinds.pop() if len(kinds) == 1 else Kind.JOB


def _group_mode(nodes: list[Node]) -> Mode:
    modes = {node.mode for node in nodes}
    return modes.pop() if len(modes) == 1 else Mode.UNKNOWN
