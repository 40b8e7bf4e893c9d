"""The schema-change gate end to end, on both stores: the example platform (its lineage spec,
C4 docs and Avro schemas), a change that breaks BACKWARD and one that does not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLES

from lineage.analysis.schema_impact import Verdict, schema_change_impact
from lineage.avro.modes import Mode
from lineage.model import NodeId
from lineage.service import import_files
from lineage.store.base import GraphStore

LATEST = json.loads((EXAMPLES / "avro" / "views.raw-value" / "v3.avsc").read_text())


@pytest.fixture
def platform(store: GraphStore) -> GraphStore:
    import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
    import_files(store, "c4", [EXAMPLES / "docs"])
    import_files(store, "avro", [EXAMPLES / "avro"])
    return store


def proposed(*extra: dict[str, Any], drop: str | None = None) -> dict[str, Any]:
    schema = copy.deepcopy(LATEST)
    schema["fields"] = [f for f in schema["fields"] if f["name"] != drop] + list(extra)
    return schema


def test_a_backward_breaking_change_fails_with_the_recommendation_model(
    platform: GraphStore,
) -> None:
    report = schema_change_impact(
        platform, "views.raw-value", proposed({"name": "customer", "type": "string"}),
        mode=Mode.BACKWARD,
    )  # fmt: skip
    assert not report.check.compatible
    assert report.verdict is Verdict.FAIL
    consumers = {c.node.id: c for c in report.consumers}
    recommendation = consumers[NodeId("model:recommendation")]
    assert recommendation.path[0] == NodeId("topic:views.raw")
    assert report.rollout.startswith("upgrade consumers first")


def test_a_compatible_change_passes(platform: GraphStore) -> None:
    optional = {"name": "customer", "type": ["null", "string"], "default": None}
    report = schema_change_impact(platform, "SCH-VIEW", proposed(optional))
    assert report.check.compatible
    assert report.check.mode is Mode.FULL  # the subject's level, from schemas.yaml
    assert report.verdict is Verdict.PASS


def test_only_consumers_of_changed_fields_are_hit(platform: GraphStore) -> None:
    """The spec's edge into the dedup job reads member_id, title_id, position_ms, event."""
    unread = schema_change_impact(
        platform, "views.raw-value", proposed({"name": "extra", "type": "string", "default": ""})
    )
    dedup = {c.node.id: c for c in unread.consumers}[NodeId("job:flink-dedup-validate")]
    assert (dedup.hit, dedup.reads) == (False, ("member_id", "title_id", "position_ms", "event"))
    promoted = copy.deepcopy(LATEST)
    promoted["fields"][0]["type"] = "double"  # member_id: long -> double, which it reads
    read = schema_change_impact(platform, "views.raw-value", promoted, mode=Mode.BACKWARD)
    assert read.check.compatible
    assert {c.node.id: c for c in read.consumers}[NodeId("job:flink-dedup-validate")].hit


def test_removing_a_field_a_consumer_reads_warns_even_when_compatible(
    platform: GraphStore,
) -> None:
    report = schema_change_impact(
        platform, "views.raw-value", proposed(drop="title_id"), mode=Mode.BACKWARD
    )
    assert report.check.compatible  # readers of the new schema ignore the old field
    assert report.verdict is Verdict.WARN


def test_an_incompatible_change_with_no_model_downstream_warns(
    store: GraphStore, tmp_path: Path
) -> None:
    folder = tmp_path / "schemas"
    (folder / "orders-value").mkdir(parents=True)
    order = {"type": "record", "name": "O", "fields": [{"name": "id", "type": "long"}]}
    (folder / "orders-value" / "v1.avsc").write_text(json.dumps(order))
    spec = tmp_path / "spec.lineage.yaml"
    spec.write_text("version: 1\nnodes: [{id: topic:orders}, {id: job:billing}]\n"
                    "edges: [{from: topic:orders, to: job:billing}]\n")  # fmt: skip
    import_files(store, "yaml", [spec])
    import_files(store, "avro", [folder])
    breaking = {**order, "fields": [*order["fields"], {"name": "x", "type": "int"}]}
    report = schema_change_impact(store, "orders-value", breaking)
    assert [c.node.id for c in report.consumers] == [NodeId("job:billing")]
    assert report.verdict is Verdict.WARN
