"""The embedded store: one SQLite file on disk, the default backend.

Each origin's assertions are kept verbatim (``node_assertion``, ``edge_assertion``); the merged
view (``node``, ``edge``, ``alias``) is recomputed for the ids an apply touches, inside the same
transaction. SQLite's write-ahead log makes every apply atomic and durable: a process killed
mid-import leaves the file with either the old or the new content, never a mix.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from lineage import model
from lineage.errors import StoreError, StoreUnavailable
from lineage.model import Direction, Edge, EdgeType, Node, NodeId, Provenance
from lineage.store import base, codec, index_file
from lineage.store.adjacency import Adjacency
from lineage.store.merge import merge_edge, merge_node

SCHEMA_VERSION = 1
Key = TypeVar("Key", NodeId, model.EdgeKey)
_GENERATION = "SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'generation'"
"""Every write transaction bumps the generation: the index of one generation fits no other."""
_CHUNK = 500  # SQLite's parameter limit is far above this; it keeps statements small.
_NEAR_END = {Direction.DOWNSTREAM: "source", Direction.UPSTREAM: "target"}
"""The edge column that holds the node an edge leaves from, going each way."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS origin (
    name TEXT PRIMARY KEY, seq INTEGER NOT NULL, applied_at TEXT NOT NULL,
    nodes INTEGER NOT NULL, edges INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS node_assertion (
    node_id TEXT NOT NULL, origin TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (node_id, origin));
CREATE INDEX IF NOT EXISTS node_assertion_origin ON node_assertion (origin);
CREATE TABLE IF NOT EXISTS edge_assertion (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, origin TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (source, type, target, origin));
CREATE INDEX IF NOT EXISTS edge_assertion_origin ON edge_assertion (origin);
CREATE TABLE IF NOT EXISTS node (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    mode TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS node_key ON node (key COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS node_kind ON node (kind);
CREATE INDEX IF NOT EXISTS node_name ON node (name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS edge (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (source, type, target));
CREATE INDEX IF NOT EXISTS edge_target ON edge (target, type);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alias (
    alias TEXT NOT NULL COLLATE NOCASE, node_id TEXT NOT NULL, PRIMARY KEY (alias, node_id));
"""


class EmbeddedStore(base.ClosesOnExit):
    """A ``GraphStore`` in one SQLite file (created with its folder on first use)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0) -> None:
        """``busy_timeout``: seconds to wait for another process's write before giving up."""
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            self._check_version()
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(
                f"cannot open the embedded store at {self.path}: {exc}. "
                "Check the path (--db or LINEAGE_DB) and its permissions."
            ) from exc
        self._lock = threading.RLock()
        self._index: tuple[int, Adjacency] | None = None
        """The adjacency index and the store generation it describes."""

    # -- writing ---------------------------------------------------------------------------

    def apply(self, batch: model.ImportBatch) -> model.ApplyResult:
        """Replace what ``batch.origin`` asserted: only the assertions that differ are written,
        and only the merged facts they touch (or that another origin shares, since the origin
        becomes the newest) are recomputed, so an unchanged batch costs a read and a compare."""
        origin = batch.origin
        new_nodes = {n.id: codec.node_body(n) for n in batch.nodes}
        new_edges = {e.key: codec.edge_body(e) for e in batch.distinct_edges}
        with self._transaction():
            old_nodes = self._node_assertions(origin)
            old_edges = self._edge_assertions(origin)
            self._record_origin(origin, nodes=len(new_nodes), edges=len(new_edges))
            nodes_changed = _changed(old_nodes, new_nodes)
            edges_changed = _changed(old_edges, new_edges)
            self._db.executemany(
                "DELETE FROM node_assertion WHERE node_id = ? AND origin = ?",
                [(node_id, origin) for node_id in nodes_changed if node_id in old_nodes],
            )
            self._db.executemany(
                "DELETE FROM edge_assertion"
                " WHERE source = ? AND type = ? AND target = ? AND origin = ?",
                [(*_key_row(key), origin) for key in edges_changed if key in old_edges],
            )
            self._db.executemany(
                "INSERT INTO node_assertion (node_id, origin, body) VALUES (?, ?, ?)",
                [(i, origin, new_nodes[i]) for i in nodes_changed if i in new_nodes],
            )
            self._db.executemany(
                "INSERT INTO edge_assertion (source, type, target, origin, body)"
                " VALUES (?, ?, ?, ?, ?)",
                [(*_key_row(k), origin, new_edges[k]) for k in edges_changed if k in new_edges],
            )
            self._refresh_nodes(nodes_changed | self._shared_nodes(origin))
            self._refresh_edges(edges_changed | self._shared_edges(origin))
        return model.ApplyResult.of_replacement(
            origin, (set(old_nodes), set(new_nodes)), (set(old_edges), set(new_edges))
        )

    def _node_assertions(self, origin: str) -> dict[NodeId, str]:
        rows = self._db.execute(
            "SELECT node_id, body FROM node_assertion WHERE origin = ?", (origin,)
        )
        return {NodeId(node_id): body for node_id, body in rows}

    def _edge_assertions(self, origin: str) -> dict[model.EdgeKey, str]:
        rows = self._db.execute(
            "SELECT source, type, target, body FROM edge_assertion WHERE origin = ?", (origin,)
        )
        return {_key(s, t, d): body for s, t, d, body in rows}

    def _shared_nodes(self, origin: str) -> set[NodeId]:
        """The nodes ``origin`` asserts that another origin asserts too."""
        rows = self._db.execute(
            "SELECT DISTINCT a.node_id FROM node_assertion a JOIN node_assertion b"
            " ON b.node_id = a.node_id AND b.origin != a.origin WHERE a.origin = ?",
            (origin,),
        )
        return {NodeId(node_id) for (node_id,) in rows}

    def _shared_edges(self, origin: str) -> set[model.EdgeKey]:
        """The edges ``origin`` asserts that another origin asserts too."""
        rows = self._db.execute(
            "SELECT DISTINCT a.source, a.type, a.target FROM edge_assertion a"
            " JOIN edge_assertion b ON b.source = a.source AND b.type = a.type"
            " AND b.target = a.target AND b.origin != a.origin WHERE a.origin = ?",
            (origin,),
        )
        return {_key(s, t, d) for s, t, d in rows}

    def remove_origin(self, origin: str) -> model.ApplyResult:
        with self._transaction():
            old_nodes, old_edges = self._withdraw(origin)
            self._db.execute("DELETE FROM origin WHERE name = ?", (origin,))
            self._refresh_nodes(old_nodes)
            self._refresh_edges(old_edges)
        return model.ApplyResult(origin, 0, 0, len(old_nodes), len(old_edges))

    def _withdraw(self, origin: str) -> tuple[set[NodeId], set[model.EdgeKey]]:
        nodes, edges = set(self._node_assertions(origin)), set(self._edge_assertions(origin))
        self._db.execute("DELETE FROM node_assertion WHERE origin = ?", (origin,))
        self._db.execute("DELETE FROM edge_assertion WHERE origin = ?", (origin,))
        return nodes, edges

    def _record_origin(self, origin: str, *, nodes: int, edges: int) -> None:
        (seq,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM origin").fetchone()
        self._db.execute(
            "INSERT INTO origin (name, seq, applied_at, nodes, edges) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET seq = excluded.seq,"
            " applied_at = excluded.applied_at, nodes = excluded.nodes, edges = excluded.edges",
            (origin, seq, datetime.now(UTC).isoformat(), nodes, edges),
        )

    def _refresh_nodes(self, ids: set[NodeId]) -> None:
        assertions: dict[NodeId, list[tuple[Provenance, Node]]] = {node_id: [] for node_id in ids}
        for chunk in base.chunks(sorted(ids), _CHUNK):
            rows = self._db.execute(
                "SELECT a.node_id, a.origin, a.body FROM node_assertion a"
                " JOIN origin o ON o.name = a.origin"
                f" WHERE a.node_id IN ({_marks(chunk)}) ORDER BY o.seq",
                chunk,
            )
            for node_id, origin, body in rows:
                node = codec.node_from_body(body)
                assertions[node_id].append((Provenance(origin, node.location), node))
            self._db.execute(f"DELETE FROM node WHERE id IN ({_marks(chunk)})", chunk)
            self._db.execute(f"DELETE FROM alias WHERE node_id IN ({_marks(chunk)})", chunk)
        merged = [merge_node(found) for found in assertions.values() if found]
        self._db.executemany(
            "INSERT INTO node (id, key, kind, name, mode, body) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    n.id,
                    n.key,
                    n.kind.value,
                    n.display_name,
                    n.mode.value,
                    codec.node_body(n),
                )
                for n in merged
            ],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO alias (alias, node_id) VALUES (?, ?)",
            [(alias, node.id) for node in merged for alias in node.aliases],
        )

    def _refresh_edges(self, keys: set[model.EdgeKey]) -> None:
        """Recompute the merged edges of ``keys`` in a few set-based statements: the keys go
        into a temporary table, and one join reads every assertion of them, oldest first."""
        if not keys:
            return
        rows = [_key_row(key) for key in keys]
        self._db.executemany("DELETE FROM edge WHERE source = ? AND type = ? AND target = ?", rows)
        with self._temporary("touched_edge", ("source", "type", "target"), rows):
            assertions = self._db.execute(
                "SELECT a.source, a.type, a.target, a.origin, a.body FROM temp.touched_edge t"
                " JOIN edge_assertion a"
                " ON a.source = t.source AND a.type = t.type AND a.target = t.target"
                " JOIN origin o ON o.name = a.origin"
                " ORDER BY a.source, a.type, a.target, o.seq"
            )
            merged = [
                merge_edge([_provenanced(origin, body) for *_, origin, body in same_key])
                for _, same_key in itertools.groupby(assertions, key=lambda row: row[:3])
            ]
        self._db.executemany(
            "INSERT INTO edge (source, type, target, body) VALUES (?, ?, ?, ?)",
            [(*_key_row(edge.key), codec.edge_body(edge)) for edge in merged],
        )

    # -- reading ---------------------------------------------------------------------------

    def get_nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, Node]:
        found: dict[NodeId, Node] = {}
        for chunk in base.chunks(sorted(set(ids)), _CHUNK):
            for (body,) in self._read(
                f"SELECT body FROM node WHERE id IN ({_marks(chunk)})", chunk
            ):
                node = codec.node_from_body(body)
                found[node.id] = node
        return found

    def list_nodes(
        self, where: base.NodeFilter = base.EVERY_NODE, page: base.Page = base.WHOLE_LIST
    ) -> list[Node]:
        after, limit = page.after, page.limit
        clauses, params = _node_filter(where)
        if after is not None:
            clauses.append("id > ?")
            params.append(after)
        page = " LIMIT ?" if limit is not None else ""
        rows = self._read(
            f"SELECT body FROM node {_where(clauses)} ORDER BY id{page}",
            [*params, limit] if limit is not None else params,
        )
        return [codec.node_from_body(body) for (body,) in rows]

    def count_nodes(self, where: base.NodeFilter = base.EVERY_NODE) -> int:
        clauses, params = _node_filter(where)
        ((count,),) = self._read(f"SELECT COUNT(*) FROM node {_where(clauses)}", params)
        return int(count)

    def resolve(self, ref: str) -> list[NodeId]:
        for query in (
            "SELECT id FROM node WHERE id = ?",
            "SELECT id FROM node WHERE id = ? COLLATE NOCASE",
            "SELECT node_id FROM alias WHERE alias = ?",
            "SELECT id FROM node WHERE key = ? COLLATE NOCASE",
            "SELECT id FROM node WHERE name = ? COLLATE NOCASE",
        ):
            found = sorted({NodeId(row[0]) for row in self._read(query, (ref,))})
            if found:
                return found
        return []

    def edges_of(
        self, ids: Iterable[NodeId], *, direction: Direction, types: frozenset[EdgeType]
    ) -> list[Edge]:
        ends = tuple(_NEAR_END[way] for way in direction.one_way)
        bodies: set[str] = set()
        for chunk in base.chunks(sorted(set(ids)), _CHUNK):
            for end in ends:
                bodies.update(
                    body
                    for (body,) in self._read(
                        f"SELECT body FROM edge WHERE {end} IN ({_marks(chunk)})"
                        f" AND type IN ({_marks(types)})",
                        [*chunk, *base.type_values(types)],
                    )
                )
        return _edges(bodies)

    def reachable(self, walk: base.Walk) -> base.Reach:
        index = self.adjacency()
        if walk.root not in index.number or walk.max_hops < 1 or walk.limit < 1:
            return base.Reach({}, truncated=walk.limit < 1 and walk.root in index.number)
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

        The store's generation (bumped by every write transaction) says which contents an
        index describes. A built index is also saved beside the store file
        (:attr:`index_path`), so the next process at the same generation loads it instead of
        reading the whole graph; a stale or damaged copy is ignored and replaced.
        """
        with self._lock, self._errors():
            ((generation,),) = self._db.execute(_GENERATION).fetchall()
            if self._index is None or self._index[0] != generation:
                self._index = self._saved_or_built_index(int(generation))
            return self._index[1]

    @property
    def index_path(self) -> Path | None:
        """Where the index of a store file is saved (nowhere for an in-memory store)."""
        if str(self.path) == ":memory:":
            return None
        return self.path.with_name(self.path.name + ".index.npz")

    def build_index(self) -> tuple[int, Adjacency]:
        """Read the whole graph into a new index, with the generation it describes (one read
        transaction), ignoring any saved copy."""
        (generation,), nodes, edges = self._read_together(
            _GENERATION,
            "SELECT id, mode FROM node",
            "SELECT source, type, target, json_extract(body, '$.mode') FROM edge",
        )
        return int(generation[0]), Adjacency.build(nodes, edges)

    def _saved_or_built_index(self, generation: int) -> tuple[int, Adjacency]:
        path = self.index_path
        saved = index_file.load(path, generation) if path else None
        if saved is not None:
            return generation, saved
        built_at, index = self.build_index()  # another write may have come in between
        if path:
            index_file.save(path, built_at, index)
        return built_at, index

    @contextmanager
    def _temporary(
        self, table: str, columns: tuple[str, ...], rows: Iterable[Sequence[object]]
    ) -> Iterator[None]:
        """A temporary table ``temp.<table>`` holding ``rows`` for the block, then emptied."""
        self._db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({', '.join(columns)})")
        self._db.execute(f"DELETE FROM temp.{table}")
        marks = ", ".join("?" * len(columns))
        self._db.executemany(f"INSERT INTO temp.{table} VALUES ({marks})", rows)
        try:
            yield
        finally:
            self._db.execute(f"DELETE FROM temp.{table}")

    def _read_together(self, *queries: str) -> list[list[tuple]]:
        """Several queries in one read transaction: answers from the same moment."""
        with self._lock, self._errors():
            self._db.execute("BEGIN")
            try:
                return [self._db.execute(query).fetchall() for query in queries]
            finally:
                self._db.execute("COMMIT")

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
        # The pairs in a temporary table, joined on the edge table's key: one indexed lookup
        # per pair, however many pairs there are.
        with (
            self._lock,
            self._errors(),
            self._temporary("wanted_pair", ("source", "target"), set(pairs)),
        ):
            rows = self._db.execute(
                "SELECT e.body FROM temp.wanted_pair p JOIN edge e"
                " ON e.source = p.source AND e.target = p.target"
                f" WHERE e.type IN ({_marks(types)})",
                base.type_values(types),
            ).fetchall()
        return _edges(body for (body,) in rows)

    def snapshot(self) -> base.GraphSnapshot:
        nodes, edges = self._read_together(
            "SELECT body FROM node ORDER BY id",
            "SELECT body FROM edge ORDER BY source, type, target",
        )
        return base.GraphSnapshot(
            nodes=tuple(codec.node_from_body(b) for (b,) in nodes),
            edges=tuple(codec.edge_from_body(b) for (b,) in edges),
        )

    def origins(self) -> list[base.OriginRecord]:
        rows = self._read("SELECT name, applied_at, nodes, edges FROM origin ORDER BY name", ())
        return [
            base.OriginRecord(name, datetime.fromisoformat(at), nodes, edges)
            for name, at, nodes, edges in rows
        ]

    def ping(self) -> None:
        self._read("SELECT 1", ())

    def close(self) -> None:
        self._db.close()

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock, self._errors():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('generation', 1)"
                    " ON CONFLICT (key) DO UPDATE SET value = value + 1"
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, query: str, params: Sequence[object]) -> list[tuple]:
        with self._lock, self._errors():
            return self._db.execute(query, params).fetchall()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as the service's: a busy or unwritable file is unavailable."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(
                f"the embedded store at {self.path} cannot be used: {exc}. Another process may "
                "hold it (an import in progress), or the file or its folder is not writable."
            ) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"the embedded store at {self.path} failed: {exc}") from exc

    def _check_version(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        if version == 0:
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"store format {version} is not the supported format {SCHEMA_VERSION}"
            )


def _changed(old: dict[Key, str], new: dict[Key, str]) -> set[Key]:
    """The keys whose assertion was added, removed, or says something else now."""
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _provenanced(origin: str, body: str) -> tuple[Provenance, Edge]:
    """One origin's assertion of an edge, as ``merge_edge`` takes it."""
    edge = codec.edge_from_body(body)
    return Provenance(origin, edge.location), edge


def _edges(bodies: Iterable[str]) -> list[Edge]:
    """Stored edge bodies as edges, in key order."""
    return sorted(map(codec.edge_from_body, bodies), key=lambda edge: edge.key)


def _key(source: str, edge_type: str, target: str) -> model.EdgeKey:
    return model.EdgeKey(NodeId(source), EdgeType(edge_type), NodeId(target))


def _key_row(key: model.EdgeKey) -> tuple[str, str, str]:
    return (key.source, key.type.value, key.target)


def _marks(items: Sequence[object] | frozenset[object]) -> str:
    return ", ".join("?" * len(items))


def _node_filter(where: base.NodeFilter) -> tuple[list[str], list[object]]:
    """SQL conditions and their parameters for a node filter."""
    clauses: list[str] = []
    params: list[object] = []
    if where.kind is not None:
        clauses.append("kind = ?")
        params.append(where.kind.value)
    if where.mode is not None:
        clauses.append("mode = ?")
        params.append(where.mode.value)
    if where.search:
        pattern = f"%{_escape_like(where.search)}%"
        clauses.append(
            "(id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR id IN"
            " (SELECT node_id FROM alias WHERE alias LIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern, pattern]
    return clauses, params


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
