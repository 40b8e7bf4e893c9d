"""The C4 importer's ordered rule table, one rule at a time, and the edge annotations; the
user's guide lists the table as the code has it."""

from __future__ import annotations

import pytest
from support import DOCS

from lineage.importers.c4.annotations import edge_freshness, edge_role
from lineage.importers.c4.evidence import Evidence
from lineage.importers.c4.inference import KIND_RULES, infer_kind
from lineage.importers.diagram import C4Element, Shape
from lineage.model import Kind, Role


def c4(macro: str) -> C4Element:
    element = C4Element.from_macro(macro)
    assert element is not None
    return element


# -- the rule table, one row at a time ---------------------------------------------------------

RULE_CASES = [
    # (evidence, expected kind, rule that decides)
    (Evidence("X", "Homepage", override_kind=Kind.MODEL), Kind.MODEL, "override"),
    (Evidence("DS1", "DS-001: Viewing Events\n[Kafka Stream]"), Kind.SOURCE, "documented-id"),
    (Evidence("M", "MDL-REC: Ranker"), Kind.MODEL, "documented-id"),
    (Evidence("P", "PL-007: Nightly load"), Kind.JOB, "documented-id"),
    (Evidence("F", "FEAT-12: Session features"), Kind.FEATURE, "documented-id"),
    (Evidence("T", "Churn Scorer", table_id="MDL-017"), Kind.MODEL, "documented-id"),
    (Evidence("C", "[Model] MDL-CHURN"), Kind.MODEL, "documented-id"),
    (Evidence("C", "Churn Scorer (MDL-017)"), Kind.MODEL, "documented-id"),
    (Evidence("C", "Churn Scorer\nMDL-017"), Kind.MODEL, "documented-id"),
    (Evidence("S", "Member Profiles", in_inventory=True), Kind.SOURCE, "inventory"),
    (Evidence("S", "Clickstream", table_id="CLK-01", in_inventory=True), Kind.SOURCE,
     "inventory"),
    (Evidence("R", "Recommendation Models\n[ML]"), Kind.MODEL, "type-tag"),
    (Evidence("B", "Embeddings\n[Batch Pipeline]", has_inputs=True), Kind.JOB, "type-tag"),
    (Evidence("K", "Clicks\n[Kafka Stream]", has_inputs=True), Kind.TOPIC, "type-tag"),
    (Evidence("A", "Catalog\n[Internal API]"), Kind.SOURCE, "type-tag"),
    (Evidence("p", "ML Engineer", c4=c4("Person")), Kind.SOURCE, "c4-type"),
    (Evidence("e", "Maestro", c4=c4("System_Ext"), has_inputs=True), Kind.SOURCE, "c4-type"),
    (Evidence("d", "Events", c4=c4("ContainerDb")), Kind.DATASET, "c4-type"),
    (Evidence("q", "Events", c4=c4("ContainerQueue")), Kind.TOPIC, "c4-type"),
    (Evidence("m", "Netflix Members", has_outputs=True), Kind.SOURCE, "actor"),
    (Evidence("f", "Flink: Dedup + Validate", has_inputs=True), Kind.JOB, "tech-name"),
    (Evidence("s", "Spark: Training Features", has_inputs=True), Kind.JOB, "tech-name"),
    (Evidence("t", "Spark: Training Dataset", has_inputs=True), Kind.DATASET, "tech-name"),
    (Evidence("a", "S3: Raw Event Archive", has_inputs=True), Kind.DATASET, "tech-name"),
    (Evidence("j", "producer_sim.py"), Kind.JOB, "script"),
    (Evidence("r", "Recommendation Model"), Kind.MODEL, "head-noun"),
    (Evidence("r", "Model Retraining", has_inputs=True), Kind.JOB, "head-noun"),
    (Evidence("r", "Model Training"), Kind.JOB, "head-noun"),
    (Evidence("r", "Model Serving"), Kind.JOB, "head-noun"),
    (Evidence("k", "Kafka Topics"), Kind.TOPIC, "head-noun"),
    (Evidence("w", "Data Warehouse"), Kind.DATASET, "head-noun"),
    (Evidence("o", "Online Store", subgraphs=("Amber Feature Store [FS]",)), Kind.FEATURE,
     "subgraph"),
    (Evidence("i", "Implicit Feedback", subgraphs=("Feedback Loops",), has_inputs=True),
     Kind.SOURCE, "subgraph"),
    (Evidence("c", "Client Apps", subgraphs=("Producers",)), Kind.SOURCE, "subgraph"),
    (Evidence("b", "Bronze", subgraphs=("Storage",), has_inputs=True), Kind.DATASET, "subgraph"),
    (Evidence("k", "Kafka", has_inputs=True), Kind.TOPIC, "label-words"),
    (Evidence("x", "Sessionizer\n(Flink)", has_inputs=True), Kind.JOB, "label-words"),
    (Evidence("x", "Policy Store", has_inputs=True), Kind.DATASET, "label-words"),
    (Evidence("x", "Runway", c4=c4("System"), has_inputs=True), Kind.JOB, "c4-element"),
    (Evidence("x", "Bronze", shape=Shape.DATABASE, has_inputs=True), Kind.DATASET, "shape"),
    (Evidence("x", "Runbook", shape=Shape.DOCUMENT, has_inputs=True), Kind.DATASET, "shape"),
    (Evidence("x", "Homepage Display", has_inputs=True), Kind.JOB, "position"),
    (Evidence("x", "Member Behavior"), Kind.SOURCE, "position"),
]  # fmt: skip


@pytest.mark.parametrize(("evidence", "kind", "rule"), RULE_CASES)
def test_each_rule_of_the_table(evidence: Evidence, kind: Kind, rule: str) -> None:
    assert infer_kind(evidence) == (kind, rule)


def test_every_rule_is_exercised_and_named_once() -> None:
    names = [rule.name for rule in KIND_RULES]
    assert len(names) == len(set(names))
    assert {case[2] for case in RULE_CASES} == set(names)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("becomes future training data", Role.FEEDBACK),
        ("training data", Role.TRAINING),
        ("online features", Role.SERVING),
        ("recommendations shown to members", Role.SERVING),
        ("validated events (archived)", Role.ARCHIVE),
        ("catalog snapshots", Role.OTHER),
    ],
)
def test_edge_roles_check_feedback_first(label: str, role: Role) -> None:
    assert edge_role(label) is role


@pytest.mark.parametrize(
    ("label", "seconds"),
    [("real-time features (freshness: seconds)", 60.0), ("offline (batch, daily)", 86400.0),
     ("online (sync, sub-ms)", 0.001), ("plain", None)],
)  # fmt: skip
def test_edge_freshness(label: str, seconds: float | None) -> None:
    found = edge_freshness(label)
    assert (found.seconds if found else None) == seconds


def test_the_documentation_lists_the_rule_table_in_order() -> None:
    page = (DOCS / "importers" / "c4.md").read_text()
    rows = [f"| {i} | `{rule.name}` | {rule.doc} |" for i, rule in enumerate(KIND_RULES, 1)]
    assert "\n".join(rows) in page
