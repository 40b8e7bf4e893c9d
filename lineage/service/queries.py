"""Questions about the graph: one function per question a user asks, over any store.

Each resolves what the user typed (an id, alias, URI or unique name) and runs one analysis;
the bounds default to ``lineage.bounds``. Where a question is exactly one analysis function
(``lineage``, ``impact``, ``paths``), the use case is that function. Answers are the
analysis' typed values; the CLI and the API render them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from lineage.analysis import conflicts as conflict_analysis
from lineage.analysis import impact as impact_analysis
from lineage.analysis import paths as path_analysis
from lineage.analysis import schema_change, schema_impact, traverse
from lineage.analysis import staleness as staleness_analysis
from lineage.analysis.graph import GraphSummary, summarize
from lineage.analysis.lookup import get_node, resolve_node
from lineage.analysis.loops import FeedbackLoop, feedback_loops
from lineage.bounds import DEFAULT_MAX_CYCLES
from lineage.bulk import pauses_collector
from lineage.errors import InputError
from lineage.model import Direction, Edge, EdgeType, Kind, Mode, Node, NodeId
from lineage.store.base import GraphStore, NodeFilter, Page

ALL_EDGE_TYPES = frozenset(EdgeType)
MAX_SEARCH = 500
"""The longest search text: longer than any id or name, short of what makes a LIKE pattern
too complex for SQLite (which would read as the store failing, not as bad input)."""

__all__ = [
    "NodeDescription",
    "NodePage",
    "check_ready",
    "check_schema_change",
    "describe_node",
    "edges_touching",
    "find_feedback_loops",
    "freshness_conflicts",
    "get_node",
    "impact",
    "lineage",
    "list_nodes",
    "node_staleness",
    "nodes_by_id",
    "paths",
    "schema_change_impact",
    "staleness",
    "summary",
]


lineage = pauses_collector(traverse.lineage)
"""What is up- or downstream of a node (or both), nearest first, with a path to each."""

impact = pauses_collector(impact_analysis.impact)
"""What a change to a node reaches, by kind, and the way to each model."""

paths = pauses_collector(path_analysis.k_shortest_paths)
"""The ``k`` shortest data-flow paths from one node to another."""

check_schema_change = schema_change.check_schema_change
"""Is a proposed Avro schema compatible with a subject's stored versions, and what changes."""

schema_change_impact = pauses_collector(schema_impact.schema_change_impact)
"""The gate of a schema change: its verdict, the consumers it reaches, the rollout order."""

staleness = pauses_collector(staleness_analysis.staleness)
"""Every node's own and effective freshness status, with the upstream cause of the worst."""


freshness_conflicts = pauses_collector(conflict_analysis.freshness_conflicts)
"""Every consumer whose required freshness its serving path cannot deliver, with the edge."""


def node_staleness(
    store: GraphStore,
    ref: str,
    *,
    at: datetime | None = None,
    defaults: Mapping[Kind, float] = staleness_analysis.NO_DEFAULTS,
) -> staleness_analysis.NodeStaleness:
    """One node's entry of the roll-up (which covers the whole graph: the cause may be far)."""
    node_id = resolve_node(store, ref)
    report = staleness(store, at=at, defaults=defaults)
    return next(entry for entry in report.nodes if entry.node.id == node_id)


@pauses_collector
def find_feedback_loops(
    store: GraphStore, *, scope: str | None = None, max_cycles: int = DEFAULT_MAX_CYCLES
) -> list[FeedbackLoop]:
    """The graph's feedback loops, or only the one through ``scope`` (any node reference)."""
    scope_id = resolve_node(store, scope) if scope else None
    return feedback_loops(store, scope=scope_id, max_cycles=max_cycles)


def summary(store: GraphStore) -> GraphSummary:
    """How many nodes of each kind and edges of each type the graph holds."""
    return summarize(store.snapshot())


# -- nodes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeDescription:
    """One node with its direct inputs and outputs (every edge type)."""

    node: Node
    inputs: tuple[Edge, ...]
    outputs: tuple[Edge, ...]


def describe_node(store: GraphStore, ref: str) -> NodeDescription:
    """The node ``ref`` names (id, alias, URI or unique name) and its direct edges."""
    node = get_node(store, ref)
    return NodeDescription(
        node=node,
        inputs=tuple(edges_touching(store, [node.id], Direction.UPSTREAM)),
        outputs=tuple(edges_touching(store, [node.id], Direction.DOWNSTREAM)),
    )


@dataclass(frozen=True)
class NodePage:
    """Up to ``first`` nodes after a cursor, whether more follow, and how many match."""

    nodes: Sequence[Node]
    has_next: bool
    has_previous: bool
    total: int


def list_nodes(
    store: GraphStore,
    *,
    kinds: Collection[Kind] = (),
    mode: Mode | None = None,
    search: str | None = None,
    first: int | None = None,
    after: NodeId | None = None,
) -> NodePage:
    """Nodes ordered by id, of any of ``kinds`` (all kinds when empty), a page at a time.

    The store pages each kind; the page is the ``first`` smallest ids among them, so a cursor
    (``after``, the last id seen) works across kinds. ``first=None`` lists every match.
    """
    if search is not None and len(search) > MAX_SEARCH:
        raise InputError(
            f"the search text has {len(search)} characters; at most {MAX_SEARCH} are searched for"
        )
    fetch = None if first is None else first + 1  # one more tells whether a page follows
    found: list[Node] = []
    counted = 0
    for kind in sorted(set(kinds)) or [None]:
        where = NodeFilter(kind=kind, mode=mode, search=search)
        found.extend(store.list_nodes(where, Page(after=after, limit=fetch)))
        counted += store.count_nodes(where)
    found.sort(key=lambda node: node.id)
    page = found if first is None else found[:first]
    return NodePage(
        nodes=page, has_next=len(found) > len(page), has_previous=after is not None, total=counted
    )


def nodes_by_id(store: GraphStore, ids: Iterable[NodeId]) -> dict[NodeId, Node]:
    """The nodes among ``ids`` that exist (the API's node loader batches into this)."""
    return store.get_nodes(ids)


def edges_touching(store: GraphStore, ids: Iterable[NodeId], direction: Direction) -> list[Edge]:
    """Every edge, of any type, leaving (downstream) or entering (upstream) the given nodes."""
    return store.edges_of(ids, direction=direction, types=ALL_EDGE_TYPES)


def check_ready(store: GraphStore) -> None:
    """Raise ``StoreUnavailable`` when the store cannot answer (the API's ``/readyz``)."""
    store.ping()
