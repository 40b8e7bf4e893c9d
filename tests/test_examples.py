"""The example spec models a realistic ML platform: streaming and batch paths into the models,
and a model-in-the-loop feedback cycle."""

from __future__ import annotations

import networkx as nx
import pytest
from support import EXAMPLES

from lineage.analysis.graph import to_digraph
from lineage.analysis.lookup import resolve_node
from lineage.analysis.loops import LoopKind, feedback_loops
from lineage.analysis.traverse import downstream, upstream
from lineage.freshness import infer_mode
from lineage.importers.yaml_spec import YamlSpecImporter
from lineage.model import EdgeType, ImportBatch, Kind, Mode, NodeId, Role
from lineage.service import import_files
from lineage.store.base import GraphStore

PLATFORM = EXAMPLES / "platform.lineage.yaml"
SPECS = sorted(EXAMPLES.rglob("*.lineage.yaml"))
SERVING_MODELS = {"model:recommendation", "model:personalization", "model:search-ranking"}
ALL_MODELS = SERVING_MODELS | {"model:content-quality"}


@pytest.fixture(scope="module")
def spec() -> ImportBatch:
    (batch,) = YamlSpecImporter().extract([PLATFORM])
    return batch


@pytest.fixture
def platform(store: GraphStore) -> GraphStore:
    report = import_files(store, "yaml", SPECS)
    assert report.warnings == ()
    return store


def test_every_lineage_spec_among_the_examples_is_valid() -> None:
    """The examples hold other YAML too (``avro/schemas.yaml``); specs are ``*.lineage.yaml``."""
    batches = list(YamlSpecImporter().extract(SPECS))
    assert batches and all(batch.nodes and batch.edges for batch in batches)


def test_every_kind_appears(spec: ImportBatch) -> None:
    assert {node.kind for node in spec.nodes} == set(Kind)


def test_every_freshness_phrase_is_understood(spec: ImportBatch) -> None:
    """Each phrase gives a bound, or says it is event-driven (a change, not a clock)."""
    for item in (*spec.nodes, *spec.edges):
        if item.freshness is not None:
            assert (
                item.freshness.seconds is not None
                or infer_mode(item.freshness.text) is Mode.EVENT_DRIVEN
            ), item.freshness


def test_every_node_is_connected(spec: ImportBatch) -> None:
    ends = {end for edge in spec.edges for end in (edge.source, edge.target)}
    assert {node.id for node in spec.nodes} <= ends


def _has_path_through(snapshot_graph: nx.DiGraph, mode: Mode, models: set[str]) -> set[str]:
    """Models reached from a source along nodes of one processing mode only."""
    on_path = [n for n, data in snapshot_graph.nodes(data=True) if data["node"].mode is mode]
    sub = snapshot_graph.subgraph([*on_path, *models])
    starts = [n for n in on_path if snapshot_graph.nodes[n]["node"].kind is not Kind.MODEL]
    return {m for m in models if any(nx.has_path(sub, s, m) for s in starts if s != m)}


def test_streaming_path_serves_and_batch_path_trains(platform: GraphStore) -> None:
    graph = to_digraph(platform.snapshot(), edge_types=frozenset({EdgeType.FEEDS}))
    assert _has_path_through(graph, Mode.STREAMING, ALL_MODELS) >= SERVING_MODELS
    assert _has_path_through(graph, Mode.BATCH, ALL_MODELS) >= {
        "model:recommendation",
        "model:search-ranking",
        "model:content-quality",
    }
    roles = {edge.role for edge in platform.snapshot().edges}
    assert {Role.SERVING, Role.TRAINING, Role.FEEDBACK, Role.ARCHIVE} <= roles


def test_models_sit_in_a_feedback_cycle(platform: GraphStore) -> None:
    loops = feedback_loops(platform)
    ml = [loop for loop in loops if loop.kind is LoopKind.ML_FEEDBACK]
    assert len(ml) == 1
    (loop,) = ml
    assert set(loop.models) == SERVING_MODELS
    assert {"source:implicit-feedback", "source:DS-001", "source:DS-002"} <= set(loop.sources)
    assert {Mode.STREAMING, Mode.BATCH} <= set(loop.modes)
    assert "model:content-quality" not in loop.nodes
    feedback_edges = {
        (edge.source, edge.target)
        for edge in platform.snapshot().edges
        if edge.role is Role.FEEDBACK
    }
    on_cycle = {
        (cycle[i], cycle[(i + 1) % len(cycle)]) for cycle in loop.cycles for i in range(len(cycle))
    }
    assert on_cycle & feedback_edges


def test_a_source_reaches_every_model(platform: GraphStore) -> None:
    result = downstream(platform, "DS1", kinds=[Kind.MODEL])
    assert {reached.node.id for reached in result.nodes} == ALL_MODELS
    assert not result.truncated


def test_a_model_depends_on_streaming_and_batch_sources(platform: GraphStore) -> None:
    result = upstream(platform, "MDL-REC", kinds=[Kind.SOURCE])
    sources = {reached.node.id: reached.node.mode for reached in result.nodes}
    assert {"source:DS-001", "source:DS-006", "source:DS-007"} <= set(sources)
    assert {Mode.STREAMING, Mode.BATCH} <= set(sources.values())


def test_every_alias_and_name_names_one_node(platform: GraphStore, spec: ImportBatch) -> None:
    for node in spec.nodes:
        for ref in (node.id, *node.aliases):
            assert resolve_node(platform, ref) == node.id
    names = [node.name for node in spec.nodes]
    for node in spec.nodes:
        if names.count(node.name) == 1:
            assert resolve_node(platform, node.name) == node.id


def test_schemas_describe_topics_and_features(spec: ImportBatch) -> None:
    kinds = {node.id: node.kind for node in spec.nodes}
    described = {
        (kinds[edge.source], kinds[edge.target])
        for edge in spec.edges
        if edge.type is EdgeType.HAS_SCHEMA
    }
    assert described == {(Kind.TOPIC, Kind.SCHEMA), (Kind.FEATURE, Kind.SCHEMA)}


def test_feedback_edges_leave_models_or_enter_sources(spec: ImportBatch) -> None:
    kinds: dict[NodeId, Kind] = {node.id: node.kind for node in spec.nodes}
    for edge in spec.edges:
        if edge.role is Role.FEEDBACK:
            assert kinds[edge.source] is Kind.MODEL or kinds[edge.target] is Kind.SOURCE
