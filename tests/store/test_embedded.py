"""Behaviour only the embedded (SQLite) store has: its file, and other processes using it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support.graphs import batch, facts, node

from lineage.errors import StoreUnavailable
from lineage.store.embedded import EmbeddedStore


def test_a_store_another_process_is_writing_is_unavailable_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    store = EmbeddedStore(path, busy_timeout=0.1)
    store.apply(batch(nodes=[node("a")], origin="first"))
    before = facts(store)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of an import
    try:
        with pytest.raises(StoreUnavailable, match="Another process may hold it"):
            store.apply(batch(nodes=[node("b")], origin="second"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert facts(store) == before
    store.close()
