"""The project's own architecture documents (examples/docs) import to the graph they draw."""

from __future__ import annotations

from collections import Counter

import pytest
from lineage.importers.c4 import C4Importer
from support import EXAMPLES

from lineage.analysis.loops import feedback_loops
from lineage.analysis.traverse import downstream
from lineage.model import EdgeType, ImportBatch, Kind, Mode, Role
from lineage.service import import_files
from lineage.store.base import GraphStore

DOCS = EXAMPLES / "docs"


def read(name: str) -> ImportBatch:
    path = DOCS / name
    return C4Importer().parse(path.read_text(), source=f"examples/docs/{name}")


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
    loops = feedback_loops(store.snapshot())
    assert any("model:search-ranking-model" in loop.models for loop in loops)
    assert any("source:implicit-feedback" in loop.nodes for loop in loops)
