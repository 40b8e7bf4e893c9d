"""Freshness over GraphQL and /metrics, on both stores: the roll-up and its history, the
conflicts, the configured jobs and runJob (authenticated like every mutation), and the gauges
a Prometheus alert reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.api import codes, serve
from support.configs import write_config

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.config_file import LineageConfig, load_config
from lineage.model import Edge, Freshness, ImportBatch, Kind, Node, NodeId
from lineage.service import open_store, run_rollup

pytestmark = pytest.mark.anyio

TOKEN = "test-token"
HOURLY = Freshness("hourly", 3600.0)
SPEC = """\
version: 1
nodes:
  - {id: source:a, freshness: hourly}
  - {id: model:m, freshness: 5 seconds}
  - {id: job:nightly, freshness: daily}
edges:
  - {from: source:a, to: job:nightly}
  - {from: job:nightly, to: model:m, role: serving}
"""


def _config(tmp_path: Path) -> LineageConfig:
    return load_config(write_config(tmp_path, SPEC))


def _settings(store: StoreSettings, config: LineageConfig) -> ServiceSettings:
    return ServiceSettings(store=store, config=config, api_token=TOKEN, scheduler=False)


async def test_run_job_needs_the_token_and_records_the_run(
    store_settings: StoreSettings, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    mutation = 'mutation { runJob(name: "spec") { outcome nodes origins error } }'
    async with serve(_settings(store_settings, config)) as api:
        refused = await api.graphql(mutation)
        ran = await api.graphql(mutation, token=TOKEN)
        again = await api.graphql(mutation, token=TOKEN)
        unknown = await api.graphql('mutation { runJob(name: "nope") { outcome } }', token=TOKEN)
        jobs = await api.data(
            "{ jobs { name kind importer schedule last { outcome } history { outcome } } }"
        )
    assert codes(refused) == ["UNAUTHENTICATED"]
    assert ran["data"]["runJob"] == {
        "outcome": "SUCCEEDED",
        "nodes": 3,
        "origins": 1,
        "error": None,
    }
    assert again["data"]["runJob"]["outcome"] == "UNCHANGED"
    assert codes(unknown) == ["BAD_INPUT"]
    spec, rollup = jobs["jobs"]
    assert (spec["name"], spec["importer"], spec["schedule"]) == ("spec", "yaml", "1h")
    assert [run["outcome"] for run in spec["history"]] == ["UNCHANGED", "SUCCEEDED"]
    assert (rollup["kind"], rollup["last"]) == ("rollup", None)


async def test_stale_rollup_and_conflicts_answer_from_the_run_log_and_the_graph(
    store_settings: StoreSettings, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    now = datetime.now(UTC)
    store = open_store(store_settings)
    try:
        nodes = (
            Node(
                NodeId("source:a"),
                Kind.SOURCE,
                freshness=HOURLY,
                last_updated=now - timedelta(hours=3),
            ),
            Node(NodeId("model:m"), Kind.MODEL, freshness=HOURLY, last_updated=now),
        )
        store.apply(ImportBatch("doc", nodes, (Edge(nodes[0].id, nodes[1].id),)))
        run_rollup(store, defaults={}, keep=5, at=now - timedelta(minutes=5))
        run_rollup(store, defaults={}, keep=5, at=now)
    finally:
        store.close()
    query = """{ staleRollup(limit: 5) {
        latest { counts { status count } stale { id own cause causePath since }
                 models { id status ageSeconds boundSeconds } }
        history { at } } }"""
    async with serve(_settings(store_settings, config)) as api:
        rolled = (await api.data(query))["staleRollup"]
    counts = {c["status"]: c["count"] for c in rolled["latest"]["counts"]}
    assert counts == {"FRESH": 0, "UNKNOWN": 0, "STALE": 2}
    stale = {node["id"]: node for node in rolled["latest"]["stale"]}
    assert stale["model:m"]["own"] == "FRESH"
    assert (stale["model:m"]["cause"], stale["model:m"]["causePath"]) == (
        "source:a",
        ["source:a", "model:m"],
    )
    first_seen = datetime.fromisoformat(stale["model:m"]["since"])
    assert first_seen == now - timedelta(minutes=5)
    assert len(rolled["history"]) == 2
    (model,) = rolled["latest"]["models"]
    assert model["boundSeconds"] == 3600.0 and model["status"] == "STALE"


async def test_freshness_conflicts_name_the_offending_edge(
    store_settings: StoreSettings, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    async with serve(_settings(store_settings, config)) as api:
        await api.graphql('mutation { runJob(name: "spec") { outcome } }', token=TOKEN)
        fields = "id requiredSeconds achievableSeconds edgeSource edgeTarget path"
        found = await api.data(f"{{ freshnessConflicts {{ {fields} }} }}")
    assert found["freshnessConflicts"] == [
        {
            "id": "model:m",
            "requiredSeconds": 5.0,
            "achievableSeconds": 86400.0,
            "edgeSource": "job:nightly",
            "edgeTarget": "model:m",
            "path": ["job:nightly", "model:m"],
        }
    ]


async def test_metrics_expose_staleness_conflicts_model_ages_and_job_outcomes(
    store_settings: StoreSettings, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    async with serve(_settings(store_settings, config)) as api:
        await api.graphql('mutation { runJob(name: "spec") { outcome } }', token=TOKEN)
        await api.graphql('mutation { markUpdated(id: "model:m") { id } }', token=TOKEN)
        await api.graphql('mutation { runJob(name: "rollup") { outcome } }', token=TOKEN)
        text = (await api.client.get("/metrics")).text
    assert 'lineage_stale_nodes{kind="model"} 0.0' in text
    assert "lineage_freshness_conflicts 1.0" in text
    assert 'lineage_model_freshness_bound_seconds{model="model:m"} 5.0' in text
    assert 'lineage_model_age_seconds{model="model:m"}' in text
    assert 'lineage_job_last_run_outcome{job="spec",outcome="SUCCEEDED"} 1.0' in text
    assert 'lineage_job_last_run_outcome{job="rollup",outcome="FAILED"} 0.0' in text
    assert 'lineage_job_last_run_duration_seconds{job="spec"}' in text
    assert "lineage_rollup_timestamp_seconds" in text


async def test_the_service_runs_the_configured_jobs_on_their_schedules(
    store_settings: StoreSettings, tmp_path: Path
) -> None:
    import anyio

    path = write_config(tmp_path, SPEC, schedule="1s", rollup="1s")
    settings = ServiceSettings(store=store_settings, config=load_config(path))
    query = "{ jobs { name history { outcome } } }"
    async with serve(settings) as api:
        with anyio.fail_after(30):  # a bound on the wait, not a measure
            while True:
                jobs = {j["name"]: j["history"] for j in (await api.data(query))["jobs"]}
                if len(jobs["spec"]) >= 2 and jobs["rollup"]:
                    break
                await anyio.sleep(0.2)
        nodes = await api.data("{ nodes(first: 10) { totalCount } }")
    assert [run["outcome"] for run in reversed(jobs["spec"])][:2] == ["SUCCEEDED", "UNCHANGED"]
    assert nodes["nodes"]["totalCount"] == 3
