"""The layers keep to their boundaries: the CLI and the API reach the graph only through
``lineage.service``, importers never reach a store, and stores never reach GraphQL."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT

from lineage.store.base import GraphStore

OUTER = [ROOT / "lineage" / "cli.py", ROOT / "lineage" / "cli_output.py"]
OUTER += sorted((ROOT / "lineage" / "api").rglob("*.py"))
STORE_METHODS = {name for name in vars(GraphStore) if not name.startswith("_") and name != "close"}
"""What a store answers; the outer layers may open and close one, and nothing more."""


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _store_calls(path: Path) -> set[str]:
    """Methods called on something named like a store: ``store.x()``, ``app.store.x()``."""
    called = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if "store" in name.lower():
                called.add(node.func.attr)
    return called


@pytest.mark.parametrize("path", OUTER, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_and_api_reach_analysis_and_stores_only_through_the_service(path: Path) -> None:
    reached = [
        name
        for name in _imports(path)
        if name.startswith(("lineage.analysis", "lineage.store", "lineage.importers"))
        and name != "lineage.store.base.GraphStore"  # the type of what they pass along
    ]
    assert reached == []
    assert _store_calls(path) & STORE_METHODS == set()


@pytest.mark.parametrize("path", sorted((ROOT / "importers").rglob("*.py")), ids=lambda p: p.name)
def test_importers_know_nothing_of_stores_or_outer_layers(path: Path) -> None:
    forbidden = (
        "lineage.store",
        "lineage.service",
        "lineage.api",
        "lineage.cli",
        "lineage.analysis",
    )
    assert [name for name in _imports(path) if name.startswith(forbidden)] == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "lineage" / "store").rglob("*.py")), ids=lambda p: p.name
)
def test_stores_know_nothing_of_graphql_analysis_or_importers(path: Path) -> None:
    forbidden = ("strawberry", "graphql", "lineage.api", "lineage.analysis", "lineage.importers")
    assert [name for name in _imports(path) if name.startswith(forbidden)] == []


@pytest.mark.parametrize(
    "path", sorted((ROOT / "lineage" / "analysis").rglob("*.py")), ids=lambda p: p.name
)
def test_analysis_is_pure_of_outer_layers(path: Path) -> None:
    forbidden = ("strawberry", "lineage.api", "lineage.cli", "lineage.service", "click", "rich")
    assert [name for name in _imports(path) if name.startswith(forbidden)] == []
