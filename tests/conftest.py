"""Fixtures: a store of each backend, and the CLI run against each.

The ``store`` and ``cli`` fixtures are parametrized over both backends, so every contract test
runs on the embedded store and on a real Neo4j server. Neo4j comes from ``NEO4J_URI``
(``make test`` starts one with ``scripts/neo4j-local`` when it is not set). Without it the
Neo4j cases skip, unless ``LINEAGE_REQUIRE_NEO4J=1`` (set by ``make test`` and CI), where a
missing server fails the run instead. Helpers the tests import live in ``tests/support/``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT
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


SMALL_TRANSACTION_MEMORY = "4m"


@pytest.fixture(scope="session")
def small_transaction_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URI of a Neo4j server of its own whose transactions may hold only 4 MB
    (``db.memory.transaction.max``): where a modest import is too large for one."""
    script = str(ROOT / "scripts" / "neo4j-local")
    home = str(tmp_path_factory.mktemp("neo4j-small"))
    limit = f"db.memory.transaction.max={SMALL_TRANSACTION_MEMORY}"
    done = subprocess.run(
        [script, "start", "--home", home, "-c", limit], capture_output=True, text=True, check=True
    )
    try:
        yield done.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([script, "stop", "--home", home], capture_output=True, check=False)


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
