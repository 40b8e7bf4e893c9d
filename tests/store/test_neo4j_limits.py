"""A batch too large for one transaction of the Neo4j server: a real server of its own with a
small transaction memory (``db.memory.transaction.max``), an apply that outgrows it, a message
that names the setting to raise, and the store exactly as it was."""

from __future__ import annotations

import itertools

import pytest
from support.graphs import batch, facts, nid

from lineage.config import Backend, StoreSettings
from lineage.errors import ChangeTooLarge
from lineage.model import Edge, ImportBatch, Kind, Node, NodeId
from lineage.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def large_batch(origin: str, count: int) -> ImportBatch:
    """A chain of ``count`` named datasets: at 5,000, more than 4 MB of one transaction."""
    ids = [NodeId(f"dataset:large-{i:05d}") for i in range(count)]
    nodes = tuple(Node(i, Kind.DATASET, name=f"a dataset named at length, number {i}") for i in ids)
    return ImportBatch(origin, nodes, tuple(Edge(a, b) for a, b in itertools.pairwise(ids)))


def test_a_batch_too_large_for_a_transaction_says_what_to_raise_and_changes_nothing(
    small_transaction_neo4j: str,
) -> None:
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=small_transaction_neo4j)
    with Neo4jStore.connect(settings) as store:
        store.wipe()
        store.apply(batch("a -> b -> c", origin="small"))
        store.apply(batch("a -> d", origin="large"))
        before = facts(store)
        with pytest.raises(ChangeTooLarge) as raised:
            store.apply(large_batch("large", 5_000))
        message = str(raised.value)
        assert "too large for one transaction" in message
        assert "db.memory.transaction.max" in message and "nothing was changed" in message
        assert facts(store) == before
        store.apply(batch("c -> e", origin="small"))  # the store takes writes again
        assert nid("e") in store.get_nodes([nid("e")])
