"""Feedback loops: the cycles in the data flow, and what they pass through.

A loop is a strongly connected component of the FEEDS graph with more than one node, or a node
that feeds itself. A loop through a model is an ML feedback loop: the model's outputs come back
into its own inputs (recommendations shown -> viewing events -> training data -> the model).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from lineage.analysis.cycles import elementary_cycles
from lineage.bounds import DEFAULT_MAX_CYCLES, Bound, Cut, Truncation, Truncations
from lineage.model import EdgeType, Kind, Mode, NodeId, kind_of_id
from lineage.store.base import GraphStore

if TYPE_CHECKING:  # numpy loads with the store's index, not with this module
    from lineage.store.adjacency import Adjacency, Component

DATA_FLOW = frozenset({EdgeType.FEEDS})


class LoopKind(StrEnum):
    ML_FEEDBACK = "ml-feedback"
    """The loop passes through a model and back into that model's inputs."""
    SELF_LOOP = "self-loop"
    """One node feeds itself."""
    DATA_CYCLE = "data-cycle"
    """A cycle among data assets and jobs with no model on it."""


@dataclass(frozen=True)
class FeedbackLoop(Cut):
    kind: LoopKind
    nodes: tuple[NodeId, ...]
    cycles: tuple[tuple[NodeId, ...], ...]
    """Elementary cycles, each starting at its first model (else its smallest id)."""
    models: tuple[NodeId, ...]
    sources: tuple[NodeId, ...]
    modes: tuple[Mode, ...]
    """The processing modes of the nodes and edges on the loop."""
    truncations: Truncations
    """``MAX_CYCLES`` when the loop has more elementary cycles than were listed."""


def feedback_loops(
    store: GraphStore,
    *,
    scope: NodeId | None = None,
    max_cycles: int = DEFAULT_MAX_CYCLES,
) -> list[FeedbackLoop]:
    """Every feedback loop in the data flow.

    Parameters
    ----------
    store : GraphStore
        The graph, read through its adjacency index; only FEEDS edges make loops.
    scope : NodeId, optional
        Only the loop that passes through this node (an empty list when none does).
    max_cycles : int
        List at most this many elementary cycles per loop; ``truncations`` says when there
        were more.

    Returns
    -------
    list of FeedbackLoop
        Ordered by kind (ML feedback first), then size, then the smallest node id.

    Notes
    -----
    Components come from the store's adjacency index (``scipy.sparse.csgraph``, O(V + E) over
    integer arrays); only the loops' own nodes and edges are then read as records. Cycles
    inside each component come from :func:`lineage.analysis.cycles.elementary_cycles`
    (Johnson's algorithm, O((V + E)(C + 1)) for C cycles), cut after ``max_cycles`` so a
    dense component cannot make the answer explode.

    See Also
    --------
    lineage.store.adjacency.Adjacency.strong_components, lineage.analysis.cycles

    Examples
    --------
    A model whose outputs come back into its own source:

    >>> from lineage import model as m
    >>> from lineage.store.embedded import EmbeddedStore
    >>> ids = m.NodeId("model:m"), m.NodeId("source:s")
    >>> nodes = m.Node(ids[0], m.Kind.MODEL), m.Node(ids[1], m.Kind.SOURCE)
    >>> edges = m.Edge(*ids), m.Edge(*reversed(ids))
    >>> store = EmbeddedStore(":memory:")
    >>> _ = store.apply(m.ImportBatch("doc", nodes, edges))
    >>> [(loop.kind.value, loop.cycles) for loop in feedback_loops(store)]
    [('ml-feedback', (('model:m', 'source:s'),))]
    """
    index = store.adjacency()
    components = index.strong_components(DATA_FLOW)
    if scope is not None:
        at = index.position(scope)
        components = [c for c in components if at is not None and at in c.members]
    loops = [_describe(index, component, max_cycles) for component in components]
    order = {kind: rank for rank, kind in enumerate(LoopKind)}
    return sorted(loops, key=lambda loop: (order[loop.kind], -len(loop.nodes), loop.nodes))


def _describe(index: Adjacency, component: Component, max_cycles: int) -> FeedbackLoop:
    members = tuple(index.ids[n] for n in component.members.tolist())
    models = tuple(n for n in members if kind_of_id(n) is Kind.MODEL)
    sources = tuple(n for n in members if kind_of_id(n) is Kind.SOURCE)
    found = list(itertools.islice(_simple_cycles(component, members), max_cycles + 1))
    cycles = sorted((_rotate(cycle, models) for cycle in found[:max_cycles]), key=_cycle_order)
    if len(members) == 1:
        kind = LoopKind.SELF_LOOP
    elif models:
        kind = LoopKind.ML_FEEDBACK
    else:
        kind = LoopKind.DATA_CYCLE
    return FeedbackLoop(
        kind=kind,
        nodes=members,
        cycles=tuple(cycles),
        models=models,
        sources=sources,
        modes=tuple(sorted(component.modes)),
        truncations=(Truncation(Bound.MAX_CYCLES, max_cycles),) if len(found) > max_cycles else (),
    )


def _simple_cycles(component: Component, members: tuple[NodeId, ...]) -> Iterator[list[NodeId]]:
    """The component's elementary cycles in a reproducible order: on the members' sorted
    positions, successors in (source, target) order, so the same graph lists the same first
    ``max_cycles`` cycles every run, on every store."""
    position = {int(number): rank for rank, number in enumerate(component.members.tolist())}
    successors: list[list[int]] = [[] for _ in members]
    for a, b in zip(component.sources.tolist(), component.targets.tolist(), strict=True):
        successors[position[a]].append(position[b])  # the edges come in (source, target) order
    for cycle in elementary_cycles(successors):
        yield [members[index] for index in cycle]


def _rotate(cycle: list[NodeId], models: tuple[NodeId, ...]) -> tuple[NodeId, ...]:
    on_cycle = [n for n in cycle if n in models] or cycle
    start = cycle.index(min(on_cycle))
    return tuple(cycle[start:] + cycle[:start])


def _cycle_order(cycle: tuple[NodeId, ...]) -> tuple[int, tuple[NodeId, ...]]:
    return len(cycle), cycle
