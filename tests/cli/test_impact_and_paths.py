"""``lineage impact`` and ``lineage paths``: the answers GraphQL ``impact`` and ``paths`` give,
on both stores, as JSON and as tables."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import EXAMPLES
from support.api import serve
from support.cli import Cli, CliResult

from lineage.api import ServiceSettings
from lineage.config import StoreSettings

IMPACT = """query($id: ID!, $maxHops: Int!, $limit: Int, $triggers: Boolean!) {
  impact(id: $id, maxHops: $maxHops, limit: $limit, includeTriggers: $triggers) {
    root { id }
    byKind { kind count nodes { id } }
    models {
      model { id name } distance modes freshnessConflict
      slowest { node { id } freshnessSeconds }
      steps { node { id } modes freshnessSeconds via { sourceId targetId role } }
    }
    truncated reason totalCount
    truncations { bound limit direction nodeId }
  }
}"""

PATHS = """query($from: ID!, $to: ID!, $k: Int!, $maxLength: Int!) {
  paths(from: $from, to: $to, k: $k, maxLength: $maxLength) {
    source { id } target { id }
    paths { length nodes { id } edges { sourceId targetId role mode } }
    truncated reason
    truncations { bound limit direction nodeId }
  }
}"""


@pytest.fixture
def platform(cli: Cli) -> Cli:
    result = cli("import", "yaml", EXAMPLES / "platform.lineage.yaml")
    assert result.exit_code == 0, result.stderr
    return cli


def _json(result: CliResult) -> dict[str, Any]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


async def _graphql(settings: StoreSettings, query: str, variables: dict[str, Any]) -> Any:
    async with serve(ServiceSettings(store=settings)) as api:
        return await api.data(query, variables)


def _truncations(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (t["bound"].lower(), t["limit"], (t["direction"] or "").lower() or None, t.get("nodeId"))
        for t in answer["truncations"]
    ]


def _cli_truncations(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(t["bound"], t["limit"], t["direction"], t["node"]) for t in document["truncations"]]


@pytest.mark.parametrize(
    ("ref", "args", "variables"),
    [
        ("AmberOffline", [], {"maxHops": 10, "limit": None, "triggers": False}),
        ("DS1", ["--depth", "3"], {"maxHops": 3, "limit": None, "triggers": False}),
        ("DS1", ["--max-nodes", "4"], {"maxHops": 10, "limit": 4, "triggers": False}),
        ("DS1", ["--include-triggers"], {"maxHops": 10, "limit": None, "triggers": True}),
    ],
)
@pytest.mark.anyio
async def test_impact_json_is_the_graphql_answer(
    platform: Cli, ref: str, args: list[str], variables: dict[str, Any]
) -> None:
    document = _json(platform("impact", ref, *args, "--json"))
    answer = (await _graphql(platform.settings, IMPACT, {"id": ref, **variables}))["impact"]
    assert document["root"] == answer["root"]["id"]
    assert document["by_kind"] == [
        {"kind": g["kind"].lower(), "count": g["count"], "nodes": [n["id"] for n in g["nodes"]]}
        for g in answer["byKind"]
    ]
    assert [
        (m["id"], m["name"], m["distance"], m["modes"], m["freshness_conflict"])
        for m in document["models"]
    ] == [
        (
            m["model"]["id"],
            m["model"]["name"],
            m["distance"],
            [mode.lower() for mode in m["modes"]],
            m["freshnessConflict"],
        )
        for m in answer["models"]
    ]
    assert [(m["slowest"] or {}).get("id") for m in document["models"]] == [
        (m["slowest"] or {"node": {}})["node"].get("id") for m in answer["models"]
    ]
    assert [
        [(s["id"], s["freshness_seconds"]) for s in m["steps"]] for m in document["models"]
    ] == [[(s["node"]["id"], s["freshnessSeconds"]) for s in m["steps"]] for m in answer["models"]]
    assert (document["truncated"], document["reason"], document["total_count"]) == (
        answer["truncated"],
        answer["reason"],
        answer["totalCount"],
    )
    assert _cli_truncations(document) == _truncations(answer)


@pytest.mark.anyio
async def test_a_cut_impact_says_which_bound_and_where(platform: Cli) -> None:
    document = _json(platform("impact", "DS1", "--depth", "2", "--json"))
    assert document["truncated"]
    assert _cli_truncations(document) == [("max_hops", 2, "downstream", "source:DS-001")]
    assert (
        document["reason"] == "max_hops: more nodes lie beyond 2 hops downstream of source:DS-001"
    )


def test_impact_table_names_the_models_and_the_conflicts(platform: Cli) -> None:
    result = platform("impact", "AmberOffline")
    assert result.exit_code == 0, result.stderr
    assert "a change to feature:offline-store reaches" in result.stdout
    assert "4 model(s) affected" in result.stdout
    for model in ("model:content-quality", "model:recommendation", "model:personalization"):
        assert model in result.stdout
    recommendation = next(
        line for line in result.stdout.splitlines() if line.strip().startswith("model:recomm")
    )
    assert "slowest feature:offline-store (1d)" in recommendation
    assert "freshness conflict" in recommendation  # a daily hop into a real-time model


@pytest.mark.parametrize(
    ("source", "target", "k", "max_length"),
    [("DS1", "MDL-REC", 3, 10), ("DS1", "MDL-REC", 1, 10), ("DS1", "MDL-REC", 3, 4)],
)
@pytest.mark.anyio
async def test_paths_json_is_the_graphql_answer(
    platform: Cli, source: str, target: str, k: int, max_length: int
) -> None:
    document = _json(
        platform("paths", source, target, "-k", str(k), "--max-length", str(max_length), "--json")
    )
    variables = {"from": source, "to": target, "k": k, "maxLength": max_length}
    answer = (await _graphql(platform.settings, PATHS, variables))["paths"]
    assert (document["from"], document["to"]) == (answer["source"]["id"], answer["target"]["id"])
    assert [(p["length"], p["nodes"]) for p in document["paths"]] == [
        (p["length"], [n["id"] for n in p["nodes"]]) for p in answer["paths"]
    ]
    assert [[(e["from"], e["to"], e["role"]) for e in p["edges"]] for p in document["paths"]] == [
        [(e["sourceId"], e["targetId"], e["role"].lower()) for e in p["edges"]]
        for p in answer["paths"]
    ]
    assert (document["truncated"], document["reason"]) == (answer["truncated"], answer["reason"])
    assert _cli_truncations(document) == _truncations(answer)


def test_paths_beyond_k_say_so(platform: Cli) -> None:
    document = _json(platform("paths", "DS1", "MDL-REC", "-k", "1", "--json"))
    assert len(document["paths"]) == 1
    assert _cli_truncations(document) == [("k", 1, None, None)]


def test_paths_table_numbers_the_paths_shortest_first(platform: Cli) -> None:
    result = platform("paths", "DS1", "MDL-REC", "-k", "2")
    assert result.exit_code == 0, result.stderr
    assert "2 path(s) from source:DS-001 to model:recommendation" in result.stdout
    assert "truncated: k: more than 2 paths" in result.stdout


def test_paths_with_no_way_between_the_nodes_is_empty_not_an_error(platform: Cli) -> None:
    document = _json(platform("paths", "MDL-REC", "schema:SCH-FEATURE", "--json"))
    assert (document["paths"], document["truncated"]) == ([], False)


@pytest.mark.parametrize(
    "args",
    [
        ["impact", "nosuch"],
        ["paths", "nosuch", "DS1"],
        ["paths", "DS1", "DS1"],
        ["impact", "DS1", "--depth", "0"],
        ["paths", "DS1", "MDL-REC", "-k", "0"],
    ],
)
def test_bad_references_and_bounds_exit_2(platform: Cli, args: list[str]) -> None:
    result = platform(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
