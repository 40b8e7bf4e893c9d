"""Observations: ``lineage observe`` and GraphQL ``markUpdated`` set a node's last update,
kept per node and source, so no later import erases a newer one; on both stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.api import serve
from support.cli import Cli

from lineage.api import ServiceSettings
from lineage.config import StoreSettings

SPEC = """version: 1
nodes:
  - {id: dataset:orders, name: Orders, freshness: hourly, last_updated: "2026-12-01T00:00:00Z"}
  - {id: model:churn, freshness: daily}
edges:
  - {from: dataset:orders, to: model:churn}
"""


@pytest.fixture
def loaded(cli: Cli, tmp_path: Path) -> tuple[Cli, Path]:
    spec = tmp_path / "spec.lineage.yaml"
    spec.write_text(SPEC)
    assert cli("import", "yaml", spec).exit_code == 0
    return cli, spec


def test_an_observation_makes_a_node_fresh_and_survives_a_reimport(
    loaded: tuple[Cli, Path],
) -> None:
    cli, spec = loaded
    at = "2026-12-02T11:30:00+00:00"
    observed = cli("observe", "Orders", "--at", at, "--json")
    assert observed.exit_code == 0, observed.stderr
    node = json.loads(observed.stdout)
    assert (node["id"], node["last_updated"], node["name"]) == ("dataset:orders", at, "Orders")
    assert cli("import", "yaml", spec).exit_code == 0  # the spec still says 2026-12-01
    report = json.loads(cli("staleness", "--json", "--at", "2026-12-02T12:00:00Z").stdout)
    orders = next(n for n in report["nodes"] if n["id"] == "dataset:orders")
    assert (orders["own"], orders["age_seconds"]) == ("FRESH", 1800.0)
    shown = json.loads(cli("show", "dataset:orders", "--json").stdout)
    assert {o["origin"] for o in shown["node"]["origins"]} >= {"observed:cli:dataset:orders"}


def test_an_older_observation_does_not_hide_a_newer_one(loaded: tuple[Cli, Path]) -> None:
    cli, _ = loaded
    cli("observe", "dataset:orders", "--at", "2026-12-02T11:00:00Z", "--source", "airflow")
    cli("observe", "dataset:orders", "--at", "2026-12-02T09:00:00Z", "--source", "dbt")
    node = json.loads(
        cli("observe", "dataset:orders", "--at", "2026-12-01T01:00:00Z", "--json").stdout
    )
    assert node["last_updated"] == "2026-12-02T11:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("observe", "dataset:nowhere"), "nowhere"),
        (("observe", "dataset:orders", "--at", "noon"), "is not an ISO date or time"),
        (("observe", "dataset:orders", "--source", "a:b"), "source"),
    ],
)
def test_a_bad_observation_exits_2(
    loaded: tuple[Cli, Path], args: tuple[str, ...], message: str
) -> None:
    cli, _ = loaded
    result = cli(*args)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.anyio
async def test_mark_updated_records_an_observation(
    loaded: tuple[Cli, Path], store_settings: StoreSettings
) -> None:
    mutation = """mutation { markUpdated(id: "dataset:orders", at: "2026-12-02T10:00:00Z",
        source: "warehouse") { id lastUpdated } }"""
    async with serve(ServiceSettings(store=store_settings)) as api:
        data = await api.data(mutation)
        missing = await api.graphql('mutation { markUpdated(id: "dataset:none") { id } }')
    assert data["markUpdated"]["id"] == "dataset:orders"
    assert data["markUpdated"]["lastUpdated"].startswith("2026-12-02T10:00:00")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
