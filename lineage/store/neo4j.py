"""The Neo4j store: the production backend, over the official ``neo4j`` driver.

The graph model (``docs/neo4j.md`` has it in full, with example queries)::

    (:LineageNode:<Kind label> {id, kind, key, name, mode, aliases, ..., body})
        -[:FEEDS | :TRIGGERS | :HAS_SCHEMA {label, role, mode, ..., origins, body}]->
    (:NodeAssertion {origin, node_id, body})            one per origin and node
    (:EdgeAssertion {origin, source, type, target, body}) one per origin and edge
    (:Origin {name, seq, applied_at, nodes, edges})     seq orders origins oldest first
    (:LineageMeta {name, seq})                          the apply counter and write lock

Each origin's assertions are kept verbatim as assertion nodes, so replacing one origin never
loses another's facts; the merged view (``:LineageNode`` and its relationships) is recomputed
with ``merge.py`` for the ids an apply touches, inside the same transaction. Every query is a
file in ``cypher/`` (see ``neo4j_cypher.py``); every value is a parameter, except the hop bound
of a reach, an ``int`` checked and written into the text by ``bounded_query``.

Every call runs in a managed transaction (``execute_read`` / ``execute_write``, retried on
transient errors), and driver errors are translated at this boundary: an unreachable server or
refused credentials become ``StoreUnavailable`` naming the URI, anything else ``StoreError``
(as does a missing ``cypher/`` directory, after a non-editable install).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_errors

from lineage import model
from lineage.config import StoreSettings
from lineage.errors import ChangeTooLarge, StoreError, StoreUnavailable
from lineage.model import Direction, Edge, EdgeType, Node, NodeId
from lineage.store import base, codec
from lineage.store import neo4j_rows as rows
from lineage.store.adjacency import Adjacency
from lineage.store.batch_columns import NODE_ID, batch_columns
from lineage.store.neo4j_cypher import (
    bounded_query,
    fold,
    query,
    schema_names,
    schema_query,
)

T = TypeVar("T")
Facts = tuple[set[NodeId], set[model.EdgeKey]]
"""Node ids and edge keys: the facts an apply touches, or that another origin shares."""
META = "store"
"""The name of the one ``:LineageMeta`` node."""
CHUNK = 1000
"""Rows per UNWIND statement; an apply sends several statements in its one transaction."""
ALL_ROWS = 2**62
"""``LIMIT`` takes a parameter but not null: an unpaged listing asks for this many rows."""
CONNECT_SECONDS = 5.0
"""The longest a connection may take, the Bolt handshake included: a URI pointing at something
that accepts connections but does not speak Bolt fails in seconds, not the driver's minute."""
RETRY_SECONDS = 3.0
"""How long a transaction is retried on a transient failure before the error reaches the
caller: a server that is down fails a query in seconds (UNAVAILABLE), not after a minute."""
OUT_OF_TRANSACTION_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
"""A transaction outgrew the server's transaction memory: an apply is one transaction, so a
large enough batch meets it on every retry until the server's limits are raised."""
BOLT_SCHEMES = frozenset(
    f"{base}{suffix}" for base in ("bolt", "neo4j") for suffix in ("", "+s", "+ssc")
)
_SOCKET_REASON = re.compile(r"\(reason (.+)\)\s*$")
_RESOLVE_STEPS = ("resolve_id_fold", "resolve_alias", "resolve_key", "resolve_name")
_EDGES_QUERY = {Direction.DOWNSTREAM: "edges_out", Direction.UPSTREAM: "edges_in"}


class Neo4jStore(base.ClosesOnExit):
    """A ``GraphStore`` on a Neo4j 5 server. Open it with :meth:`connect`; close it (or use it
    as a context manager): driver 6 no longer closes itself when garbage-collected.

    A write sends its rows ``rows_per_statement`` at a time (``UNWIND``); 1 sends each row as
    a statement of its own, the row-by-row baseline the benchmark measures batching against.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        uri: str,
        database: str | None = None,
        rows_per_statement: int = CHUNK,
    ) -> None:
        self._driver = driver
        self.uri = uri
        self._database = database
        if not isinstance(rows_per_statement, int) or rows_per_statement < 1:
            raise ValueError(
                f"rows_per_statement must be an int of 1 or more: {rows_per_statement!r}"
            )
        self._rows_per_statement = rows_per_statement
        self._schema_ready = False

    @classmethod
    def connect(cls, settings: StoreSettings, *, rows_per_statement: int = CHUNK) -> Neo4jStore:
        """Open a driver and check the server answers; raises ``StoreUnavailable`` if not."""
        uri = settings.neo4j_uri
        auth = (settings.neo4j_user, settings.neo4j_password or "") if settings.neo4j_user else None
        scheme = uri.partition("://")[0].lower()
        if scheme not in BOLT_SCHEMES:
            raise StoreUnavailable(
                f"NEO4J_URI {uri!r} is not a Bolt URI; use bolt://HOST:PORT or neo4j://HOST:PORT"
            )
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=auth,
                user_agent="lineage",
                connection_timeout=CONNECT_SECONDS,
                connection_acquisition_timeout=CONNECT_SECONDS,
                max_transaction_retry_time=RETRY_SECONDS,
                notifications_min_severity="OFF",
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(
                f"NEO4J_URI {uri!r} is not a Neo4j URI ({exc}); "
                "use bolt://HOST:PORT or neo4j://HOST:PORT"
            ) from exc
        store = cls(
            driver,
            uri=uri,
            database=settings.neo4j_database,
            rows_per_statement=rows_per_statement,
        )
        try:
            store.ping()
        except BaseException:
            driver.close()
            raise
        return store

    # -- writing ---------------------------------------------------------------------------

    def apply(self, batch: model.ImportBatch) -> model.ApplyResult:
        self.ensure_schema()
        applied_at = datetime.now(UTC)
        return self._write(lambda tx: _apply(self._statements(tx), batch, applied_at))

    def apply_all(self, batches: Sequence[model.ImportBatch]) -> list[model.ApplyResult]:
        self.ensure_schema()
        applied_at = datetime.now(UTC)
        return self._write(
            lambda tx: [_apply(self._statements(tx), batch, applied_at) for batch in batches]
        )

    def remove_origin(self, origin: str) -> model.ApplyResult:
        self.ensure_schema()
        return self._write(lambda tx: _remove_origin(self._statements(tx), origin))

    def ensure_schema(self) -> tuple[str, ...]:
        """Create the constraints and indexes that are missing (``IF NOT EXISTS``), once per
        store object; returns the names it created."""
        if self._schema_ready:
            return ()
        existing = set(self._read(lambda tx: _single(tx, "existing_indexes")["names"]))
        missing = tuple(name for name in schema_names() if name not in existing)
        with self._errors(), self._session() as session:
            for name in missing:  # schema statements cannot share a transaction with data
                session.execute_write(_run_schema, name)
        self._schema_ready = True
        return missing

    def wipe(self) -> None:
        """Delete every node and edge this service stored (tests use it); keeps the schema."""
        with self._errors(), self._session() as session:
            session.run(query("wipe")).consume()  # CALL IN TRANSACTIONS needs auto-commit

    # -- reading ---------------------------------------------------------------------------

    def origin_state(self, origin: str) -> str | None:
        found = self._read(lambda tx: _column(tx, "origin_state", "state", origin=origin))
        return found[0] if found else None

    def get_nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, Node]:
        wanted = sorted(set(ids))
        bodies = self._read(lambda tx: _column(tx, "get_nodes", "body", ids=wanted))
        nodes = {node.id: node for node in map(codec.node_from_body, bodies)}
        return {node_id: nodes[node_id] for node_id in wanted if node_id in nodes}

    def list_nodes(
        self, where: base.NodeFilter = base.EVERY_NODE, page: base.Page = base.WHOLE_LIST
    ) -> list[Node]:
        after, limit = page.after, page.limit
        params = {
            **_node_filter(where),
            "after": after,
            "limit": ALL_ROWS if limit is None else limit,
        }
        bodies = self._read(lambda tx: _column(tx, "list_nodes", "body", **params))
        return list(map(codec.node_from_body, bodies))

    def count_nodes(self, where: base.NodeFilter = base.EVERY_NODE) -> int:
        params = _node_filter(where)
        return int(self._read(lambda tx: _single(tx, "count_nodes", **params)["count"]))

    def resolve(self, ref: str) -> list[NodeId]:
        def steps(tx: ManagedTransaction) -> list[str]:
            found = _column(tx, "resolve_id", "id", ref=ref)
            for step in _RESOLVE_STEPS:
                if found:
                    break
                found = _column(tx, step, "id", folded=fold(ref))
            return found

        return sorted({NodeId(node_id) for node_id in self._read(steps)})

    def edges_of(
        self, ids: Iterable[NodeId], *, direction: Direction, types: frozenset[EdgeType]
    ) -> list[Edge]:
        names = tuple(_EDGES_QUERY[way] for way in direction.one_way)
        params = {"ids": sorted(set(ids)), "types": base.type_values(types)}
        bodies = self._read(
            lambda tx: [body for name in names for body in _column(tx, name, "body", **params)]
        )
        edges = {edge.key: edge for edge in map(codec.edge_from_body, bodies)}
        return [edges[key] for key in sorted(edges)]

    def reachable(self, walk: base.Walk) -> base.Reach:
        """Nearest first, by id within a distance, as the embedded store: the query returns
        the first ``limit + 1`` nodes in that order, so only the one extra row beyond ``limit``
        crosses the wire, and its presence means the walk was cut. The expand itself is bounded
        by ``max_hops`` (written into the query by ``bounded_query``, which refuses more than
        ``MAX_HOPS_BOUND``)."""
        if walk.max_hops < 1:  # no hop allowed: nothing is reachable (as the embedded store)
            return base.Reach({}, truncated=False)
        downstream = walk.direction is Direction.DOWNSTREAM
        text = bounded_query("reach_downstream" if downstream else "reach_upstream", walk.max_hops)
        keep = max(walk.limit, 0)
        params = {"root": walk.root, "types": base.type_values(walk.types), "limit": keep}
        # Neo4j orders strings by code point, as Python does, so the cut falls on the same ids
        found = self._read(
            lambda tx: [(record["depth"], record["id"]) for record in tx.run(text, params)]
        )
        distances = {NodeId(node_id): depth for depth, node_id in found[:keep]}
        return base.Reach(distances, truncated=len(found) > keep)

    def edges_among(self, ids: Iterable[NodeId], *, types: frozenset[EdgeType]) -> list[Edge]:
        params = {"ids": sorted(set(ids)), "types": base.type_values(types)}
        bodies = self._read(lambda tx: _column(tx, "edges_among", "body", **params))
        return sorted(map(codec.edge_from_body, bodies), key=lambda edge: edge.key)

    def edges_between(
        self, pairs: Iterable[tuple[NodeId, NodeId]], *, types: frozenset[EdgeType]
    ) -> list[Edge]:
        params = {
            "pairs": [list(pair) for pair in sorted(set(pairs))],
            "types": base.type_values(types),
        }
        bodies = self._read(lambda tx: _column(tx, "edges_between", "body", **params))
        return sorted(map(codec.edge_from_body, bodies), key=lambda edge: edge.key)

    def snapshot(self) -> base.GraphSnapshot:
        def both(tx: ManagedTransaction) -> tuple[list[str], list[str]]:
            # one transaction: nodes and edges from the same moment
            return _column(tx, "snapshot_nodes", "body"), _column(tx, "snapshot_edges", "body")

        node_bodies, edge_bodies = self._read(both)
        nodes = sorted(map(codec.node_from_body, node_bodies), key=lambda node: node.id)
        edges = sorted(map(codec.edge_from_body, edge_bodies), key=lambda edge: edge.key)
        return base.GraphSnapshot(nodes=tuple(nodes), edges=tuple(edges))

    def adjacency(self) -> Adjacency:
        """Built from the ids alone (no bodies), in one read transaction. Not cached: another
        client may change the database at any time, and walks stay in Cypher."""

        def ids_and_keys(
            tx: ManagedTransaction,
        ) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
            nodes = [(r["id"], r["mode"]) for r in tx.run(query("node_ids"))]
            keys = [
                (r["source"], r["type"], r["target"], r["mode"]) for r in tx.run(query("edge_keys"))
            ]
            return nodes, keys

        return Adjacency.build(*self._read(ids_and_keys))

    def origins(self) -> list[base.OriginRecord]:
        records = self._read(lambda tx: list(tx.run(query("origins"))))
        found = [
            base.OriginRecord(r["name"], _native(r["applied_at"]), r["nodes"], r["edges"])
            for r in records
        ]
        return sorted(found, key=lambda record: record.name)

    def record_run(self, run: base.RunRecord, *, keep: int) -> None:
        self._write(
            lambda tx: _run(
                tx,
                "record_run",
                kind=run.kind,
                name=run.name,
                started=run.started.astimezone(UTC),
                document=run.document,
                keep=max(keep, 1),
            )
        )

    def runs(self, kind: str, name: str | None = None, *, limit: int = 100) -> list[base.RunRecord]:
        records = self._read(
            lambda tx: list(tx.run(query("runs"), kind=kind, name=name, limit=max(limit, 0)))
        )
        return [
            base.RunRecord(r["kind"], r["name"], _native(r["started"]), r["document"])
            for r in records
        ]

    def ping(self) -> None:
        with self._errors():
            self._driver.verify_connectivity()
        self._read(lambda tx: _single(tx, "ping"))

    def close(self) -> None:
        self._driver.close()

    # -- plumbing --------------------------------------------------------------------------

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._errors(), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._errors(), self._session() as session:
            return session.execute_write(work)

    def _statements(self, tx: ManagedTransaction) -> _Statements:
        return _Statements(tx, self._rows_per_statement)

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self._database)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate driver errors into the service's, naming the server and what to do."""
        try:
            yield
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailable(
                f"cannot reach Neo4j at {self.uri} ({_reason(exc)}). Start the server "
                "(scripts/neo4j-local start, or docker compose up -d neo4j) or point NEO4J_URI "
                "at a running one."
            ) from exc
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials ({_reason(exc)}). "
                "Set NEO4J_USER and NEO4J_PASSWORD."
            ) from exc
        except neo4j_errors.DatabaseUnavailable as exc:
            raise StoreUnavailable(
                f"the database on Neo4j at {self.uri} is not available ({_reason(exc)}); "
                "check the server's status and NEO4J_DATABASE."
            ) from exc
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            if getattr(exc, "code", None) == OUT_OF_TRANSACTION_MEMORY:
                raise ChangeTooLarge(
                    f"the change is too large for one transaction on Neo4j at {self.uri} "
                    f"({_reason(exc)}); nothing was changed. Raise the server's "
                    "db.memory.transaction.max or dbms.memory.transaction.total.max (or its "
                    "heap), or import the documents in smaller parts."
                ) from exc
            raise StoreError(f"Neo4j at {self.uri} failed: {_reason(exc)}") from exc


# -- transaction functions (run, and possibly retried, by execute_write) -------------------


@dataclass(frozen=True)
class _Statements:
    """A write transaction, sending each statement over many rows ``rows_per_statement``
    at a time (the rows are a statement's ``$rows``, ``$ids`` or ``$keys``)."""

    tx: ManagedTransaction
    rows_per_statement: int

    def write(self, name: str, param: str, items: Sequence[Any], **params: Any) -> None:
        self.write_each(name, param, base.chunks(items, self.rows_per_statement), **params)

    def write_each(
        self, name: str, param: str, chunks: Iterable[Sequence[Any]], **params: Any
    ) -> None:
        """One statement per chunk of rows, as the chunks come."""
        for chunk in chunks:
            _run(self.tx, name, **params, **{param: chunk})

    def read(
        self, name: str, param: str, items: Sequence[Any], **params: Any
    ) -> list[neo4j.Record]:
        found: list[neo4j.Record] = []
        for chunk in base.chunks(items, self.rows_per_statement):
            found += self.tx.run(query(name), {**params, param: chunk})
        return found


@dataclass(frozen=True)
class _MergedRows:
    """``write_nodes`` and ``write_edges`` rows of merged facts, by node id and edge key."""

    nodes: Mapping[NodeId, rows.Row]
    edges: Mapping[model.EdgeKey, rows.Row]


_NOTHING_MERGED = _MergedRows({}, {})


def _apply(
    statements: _Statements, batch: model.ImportBatch, applied_at: datetime
) -> model.ApplyResult:
    tx, origin = statements.tx, batch.origin
    edges = batch.distinct_edges  # an edge listed twice is one edge; its first listing wins
    digest = batch_columns(batch.nodes, edges).digests().column()
    seq = _single(tx, "lock_store", name=META)["seq"]
    before = [
        bytes(found) if found is not None else None
        for found in _column(tx, "origin_digest", "digest", origin=origin)
    ]
    _run(
        tx,
        "record_origin",
        origin=origin,
        seq=seq,
        applied_at=applied_at,
        nodes=len(batch.nodes),
        edges=len(edges),
        digest=digest,
        state=batch.state,
    )
    shared = _shared_facts(statements, origin, batch.nodes, edges)
    if digest is not None and before == [digest]:  # the same facts: only precedence changed
        _refresh(statements, *shared)  # now the newest
        return model.ApplyResult(origin, len(batch.nodes), len(edges), 0, 0)
    old_nodes, old_edges = _withdraw(tx, origin)
    own_facts = _add_assertions(statements, batch, edges, shared)
    new_nodes = {node.id for node in batch.nodes}
    new_edges = {edge.key for edge in edges}
    _refresh(statements, old_nodes | new_nodes, old_edges | new_edges, own_facts)
    return model.ApplyResult.of_replacement(origin, (old_nodes, new_nodes), (old_edges, new_edges))


def _add_assertions(
    statements: _Statements,
    batch: model.ImportBatch,
    edges: Sequence[Edge],
    shared: Facts,
) -> _MergedRows:
    """Write the batch's assertions; the merged rows of the facts no other origin asserts.

    Such a fact's merged row is made with its assertion row, from one encoding, so it need
    not be read back. The rows are Python work, made in another thread while the server
    writes, each statement's while the one before is sent. The thread never touches the
    transaction; after a failure it rolls back without waiting for it."""
    origin, (shared_nodes, shared_edges) = batch.origin, shared
    own_nodes: dict[NodeId, rows.Row] = {}
    own_edges: dict[model.EdgeKey, rows.Row] = {}
    make_nodes = _assertion_rows(
        origin, shared_nodes, NODE_ID, rows.node_assertion_row, rows.sole_node_rows, own_nodes
    )
    make_edges = _assertion_rows(
        origin, shared_edges, _EDGE_KEY, rows.edge_assertion_row, rows.sole_edge_rows, own_edges
    )
    background = ThreadPoolExecutor(max_workers=1)
    try:
        size = statements.rows_per_statement
        node_rows = _made_ahead(background, make_nodes, batch.nodes, size)
        statements.write_each("add_node_assertions", "rows", node_rows, origin=origin)
        edge_rows = _made_ahead(background, make_edges, edges, size)
        statements.write_each("add_edge_assertions", "rows", edge_rows, origin=origin)
    finally:
        background.shutdown(wait=False, cancel_futures=True)
    return _MergedRows(own_nodes, own_edges)


_EDGE_KEY = attrgetter("key")


def _assertion_rows(
    origin: str,
    shared: AbstractSet[rows.Key],
    key_of: Callable[[rows.Fact], rows.Key],
    assertion_row: Callable[[rows.Fact], rows.Row],
    sole_rows: Callable[[str, rows.Fact], tuple[rows.Row, rows.Row]],
    own: dict[rows.Key, rows.Row],
) -> Callable[[Sequence[rows.Fact]], list[rows.Row]]:
    """What makes a chunk of facts' assertion rows, keeping in ``own`` the merged row of
    each fact that no other origin asserts (it is ``shared`` otherwise)."""

    def made(chunk: Sequence[rows.Fact]) -> list[rows.Row]:
        assertions = []
        for fact in chunk:
            key = key_of(fact)
            if key in shared:
                assertions.append(assertion_row(fact))
            else:
                assertion, own[key] = sole_rows(origin, fact)
                assertions.append(assertion)
        return assertions

    return made


def _made_ahead(
    background: Executor,
    make: Callable[[Sequence[rows.Fact]], list[rows.Row]],
    facts: Sequence[rows.Fact],
    size: int,
) -> Iterator[list[rows.Row]]:
    """The rows of ``facts``, ``size`` at a time, each chunk made in the background while
    the caller sends the one before."""
    pending: Future[list[rows.Row]] | None = None
    for chunk in base.chunks(facts, size):
        following = background.submit(make, chunk)
        if pending is not None:
            yield pending.result()
        pending = following
    if pending is not None:
        yield pending.result()


def _remove_origin(statements: _Statements, origin: str) -> model.ApplyResult:
    tx = statements.tx
    _single(tx, "lock_store", name=META)
    old_nodes, old_edges = _withdraw(tx, origin)
    _run(tx, "delete_origin", origin=origin)
    _refresh(statements, old_nodes, old_edges)
    return model.ApplyResult(origin, 0, 0, len(old_nodes), len(old_edges))


def _withdraw(tx: ManagedTransaction, origin: str) -> Facts:
    nodes = {NodeId(i) for i in _column(tx, "withdraw_node_assertions", "id", origin=origin)}
    edges = {
        rows.key_from_row(record)
        for record in tx.run(query("withdraw_edge_assertions"), origin=origin)
    }
    return nodes, edges


def _shared_facts(
    statements: _Statements, origin: str, nodes: Sequence[Node], edges: Sequence[Edge]
) -> Facts:
    """The nodes and edges another origin asserts too. An index lookup per fact that returns
    only the shared ones; with no other origin recorded (a first import), no lookup at all."""
    if not _single(statements.tx, "other_origins", origin=origin)["count"]:
        return set(), set()
    ids = [node.id for node in nodes]
    keys = [rows.key_row(edge.key) for edge in edges]
    found_nodes = statements.read("shared_nodes", "ids", ids, origin=origin)
    found_edges = statements.read("shared_edges", "keys", keys, origin=origin)
    return {NodeId(r["id"]) for r in found_nodes}, {rows.key_from_row(r) for r in found_edges}


def _refresh(
    statements: _Statements,
    ids: set[NodeId],
    keys: set[model.EdgeKey],
    known: _MergedRows = _NOTHING_MERGED,
) -> None:
    """Recompute the merged view of the given nodes and edges from their assertions; those
    whose merged rows are ``known`` already are written without reading their assertions.

    Order matters: nodes are written before the edges that need them, and nodes nobody
    asserts any more are deleted last (their edges are gone by then: an origin asserting an
    edge asserts both its ends).
    """
    read_nodes = statements.read("node_assertions", "ids", sorted(ids - known.nodes.keys()))
    nodes = {
        **{node_id: rows.node_row(node) for node_id, node in rows.merged_nodes(read_nodes).items()},
        **known.nodes,
    }
    statements.write("write_nodes", "rows", [nodes[node_id] for node_id in sorted(nodes)])

    wanted = [rows.key_row(key) for key in sorted(keys - known.edges.keys())]
    read_edges = statements.read("edge_assertions", "keys", wanted)
    edges = {
        **{key: rows.edge_row(edge) for key, edge in rows.merged_edges(read_edges).items()},
        **known.edges,
    }
    gone_edges = [rows.key_row(key) for key in sorted(keys - edges.keys())]
    statements.write("delete_edges", "keys", gone_edges)
    statements.write("write_edges", "rows", [edges[key] for key in sorted(edges)])
    statements.write("delete_nodes", "ids", sorted(ids - nodes.keys()))


def _run_schema(tx: ManagedTransaction, name: str) -> None:
    tx.run(schema_query(name)).consume()


def _run(tx: ManagedTransaction, name: str, /, **params: Any) -> None:
    tx.run(query(name), params).consume()


def _single(tx: ManagedTransaction, name: str, /, **params: Any) -> neo4j.Record:
    return tx.run(query(name), params).single(strict=True)


def _column(tx: ManagedTransaction, name: str, key: str, /, **params: Any) -> list[Any]:
    return [record[key] for record in tx.run(query(name), params)]


def _node_filter(where: base.NodeFilter) -> dict[str, Any]:
    return {
        "kind": where.kind.value if where.kind is not None else None,
        "mode": where.mode.value if where.mode is not None else None,
        "needle": fold(where.search) if where.search else None,
    }


def _native(value: Any) -> datetime:
    """A driver ``DateTime`` as a standard aware ``datetime`` in UTC (as the embedded store)."""
    native = value.to_native() if hasattr(value, "to_native") else value
    return native.astimezone(UTC)


def _reason(exc: BaseException) -> str:
    """The gist of a driver message: the socket error when there is one ("[Errno 111]
    Connection refused"), else its last line (the first often only repeats the address)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    last = lines[-1] if lines else type(exc).__name__
    socket_error = _SOCKET_REASON.search(last)
    return socket_error.group(1) if socket_error else last
