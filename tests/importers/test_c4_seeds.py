"""The real architecture documents in ../shared/seeds import to graphs a reader would agree
with. Skipped when the seeds are not there."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from support import SEEDS

from lineage.analysis.loops import LoopKind, feedback_loops
from lineage.analysis.paths import k_shortest_paths
from lineage.analysis.traverse import downstream, upstream
from lineage.importers.c4 import C4Importer
from lineage.model import EdgeType, ImportBatch, Kind, Mode, Role
from lineage.service import import_files
from lineage.store.base import GraphStore

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")

OVERLAY = "000_4431045df86c5a97.txt"
ARC42 = "001_f92fe5abf4fddde4.txt"
RUNWAY = "002_e3b1e676f67d0ebb.txt"
DATAFLOW = "003_cbebe1aed90e8427.txt"
STREAMING = "004_7db41e3c87fa261d.txt"


def read(name: str) -> ImportBatch:
    path: Path = SEEDS / name
    return C4Importer().parse(path.read_text(encoding="utf-8"), source=name)


def kind_of(batch: ImportBatch) -> dict[str, Kind]:
    return {node.id: node.kind for node in batch.nodes}


@pytest.mark.parametrize("name", [OVERLAY, ARC42, RUNWAY, DATAFLOW, STREAMING])
def test_every_seed_imports_without_warnings(name: str) -> None:
    batch = read(name)
    assert batch.nodes and batch.edges
    assert batch.warnings == ()


def test_overlay_sources_come_with_inventory_facts() -> None:
    nodes = {n.id: n for n in read(OVERLAY).nodes}
    for number in range(1, 8):
        assert nodes[f"source:DS-00{number}"].kind is Kind.SOURCE
    for number in range(1, 5):
        assert nodes[f"source:DS-00{number}"].mode is Mode.STREAMING
    assert nodes["source:DS-001"].freshness.seconds == 1.0
    assert nodes["source:DS-004"].freshness.seconds == 5.0
    assert nodes["source:DS-006"].mode is Mode.BATCH
    assert nodes["source:DS-006"].freshness.seconds == 90 * 86400
    assert nodes["source:DS-007"].name == "Member Profiles"  # only the inventory names it
    assert nodes["source:DS-005"].mode is Mode.HYBRID


def test_overlay_diagram_boxes_are_typed_like_a_reader_would() -> None:
    batch = read(OVERLAY)
    kinds = kind_of(batch)
    modes = {n.id: n.mode for n in batch.nodes}
    expected = {
        "topic:kafka-topics": Kind.TOPIC,
        "job:flink-dedup-validate": Kind.JOB,
        "job:flink-windowed-aggregation": Kind.JOB,
        "job:flink-feature-computation": Kind.JOB,
        "dataset:s3-raw-event-archive": Kind.DATASET,
        "job:spark-historical-etl": Kind.JOB,
        "job:spark-training-features": Kind.JOB,
        "dataset:spark-training-dataset": Kind.DATASET,
        "feature:online-store": Kind.FEATURE,
        "feature:offline-store": Kind.FEATURE,
        "model:recommendation-models": Kind.MODEL,
        "model:personalization-models": Kind.MODEL,
        "model:search-models": Kind.MODEL,
        "model:content-quality-models": Kind.MODEL,
        "source:implicit-feedback": Kind.SOURCE,
    }
    assert {node_id: kinds.get(node_id) for node_id in expected} == expected
    for job in ("flink-dedup-validate", "flink-windowed-aggregation", "flink-feature-computation"):
        assert modes[f"job:{job}"] is Mode.STREAMING
    for job in ("spark-historical-etl", "spark-training-features"):
        assert modes[f"job:{job}"] is Mode.BATCH
    topic = next(n for n in batch.nodes if n.id == "topic:kafka-topics")
    assert {"views.raw", "clicks.raw", "search.raw", "device.raw"} <= set(topic.aliases)
    # The feedback-loop diagram's "Recommendation Model" is the main diagram's model.
    assert Counter(kinds.values())[Kind.MODEL] == 4


def test_overlay_schema_registry() -> None:
    batch = read(OVERLAY)
    kinds = kind_of(batch)
    for schema in ("SCH-VIEW", "SCH-CLICK", "SCH-SEARCH", "SCH-FEATURE"):
        assert kinds[f"schema:{schema}"] is Kind.SCHEMA
    users = {(e.source, e.target) for e in batch.edges if e.type is EdgeType.HAS_SCHEMA}
    assert ("job:PL-001", "schema:SCH-VIEW") in users
    assert ("model:search-models", "schema:SCH-SEARCH") in users  # "MDL-SEARCH training"
    feature_users = {s for s, t in users if t == "schema:SCH-FEATURE"}
    assert feature_users == {n for n, k in kinds.items() if k is Kind.MODEL}


def test_overlay_edge_roles() -> None:
    roles = {(e.source, e.target): e.role for e in read(OVERLAY).edges}
    assert roles[("dataset:spark-training-dataset", "model:recommendation-models")] is Role.TRAINING
    assert roles[("feature:online-store", "model:recommendation-models")] is Role.SERVING
    assert roles[("source:implicit-feedback", "source:DS-001")] is Role.FEEDBACK
    assert roles[("job:flink-dedup-validate", "dataset:s3-raw-event-archive")] is Role.ARCHIVE


def test_arc42_context() -> None:
    batch = read(ARC42)
    kinds = kind_of(batch)
    assert kinds["topic:kafka-event-bus"] is Kind.TOPIC
    assert kinds["dataset:data-warehouse"] is Kind.DATASET
    assert kinds["job:model-training"] is Kind.JOB and kinds["job:model-serving"] is Kind.JOB
    assert not any("product-teams" in node_id for node_id in kinds)  # only consume
    flows = {(e.source, e.target) for e in batch.edges}
    assert {
        ("dataset:data-warehouse", "job:ml-platform"),
        ("job:ml-platform", "dataset:data-warehouse"),
    } <= flows


def test_runway_design_reads_flowcharts_and_c4_but_not_sequences() -> None:
    batch = read(RUNWAY)
    kinds = kind_of(batch)
    assert kinds["dataset:registry-db"] is Kind.DATASET
    assert kinds["job:stream-join"] is Kind.JOB  # a label wrapped as Stream<br/>Join
    assert kinds["source:metaflow"] is Kind.SOURCE  # flowchart box and System_Ext: one node
    assert kinds["source:ml-engineer"] is Kind.SOURCE  # a C4 Person with a relation
    flows = {(e.source, e.target) for e in batch.edges}
    # `API --> RegistryService`: to the subgraph's entry nodes, not its database
    assert ("job:runway-api-gateway", "job:version-manager") in flows
    assert ("job:runway-api-gateway", "dataset:registry-db") not in flows
    # C4 `Rel(runway, metaflow, "Reads workflow lineage")`: data flows from Metaflow
    assert ("source:metaflow", "job:netflix-runway") in flows
    assert not any(
        n.name in ("ML Engineer", "Runway API") and n.kind is Kind.JOB for n in batch.nodes
    )


def test_plain_arrow_dataflow() -> None:
    batch = read(DATAFLOW)
    kinds = kind_of(batch)
    assert kinds["topic:kafka"] is Kind.TOPIC
    assert kinds["job:spark"] is Kind.JOB
    assert kinds["feature:feature-store"] is Kind.FEATURE
    assert kinds["dataset:data-lake"] is Kind.DATASET
    assert kinds["job:model-training"] is Kind.JOB
    flows = {(e.source, e.target) for e in batch.edges}
    assert {("topic:kafka", "job:spark"), ("job:etl-pipeline", "dataset:data-lake")} <= flows
    assert "source:rate-limit" not in kinds  # a legend item, not a data asset


def test_indented_streaming_pipeline() -> None:
    batch = read(STREAMING)
    kinds = kind_of(batch)
    assert kinds["topic:kafka-event-hub"] is Kind.TOPIC
    assert kinds["job:spark-streaming-job.py"] is Kind.JOB
    assert [
        kinds[f"dataset:{d}"]
        for d in ("raw-events-bronze", "validated-events-silver", "aggregated-kpis-gold")
    ] == [Kind.DATASET] * 3
    spark = next(n for n in batch.nodes if n.id == "job:spark-streaming-job.py")
    assert spark.mode is Mode.STREAMING and spark.location == f"{STREAMING}:19"


def test_seeds_in_a_store(store: GraphStore) -> None:
    report = import_files(store, "c4", [SEEDS], strict=True)
    assert report.warnings == ()
    model = "model:recommendation-models"
    paths = {
        tuple(r.path)
        for r in upstream(store, model, max_hops=12).nodes
        if r.node.id == "source:DS-001"
    }
    assert paths  # the model is downstream of DS-001 ...
    reached = {
        r.node.id for r in downstream(store, "DS-001", kinds=[Kind.MODEL], max_hops=12).nodes
    }
    assert model in reached
    # ... by the streaming path and by the batch path: paths from DS-001 to the model, one
    # through the online store fed by Flink, one through the Spark training dataset
    found = k_shortest_paths(store, "DS-001", model, k=20, max_length=12).paths
    routes = [set(path.nodes) for path in found]
    assert all(path.nodes[0] == "source:DS-001" and path.nodes[-1] == model for path in found)
    assert any({"job:flink-feature-computation", "feature:online-store"} <= r for r in routes)
    assert any({"job:spark-historical-etl", "dataset:spark-training-dataset"} <= r for r in routes)
    loops = [loop for loop in feedback_loops(store) if loop.kind is LoopKind.ML_FEEDBACK]
    main = next(loop for loop in loops if model in loop.models)
    assert {"source:implicit-feedback", "source:DS-001", "source:DS-002"} <= set(main.nodes)
