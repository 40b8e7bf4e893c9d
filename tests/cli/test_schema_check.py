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
