"""The project's own architecture documents (examples/docs) import to the graph they draw."""

from __future__ import annotations

from collections import Counter

import pytest
from support import EXAMPLES

from lineage.analysis.loops import feedback_loops
from lineage.analysis.traverse import downstream
from lineage.importers.c4 import C4Importer
from lineage.model import EdgeType, ImportBatch, Kind, Mode, Role
from lineage.service import import_files
from lineage.store.base import GraphStore

DOCS = EXAMPLES / "docs"


def read(name: str) -> ImportBatch:
    path = DOCS / name
    return C4Importer().parse(path.read_text(), source=f"examples/docs/{name}")


def edges_of(batch: ImportBatch, edge_type: EdgeType) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in batch.edges if e.type is edge_type}


def kinds(batch: ImportBatch) -> Counter[str]:
    return Counter(node.kind.value for node in batch.nodes)


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.iterdir()))
def test_every_example_imports_without_warnings(name: str) -> None:
    batch = read(name)
    assert batch.nodes and batch.edges and batch.warnings == ()


def test_overlay() -> None:
    batch = read("overlay.md")
    nodes = {n.id: n for n in batch.nodes}
    assert kinds(batch) == Counter(
        job=5, source=5, dataset=2, feature=2, model=2, schema=2, topic=1
    )
    assert nodes["source:DS-007"].name == "Member Profiles"  # only the inventory names it
    assert nodes["source:DS-001"].mode is Mode.STREAMING
    assert nodes["model:recommendation"].freshness.seconds == 5.0
    assert "job:homepage-rows" not in nodes  # ignored by the override block
    assert {"RecModel", "MDL_REC"} <= set(nodes["model:recommendation"].aliases)
    feedback = [e for e in batch.edges if e.role is Role.FEEDBACK]
    assert [(e.source, e.target) for e in feedback] == [
        ("source:implicit-feedback", "source:DS-001")
    ]
    schema_users = {e.source for e in batch.edges if e.type is EdgeType.HAS_SCHEMA}
    assert {"job:PL-001", "job:flink-dedup-validate", "model:search-ranking"} <= schema_users


def test_container_diagram() -> None:
    batch = read("context.md")
    assert {n.id: n.kind for n in batch.nodes} == {
        "source:member": Kind.SOURCE,
        "source:content-catalog": Kind.SOURCE,
        "topic:playback-events": Kind.TOPIC,
        "job:event-enricher": Kind.JOB,
        "dataset:event-warehouse": Kind.DATASET,
        "job:feature-builder": Kind.JOB,
        "model:ranking-model": Kind.MODEL,
    }  # the analyst only reads: left out
    flows = {(e.source, e.target) for e in batch.edges}
    assert ("source:content-catalog", "job:event-enricher") in flows  # "Reads title metadata"
    assert ("dataset:event-warehouse", "job:feature-builder") in flows


def test_plain_arrow_data_flow() -> None:
    batch = read("dataflow.md")
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["topic:query-events"].mode is Mode.STREAMING  # its legend says [Kafka]
    assert nodes["model:search-ranking-model"].kind is Kind.MODEL
    assert ("job:click-feedback", "topic:query-events") in {
        (e.source, e.target) for e in batch.edges
    }


def test_indented_and_bare_mermaid() -> None:
    indented = read("indented.md")
    assert kinds(indented) == Counter(dataset=2, job=2, source=1, topic=1)
    assert {n.location for n in indented.nodes} >= {"examples/docs/indented.md:8"}
    bare = read("telemetry.mmd")
    assert {n.id for n in bare.nodes} >= {"source:DS-004", "model:content-quality-models"}


def test_examples_in_a_store(store: GraphStore) -> None:
    report = import_files(store, "c4", [DOCS], strict=True)
    assert report.warnings == ()
    models = {r.node.id for r in downstream(store, "DS-001", kinds=[Kind.MODEL]).nodes}
    assert {"model:recommendation", "model:search-ranking"} <= models
    # documents of other authors meet at the ids they share: DS-001 feeds their models too
    assert {"model:MDL-017", "model:MDL-ART"} <= models
    loops = feedback_loops(store)
    assert any("model:search-ranking-model" in loop.models for loop in loops)
    assert any("model:MDL-ART" in loop.models for loop in loops)
    assert any("source:implicit-feedback" in loop.nodes for loop in loops)


# -- documents in other authors' styles ---------------------------------------------------------


def feeds(batch: ImportBatch) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in batch.edges if e.type is EdgeType.FEEDS}


def freshness(batch: ImportBatch) -> dict[str, float | None]:
    return {n.id: n.freshness.seconds for n in batch.nodes if n.freshness}


def test_arc42_page_with_ids_in_parentheses() -> None:
    batch = read("retention-arc42.md")
    nodes = {n.id: n for n in batch.nodes}
    assert {node_id: node.kind for node_id, node in nodes.items()} == {
        "source:DS-008": Kind.SOURCE,
        "source:DS-001": Kind.SOURCE,
        "topic:billing-stream": Kind.TOPIC,
        "job:PL-021": Kind.JOB,
        "feature:FS-CHURN": Kind.FEATURE,
        "model:MDL-017": Kind.MODEL,
        "dataset:churn-scores": Kind.DATASET,
        "job:retention-offer-service": Kind.JOB,
    }
    assert nodes["model:MDL-017"].name == "Churn Scorer"  # "Churn Scorer (MDL-017)"
    assert nodes["source:DS-008"].name == "Billing Events"  # "DS-008 (Billing Events)"
    assert "billing.events" in nodes["topic:billing-stream"].aliases  # the C4 description
    assert feeds(batch) == {
        ("source:DS-008", "topic:billing-stream"),
        ("topic:billing-stream", "job:PL-021"),  # Rel(feature_job, billing_stream, "Consumes")
        ("source:DS-001", "job:PL-021"),  # "Reads 90 days of views"
        ("job:PL-021", "feature:FS-CHURN"),
        ("feature:FS-CHURN", "model:MDL-017"),  # "Reads features"
        ("model:MDL-017", "dataset:churn-scores"),
        ("dataset:churn-scores", "job:retention-offer-service"),
    }
    assert freshness(batch) == {
        "source:DS-008": 1.0,  # §3 inputs, named "DS-008 (Billing Events)"
        "source:DS-001": 1.0,
        "topic:billing-stream": 300.0,  # §10, named "Billing Stream"
        "job:PL-021": 86400.0,  # "Nightly batch job"
        "feature:FS-CHURN": 21600.0,  # §10, named "Churn Features"
        "model:MDL-017": 86400.0,  # §10, named "MDL-017"
    }
    assert {n.id: n.mode for n in batch.nodes if n.mode is not Mode.UNKNOWN} == {
        "source:DS-008": Mode.STREAMING,
        "source:DS-001": Mode.STREAMING,
        "topic:billing-stream": Mode.STREAMING,
        "job:PL-021": Mode.BATCH,
    }


def test_pipeline_spec_with_type_tags_and_an_sla_table() -> None:
    batch = read("artwork-pipeline.md")
    nodes = {n.id: n for n in batch.nodes}
    assert {node_id: node.kind for node_id, node in nodes.items()} == {
        "source:DS-009": Kind.SOURCE,
        "source:DS-001": Kind.SOURCE,
        "job:PL-040": Kind.JOB,
        "dataset:artwork-rewards": Kind.DATASET,
        "job:PL-041": Kind.JOB,
        "feature:FS-ART": Kind.FEATURE,
        "model:MDL-ART": Kind.MODEL,
        "schema:SCH-IMPRESSION": Kind.SCHEMA,
    }
    assert [nodes[i].name for i in ("source:DS-009", "source:DS-001", "model:MDL-ART")] == [
        "Artwork Impressions",
        "Member Viewing Events",
        "Artwork Bandit",
    ]
    # "[Batch Job]<br/>Bandit Trainer" has no ID; the SLA row "PL-041 (Bandit Trainer)" gives it
    trainer = nodes["job:PL-041"]
    assert (trainer.name, trainer.properties["inferred_by"]) == ("Bandit Trainer", "documented-id")
    assert feeds(batch) == {
        ("source:DS-009", "job:PL-040"),
        ("source:DS-001", "job:PL-040"),
        ("job:PL-040", "dataset:artwork-rewards"),
        ("job:PL-040", "feature:FS-ART"),
        ("dataset:artwork-rewards", "job:PL-041"),
        ("job:PL-041", "model:MDL-ART"),
        ("feature:FS-ART", "model:MDL-ART"),
        ("model:MDL-ART", "source:DS-009"),
    }  # `fs ~~~ trainer` only places the boxes
    roles = {(e.source, e.target): e.role for e in batch.edges if e.role is not Role.OTHER}
    assert roles == {
        ("feature:FS-ART", "model:MDL-ART"): Role.SERVING,
        ("model:MDL-ART", "source:DS-009"): Role.FEEDBACK,
    }
    assert edges_of(batch, EdgeType.HAS_SCHEMA) == {
        ("job:PL-040", "schema:SCH-IMPRESSION"),  # "PL-040 (Impression-Play Join)"
        ("model:MDL-ART", "schema:SCH-IMPRESSION"),  # "Artwork Bandit"
    }
    assert freshness(batch) == {
        "model:MDL-ART": 86400.0,
        "feature:FS-ART": 30.0,
        "job:PL-040": 60.0,
        "job:PL-041": 86400.0,
        "dataset:artwork-rewards": 7200.0,  # the SLA row wins over "hourly partitions"
    }


def test_box_drawing_flow_with_an_inventory_naming_sources_by_name() -> None:
    batch = read("catalog-ingest.md")
    nodes = {n.id: n for n in batch.nodes}
    assert {node_id: node.kind for node_id, node in nodes.items()} == {
        "source:title-registry": Kind.SOURCE,
        "topic:catalog-cdc": Kind.TOPIC,
        "dataset:title-metadata-lake": Kind.DATASET,
        "source:artwork-store": Kind.SOURCE,  # the inventory lists it, though it is a "Store"
        "job:catalog-feature-job": Kind.JOB,
        "feature:catalog-features": Kind.FEATURE,
        "source:localization-service": Kind.SOURCE,
        "job:translation-loader": Kind.JOB,
    }
    assert {i for i, n in nodes.items() if n.properties["inferred_by"] == "inventory"} == {
        "source:title-registry",
        "source:artwork-store",
        "source:localization-service",
    }
    assert feeds(batch) == {
        ("source:title-registry", "topic:catalog-cdc"),
        ("topic:catalog-cdc", "dataset:title-metadata-lake"),
        ("dataset:title-metadata-lake", "job:catalog-feature-job"),  # down the box's tee
        ("source:artwork-store", "job:catalog-feature-job"),
        ("job:catalog-feature-job", "feature:catalog-features"),
        ("source:localization-service", "job:translation-loader"),
        ("job:translation-loader", "dataset:title-metadata-lake"),
    }
    label = next(e.label for e in batch.edges if e.source == "job:translation-loader")
    assert label == "localized titles"
    assert freshness(batch) == {
        "source:title-registry": None,  # "on title change": event-driven, no bound
        "source:artwork-store": 3600.0,
        "source:localization-service": 86400.0,
    }
    assert nodes["source:title-registry"].mode is Mode.EVENT_DRIVEN
    assert nodes["source:title-registry"].properties["owner"] == "catalog-team"
