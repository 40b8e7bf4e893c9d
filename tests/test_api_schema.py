"""``graphql/schema.graphql`` is the schema the code builds, and every example operation in
``graphql/operations/`` runs cleanly against both stores on the example data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_support import OPERATIONS, ROOT, load_examples, serve
from click.testing import CliRunner

from lineage.api import ServiceSettings, schema_sdl
from lineage.config import StoreSettings

SCHEMA_FILE = ROOT / "graphql" / "schema.graphql"
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


@pytest.mark.anyio
@pytest.mark.parametrize("operation", OPERATION_FILES, ids=lambda path: path.stem)
async def test_example_operation_runs(store_settings: StoreSettings, operation: Path) -> None:
    load_examples(store_settings)
    async with serve(ServiceSettings(store=store_settings)) as api:
        data = await api.data(operation.read_text(encoding="utf-8"))
    answer = data[operation.stem]
    assert answer, f"{operation.name} answered nothing"
