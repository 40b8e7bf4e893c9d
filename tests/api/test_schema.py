"""``graphql/schema.graphql`` is the schema the code builds, and every example operation in
``graphql/operations/`` gives the answer it is there to show, on the example data
(``examples/platform.lineage.yaml``) of both stores."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import EXAMPLES, OPERATIONS, ROOT
from support.api import Api, load_examples, serve

from lineage.api import ServiceSettings, schema_sdl
from lineage.config import StoreSettings

SCHEMA_FILE = ROOT / "graphql" / "schema.graphql"
EXAMPLE_SPEC = EXAMPLES / "platform.lineage.yaml"
OPERATION_FILES = sorted(OPERATIONS.glob("*.graphql"))
EXPECTED_OPERATIONS = {
    "lineage",
    "impact",
    "feedbackLoops",
    "paths",
    "nodes",
    "node",
    "importDocument",
}


def test_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "graphql/schema.graphql is stale: run `lineage schema > graphql/schema.graphql`"
    )


def test_schema_command_prints_the_sdl() -> None:
    from lineage.cli import cli

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == schema_sdl()


def test_every_root_field_has_an_example() -> None:
    assert {path.stem for path in OPERATION_FILES} == EXPECTED_OPERATIONS
    for path in OPERATION_FILES:
        field = re.search(r"\{\s*(\w+)\s*[({]", path.read_text(encoding="utf-8"))
        assert field and field.group(1) == path.stem, path.name


MODELS = ["model:personalization", "model:recommendation", "model:search-ranking"]


def _chained(path_nodes: list[str], edges: list[dict[str, Any]]) -> bool:
    """The edges lead from each node of the path to the next."""
    pairs = [(edge["sourceId"], edge["targetId"]) for edge in edges]
    return pairs == list(pairwise(path_nodes))


async def check_lineage(api: Api, answer: dict[str, Any]) -> None:
    """DS1's downstream models: the README's first query."""
    assert answer["root"]["id"] == "source:DS-001"
    assert [(r["node"]["id"], r["distance"]) for r in answer["nodes"]] == [
        ("model:personalization", 6),
        ("model:recommendation", 6),
        ("model:search-ranking", 6),
        ("model:content-quality", 7),
    ]
    assert {r["node"]["kind"] for r in answer["nodes"]} == {"MODEL"}
    for reached in answer["nodes"]:
        path = [node["id"] for node in reached["path"]["nodes"]]
        assert path[0] == "source:DS-001" and path[-1] == reached["node"]["id"]
        assert len(path) == reached["distance"] + 1
        assert _chained(path, reached["path"]["edges"])
    assert (answer["truncated"], answer["reason"], answer["totalCount"]) == (False, None, 4)


async def check_impact(api: Api, answer: dict[str, Any]) -> None:
    """A change to the offline store reaches every model; three mix daily batch into seconds."""
    assert answer["root"]["id"] == "feature:offline-store"
    assert {group["kind"]: group["count"] for group in answer["byKind"]} == {
        "SOURCE": 3,
        "TOPIC": 2,
        "DATASET": 2,
        "JOB": 5,
        "FEATURE": 1,
        "MODEL": 4,
    }
    assert all(len(group["nodes"]) == group["count"] for group in answer["byKind"])
    assert [
        (m["model"]["id"], m["distance"], m["freshnessConflict"]) for m in answer["models"]
    ] == [
        ("model:content-quality", 1, False),
        ("model:recommendation", 2, True),
        ("model:search-ranking", 2, True),
        ("model:personalization", 10, True),
    ]
    for reached in answer["models"]:
        assert reached["slowest"] == {
            "node": {"id": "feature:offline-store"},
            "freshnessSeconds": 86400.0,
        }
        steps = reached["steps"]
        assert steps[0]["node"]["id"] == "feature:offline-store" and steps[0]["via"] is None
        assert steps[-1]["node"]["id"] == reached["model"]["id"]
        assert len(steps) == reached["distance"] + 1
    recommendation = answer["models"][1]
    assert recommendation["modes"] == ["BATCH", "HYBRID"]
    assert recommendation["model"]["freshness"] == {"text": "seconds", "seconds": 60.0}
    assert (answer["truncated"], answer["reason"], answer["totalCount"]) == (False, None, 17)


async def check_feedback_loops(api: Api, answer: list[dict[str, Any]]) -> None:
    """One ML feedback loop through three model groups, its first three cycles listed."""
    (loop,) = answer
    assert loop["kind"] == "ML_FEEDBACK"
    assert [model["id"] for model in loop["models"]] == MODELS
    assert len(loop["nodes"]) == 17
    assert loop["modes"] == ["BATCH", "HYBRID", "STREAMING"]
    assert len(loop["cycles"]) == 3 and loop["truncated"]
    members = {node["id"] for node in loop["nodes"]}
    for cycle in loop["cycles"]:
        ids = [node["id"] for node in cycle["nodes"]]
        assert ids[0] in MODELS and set(ids) <= members
        assert cycle["length"] == len(ids)
    first = [node["id"] for node in loop["cycles"][0]["nodes"]]
    assert first[:3] == ["model:recommendation", "source:implicit-feedback", "source:DS-001"]


async def check_paths(api: Api, answer: dict[str, Any]) -> None:
    """The three shortest ways from DS1 to the recommendation models."""
    assert answer["source"]["id"] == "source:DS-001"
    assert answer["target"]["id"] == "model:recommendation"
    assert [path["length"] for path in answer["paths"]] == [6, 7, 8]
    for path in answer["paths"]:
        ids = [node["id"] for node in path["nodes"]]
        assert ids[0] == "source:DS-001" and ids[-1] == "model:recommendation"
        assert len(ids) == path["length"] + 1 and _chained(ids, path["edges"])
    assert "feature:online-store" in [n["id"] for n in answer["paths"][0]["nodes"]]
    assert "dataset:training-dataset" in [n["id"] for n in answer["paths"][1]["nodes"]]


async def check_node(api: Api, answer: dict[str, Any]) -> None:
    """MDL-REC is the recommendation models, declared on its line of the example spec."""
    line = next(
        number
        for number, text in enumerate(EXAMPLE_SPEC.read_text(encoding="utf-8").splitlines(), 1)
        if "id: model:recommendation," in text
    )
    (origin,) = answer.pop("origins")  # named as given on the command line, cwd-relative
    assert origin["origin"].startswith("yaml:") and origin["origin"].endswith(EXAMPLE_SPEC.name)
    assert origin["location"].endswith(f"{EXAMPLE_SPEC.name}:{line}")
    assert answer == {
        "__typename": "Model",
        "id": "model:recommendation",
        "kind": "MODEL",
        "name": "Recommendation models",
        "aliases": ["MDL-REC"],
        "mode": "HYBRID",
        "freshness": {"text": "seconds", "seconds": 60.0},
        "lastUpdated": None,
        "properties": {},
        "uri": "model://recommendation",
        "neighbours": [
            {"id": "dataset:training-dataset", "kind": "DATASET", "name": "Training dataset"},
            {"id": "feature:online-store", "kind": "FEATURE", "name": "Online feature store"},
            {"id": "source:implicit-feedback", "kind": "SOURCE", "name": "Implicit feedback"},
        ],
    }


async def check_nodes(api: Api, answer: dict[str, Any]) -> None:
    """The first 10 of the 14 streaming nodes, by id; the end cursor leads to the other 4."""
    edges = answer["edges"]
    ids = [edge["node"]["id"] for edge in edges]
    assert answer["totalCount"] == 14 and len(ids) == 10 and ids == sorted(ids)
    assert {edge["node"]["mode"] for edge in edges} == {"STREAMING"}
    assert answer["pageInfo"] == {"hasNextPage": True, "endCursor": edges[-1]["cursor"]}
    online = edges[0]["node"]
    assert (online["__typename"], online["id"]) == ("Feature", "feature:online-store")
    assert online["inputs"] == [{"source": {"id": "job:flink-feature-computation"}}]
    assert [output["target"]["id"] for output in online["outputs"]] == MODELS
    rest = (
        await api.data(
            (OPERATIONS / "nodes.graphql").read_text(encoding="utf-8"),
            {"after": answer["pageInfo"]["endCursor"]},
        )
    )["nodes"]
    more = [edge["node"]["id"] for edge in rest["edges"]]
    assert len(more) == 4 and more[0] > ids[-1] and not rest["pageInfo"]["hasNextPage"]
    assert rest["totalCount"] == 14


async def check_import_document(api: Api, answer: dict[str, Any]) -> None:
    """The experiment model joins the graph under the training dataset the examples describe."""
    assert answer == {
        "origins": ["yaml:docs/ranking-experiment.yaml"],
        "nodes": 2,
        "edges": 1,
        "nodesRemoved": 0,
        "edgesRemoved": 0,
        "warnings": [],
    }
    query = """{ node(id: "model:ranking-experiment") {
      name freshness { seconds } inputs { role source { id name } }
    } }"""
    assert (await api.data(query))["node"] == {
        "name": "Ranking experiment",
        "freshness": {"seconds": 86400.0},
        "inputs": [
            {
                "role": "TRAINING",
                "source": {"id": "dataset:training-dataset", "name": "Training dataset"},
            }
        ],
    }


CHECKS: dict[str, Callable[[Api, Any], Awaitable[None]]] = {
    "lineage": check_lineage,
    "impact": check_impact,
    "feedbackLoops": check_feedback_loops,
    "paths": check_paths,
    "node": check_node,
    "nodes": check_nodes,
    "importDocument": check_import_document,
}


def test_every_example_is_checked() -> None:
    assert set(CHECKS) == EXPECTED_OPERATIONS


@pytest.mark.anyio
@pytest.mark.parametrize("operation", OPERATION_FILES, ids=lambda path: path.stem)
async def test_example_operation_answers(store_settings: StoreSettings, operation: Path) -> None:
    """Each example, with its default variables, on the example data of both stores."""
    load_examples(store_settings)
    async with serve(ServiceSettings(store=store_settings)) as api:
        data = await api.data(operation.read_text(encoding="utf-8"))
        await CHECKS[operation.stem](api, data[operation.stem])
