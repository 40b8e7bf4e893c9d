"""Impact of a change: everything downstream of one node, shaped for someone planning the change.

Built on :func:`lineage.analysis.traverse.lineage` (one bounded downstream walk); this module only
regroups its answer::

    ImpactReport
    ├── by_kind         affected nodes grouped by kind, nearest first
    └── models          AffectedModel: each affected model and one shortest path to it
        └── steps       PathStep: each node on that path and the edge that reaches it,
                        with their processing modes and freshness bounds
"""

from __future__ import annotations

from dataclasses import dataclass

from lineage.analysis.traverse import DATA_FLOW, lineage
from lineage.bounds import DEFAULT_MAX_HOPS, DEFAULT_MAX_NODES, Cut, Truncations
from lineage.model import Direction, Edge, EdgeType, Freshness, Kind, Mode, Node, NodeId
from lineage.store.base import GraphStore

WITH_TRIGGERS = DATA_FLOW | {EdgeType.TRIGGERS}


@dataclass(frozen=True)
class PathStep:
    """One node on a path, and the edge that reaches it (``None`` for the changed node)."""

    node: Node
    via: Edge | None

    @property
    def modes(self) -> tuple[Mode, ...]:
        """The known processing modes of the edge in and of the node, in that order."""
        found = [self.via.mode] if self.via else []
        found.append(self.node.mode)
        return tuple(dict.fromkeys(mode for mode in found if mode is not Mode.UNKNOWN))

    @property
    def freshness_seconds(self) -> float | None:
        """The loosest known bound of the edge in and the node: how old data here may be."""
        bounds = [f.seconds for f in (_freshness(self.via), self.node.freshness) if f]
        known = [seconds for seconds in bounds if seconds is not None]
        return max(known) if known else None


@dataclass(frozen=True)
class AffectedModel:
    model: Node
    distance: int
    steps: tuple[PathStep, ...]
    """From the changed node (first) to the model (last), along one shortest path."""

    @property
    def path(self) -> tuple[NodeId, ...]:
        return tuple(step.node.id for step in self.steps)

    @property
    def modes(self) -> tuple[Mode, ...]:
        """Every known processing mode on the way, in path order, each once."""
        return tuple(dict.fromkeys(mode for step in self.steps for mode in step.modes))

    @property
    def slowest(self) -> PathStep | None:
        """The step before the model with the loosest freshness bound, if any is known."""
        bounded = [step for step in self.steps[:-1] if step.freshness_seconds is not None]
        return max(bounded, key=lambda step: step.freshness_seconds or 0.0, default=None)

    @property
    def freshness_conflict(self) -> bool:
        """The model asks for fresher data than the slowest step on this path guarantees.

        Expected on a training path (a daily training set feeding a real-time model); worth a
        look on a serving path.
        """
        wanted = self.model.freshness_seconds
        slowest = self.slowest
        if wanted is None or slowest is None or slowest.freshness_seconds is None:
            return False
        return slowest.freshness_seconds > wanted


@dataclass(frozen=True)
class ImpactReport(Cut):
    root: Node
    by_kind: dict[Kind, tuple[Node, ...]]
    """Affected nodes per kind, in ``Kind`` order, nearest first; kinds with none left out."""
    models: tuple[AffectedModel, ...]
    """Affected models, nearest first."""
    truncations: Truncations
    total_count: int

    @property
    def affected(self) -> tuple[Node, ...]:
        return tuple(node for nodes in self.by_kind.values() for node in nodes)


def impact(
    store: GraphStore,
    ref: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    max_nodes: int = DEFAULT_MAX_NODES,
    include_triggers: bool = False,
) -> ImpactReport:
    """What a change to ``ref`` can reach: affected nodes by kind, and the paths to models.

    Parameters
    ----------
    store : GraphStore
    ref : str
        The node to change: id, alias, URI or unique name.
    max_hops : int
        Follow at most this many edges downstream.
    max_nodes : int
        Report at most this many affected nodes, nearest first.
    include_triggers : bool
        Also follow ``TRIGGERS`` edges (a run that starts another), not only data flow.

    Returns
    -------
    ImpactReport
        ``truncations`` says which bounds cut the answer.

    Raises
    ------
    NodeNotFound, AmbiguousNode, ValueError
        As :func:`lineage.analysis.traverse.lineage` raises them (an unknown or ambiguous
        ``ref``, a bound that is not positive).

    Notes
    -----
    One breadth-first walk (see :func:`lineage.analysis.traverse.lineage`), O(V + E) over the
    nodes within ``max_hops``; each model's path is the walk's shortest witness, so nothing is
    enumerated. Intermediate nodes always precede the model in the walk's nearest-first order,
    so every step of a reported path is a reported node.

    See Also
    --------
    lineage.analysis.traverse.downstream, lineage.analysis.paths.k_shortest_paths

    Examples
    --------
    >>> from lineage.store.embedded import EmbeddedStore
    >>> from lineage.model import ImportBatch, Node, Edge, Kind, NodeId
    >>> store = EmbeddedStore(":memory:")
    >>> s, t, m = NodeId("source:s"), NodeId("topic:t"), NodeId("model:m")
    >>> nodes = (Node(s, Kind.SOURCE), Node(t, Kind.TOPIC), Node(m, Kind.MODEL))
    >>> _ = store.apply(ImportBatch("doc", nodes, (Edge(s, t), Edge(t, m))))
    >>> report = impact(store, "source:s")
    >>> {kind.value: [n.id for n in found] for kind, found in report.by_kind.items()}
    {'topic': ['topic:t'], 'model': ['model:m']}
    >>> [model.path for model in report.models]
    [('source:s', 'topic:t', 'model:m')]
    """
    walk = lineage(
        store,
        ref,
        direction=Direction.DOWNSTREAM,
        max_hops=max_hops,
        max_nodes=max_nodes,
        edge_types=WITH_TRIGGERS if include_triggers else DATA_FLOW,
    )
    known = {walk.root.id: walk.root} | {reached.node.id: reached.node for reached in walk.nodes}
    by_kind = {
        kind: tuple(r.node for r in walk.nodes if r.node.kind is kind)
        for kind in Kind
        if any(r.node.kind is kind for r in walk.nodes)
    }
    models = tuple(
        AffectedModel(
            model=reached.node,
            distance=reached.distance,
            steps=_steps(reached.path, reached.path_edges, known),
        )
        for reached in walk.nodes
        if reached.node.kind is Kind.MODEL
    )
    return ImpactReport(
        root=walk.root,
        by_kind=by_kind,
        models=models,
        truncations=walk.truncations,
        total_count=walk.total_count,
    )


def _steps(
    path: tuple[NodeId, ...], edges: tuple[Edge, ...], known: dict[NodeId, Node]
) -> tuple[PathStep, ...]:
    arrivals: list[Edge | None] = [None, *edges]
    return tuple(PathStep(known[node_id], via) for node_id, via in zip(path, arrivals, strict=True))


def _freshness(edge: Edge | None) -> Freshness | None:
    return edge.freshness if edge else None
