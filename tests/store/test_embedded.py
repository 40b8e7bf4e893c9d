"""Behaviour only the embedded (SQLite) store has: its file, and other processes using it."""

from __future__ import annotations

import itertools
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.graphs import batch, edge, facts, nid, node

from lineage.errors import StoreUnavailable
from lineage.model import (
    Direction,
    Edge,
    EdgeType,
    Freshness,
    ImportBatch,
    Kind,
    Mode,
    Node,
    NodeId,
    Role,
)
from lineage.store import codec, embedded
from lineage.store.adjacency import MODES
from lineage.store.base import RunRecord
from lineage.store.embedded import SCHEMA_VERSION, EmbeddedStore


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


FORMAT_1 = """
CREATE TABLE origin (name TEXT PRIMARY KEY, seq INTEGER NOT NULL, applied_at TEXT NOT NULL,
    nodes INTEGER NOT NULL, edges INTEGER NOT NULL);
CREATE TABLE node_assertion (node_id TEXT NOT NULL, origin TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (node_id, origin));
CREATE TABLE edge_assertion (source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    origin TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (source, type, target, origin));
CREATE TABLE node (id TEXT PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL,
    name TEXT NOT NULL, mode TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE edge (source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (source, type, target));
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE alias (alias TEXT NOT NULL COLLATE NOCASE, node_id TEXT NOT NULL,
    PRIMARY KEY (alias, node_id));
PRAGMA user_version = 1;
"""
"""The tables of the first file format, as stores written before typed columns hold them."""


def _format_1_file(path: Path, batches: list[ImportBatch]) -> None:
    """A file in the first format holding ``batches``' assertions, applied in that order (its
    merged tables are left empty: a migration recomputes them from the assertions)."""
    db = sqlite3.connect(path)
    db.executescript(FORMAT_1)
    for seq, one in enumerate(batches, 1):
        db.execute(
            "INSERT INTO origin VALUES (?, ?, ?, ?, ?)",
            (one.origin, seq, f"2026-0{seq}-01T00:00:00+00:00", len(one.nodes), len(one.edges)),
        )
        db.executemany(
            "INSERT INTO node_assertion VALUES (?, ?, ?)",
            [(n.id, one.origin, codec.node_body(n)) for n in one.nodes],
        )
        db.executemany(
            "INSERT INTO edge_assertion VALUES (?, ?, ?, ?, ?)",
            [(e.source, e.type.value, e.target, one.origin, codec.edge_body(e)) for e in one.edges],
        )
    db.commit()
    db.close()


def test_a_file_of_the_first_format_opens_migrated_with_every_origin_it_held(
    tmp_path: Path,
) -> None:
    older = batch(
        edge("a", "b", label="raw", role=Role.SERVING, mode=Mode.STREAMING),
        nodes=[node("a", "A", aliases=("SRC-A",), properties={"team": "x"})],
        origin="older",
    )
    newer = batch(
        "b -> c",
        nodes=[node("a", "Renamed", freshness=Freshness("1h", 3600.0))],
        origin="newer",
    )
    _format_1_file(tmp_path / "old.db", [older, newer])
    expected = EmbeddedStore(tmp_path / "expected.db")
    for one in (older, newer):
        expected.apply(one)

    with EmbeddedStore(tmp_path / "old.db") as migrated:
        assert migrated.snapshot() == expected.snapshot()
        assert migrated.resolve("src-a") == [nid("a")]
        assert [(o.name, o.applied_at.month, o.nodes) for o in migrated.origins()] == [
            ("newer", 2, 3),
            ("older", 1, 2),
        ]
    with closing(sqlite3.connect(tmp_path / "old.db")) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    expected.close()


def test_a_file_of_a_newer_format_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match=f"in store format {SCHEMA_VERSION + 1}; this"):
        EmbeddedStore(path)
    assert path.read_bytes() == before


def test_an_sqlite_file_of_another_application_is_refused_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "someone-elses.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO invoices (total) VALUES (9.5)")
        db.commit()
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match="SQLite file of another application") as raised:
        EmbeddedStore(path)
    assert "Nothing was changed" in str(raised.value)
    assert "permissions" not in str(raised.value)
    assert path.read_bytes() == before
    assert not path.with_name("someone-elses.db-wal").exists()


def test_the_walk_index_takes_an_edges_mode_from_the_newest_origin_that_knows_it(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "lineage.db")
    streaming = batch(edge("a", "b", mode=Mode.STREAMING), origin="older")
    store.apply(streaming)
    store.apply(batch(edge("a", "b"), origin="newer"))  # says nothing of the mode
    assert _edge_modes(store) == [Mode.STREAMING]
    store.apply(batch(edge("a", "b", mode=Mode.BATCH), origin="newer"))
    assert _edge_modes(store) == [Mode.BATCH]
    store.apply(streaming)  # re-applied unchanged, it is the newest again
    assert _edge_modes(store) == [Mode.STREAMING]
    assert [e.mode for e in store.snapshot().edges] == [Mode.STREAMING]
    store.close()


def _edge_modes(store: EmbeddedStore) -> list[Mode]:
    _, index = store.build_index()
    return [MODES[code] for code in index.edge_modes.tolist()]


def _wide_batch(origin: str, count: int) -> ImportBatch:
    """More rows than a store loads one index entry at a time (``_BULK_LOAD_ROWS``)."""
    names = [f"dataset:d{i:05d}" for i in range(count)]
    return batch(*(edge(a, b) for a, b in itertools.pairwise(names)), origin=origin)


def _indexes(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()


def test_a_first_import_of_many_rows_leaves_every_index_and_uses_them(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "empty.db"):
        pass
    count = embedded._BULK_LOAD_ROWS + 500
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(_wide_batch("big", count))
        last = nid(f"dataset:d{count - 1:05d}")
        upstream = store.edges_of([last], direction=Direction.UPSTREAM, types=FEEDS)
        assert [e.source for e in upstream] == [nid(f"dataset:d{count - 2:05d}")]
        assert len(store.snapshot().edges) == count - 1
    assert _indexes(tmp_path / "lineage.db") == _indexes(tmp_path / "empty.db")


def test_a_large_origin_changed_twice_reads_as_its_last_batch(tmp_path: Path) -> None:
    """An origin of more edges than ``_TABLE_IN_THREAD_ROWS`` keeps its edge table made in a
    thread of its own: the next apply diffs against it."""
    count = embedded._TABLE_IN_THREAD_ROWS + 500
    wide = _wide_batch("big", count)
    first, last = wide.edges[0], wide.edges[-1]
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(wide)
        fewer = replace(wide, edges=wide.edges[1:])
        assert store.apply(fewer).edges_removed == 1
        store.apply(replace(fewer, edges=(*fewer.edges[:-1], first)))
        keys = {(e.source, e.target) for e in store.snapshot().edges}
    assert len(keys) == count - 2
    assert (first.source, first.target) in keys and (last.source, last.target) not in keys


def test_a_bulk_load_that_fails_leaves_the_store_and_its_indexes_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as store:
        store.apply(batch("a -> b", origin="small"))
        before, indexes = facts(store), _indexes(path)

        def fail(touched: set[int]) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(store, "_refresh_nodes", fail)
        with pytest.raises(StoreUnavailable):
            store.apply(_wide_batch("big", embedded._BULK_LOAD_ROWS + 500))
        assert facts(store) == before
    assert _indexes(path) == indexes


FEEDS = frozenset({EdgeType.FEEDS})


class _Text(str):
    """A ``str`` subclass, as some parsers hand out: it must store like any text."""


def test_ids_of_a_str_subclass_apply_and_reapply(tmp_path: Path) -> None:
    a, b = NodeId(_Text("dataset:a")), NodeId(_Text("dataset:b"))
    odd = ImportBatch("odd", (Node(a, Kind.DATASET), Node(b, Kind.DATASET)), (Edge(a, b),))
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(odd)
        before = facts(store)
        result = store.apply(odd)
        assert facts(store) == before
        assert (result.nodes, result.edges, result.edges_removed) == (2, 1, 0)


def test_a_file_of_the_second_format_opens_with_its_origins_and_no_state(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as store:
        store.apply(batch("a -> b -> c", origin="one"))
        before = facts(store)
    with closing(sqlite3.connect(path)) as db:  # the second format had no origin state
        db.execute("ALTER TABLE origin DROP COLUMN state")
        db.execute("DROP TABLE run")
        db.execute("DROP TABLE origin_edges")
        db.execute("DROP TABLE origin_nodes")
        db.execute("PRAGMA user_version = 2")
        db.commit()
    with EmbeddedStore(path) as store:
        assert facts(store) == before
        assert store.origin_state("one") is None
        store.apply(replace(batch("a -> b -> c", origin="one"), state="cursor"))
        assert store.origin_state("one") == "cursor"
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_file_of_the_third_format_opens_with_an_empty_run_log(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as store:
        store.apply(batch("a -> b", origin="one"))
        before = facts(store)
    with closing(sqlite3.connect(path)) as db:  # the third format had no run log
        db.execute("DROP TABLE run")
        db.execute("DROP TABLE origin_edges")
        db.execute("DROP TABLE origin_nodes")
        db.execute("PRAGMA user_version = 3")
        db.commit()
    with EmbeddedStore(path) as store:
        assert facts(store) == before
        assert store.runs("job") == []
        store.record_run(RunRecord("job", "docs", datetime(2026, 12, 2, tzinfo=UTC), "{}"), keep=1)
        assert len(store.runs("job")) == 1
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_recording_a_run_keeps_the_walk_index_of_the_graph(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(batch("a -> b", origin="one"))
        index = store.adjacency()
        store.record_run(
            RunRecord("rollup", "rollup", datetime(2026, 12, 2, tzinfo=UTC), "{}"), keep=1
        )
        assert store.adjacency() is index


REFS = ["a", "b", "c", "d", "e"]
edge_lists = st.lists(
    st.builds(
        edge,
        st.sampled_from(REFS),
        st.sampled_from(REFS),
        type=st.sampled_from(list(EdgeType)),
        role=st.sampled_from(list(Role)),
        mode=st.sampled_from(list(Mode)),
        location=st.sampled_from([None, "doc.md:3", "doc.md:4"]),
        label=st.sampled_from([None, "x"]),
    ),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=st.lists(edge_lists, min_size=1, max_size=5))
def test_each_changed_batch_leaves_what_one_apply_of_it_leaves(
    tmp_path_factory: pytest.TempPathFactory, history: list[list[Edge]]
) -> None:
    """Only the rows that differ are written, found through the edge table kept beside an
    origin's rows: the store must still end as if the last batch were its only apply."""
    folder = tmp_path_factory.mktemp("history")
    with EmbeddedStore(folder / "changed.db") as store:
        store.apply(batch("a -> b", origin="other"))
        before: set[Any] = set()
        for edges in history:
            result = store.apply(batch(*edges, origin="one"))
            keys = {e.key for e in edges}
            assert result.edges == len(keys)
            assert result.edges_removed == len(before - keys)
            before = keys
        with EmbeddedStore(folder / "fresh.db") as fresh:
            fresh.apply(batch("a -> b", origin="other"))
            fresh.apply(batch(*history[-1], origin="one"))
            assert store.snapshot() == fresh.snapshot()
            assert _indexed_edges(store) == _indexed_edges(fresh)


def _indexed_edges(store: EmbeddedStore) -> list[tuple[str, str, int, int]]:
    index = store.adjacency()
    ends = ([index.ids[i] for i in column] for column in (index.sources, index.targets))
    return sorted(zip(*ends, index.types.tolist(), index.edge_modes.tolist(), strict=True))


def test_a_changed_batch_reads_none_of_the_edge_rows_it_kept(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(_wide_batch("big", 2_000))
        changed = _wide_batch("big", 2_000)
        changed = replace(changed, edges=(*changed.edges[1:], edge("d00000", "d01999")))
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        result = store.apply(changed)
        store._db.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "edge_assertion" in s], reads
    assert (result.edges, result.edges_removed) == (1_999, 1)


def _spoil(store: EmbeddedStore, table: str, column: str, kept: bytes | str | None) -> None:
    """Make origin ``one``'s row of a table kept beside its rows missing (``None``), these
    bytes, or origin ``two``'s well-formed row, of another length."""
    db = store._db
    one, two = (
        db.execute("SELECT num FROM origin WHERE name = ?", (n,)).fetchone()[0]
        for n in ("one", "two")
    )
    if kept is None:
        db.execute(f"DELETE FROM {table} WHERE origin = ?", (one,))
    elif isinstance(kept, bytes):
        db.execute(f"UPDATE {table} SET {column} = ? WHERE origin = ?", (kept, one))
    else:
        db.execute(
            f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE origin = ?)"
            " WHERE origin = ?",
            (two, one),
        )


@pytest.mark.parametrize("kept", [None, b"damaged", "other origin's"])
def test_an_edge_table_that_is_missing_or_does_not_match_is_made_from_the_rows(
    tmp_path: Path, kept: bytes | str | None
) -> None:
    first = batch("a -> b -> c -> d", origin="one")
    changed = batch("a -> b -> d", "c -> a", origin="one")
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(batch("x -> y", origin="two"))
        store.apply(first)
        _spoil(store, "origin_edges", "edges", kept)
        result = store.apply(changed)
        assert (result.edges, result.edges_removed) == (3, 2)
        with EmbeddedStore(tmp_path / "fresh.db") as fresh:
            fresh.apply(batch("x -> y", origin="two"))
            fresh.apply(changed)
            assert store.snapshot() == fresh.snapshot()


def test_a_file_of_the_fourth_format_opens_and_changes_as_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as store:
        store.apply(batch("a -> b -> c", origin="one"))
    with closing(sqlite3.connect(path)) as db:  # the fourth format kept no edge tables
        db.execute("DROP TABLE origin_edges")
        db.execute("DROP TABLE origin_nodes")
        db.execute("PRAGMA user_version = 4")
        db.commit()
    changed = batch("a -> c", "c -> d", origin="one")
    with EmbeddedStore(path) as store, EmbeddedStore(tmp_path / "fresh.db") as fresh:
        result = store.apply(changed)
        assert (result.edges, result.edges_removed) == (2, 2)
        fresh.apply(changed)
        assert store.snapshot() == fresh.snapshot()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("SELECT COUNT(*) FROM origin_edges").fetchone() == (1,)


def _edges_only_changed(origin: str, count: int) -> tuple[ImportBatch, ImportBatch]:
    """A wide batch and the same one with an edge replaced: its nodes are listed as before."""
    first = _wide_batch(origin, count)
    ends = [node.id for node in first.nodes]
    return first, replace(first, edges=(*first.edges[1:], edge(ends[0], ends[-1])))


def test_a_batch_whose_nodes_did_not_change_is_numbered_without_looking_up_an_id(
    tmp_path: Path,
) -> None:
    first, changed = _edges_only_changed("big", 2_000)
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(first)
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        result = store.apply(changed)
        store._db.set_trace_callback(None)
        with EmbeddedStore(tmp_path / "fresh.db") as fresh:
            fresh.apply(changed)
            assert store.snapshot() == fresh.snapshot()
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if " id" in s or "batch_node" in s], reads
    assert (result.edges, result.edges_removed) == (1_999, 1)


@pytest.mark.parametrize("kept", [None, b"damaged", "other origin's"])
def test_node_numbers_that_are_missing_or_do_not_match_are_looked_up(
    tmp_path: Path, kept: bytes | str | None
) -> None:
    first, changed = _edges_only_changed("one", 40)
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(_wide_batch("two", 30))
        store.apply(first)
        _spoil(store, "origin_nodes", "numbers", kept)
        result = store.apply(changed)
        assert (result.edges, result.edges_removed) == (39, 1)
        with EmbeddedStore(tmp_path / "fresh.db") as fresh:
            fresh.apply(_wide_batch("two", 30))
            fresh.apply(changed)
            assert store.snapshot() == fresh.snapshot()


def test_a_file_of_the_fifth_format_opens_and_keeps_node_numbers_from_its_next_apply(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lineage.db"
    first, changed = _edges_only_changed("one", 20)
    with EmbeddedStore(path) as store:
        store.apply(first)
    with closing(sqlite3.connect(path)) as db:  # the fifth format kept no node numbers
        db.execute("DROP TABLE origin_nodes")
        db.execute("PRAGMA user_version = 5")
        db.commit()
    with EmbeddedStore(path) as store, EmbeddedStore(tmp_path / "fresh.db") as fresh:
        store.apply(changed)
        fresh.apply(changed)
        assert store.snapshot() == fresh.snapshot()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("SELECT COUNT(*) FROM origin_nodes").fetchone() == (1,)
