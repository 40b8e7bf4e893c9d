"""Which data-flow edges carry what a node serves, and which only what a model learns from.

Freshness is judged along **serving** edges: a model serving predictions is as fresh as the
features it reads, not as the data it was trained on. An edge is a **training** edge when its
role says so, or when it has no role and runs from a job into a model: a job that writes a
model trains it (a weekly retraining job, a Metaflow training flow), and the model's serving
freshness does not wait for it. Only data flow (FEEDS) counts; TRIGGERS and HAS_SCHEMA edges
carry no data.

Staleness (``staleness.py``) and freshness conflicts (``conflicts.py``) both start here, so
the two never disagree about which paths serve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lineage.model import Edge, EdgeType, Kind, Node, NodeId, Role


def is_training(edge: Edge, kinds: Mapping[NodeId, Kind]) -> bool:
    """Whether a FEEDS edge feeds a model's training rather than what it serves."""
    if edge.role is Role.TRAINING:
        return True
    return (
        edge.role is Role.OTHER
        and kinds.get(edge.source) is Kind.JOB
        and kinds.get(edge.target) is Kind.MODEL
    )


@dataclass(frozen=True)
class FlowEdges:
    """The graph's data-flow edges split by what they feed, in the order given."""

    serving: tuple[Edge, ...]
    training: tuple[Edge, ...]


def flow_edges(nodes: Iterable[Node], edges: Iterable[Edge]) -> FlowEdges:
    kinds = {node.id: node.kind for node in nodes}
    serving: list[Edge] = []
    training: list[Edge] = []
    for edge in edges:
        if edge.type is not EdgeType.FEEDS:
            continue
        (training if is_training(edge, kinds) else serving).append(edge)
    return FlowEdges(tuple(serving), tuple(training))


def bound_seconds(node: Node, defaults: Mapping[Kind, float]) -> float | None:
    """A node's freshness bound: its own, else the configured default for its kind."""
    own = node.freshness_seconds
    return own if own is not None else defaults.get(node.kind)
