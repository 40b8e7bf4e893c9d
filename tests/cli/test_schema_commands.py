"""``lineage schema check``: a proposed Avro schema against a subject's stored versions, as a
CI step runs it (exit 1 when incompatible, 2 for bad input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.cli import Cli

ORDER = {
    "type": "record",
    "name": "Order",
    "namespace": "com.acme",
    "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "double"}],
}


def proposal(tmp_path: Path, *extra: dict[str, Any]) -> Path:
    path = tmp_path / "proposed.avsc"
    path.write_text(json.dumps({**ORDER, "fields": [*ORDER["fields"], *extra]}))
    return path


@pytest.fixture
def subject(cli: Cli, tmp_path: Path) -> Cli:
    folder = tmp_path / "schemas" / "orders-value"
    folder.mkdir(parents=True)
    (folder / "v1.avsc").write_text(json.dumps(ORDER))
    assert cli("import", "avro", tmp_path / "schemas").exit_code == 0
    return cli


def test_a_compatible_change_passes(subject: Cli, tmp_path: Path) -> None:
    result = subject(
        "schema",
        "check",
        "orders-value",
        proposal(tmp_path, {"name": "note", "type": "string", "default": ""}),
    )
    assert result.exit_code == 0
    assert "orders-value: compatible under BACKWARD" in result.stdout


def test_an_incompatible_change_exits_1_naming_the_field(subject: Cli, tmp_path: Path) -> None:
    result = subject(
        "schema",
        "check",
        "orders-value",
        proposal(tmp_path, {"name": "customer", "type": "string"}),
        "--json",
    )
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert (answer["subject"], answer["mode"], answer["compatible"]) == (
        "orders-value",
        "BACKWARD",
        False,
    )
    assert [m["field"] for m in answer["messages"]] == ["customer"]
    assert answer["diff"] == [
        {"change": "added", "field": "customer", "before": None, "after": "string"}
    ]


def test_the_mode_can_be_chosen(subject: Cli, tmp_path: Path) -> None:
    breaking = proposal(tmp_path, {"name": "customer", "type": "string"})
    assert subject("schema", "check", "orders-value", breaking, "--mode", "forward").exit_code == 0
    assert subject("schema", "check", "orders-value", breaking, "--mode", "FULL").exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "proposed.avsc:1: not valid JSON"),
        ('{"type": "record", "name": "O"}', "not valid Avro"),
    ],
)
def test_a_bad_proposal_exits_2(subject: Cli, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "proposed.avsc"
    path.write_text(content)
    result = subject("schema", "check", "orders-value", path)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_subject_never_imported_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("schema", "check", "nothing-value", proposal(tmp_path))
    assert result.exit_code == 2
    assert "nothing-value" in result.stderr


def test_schema_without_a_subcommand_still_prints_the_graphql_sdl(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert "type Query {" in result.stdout


# -- schema-impact ----------------------------------------------------------------------------


@pytest.fixture
def platform(subject: Cli, tmp_path: Path) -> Cli:
    spec = tmp_path / "spec.lineage.yaml"
    spec.write_text(
        "version: 1\nnodes: [{id: topic:orders}, {id: job:enrich}, {id: model:churn}]\n"
        "edges: [{from: topic:orders, to: job:enrich, fields: [id]},\n"
        "        {from: job:enrich, to: model:churn}]\n"
    )
    assert subject("import", "yaml", spec).exit_code == 0
    return subject


BREAKING = {"name": "customer", "type": "string"}


def test_the_impact_report_as_json_is_the_documented_shape(platform: Cli, tmp_path: Path) -> None:
    result = platform(
        "schema-impact", "orders-value", proposal(tmp_path, BREAKING), "--format", "json"
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {
        "subject",
        "mode",
        "compatible",
        "messages",
        "diff",
        "consumers",
        "rollout",
        "verdict",
    } <= report.keys()
    assert report["verdict"] == "FAIL"
    assert [(c["id"], c["distance"], c["hit"]) for c in report["consumers"]] == [
        ("job:enrich", 1, False),  # it reads only `id`, which does not change
        ("model:churn", 2, False),
    ]
    assert report["consumers"][1]["path"] == ["topic:orders", "job:enrich", "model:churn"]


@pytest.mark.parametrize(
    ("fail_on", "change", "code"),
    [
        ("incompatible", BREAKING, 1),
        ("never", BREAKING, 0),
        ("incompatible", {"name": "id2", "type": "long", "default": 0}, 0),
        ("impacted", {"name": "id2", "type": "long", "default": 0}, 0),  # nobody reads id2
    ],
)
def test_fail_on_chooses_what_exits_1(
    platform: Cli, tmp_path: Path, fail_on: str, change: dict[str, Any], code: int
) -> None:
    result = platform(
        "schema-impact", "orders-value", proposal(tmp_path, change), "--fail-on", fail_on
    )
    assert result.exit_code == code, result.stdout + result.stderr


def test_a_promoted_field_a_consumer_reads_is_impacted(platform: Cli, tmp_path: Path) -> None:
    path = tmp_path / "proposed.avsc"
    path.write_text(
        json.dumps({**ORDER, "fields": [{"name": "id", "type": "double"}, ORDER["fields"][1]]})
    )
    assert (
        platform("schema-impact", "orders-value", path, "--fail-on", "incompatible").exit_code == 0
    )
    assert platform("schema-impact", "orders-value", path, "--fail-on", "impacted").exit_code == 1


def test_the_markdown_report_reads_as_a_pull_request_comment(platform: Cli, tmp_path: Path) -> None:
    result = platform(
        "schema-impact", "orders-value", proposal(tmp_path, BREAKING), "--format", "md"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "### Schema change: orders-value"
    assert lines[2].startswith("**FAIL: orders-value is incompatible under BACKWARD")
    assert "| added | `customer` |  | string |" in lines
    assert any(line.startswith("| `model:churn` | model | 2 | reached |") for line in lines)


def test_the_html_report_is_one_page_that_escapes_names(platform: Cli, tmp_path: Path) -> None:
    result = platform(
        "schema-impact", "orders-value", proposal(tmp_path, BREAKING), "--format", "html"
    )
    page = result.stdout
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    assert "model:churn" in page and "FAIL" in page
