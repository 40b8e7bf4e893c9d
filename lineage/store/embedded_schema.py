"""The embedded store's tables, and the way from an older file format to this one.

Format 6 (this one) keeps every origin's assertions in typed columns keyed by integer node
numbers (``embedded_rows.py`` shapes the rows):

    origin          one row per origin: its number, name and order of application, the
                    fingerprint of its facts, and the state its importer keeps (a cursor)
    node            the merged view of each node, numbered; the only table holding ids
    alias           the merged aliases, for lookups
    node_assertion  what each origin says about each node
    edge_assertion  what each origin says about each edge, keyed by the edge first; the merged
                    edge is computed when read (nearly every edge has one origin, and then
                    it is its assertion). An origin's edges are found through its nodes
                    (every edge an origin asserts leaves a node it asserts), which spares
                    the table an index by origin.
    origin_edges    each origin's edges as an ``EdgeTable`` (``edge_table.py``): keys and row
                    hashes, so a changed batch finds its changed rows without reading the rest;
                    followed by their CRC-32, so a damaged table is read from the rows instead
    origin_nodes    each origin's node numbers in the order its batch lists its nodes, with
                    their CRC-32: a batch whose nodes did not change is numbered from it
                    without looking up an id (``sealed.py``)

    run             the run log: what each scheduled job and staleness roll-up did, as JSON
                    the service reads (a store never looks inside)

Kinds are not indexed: a node's id starts with its kind, so the id index finds them.

Format 5 was this without ``origin_nodes``; opening a format-5 file adds the table.
Format 4 was format 5 without ``origin_edges``; opening a format-4 file adds the table, and an
origin's first apply after that reads its rows once to diff them.
Format 3 was format 4 without the run log; opening a format-3 file adds the table.
Format 2 was format 3 without the origin's ``state``; opening a format-2 file adds the column.
Format 1 kept each assertion and each merged fact as a JSON body keyed by text ids, about
four times the bytes; opening a format-1 file migrates it in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lineage.model import ImportBatch
from lineage.store import codec

VERSION = 6

INDEXES = {
    "node": (
        "CREATE INDEX IF NOT EXISTS node_key ON node (key COLLATE NOCASE)",
        "CREATE INDEX IF NOT EXISTS node_name ON node (name COLLATE NOCASE) WHERE name != ''",
    ),
    "alias": ("CREATE INDEX IF NOT EXISTS alias_node ON alias (node)",),
    "node_assertion": ("CREATE INDEX IF NOT EXISTS node_assertion_node ON node_assertion (node)",),
    "edge_assertion": (
        "CREATE INDEX IF NOT EXISTS edge_assertion_target ON edge_assertion (target)",
    ),
}
"""Each table's secondary indexes (its key and UNIQUE columns are indexed by the table)."""

TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS origin (
        num INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL,
        applied_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL,
        digest BLOB, state TEXT)""",
    """CREATE TABLE IF NOT EXISTS node (
        num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, key TEXT NOT NULL,
        kind TEXT NOT NULL, name TEXT NOT NULL, mode TEXT NOT NULL, location TEXT,
        detail TEXT, origins TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS alias (
        alias TEXT NOT NULL COLLATE NOCASE, node INTEGER NOT NULL,
        PRIMARY KEY (alias, node)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS node_assertion (
        origin INTEGER NOT NULL, node INTEGER NOT NULL, name TEXT NOT NULL,
        mode TEXT NOT NULL, location TEXT, detail TEXT,
        PRIMARY KEY (origin, node)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS edge_assertion (
        origin INTEGER NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL,
        type INTEGER NOT NULL, role INTEGER NOT NULL, mode INTEGER NOT NULL,
        location TEXT, detail TEXT,
        PRIMARY KEY (source, target, type, origin)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS origin_edges (
        origin INTEGER PRIMARY KEY, edges BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS origin_nodes (
        origin INTEGER PRIMARY KEY, numbers BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS run (
        num INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
        started TEXT NOT NULL, document TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS run_kind ON run (kind, name, num)",
    *(statement for statements in INDEXES.values() for statement in statements),
)
"""One statement each: ``executescript`` would commit the transaction a migration runs in."""

_VERSION_1_TABLES = ("origin", "node_assertion", "edge_assertion", "node", "edge", "alias")


@dataclass(frozen=True)
class OldOrigin:
    """One origin of an older file: what it asserted, and when it was applied."""

    batch: ImportBatch
    applied_at: str


def create_tables(db: sqlite3.Connection) -> None:
    for statement in TABLES:
        db.execute(statement)


@contextmanager
def indexes_rebuilt(db: sqlite3.Connection, table: str) -> Iterator[None]:
    """``table``'s secondary indexes dropped for the block and built again after it: one
    sort of the whole table instead of an insertion per row in random order, the quicker way
    to load more rows than the table holds. Run inside the caller's transaction, so a block
    that fails leaves the indexes as they were when the transaction rolls back."""
    statements = INDEXES[table]
    for statement in statements:
        db.execute(f"DROP INDEX {_index_name(statement)}")
    yield
    for statement in statements:
        db.execute(statement)


def _index_name(statement: str) -> str:
    """The name a ``CREATE INDEX IF NOT EXISTS <name> ON ...`` statement gives."""
    return statement.split(" ON ", 1)[0].rsplit(" ", 1)[1]


def migrate_version_2(db: sqlite3.Connection) -> None:
    """Format 2 to 3: the origin's ``state``, empty until its importer next runs."""
    db.execute("ALTER TABLE origin ADD COLUMN state TEXT")


def read_version_1(db: sqlite3.Connection) -> list[OldOrigin]:
    """Every origin of a format-1 file with its assertions, in the order they were applied
    (which decides what the merged view shows where origins disagree)."""
    found = []
    origins = db.execute("SELECT name, applied_at FROM origin ORDER BY seq").fetchall()
    for name, applied_at in origins:
        nodes = db.execute("SELECT body FROM node_assertion WHERE origin = ?", (name,))
        edges = db.execute("SELECT body FROM edge_assertion WHERE origin = ?", (name,))
        batch = ImportBatch(
            name,
            tuple(codec.node_from_body(body) for (body,) in nodes),
            tuple(codec.edge_from_body(body) for (body,) in edges),
        )
        found.append(OldOrigin(batch, applied_at))
    return found


def drop_version_1(db: sqlite3.Connection) -> None:
    for table in _VERSION_1_TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
