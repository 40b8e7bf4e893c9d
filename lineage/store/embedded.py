"""The embedded store: one SQLite file on disk, the default backend.

Each origin's assertions are kept as they were asserted (``node_assertion``,
``edge_assertion``, in the typed columns ``embedded_schema.py`` describes). The merged view of
a node (``node``, ``alias``) is recomputed for the nodes an apply touches, inside the same
transaction: in one statement for the nodes a single origin asserts, in Python (``merge.py``)
for the few that several origins assert. Edges are merged when read. SQLite's write-ahead log
makes every apply atomic and durable: a process killed mid-import leaves the file with either
the old or the new content, never a mix.

What goes wrong with the file is reported as what it is, in one line: another process holding
it, a file this user may not write (opened read-only: it still answers reads), a full disk or
file size limit (the apply rolled back), damaged pages, or a stored value this store never
writes (naming the row that holds it).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from lineage import model
from lineage.bulk import collector_paused
from lineage.errors import StoreError, StoreUnavailable
from lineage.model import Direction, Edge, EdgeType, Node, NodeId, Provenance
from lineage.store import base, codes, embedded_schema, index_file, sealed
from lineage.store import embedded_rows as rows
from lineage.store.adjacency import Adjacency
from lineage.store.batch_columns import NODE_ID, Digests, node_columns
from lineage.store.edge_table import EdgeTable
from lineage.store.many_rows import flat, insert_rows
from lineage.store.merge import merge_edge, merge_node

SCHEMA_VERSION = embedded_schema.VERSION
_GENERATION = "SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'generation'"
"""Every write transaction bumps the generation: the index of one generation fits no other."""
_NEAR_END = {Direction.DOWNSTREAM: "source", Direction.UPSTREAM: "target"}
"""The edge column that holds the node an edge leaves from, going each way."""

_NODE_COLUMNS = "n.id, n.kind, n.name, n.mode, n.location, n.detail, n.origins"
_EDGE_COLUMNS = "s.id, t.id, a.type, a.role, a.mode, a.location, a.detail, a.origin"
_EDGE_ENDS = "JOIN node s ON s.num = a.source JOIN node t ON t.num = a.target"
_ASSERTION_COUNT = "(SELECT COUNT(*) FROM node_assertion b WHERE b.node = t.num)"
_MERGE_ONE_ORIGIN = f"""
    UPDATE node SET name = a.name, mode = a.mode, location = a.location, detail = a.detail,
        origins = json_array(json_array(o.name, a.location))
    FROM temp.touched_node t JOIN node_assertion a ON a.node = t.num
        JOIN origin o ON o.num = a.origin
    WHERE node.num = t.num AND {_ASSERTION_COUNT} = 1"""
"""The merged view of a node one origin asserts is that assertion."""


_OLD_NODES = "SELECT node, name, mode, location, detail FROM node_assertion WHERE origin = ?"
_OLD_NODE_NUMBERS = "SELECT node FROM node_assertion WHERE origin = ?"
_OLD_EDGES = """
    SELECT a.source, a.target, a.type, a.role, a.mode, a.location, a.detail
    FROM node_assertion n JOIN edge_assertion a ON a.source = n.node AND a.origin = n.origin
    WHERE n.origin = ?"""
"""An origin's edges, found through its nodes: each leaves one of them."""


_FRESH_NODE_COLUMNS = ("num", "id", "kind", "key", "name", "mode", "origins", "location", "detail")
_BULK_LOAD_ROWS = 10_000
"""Below this many new rows, indexes are kept up row by row: rebuilding them costs more."""
_TABLE_IN_THREAD_ROWS = 10_000
"""From this many edges an origin's edge table is made in a thread of its own; for a smaller
one, starting the thread and handing the bytes back (0.2-0.4 ms) costs more than the table."""

_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_CANNOT_OPEN = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH})
_UNDECODABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError)
"""What decoding raises for a stored value this store never writes: text that is not JSON,
an unknown kind or code, text where a number belongs."""
_DECODED_AT_ONCE = 10_000
"""Rows decoded in one go; a chunk that fails is decoded again row by row to name the row."""
_SIZE_LIMIT_SLACK = 1 << 16
"""How close to the limit on file size a file must be for an I/O error to be that limit."""
_Row = TypeVar("_Row")
_Value = TypeVar("_Value")


@dataclass(frozen=True)
class _Layout:
    """An assertion table's columns after ``origin``; the first ``key_width`` are the key,
    the last two are ``location`` and ``detail``."""

    columns: tuple[str, ...]
    key_width: int


_NODE_ASSERTION = _Layout(("node", "name", "mode", "location", "detail"), 1)
_EDGE_ASSERTION = _Layout(("source", "target", "type", "role", "mode", "location", "detail"), 3)


@dataclass(frozen=True)
class _Origin:
    number: int
    digest: bytes | None
    """The fingerprint of the rows it asserted before (``None``: a new origin)."""
    moved_up: bool
    """True when another origin had been applied since: its facts now win over theirs."""
    counts: tuple[int, int]
    """How many nodes and edges it asserted before."""


@dataclass(frozen=True)
class _NodeChange:
    """The node assertions one apply removed, and those it wrote."""

    gone: set[rows.NodeAssertion]
    came: list[rows.NodeAssertion]

    def changed_nodes(self) -> set[int]:
        """The nodes whose assertion was removed or written."""
        return {row[0] for row in self.gone} | {row[0] for row in self.came}

    @property
    def removed(self) -> int:
        """How many nodes have no assertion any more (a changed one is removed and written)."""
        if not self.gone:
            return 0
        return len({row[0] for row in self.gone} - {row[0] for row in self.came})


@dataclass(frozen=True)
class _Written:
    """What writing one batch did."""

    result: model.ApplyResult
    touched: set[int]
    """The nodes whose merged view must be recomputed."""
    graph_changed: bool
    """Whether the graph may read differently: assertions changed, or the origin moved up in
    precedence. A batch the same as before changes only its origin's time and state."""


class EmbeddedStore(base.ClosesOnExit):
    """A ``GraphStore`` in one SQLite file (created with its folder on first use)."""

    def __init__(
        self, path: str | Path, *, busy_timeout: float = 10.0, cache_mib: int = 64
    ) -> None:
        """``busy_timeout``: seconds to wait for another process's write before giving up;
        ``cache_mib``: SQLite's page cache, big enough by default that the index pages of a
        million-edge apply stay in memory until it commits.

        A file this process may not write (or in a folder it may not write) is opened
        read-only: it answers every read, and a write fails saying the store is read-only."""
        self.path = Path(path)
        self.read_only = not _writable(self.path)
        self._busy_timeout = busy_timeout
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
        except (OSError, sqlite3.Error) as exc:
            raise self._cannot_open(exc) from exc
        self._lock = threading.RLock()
        self._index: tuple[int, Adjacency] | None = None
        """The adjacency index and the store generation it describes."""
        try:
            self._prepare(cache_mib)
        except _Refused as exc:
            self._db.close()
            raise StoreUnavailable(str(exc)) from None
        except sqlite3.Error as exc:
            self._db.close()
            raise self._failure(exc) from exc
        except BaseException:
            self._db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        """The connection to the file, read-only (``mode=ro``) when this process may not write
        it. In a folder it may not write, a file nobody has open for writing (no write-ahead
        log beside it) is opened immutable too: SQLite could not make the shared-memory file
        its locks need there, and it has nothing to lock against."""
        target = str(self.path)
        if self.read_only:
            log = self.path.with_name(self.path.name + "-wal")
            immutable = not os.access(self.path.parent, os.W_OK) and not log.exists()
            target = f"{self.path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
        return sqlite3.connect(
            target, uri=self.read_only, isolation_level=None, check_same_thread=False
        )

    def _prepare(self, cache_mib: int) -> None:
        """Settings, then the file's format checked (and a new or older file made this one).

        The busy timeout comes first, so every statement after it waits for another process
        that is creating or writing the file instead of failing."""
        self._db.execute(f"PRAGMA busy_timeout={int(self._busy_timeout * 1000)}")
        with self._reading():
            version = self._supported_format()  # before anything that changes the file
        self._db.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
        self._db.execute("PRAGMA temp_store=MEMORY")
        if self.read_only:
            self._check_readable(version)
            return
        self._use_write_ahead_log()
        self._db.execute("PRAGMA synchronous=FULL")
        if version != SCHEMA_VERSION:
            self._prepare_format()

    def _use_write_ahead_log(self) -> None:
        """Switch the file to write-ahead logging (a no-op once it is).

        The switch needs the file to itself, and SQLite gives up on it at once, without
        waiting the busy timeout, when another process switching or creating the same new
        file holds it at that moment; so it is tried again until the timeout has passed."""
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if _code(exc) not in _BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(0.01)

    def _check_readable(self, version: int) -> None:
        """A read-only file must already be a store of this format: it cannot be made one."""
        if version == SCHEMA_VERSION:
            return
        what = f"is in the older store format {version}" if version else "holds no store yet"
        raise _Refused(
            f"the embedded store at {self.path} is read-only (this user may not write the file "
            f"or its folder) and {what}: open it once with write access, to "
            f"{'migrate' if version else 'create'} it."
        )

    def _cannot_open(self, exc: BaseException) -> StoreUnavailable:
        return StoreUnavailable(
            f"cannot open the embedded store at {self.path}: {exc}. "
            "Check the path (--db or LINEAGE_DB) and its permissions."
        )

    # -- writing ---------------------------------------------------------------------------

    def apply(self, batch: model.ImportBatch) -> model.ApplyResult:
        """Replace what ``batch.origin`` asserted: only the assertions that differ are written,
        and only the merged nodes they touch (or that another origin shares, since the origin
        becomes the newest) are recomputed, so an unchanged batch costs a read and a compare."""
        (result,) = self.apply_all([batch])
        return result

    def apply_all(self, batches: Sequence[model.ImportBatch]) -> list[model.ApplyResult]:
        """Apply ``batches`` in order, in one transaction: all or none. A node several of them
        touch is merged once, at the end; applied one by one, a folder of documents that share
        a node would merge it again from all its assertions for each document."""
        with collector_paused(), self._transaction(new_generation=False):
            results, touched, graph_changed = [], set(), False
            for batch in batches:
                written = self._written(batch)
                results.append(written.result)
                touched |= written.touched
                graph_changed |= written.graph_changed
            self._refresh_nodes(touched)
            if graph_changed:  # else the adjacency index of the graph stays the one to use
                self._next_generation()
            return results

    def _write(self, batch: model.ImportBatch, applied_at: str | None = None) -> model.ApplyResult:
        written = self._written(batch, applied_at)
        self._refresh_nodes(written.touched)
        return written.result

    def _written(self, batch: model.ImportBatch, applied_at: str | None = None) -> _Written:
        """Write the assertions of ``batch`` that differ."""
        nodes = rows.normalized(batch.nodes)
        shaped = rows.batch_rows(nodes, batch.edges)
        digests = shaped.digests()
        ((held_nodes, held_edges),) = self._db.execute(
            "SELECT COALESCE(SUM(nodes), 0), COALESCE(SUM(edges), 0) FROM origin"
        ).fetchall()  # the rows of the assertion tables
        origin = self._record_origin(batch.origin, applied_at, batch.state)
        before = Digests.from_column(origin.digest)
        same_nodes, same_edges = digests.same_nodes(before), digests.same_edges(before)
        node_count, edge_count = origin.counts
        removed_nodes = removed_edges = 0
        touched: set[int] = set()
        if not (same_nodes and same_edges):
            numbers = self._kept_numbers(origin, nodes) if same_nodes else None
            if numbers is None:  # always so when the nodes changed: first_fresh, stored are set
                numbers, first_fresh, stored = self._number_nodes(nodes)
                self._keep_numbers(origin.number, nodes, numbers)
            # before the node assertions change: the old edges are found through them
            old_edges = None if same_edges else self._edge_table(origin)
            if not same_nodes:
                node_rows = shaped.node_assertions(numbers)
                self._add_fresh_nodes(nodes, node_rows, first_fresh, batch.origin, held=stored)
                change = self._replace_nodes(origin.number, node_rows, held_nodes)
                node_count, removed_nodes = len(node_rows), change.removed
                touched = {node for node in change.changed_nodes() if node < first_fresh}
            if old_edges is not None:
                edges = shaped.numbered_edges(numbers)
                removed_edges = self._replace_edges(origin.number, old_edges, edges, held_edges)
                edge_count = len(edges)
            self._db.execute(
                "UPDATE origin SET nodes = ?, edges = ?, digest = ? WHERE num = ?",
                (node_count, edge_count, digests.column(), origin.number),
            )
        if origin.moved_up:
            touched |= self._shared_nodes(origin.number)
        counts = (node_count, edge_count, removed_nodes, removed_edges)
        result = model.ApplyResult(batch.origin, *counts)
        return _Written(result, touched, not (same_nodes and same_edges) or origin.moved_up)

    def _record_origin(self, name: str, applied_at: str | None, state: str | None) -> _Origin:
        """The origin's row, made the newest (its facts win where origins disagree), with the
        state its importer keeps."""
        ((newest,),) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM origin").fetchall()
        before = self._db.execute(
            "SELECT seq, digest, nodes, edges FROM origin WHERE name = ?", (name,)
        ).fetchone()
        with self._decoding("the origin table"):
            seq = before[0] if before and before[0] == newest else int(newest) + 1
            counts = (int(before[2]), int(before[3])) if before else (0, 0)
        ((number,),) = self._db.execute(
            "INSERT INTO origin (name, seq, applied_at, nodes, edges, state)"
            " VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq,"
            " applied_at = excluded.applied_at, state = excluded.state RETURNING num",
            (name, seq, applied_at or datetime.now(UTC).isoformat(), state),
        ).fetchall()
        return _Origin(
            int(number),
            digest=before[1] if before else None,
            moved_up=bool(before) and before[0] != newest,
            counts=counts,
        )

    def _number_nodes(self, nodes: Sequence[Node]) -> tuple[dict[NodeId, int], int, int]:
        """Each node's number, the number from which nodes new to the store are numbered up
        (they have no row yet), and how many nodes the store holds."""
        ((stored, top),) = self._db.execute(
            "SELECT COUNT(*), COALESCE(MAX(num), 0) FROM node"
        ).fetchall()
        known: dict[str, int] = {}
        if len(nodes) * 4 > stored:  # the batch names much of the store: read every number
            known.update(self._db.execute("SELECT id, num FROM node"))
        else:
            with self._temporary("batch_node", ("id",), [node.id for node in nodes]):
                known.update(
                    self._db.execute(
                        "SELECT b.id, n.num FROM temp.batch_node b JOIN node n ON n.id = b.id"
                    )
                )
        fresh = itertools.count(top + 1)
        # keyed by the batch's own id strings, which its edges share: lookups compare
        # identities, not text
        numbers = {node.id: known[node.id] if node.id in known else next(fresh) for node in nodes}
        return numbers, top + 1, int(stored)

    def _kept_numbers(self, origin: _Origin, nodes: Sequence[Node]) -> dict[NodeId, int] | None:
        """Each node's number from the numbers kept for ``origin`` in the order of its nodes,
        when the origin listed the same nodes before (they all have rows, none is new) and an
        intact copy of that many numbers is there (a file of format 5 has none yet)."""
        found = self._db.execute(
            "SELECT numbers FROM origin_nodes WHERE origin = ?", (origin.number,)
        ).fetchone()
        numbers = sealed.numbers_from_bytes(found[0]) if found else None
        if numbers is None or len(numbers) != len(nodes):
            return None
        ids = list(map(NODE_ID, nodes))  # read first: the dictionary then fills a third faster
        return dict(zip(ids, numbers.tolist(), strict=True))

    def _keep_numbers(
        self, origin: int, nodes: Sequence[Node], numbers: Mapping[NodeId, int]
    ) -> None:
        listed = np.fromiter((numbers[node.id] for node in nodes), dtype=np.int64, count=len(nodes))
        self._db.execute(
            "INSERT OR REPLACE INTO origin_nodes (origin, numbers) VALUES (?, ?)",
            (origin, sealed.numbers_to_bytes(listed)),
        )

    def _add_fresh_nodes(
        self,
        nodes: Sequence[Node],
        assertions: Sequence[rows.NodeAssertion],
        first_fresh: int,
        origin: str,
        *,
        held: int,
    ) -> None:
        """The merged rows of the nodes new to the store (which holds ``held``): one origin
        asserts each, so its merged row is that assertion."""
        origins = rows.one_origin_text(origin)
        fresh = [
            (node, row)
            for node, row in zip(nodes, assertions, strict=True)
            if row[0] >= first_fresh
        ]
        merged = [
            (row[0], node.id, *node.id.split(":", 1), *row[1:3], origins(row[3]), *row[3:])
            for node, row in fresh
        ]  # an assertion's columns: (number, name, mode, location, detail)
        with self._bulk_load("node", len(fresh), held):
            self._insert("node", _FRESH_NODE_COLUMNS, rows.SplitRows.of(merged))
        aliases = flat((alias, row[0]) for node, row in fresh for alias in node.aliases)
        insert_rows(self._db, "INSERT OR IGNORE INTO alias (alias, node)", "(?, ?)", aliases)

    def _replace_nodes(self, origin: int, new: list[rows.NodeAssertion], held: int) -> _NodeChange:
        """Make one origin's node assertions the ``new`` ones (the table holds ``held``
        rows), writing only those that differ from what it asserted before."""
        old = set(self._db.execute(_OLD_NODES, (origin,)))
        if old:
            wanted = set(new)
            gone, came = old - wanted, sorted(wanted - old)
        else:
            gone, came = set(), sorted(new)  # in key order, SQLite appends to its b-trees
        self._delete("node_assertion", _NODE_ASSERTION, origin, [row[:1] for row in gone])
        self._add("node_assertion", _NODE_ASSERTION, origin, rows.SplitRows.of(came), held)
        return _NodeChange(gone, came)

    def _replace_edges(
        self, origin: int, old: EdgeTable, new: rows.NumberedEdges, held: int
    ) -> int:
        """Make one origin's edge assertions, ``old`` before, the ``new`` ones (the table
        holds ``held`` rows), writing only those that differ; how many edges it no longer
        asserts."""
        # zlib, numpy and SQLite let go of the GIL: a large table is packed and compressed
        # while the tables are compared and the rows written
        table_bytes = _begun(new.table.to_bytes, in_thread=len(new) >= _TABLE_IN_THREAD_ROWS)
        change = old.changes_to(new.table)
        gone = old.keys[change.gone].tolist()
        self._delete("edge_assertion", _EDGE_ASSERTION, origin, gone)
        came = new.split_rows(change.came)  # in key order, SQLite appends to its b-trees
        self._add("edge_assertion", _EDGE_ASSERTION, origin, came, held)
        self._db.execute(
            "INSERT OR REPLACE INTO origin_edges (origin, edges) VALUES (?, ?)",
            (origin, table_bytes()),
        )
        return change.removed

    def _edge_table(self, origin: _Origin) -> EdgeTable:
        """The table of what ``origin`` asserted before: the one kept beside its rows, or,
        when that is missing, damaged or does not match them, one made from the rows."""
        if not origin.counts[1]:
            return EdgeTable.empty()
        found = self._db.execute(
            "SELECT edges FROM origin_edges WHERE origin = ?", (origin.number,)
        ).fetchone()
        kept = EdgeTable.from_bytes(found[0]) if found else None
        if kept is not None and len(kept) == origin.counts[1]:
            return kept
        stored = self._db.execute(_OLD_EDGES, (origin.number,)).fetchall()
        with self._decoding(f"an edge assertion of origin number {origin.number}"):
            return rows.stored_edges(stored).table

    def _delete(self, table: str, layout: _Layout, origin: int, keys: list[Any]) -> None:
        """Delete ``origin``'s rows of ``table`` with these keys."""
        key = ", ".join(layout.columns[: layout.key_width])
        self._db.executemany(  # the origin is our own integer, safe to write into the SQL
            f"DELETE FROM {table} WHERE origin = {int(origin)}"
            f" AND ({key}) = ({_marks(layout.key_width)})",
            keys,
        )

    def _add(
        self, table: str, layout: _Layout, origin: int, new: rows.SplitRows, held: int
    ) -> None:
        """Write ``origin``'s ``new`` rows of ``table``, which holds ``held`` rows."""
        with self._bulk_load(table, len(new), held):
            self._insert(table, layout.columns, new, origin=origin)

    def _insert(
        self, table: str, columns: Sequence[str], new: rows.SplitRows, *, origin: int | None = None
    ) -> None:
        """Write ``new`` rows of ``columns``, which end with ``location`` and ``detail`` (and
        ``origin`` first when given, the same for every row). Rows whose location and detail
        are both NULL, the common case, are written with the NULLs in the statement: the
        sqlite3 module binds ``None`` through its adapter lookup, which costs more than the
        rest of the row (0.8 s a million rows)."""
        assert tuple(columns[-2:]) == ("location", "detail")
        named = ("origin", *columns) if origin is not None else tuple(columns)
        first = f"{int(origin)}, " if origin is not None else ""  # our own integer
        head = f"INSERT INTO {table} ({', '.join(named)})"
        insert_rows(self._db, head, f"({first}{_marks(len(columns))})", new.full)
        insert_rows(self._db, head, f"({first}{_marks(len(columns) - 2)}, NULL, NULL)", new.bare)

    def _bulk_load(
        self, table: str, adding: int, held: int
    ) -> contextlib.AbstractContextManager[None]:
        """Around the insertion of ``adding`` rows into ``table``, which holds ``held``: its
        secondary indexes are built again afterwards when that is quicker (more rows come
        than are there, as in a first import)."""
        if adding > max(held, _BULK_LOAD_ROWS):
            return embedded_schema.indexes_rebuilt(self._db, table)
        return contextlib.nullcontext()

    def _shared_nodes(self, origin: int) -> set[int]:
        """The nodes ``origin`` asserts that another origin asserts too."""
        found = self._db.execute(
            "SELECT DISTINCT a.node FROM node_assertion a JOIN node_assertion b"
            " ON b.node = a.node AND b.origin != a.origin WHERE a.origin = ?",
            (origin,),
        )
        return {node for (node,) in found}

    def remove_origin(self, origin: str) -> model.ApplyResult:
        with self._transaction():
            found = self._db.execute("SELECT num FROM origin WHERE name = ?", (origin,))
            number = next((num for (num,) in found), None)
            if number is None:
                return model.ApplyResult(origin, 0, 0, 0, 0)
            nodes = {node for (node,) in self._db.execute(_OLD_NODE_NUMBERS, (number,))}
            edges = self._db.execute(
                "DELETE FROM edge_assertion WHERE origin = ?1"
                " AND source IN (SELECT node FROM node_assertion WHERE origin = ?1)",
                (number,),
            ).rowcount
            self._db.execute("DELETE FROM node_assertion WHERE origin = ?", (number,))
            self._db.execute("DELETE FROM origin_edges WHERE origin = ?", (number,))
            self._db.execute("DELETE FROM origin_nodes WHERE origin = ?", (number,))
            self._db.execute("DELETE FROM origin WHERE num = ?", (number,))
            self._refresh_nodes(nodes)
        return model.ApplyResult(origin, 0, 0, len(nodes), edges)

    def _refresh_nodes(self, touched: set[int]) -> None:
        """Recompute the merged view of the ``touched`` nodes: gone when nobody asserts them
        any more, their assertion when one origin does, merged in Python when several do."""
        if not touched:
            return
        with self._temporary("touched_node", ("num",), list(touched)):
            self._db.execute("DELETE FROM alias WHERE node IN (SELECT num FROM temp.touched_node)")
            self._db.execute(
                "DELETE FROM node WHERE num IN (SELECT num FROM temp.touched_node t"
                f" WHERE {_ASSERTION_COUNT} = 0)"
            )
            self._db.execute(_MERGE_ONE_ORIGIN)
            self._merge_several_origins()
            self._db.execute(
                "INSERT OR IGNORE INTO alias (alias, node) SELECT j.value, a.node"
                " FROM temp.touched_node t JOIN node_assertion a ON a.node = t.num,"
                " json_each(a.detail, '$.aliases') j WHERE a.detail IS NOT NULL"
            )

    def _merge_several_origins(self) -> None:
        """The merged view of the touched nodes that several origins assert."""
        assertions = self._db.execute(
            "SELECT t.num, n.id, n.kind, a.origin, a.name, a.mode, a.location, a.detail"
            " FROM temp.touched_node t JOIN node n ON n.num = t.num"
            " JOIN node_assertion a ON a.node = t.num"
            f" WHERE {_ASSERTION_COUNT} > 1 ORDER BY t.num"
        ).fetchall()
        origins = self._origin_table()
        merged = []
        for num, same_node in itertools.groupby(assertions, key=itemgetter(0)):
            found = list(same_node)
            with self._decoding(f"an assertion of node {found[0][1]!r}"):
                node = _merged_node(found, origins)
            merged.append((*node_columns(node), rows.origins_text(node.origins), num))
        self._db.executemany(
            "UPDATE node SET name = ?, mode = ?, location = ?, detail = ?, origins = ?"
            " WHERE num = ?",
            merged,
        )

    def _origin_table(self) -> dict[int, tuple[str, int]]:
        """Each origin number's name and order of application."""
        found = self._db.execute("SELECT num, name, seq FROM origin")
        return {num: (name, seq) for num, name, seq in found}

    # -- reading ---------------------------------------------------------------------------

    def get_nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, Node]:
        wanted = set(ids)
        if self._most_of_the_graph(len(wanted)):  # one scan beats a lookup per node
            found = [
                row
                for row in self._read(f"SELECT {_NODE_COLUMNS} FROM node n", ())
                if row[0] in wanted
            ]
        else:
            with (
                self._lock,
                self._errors(),
                self._temporary("wanted_node", ("id",), list(wanted)),
            ):
                found = self._db.execute(
                    f"SELECT {_NODE_COLUMNS} FROM temp.wanted_node w JOIN node n ON n.id = w.id"
                ).fetchall()
        return {node.id: node for node in self._nodes(found)}

    def _most_of_the_graph(self, count: int) -> bool:
        """Whether ``count`` nodes are more than a quarter of the graph, going by the index
        in memory (``False`` when there is none: no count is worth a query)."""
        return self._index is not None and count * 4 > self._index[1].node_count

    def list_nodes(
        self, where: base.NodeFilter = base.EVERY_NODE, page: base.Page = base.WHOLE_LIST
    ) -> list[Node]:
        after, limit = page.after, page.limit
        clauses, params = _node_filter(where)
        if after is not None:
            clauses.append("n.id > ?")
            params.append(after)
        bound = " LIMIT ?" if limit is not None else ""
        found = self._read(
            f"SELECT {_NODE_COLUMNS} FROM node n {_where(clauses)} ORDER BY n.id{bound}",
            [*params, limit] if limit is not None else params,
        )
        return self._nodes(found)

    def count_nodes(self, where: base.NodeFilter = base.EVERY_NODE) -> int:
        clauses, params = _node_filter(where)
        ((count,),) = self._read(f"SELECT COUNT(*) FROM node n {_where(clauses)}", params)
        return int(count)

    def resolve(self, ref: str) -> list[NodeId]:
        for query in (
            "SELECT id FROM node WHERE id = ?",
            "SELECT id FROM node WHERE id = ? COLLATE NOCASE",
            "SELECT n.id FROM alias a JOIN node n ON n.num = a.node WHERE a.alias = ?",
            "SELECT id FROM node WHERE key = ? COLLATE NOCASE",
            "SELECT id FROM node WHERE name = ? COLLATE NOCASE AND name != ''",
        ):
            found = sorted({NodeId(row[0]) for row in self._read(query, (ref,))})
            if found:
                return found
        return []

    def edges_of(
        self, ids: Iterable[NodeId], *, direction: Direction, types: frozenset[EdgeType]
    ) -> list[Edge]:
        ends = tuple(_NEAR_END[way] for way in direction.one_way)
        found: set[rows.EdgeRow] = set()
        with (
            self._lock,
            self._errors(),
            self._temporary("near_node", ("id",), list(set(ids))),
        ):
            for end in ends:  # CROSS JOIN: the few wanted nodes first, never a scan of every
                # edge (SQLite has no statistics for a temporary table and may pick that)
                found.update(
                    self._db.execute(
                        f"SELECT {_EDGE_COLUMNS} FROM temp.near_node w"
                        " CROSS JOIN node n ON n.id = w.id"
                        f" CROSS JOIN edge_assertion a ON a.{end} = n.num"
                        f" {_EDGE_ENDS} WHERE a.type IN ({_type_codes(types)})"
                    )
                )
            return self._merged_edges(found)

    def edges_among(self, ids: Iterable[NodeId], *, types: frozenset[EdgeType]) -> list[Edge]:
        wanted = set(ids)
        return [
            edge
            for edge in self.edges_of(wanted, direction=Direction.DOWNSTREAM, types=types)
            if edge.target in wanted
        ]

    def edges_between(
        self, pairs: Iterable[tuple[NodeId, NodeId]], *, types: frozenset[EdgeType]
    ) -> list[Edge]:
        # The pairs in a temporary table, joined on the edge key's index: one indexed lookup
        # per pair, however many pairs there are.
        with (
            self._lock,
            self._errors(),
            self._temporary("wanted_pair", ("source", "target"), flat(set(pairs))),
        ):
            found = self._db.execute(
                f"SELECT {_EDGE_COLUMNS} FROM temp.wanted_pair p"
                " CROSS JOIN node s ON s.id = p.source CROSS JOIN node t ON t.id = p.target"
                " JOIN edge_assertion a ON a.source = s.num AND a.target = t.num"
                f" WHERE a.type IN ({_type_codes(types)})"
            ).fetchall()
            return self._merged_edges(found)

    def _nodes(self, found: Iterable[rows.NodeRow]) -> list[Node]:
        """Merged nodes from their rows."""
        return self._decoded(rows.node_from_row, found, lambda row: f"node {row[0]!r}")

    def _merged_edges(self, assertions: Iterable[rows.EdgeRow]) -> list[Edge]:
        """The merged edges of edge assertion rows, ordered by key."""
        origins = self._origin_table()
        by_key = self._edges_by_key(assertions)
        return self._decoded(
            lambda key: _merged_edge(by_key[key], origins),
            sorted(by_key),
            lambda key: _edge_name(key[0], key[2]),
        )

    def _edges_by_key(
        self, assertions: Iterable[rows.EdgeRow]
    ) -> dict[tuple[str, str, str], list[rows.EdgeRow]]:
        """Edge assertion rows by the key of their edge: ``(source, type, target)``."""
        by_key: dict[tuple[str, str, str], list[rows.EdgeRow]] = defaultdict(list)
        row: rows.EdgeRow | None = None
        try:
            for row in assertions:
                by_key[(row[0], codes.TYPES[row[2]].value, row[1])].append(row)
        except _UNDECODABLE as exc:
            what = _edge_name(row[0], row[1]) if row else "an edge assertion"
            raise self._damaged(what, _damage(exc)) from exc
        return by_key

    def snapshot(self) -> base.GraphSnapshot:
        with self._lock, self._errors(), self._reading():
            nodes = self._db.execute(f"SELECT {_NODE_COLUMNS} FROM node n ORDER BY n.id")
            node_values = tuple(self._nodes(nodes))
            edges = self._db.execute(f"SELECT {_EDGE_COLUMNS} FROM edge_assertion a {_EDGE_ENDS}")
            return base.GraphSnapshot(nodes=node_values, edges=tuple(self._merged_edges(edges)))

    def reachable(self, walk: base.Walk) -> base.Reach:
        index = self.adjacency()
        known = index.position(walk.root) is not None
        if not known or walk.max_hops < 1 or walk.limit < 1:
            return base.Reach({}, truncated=walk.limit < 1 and known)
        distances, truncated, parents = index.walk(
            walk.root,
            direction=walk.direction,
            types=walk.types,
            max_hops=walk.max_hops,
            limit=walk.limit,
        )
        return base.Reach(distances, truncated=truncated, parents=parents)

    def adjacency(self) -> Adjacency:
        """The index of the merged graph, rebuilt only after a write (by any process).

        The store's generation (bumped by every write that changes the graph) says which
        contents an index describes. A built index is also saved beside the store file
        (:attr:`index_path`), so the next process at the same generation loads it instead of
        reading the whole graph; a stale or damaged copy is ignored and replaced.
        """
        with self._lock, self._errors():
            generation = self._generation()
            if self._index is None or self._index[0] != generation:
                self._index = self._saved_or_built_index(generation)
            return self._index[1]

    def _generation(self) -> int:
        ((generation,),) = self._db.execute(_GENERATION).fetchall()
        with self._decoding("the store generation (table meta)"):
            return int(generation)

    @property
    def index_path(self) -> Path | None:
        """Where the index of a store file is saved (nowhere for an in-memory store)."""
        if str(self.path) == ":memory:":
            return None
        return self.path.with_name(self.path.name + ".index.npz")

    def build_index(self) -> tuple[int, Adjacency]:
        """Read the whole graph into a new index, with the generation it describes (one read
        transaction), ignoring any saved copy."""
        with self._lock, self._errors(), self._reading():
            generation = self._generation()
            nodes = self._db.execute("SELECT num, id, mode FROM node ORDER BY id").fetchall()
            origins = self._origin_table()
            edges = self._db.execute(
                "SELECT source, target, type, mode, origin FROM edge_assertion"
            )
            with self._decoding("an edge assertion"):
                table = np.fromiter(itertools.chain.from_iterable(edges), dtype=np.int64)
        with self._decoding("a node or an edge assertion"):
            table = table.reshape(-1, 5)
            if len(origins) > 1:
                seq = np.zeros(max(origins) + 1, dtype=np.int64)
                seq[list(origins)] = [order for _, order in origins.values()]
                table = rows.newest_known_modes(table, seq)
            return generation, Adjacency.from_numbered(nodes, table[:, :4])

    def _saved_or_built_index(self, generation: int) -> tuple[int, Adjacency]:
        path = self.index_path
        saved = index_file.load(path, generation) if path else None
        if saved is not None:
            return generation, saved
        built_at, index = self.build_index()  # another write may have come in between
        if path:
            index_file.save(path, built_at, index)
        return built_at, index

    def origins(self) -> list[base.OriginRecord]:
        found = self._read("SELECT name, applied_at, nodes, edges FROM origin ORDER BY name", ())
        return self._decoded(_origin_record, found, lambda row: f"origin {row[0]!r}")

    def origin_state(self, origin: str) -> str | None:
        found = self._read("SELECT state FROM origin WHERE name = ?", (origin,))
        return found[0][0] if found else None

    def record_run(self, run: base.RunRecord, *, keep: int) -> None:
        with self._transaction(new_generation=False):
            self._db.execute(
                "INSERT INTO run (kind, name, started, document) VALUES (?, ?, ?, ?)",
                (run.kind, run.name, run.started.isoformat(), run.document),
            )
            self._db.execute(
                "DELETE FROM run WHERE kind = ? AND name = ? AND num <= ("
                " SELECT num FROM run WHERE kind = ? AND name = ?"
                " ORDER BY num DESC LIMIT 1 OFFSET ?)",
                (run.kind, run.name, run.kind, run.name, max(keep, 1)),
            )

    def runs(self, kind: str, name: str | None = None, *, limit: int = 100) -> list[base.RunRecord]:
        where, params = (
            ("kind = ?", [kind]) if name is None else ("kind = ? AND name = ?", [kind, name])
        )
        found = self._read(
            f"SELECT kind, name, started, document FROM run WHERE {where}"
            " ORDER BY num DESC LIMIT ?",
            (*params, max(limit, 0)),
        )
        return self._decoded(_run_record, found, lambda row: f"a run of {row[0]} {row[1]!r}")

    def ping(self) -> None:
        self._read("SELECT 1", ())

    def close(self) -> None:
        self._db.close()

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _temporary(
        self, table: str, columns: tuple[str, ...], values: Sequence[object]
    ) -> Iterator[None]:
        """A temporary table ``temp.<table>`` holding the rows of ``values`` (row after row,
        ``columns`` values each) for the block, then emptied.

        Outside a write, the block is one read transaction: its statements see one moment,
        and the rows go in with one commit (in autocommit mode each row was its own)."""
        outside_a_write = contextlib.nullcontext() if self._db.in_transaction else self._reading()
        with outside_a_write:
            self._db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({', '.join(columns)})")
            self._db.execute(f"DELETE FROM temp.{table}")
            insert_rows(self._db, f"INSERT INTO temp.{table}", f"({_marks(len(columns))})", values)
            try:
                yield
            finally:
                self._db.execute(f"DELETE FROM temp.{table}")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Several statements in one read transaction: answers from the same moment."""
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._roll_back()
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _transaction(self, *, new_generation: bool = True) -> Iterator[None]:
        """One write transaction; ``new_generation``: it changes the graph, so the adjacency
        index of the generation before is out of date (the run log does not change it)."""
        with self._lock, self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                if new_generation:
                    self._next_generation()
                self._db.execute("COMMIT")  # a commit that fails is rolled back too
            except BaseException:
                self._roll_back()
                raise

    def _next_generation(self) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', 1)"
            " ON CONFLICT (key) DO UPDATE SET value = value + 1"
        )

    def _roll_back(self) -> None:
        """End a failed transaction, keeping the error that failed it: after some (a full
        disk, an I/O error) SQLite has rolled it back already, and a ``ROLLBACK`` would only
        add "cannot rollback - no transaction is active" in its place."""
        if self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _read(self, query: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._lock, self._errors():
            return self._db.execute(query, params).fetchall()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as the service's (:meth:`_failure`)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise self._failure(exc) from exc

    def _failure(self, exc: sqlite3.Error) -> StoreError:
        """The error to report for one of SQLite's, saying what happened to the file. What
        keeps the store from being used or changed now (another process writing it, a
        read-only file, a full disk) makes it unavailable; a damaged file is a store error."""
        code = _code(exc)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return StoreError(
                f"the store file {self.path} is damaged ({exc}): restore it from a copy, or "
                "import the documents into a new store file (--db or LINEAGE_DB)."
            )
        if code == sqlite3.SQLITE_ERROR and "malformed JSON" in str(exc):
            return self._damaged("a node assertion's detail", f"text that is not JSON ({exc})")
        if code in _CANNOT_OPEN:
            return self._cannot_open(exc)
        if isinstance(exc, sqlite3.OperationalError):
            return StoreUnavailable(self._unusable(code, exc))
        return StoreError(f"the embedded store at {self.path} failed: {exc}")

    def _unusable(self, code: int | None, exc: sqlite3.Error) -> str:
        """Why the store cannot be used or changed now, and what to do about it."""
        where = f"the embedded store at {self.path}"
        if code == sqlite3.SQLITE_READONLY:
            return (
                f"{where} is read-only ({exc}): this user may not write the file or its "
                "folder. It can be read, not changed; nothing was changed."
            )
        if code == sqlite3.SQLITE_FULL:
            return (
                f"the disk holding {where} is full ({exc}). Nothing was changed: free some space."
            )
        if code == sqlite3.SQLITE_IOERR:
            return f"{where} could not be written or read ({exc}): {_io_hint(self.path)}"
        return (
            f"{where} cannot be used: {exc}. Another process may hold it (an import in "
            "progress); try again when it is done."
        )

    def _damaged(self, what: str, holds: str) -> StoreError:
        """The error for a stored value this store never writes: ``what`` ``holds`` it."""
        return StoreError(
            f"the embedded store at {self.path} is damaged: {what} holds {holds}. "
            "Import the documents into a new store file (--db or LINEAGE_DB) to rebuild it."
        )

    @contextmanager
    def _decoding(self, what: str) -> Iterator[None]:
        """A block that decodes stored values: one that does not decode is damage in ``what``."""
        try:
            yield
        except _UNDECODABLE as exc:
            raise self._damaged(what, _damage(exc)) from exc

    def _decoded(
        self,
        decode: Callable[[_Row], _Value],
        found: Iterable[_Row],
        name: Callable[[_Row], str],
    ) -> list[_Value]:
        """``decode`` of each stored row, in order. A row that does not decode is damage, and
        the error names it (``name``): its chunk is decoded again, row by row, to find it."""
        decoded: list[_Value] = []
        left = iter(found)
        while chunk := list(itertools.islice(left, _DECODED_AT_ONCE)):
            try:
                decoded.extend(map(decode, chunk))
            except _UNDECODABLE as exc:
                bad = next((row for row in chunk if not _decodes(decode, row)), chunk[0])
                raise self._damaged(name(bad), _damage(exc)) from exc
        return decoded

    def _supported_format(self) -> int:
        """The file's format, when this version can read it (0: a new, empty file). A file of
        another format, or an SQLite file holding another application's tables, is refused
        before anything changes it."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if not 0 <= version <= SCHEMA_VERSION:
            raise _Refused(
                f"the embedded store at {self.path} is in store format {version}; this version "
                f"reads formats 1 to {SCHEMA_VERSION}. Nothing was changed."
            )
        (tables,) = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if version == 0 and tables:
            raise _Refused(
                f"{self.path} is an SQLite file of another application (it has tables, but no "
                "lineage store format): give the store a file of its own (--db or LINEAGE_DB). "
                "Nothing was changed."
            )
        return int(version)

    def _prepare_format(self) -> None:
        """Create the tables of a new file, or migrate an older format's file to this one,
        in one transaction (a failed migration leaves the old file as it was). Its format is
        read again once the file is locked: another process opening the same new or old file
        at the same moment may have prepared it meanwhile, and then there is nothing to do."""
        with self._transaction(new_generation=False):
            version = self._supported_format()
            if version == SCHEMA_VERSION:
                return
            old: list[embedded_schema.OldOrigin] = []
            if version == 1:
                old = embedded_schema.read_version_1(self._db)
                embedded_schema.drop_version_1(self._db)
            elif version == 2:
                embedded_schema.migrate_version_2(self._db)
            embedded_schema.create_tables(self._db)
            for origin in old:
                self._write(origin.batch, origin.applied_at)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._next_generation()


class _Refused(Exception):
    """A file this store must not touch: its message says why."""


def _merged_node(assertions: list[tuple[Any, ...]], origins: Mapping[int, tuple[str, int]]) -> Node:
    """One node from the rows ``(number, id, kind, origin, *NodeColumns)`` of its assertions
    by several origins."""
    found = []
    for _, node_id, kind, origin, *columns in assertions:
        name, seq = origins[origin]
        provenance = Provenance(name, columns[2])
        node = rows.node_from_assertion(node_id, kind, tuple(columns), (provenance,))
        found.append((seq, provenance, node))
    found.sort(key=itemgetter(0))
    return merge_node([(provenance, node) for _, provenance, node in found])


def _origin_record(row: tuple[Any, ...]) -> base.OriginRecord:
    name, applied_at, nodes, edges = row
    return base.OriginRecord(name, datetime.fromisoformat(applied_at), int(nodes), int(edges))


def _run_record(row: tuple[Any, ...]) -> base.RunRecord:
    kind, name, started, document = row
    return base.RunRecord(kind, name, datetime.fromisoformat(started).astimezone(UTC), document)


def _edge_name(source: object, target: object) -> str:
    return f"the edge {source!r} -> {target!r}"


def _merged_edge(assertions: list[rows.EdgeRow], origins: Mapping[int, tuple[str, int]]) -> Edge:
    """One edge from its assertions: the assertion itself when one origin asserts it."""
    if len(assertions) == 1:
        (row,) = assertions
        return rows.edge_from_row(row, origins[row[7]][0])
    oldest_first = sorted(assertions, key=lambda row: origins[row[7]][1])
    found = [rows.edge_from_row(row, origins[row[7]][0]) for row in oldest_first]
    return merge_edge([(edge.origins[0], edge) for edge in found])


def _begun(work: Callable[[], _Value], *, in_thread: bool) -> Callable[[], _Value]:
    """What gives ``work``'s result: ``work`` itself, or, ``in_thread``, the result of a thread
    started on it now (which ends with it, whatever the caller does meanwhile)."""
    if not in_thread:
        return work
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(work).result
    finally:
        pool.shutdown(wait=False)


def _writable(path: Path) -> bool:
    """Whether this process may change the store file. One still to be created may (creating
    it says when not); an existing one when it and its folder may be written, since SQLite
    writes its log and shared-memory files beside it."""
    if str(path) == ":memory:" or not path.exists():
        return True
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (``SQLITE_BUSY`` for ``SQLITE_BUSY_SNAPSHOT``);
    ``None`` for one the sqlite3 module raised itself."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _io_hint(path: Path) -> str:
    """What a disk I/O error on the store file ``path`` most likely means. A write stopped
    by this process's limit on file size (``ulimit -f``) is one: SQLite tells a full disk
    apart, not that limit, so a file (or its log) grown up to the limit tells it."""
    limit = _file_size_limit()
    files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-journal")]
    biggest = max(map(_size, files))
    if limit is not None and biggest + _SIZE_LIMIT_SLACK >= limit:
        return (
            f"the file reached this process's size limit for files, {limit} bytes "
            "(ulimit -f), so it is full. Nothing was changed."
        )
    return "check the disk it is on."


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:  # none there
        return 0


def _file_size_limit() -> int | None:
    """This process's limit on the size of a file it writes, if it has one."""
    try:
        import resource
    except ImportError:  # not on this system
        return None
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if limit == resource.RLIM_INFINITY else limit


def _decodes(decode: Callable[[_Row], object], row: _Row) -> bool:
    try:
        decode(row)
    except _UNDECODABLE:
        return False
    return True


def _damage(exc: Exception) -> str:
    """A value that did not decode, in words."""
    if isinstance(exc, json.JSONDecodeError):
        return f"text that is not JSON ({exc})"
    if isinstance(exc, KeyError):
        return f"the unknown value {exc.args[0]!r}" if exc.args else "an unknown value"
    return f"a value this store never writes ({exc})"


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _type_codes(types: frozenset[EdgeType]) -> str:
    """Edge type codes for an ``IN (...)`` list: integers from a fixed table, never input."""
    return ", ".join(str(codes.TYPE_CODE[EdgeType(t)]) for t in sorted(types))


def _node_filter(where: base.NodeFilter) -> tuple[list[str], list[object]]:
    """SQL conditions and their parameters for a node filter."""
    clauses: list[str] = []
    params: list[object] = []
    if where.kind is not None:  # ids start with their kind: the id index finds them
        clauses.append("n.id >= ? AND n.id < ?")
        params += [f"{where.kind.value}:", f"{where.kind.value};"]
    if where.mode is not None:
        clauses.append("n.mode = ?")
        params.append(where.mode.value)
    if where.search:
        pattern = f"%{_escape_like(where.search)}%"
        clauses.append(
            "(n.id LIKE ? ESCAPE '\\' OR n.name LIKE ? ESCAPE '\\' OR n.num IN"
            " (SELECT node FROM alias WHERE alias LIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern, pattern]
    return clauses, params


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
