"""Synthetic lineage graphs for the benchmarks, built deterministically from a seed.

    layered(scale, seed)   sources -> topics -> jobs (8 stages) -> features -> models, a DAG;
                           ~5k nodes and ~15k edges at scale 1. Each node reads inputs near
                           its own position in the layer before (teams wire within their
                           area), and now and then one from anywhere.
    diamonds(k)            k diamonds in series: 2**k paths from the first node to the last.
    with_feedback(dag)     the layered graph plus feedback edges: models feeding sources
                           (recommendations shown -> viewing events), jobs writing back into
                           topics, one job feeding itself.

A ``Bench`` is a batch plus the roots the measurements start from.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from lineage.model import Edge, Freshness, ImportBatch, Kind, Mode, Node, NodeId, Role

JOB_STAGES = 8
NEIGHBOURHOOD = 0.02
"""Spread of a node's inputs around its own position, as a fraction of the layer."""
LONG_EDGE = 0.01
"""Probability that an input is picked from anywhere in the layer."""

_SIZES = {Kind.SOURCE: 250, Kind.TOPIC: 750, Kind.JOB: 2000, Kind.FEATURE: 1500, Kind.MODEL: 500}
_INPUTS = {Kind.TOPIC: (1, 2), Kind.JOB: (2, 5), Kind.FEATURE: (1, 4), Kind.MODEL: (4, 8)}
_MODES = {
    Kind.SOURCE: (Mode.STREAMING, Mode.EVENT_DRIVEN),
    Kind.TOPIC: (Mode.STREAMING,),
    Kind.JOB: (Mode.STREAMING, Mode.BATCH),
    Kind.FEATURE: (Mode.STREAMING, Mode.BATCH, Mode.HYBRID),
    Kind.MODEL: (Mode.BATCH, Mode.HYBRID),
}
_FRESHNESS = (
    Freshness("Real-time (sub-second)", 1.0),
    Freshness("< 5 seconds", 5.0),
    Freshness("Hourly", 3600.0),
    Freshness("Daily aggregation", 86400.0),
)


@dataclass(frozen=True)
class Bench:
    """A graph to measure and where its walks start."""

    name: str
    batch: ImportBatch
    source: NodeId
    """The root of the downstream walks."""
    model: NodeId
    """The root of the upstream walk."""


def layered(scale: float = 1.0, seed: int = 0) -> Bench:
    """The layered platform DAG; ``scale`` multiplies every layer's size."""
    rng = random.Random(seed)
    layers: dict[Kind, list[Node]] = {
        kind: [_node(kind, i, rng) for i in range(max(1, round(size * scale)))]
        for kind, size in _SIZES.items()
    }
    jobs = layers[Kind.JOB]
    per_stage = max(1, len(jobs) // JOB_STAGES)
    stages = [jobs[i : i + per_stage] for i in range(0, len(jobs), per_stage)]
    edges: list[Edge] = []
    edges += _wire(layers[Kind.SOURCE], layers[Kind.TOPIC], rng, Role.OTHER)
    edges += _wire(layers[Kind.TOPIC], stages[0], rng, Role.OTHER)
    for before, stage in itertools.pairwise(stages):
        edges += _wire(before, stage, rng, Role.OTHER)
        edges += _wire(layers[Kind.TOPIC], stage, rng, Role.OTHER, count=(0, 1))
    edges += _wire(stages[-1] + stages[-2], layers[Kind.FEATURE], rng, Role.OTHER)
    edges += _wire(layers[Kind.FEATURE], layers[Kind.MODEL], rng, Role.SERVING)
    nodes = tuple(node for layer in layers.values() for node in layer)
    return Bench(
        "dag",
        ImportBatch("bench:dag", nodes, _distinct(edges)),
        source=layers[Kind.SOURCE][0].id,
        model=layers[Kind.MODEL][-1].id,
    )


def with_feedback(dag: Bench, seed: int = 0) -> Bench:
    """``dag`` plus feedback: 10% of models feed a source, 2% of jobs of the last stages write
    back into a topic, and one job feeds itself."""
    rng = random.Random(seed + 1)
    by_kind: dict[Kind, list[NodeId]] = {kind: [] for kind in Kind}
    for node in dag.batch.nodes:
        by_kind[node.kind].append(node.id)
    edges = list(dag.batch.edges)
    for feeders, targets, share, role in (
        (by_kind[Kind.MODEL], by_kind[Kind.SOURCE], 0.10, Role.FEEDBACK),
        (by_kind[Kind.JOB][-len(by_kind[Kind.JOB]) // 4 :], by_kind[Kind.TOPIC], 0.02, Role.OTHER),
    ):
        for i, node_id in enumerate(feeders):
            if rng.random() < share:
                target = targets[_near(i / len(feeders), len(targets), rng)]
                edges.append(Edge(node_id, target, role=role, label="feedback"))
    job = by_kind[Kind.JOB][len(by_kind[Kind.JOB]) // 2]
    edges.append(Edge(job, job, label="state"))
    batch = ImportBatch("bench:cycles", dag.batch.nodes, _distinct(edges))
    return Bench("cycles", batch, source=dag.source, model=dag.model)


def diamonds(k: int = 30) -> Bench:
    """``k`` diamonds in series, source -> (job a, job b) -> feature -> ... -> model:
    ``2**k`` distinct paths from the source to the model, 3k + 1 nodes, 4k edges."""
    joins = [NodeId("source:d-head")]
    joins += [NodeId(f"feature:d-{i:03d}") for i in range(1, k)]
    joins.append(NodeId("model:d-tail"))
    nodes = [_plain(node_id) for node_id in joins]
    edges: list[Edge] = []
    for i in range(k):
        for side in ("a", "b"):
            middle = NodeId(f"job:d-{i:03d}{side}")
            nodes.append(_plain(middle))
            edges += [Edge(joins[i], middle), Edge(middle, joins[i + 1])]
    return Bench(
        "diamonds",
        ImportBatch("bench:diamonds", tuple(nodes), tuple(edges)),
        source=joins[0],
        model=joins[-1],
    )


def _node(kind: Kind, index: int, rng: random.Random) -> Node:
    key = f"{kind.value[:3]}-{index:05d}"
    return Node(
        NodeId(f"{kind.value}:{key}"),
        kind,
        name=f"{kind.value.capitalize()} {index}",
        mode=rng.choice(_MODES[kind]),
        freshness=rng.choice(_FRESHNESS),
        aliases=(f"{kind.value[:3].upper()}{index}",) if kind is Kind.SOURCE else (),
        properties={"owner": f"team-{rng.randrange(40)}"},
        location=f"bench/synthetic.py:{index}",
    )


def _plain(node_id: NodeId) -> Node:
    kind = Kind(node_id.partition(":")[0])
    return Node(node_id, kind, name=node_id.partition(":")[2], mode=Mode.BATCH)


def _wire(
    inputs: list[Node],
    outputs: list[Node],
    rng: random.Random,
    role: Role,
    *,
    count: tuple[int, int] | None = None,
) -> list[Edge]:
    """Edges into every node of ``outputs`` from ``count`` (default: by kind) nodes of
    ``inputs`` near its own position."""
    low, high = count or _INPUTS[outputs[0].kind]
    edges = []
    for i, node in enumerate(outputs):
        position = i / max(len(outputs) - 1, 1)
        for _ in range(rng.randint(low, high)):
            source = inputs[_near(position, len(inputs), rng)]
            edges.append(Edge(source.id, node.id, role=role, mode=node.mode))
    return edges


def _near(position: float, size: int, rng: random.Random) -> int:
    """An index into a layer of ``size`` near ``position`` (0..1), or anywhere now and then."""
    if rng.random() < LONG_EDGE:
        return rng.randrange(size)
    index = round(position * (size - 1) + rng.gauss(0.0, NEIGHBOURHOOD * size))
    return min(max(index, 0), size - 1)


def _distinct(edges: list[Edge]) -> tuple[Edge, ...]:
    return tuple({edge.key: edge for edge in edges}.values())
