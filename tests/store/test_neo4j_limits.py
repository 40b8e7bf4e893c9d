"""A batch too large for one transaction of the Neo4j server: a real server of its own with a
small transaction memory (``db.memory.transaction.max``), an apply that outgrows it, a message
that names the setting to raise, and the store exactly as it was."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator

import pytest
from support import ROOT
from support.graphs import batch, facts, nid

from lineage.config import Backend, StoreSettings
from lineage.errors import StoreError
from lineage.model import Edge, ImportBatch, Kind, Node, NodeId
from lineage.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]
SCRIPT = ROOT / "scripts" / "neo4j-local"
TRANSACTION_MEMORY = "4m"


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("neo4j-small")
    limit = f"db.memory.transaction.max={TRANSACTION_MEMORY}"
    done = subprocess.run(
        [str(SCRIPT), "start", "--home", str(home), "-c", limit],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    try:
        yield done.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(SCRIPT), "stop", "--home", str(home)], capture_output=True, check=False)


def _large(origin: str, count: int) -> ImportBatch:
    ids = [NodeId(f"dataset:large-{i:05d}") for i in range(count)]
    nodes = tuple(Node(i, Kind.DATASET, name=f"a dataset named at length, number {i}") for i in ids)
    return ImportBatch(origin, nodes, tuple(Edge(a, b) for a, b in itertools.pairwise(ids)))


def test_a_batch_too_large_for_a_transaction_says_what_to_raise_and_changes_nothing(
    small_server: str,
) -> None:
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=small_server)
    with Neo4jStore.connect(settings) as store:
        store.wipe()
        store.apply(batch("a -> b -> c", origin="small"))
        store.apply(batch("a -> d", origin="large"))
        before = facts(store)
        with pytest.raises(StoreError) as raised:
            store.apply(_large("large", 5_000))
        message = str(raised.value)
        assert "too large for one transaction" in message
        assert "db.memory.transaction.max" in message and "nothing was changed" in message
        assert facts(store) == before
        store.apply(batch("c -> e", origin="small"))  # the store takes writes again
        assert nid("e") in store.get_nodes([nid("e")])
