"""Fixtures: a store of each backend, and the CLI run against each.

The ``store`` and ``cli`` fixtures are parametrized over both backends, so every contract test
runs on the embedded store and on a real Neo4j server. Neo4j comes from ``NEO4J_URI``
(``make test`` starts one with ``scripts/neo4j-local`` when it is not set). Without it the
Neo4j cases skip, unless ``LINEAGE_REQUIRE_NEO4J=1`` (set by ``make test`` and CI), where a
missing server fails the run instead. Helpers the tests import live in ``tests/support/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import Cli

from lineage.config import Backend, StoreSettings
from lineage.store import open_store
from lineage.store.base import GraphStore


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """The service runs on asyncio (uvicorn; strawberry's dataloaders need it): async tests run
    on it alone, not on every backend anyio finds installed (selenium brings trio)."""
    return "asyncio"


BACKENDS = [
    pytest.param(Backend.EMBEDDED, id="embedded"),
    pytest.param(Backend.NEO4J, id="neo4j", marks=pytest.mark.neo4j),
]


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return uri
    message = "no Neo4j server: set NEO4J_URI, or run `make test`, which starts one"
    if os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1":
        pytest.fail(message)
    pytest.skip(message)


def settings_for(backend: Backend, request: pytest.FixtureRequest, tmp_path: Path) -> StoreSettings:
    """Settings for a fresh, empty store of ``backend``."""
    if backend is Backend.EMBEDDED:
        return StoreSettings(backend=backend, db_path=tmp_path / "lineage.db")
    settings = StoreSettings(backend=backend, neo4j_uri=request.getfixturevalue("neo4j_uri"))
    _wipe_neo4j(settings)
    return settings


def _wipe_neo4j(settings: StoreSettings) -> None:
    from lineage.store.neo4j import Neo4jStore

    with Neo4jStore.connect(settings) as store:
        store.wipe()


@pytest.fixture(params=BACKENDS)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSettings:
    return settings_for(request.param, request, tmp_path)


@pytest.fixture
def store(store_settings: StoreSettings) -> Iterator[GraphStore]:
    opened = open_store(store_settings)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def cli(store_settings: StoreSettings) -> Cli:
    return Cli(store_settings)
