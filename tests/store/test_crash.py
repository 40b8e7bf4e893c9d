"""A process killed with SIGKILL in the middle of an import leaves the embedded store readable,
with either the old or the new content, never a mix.

Each case runs a real child Python process that applies a large batch (its apply takes
seconds) to the store file and kills it with SIGKILL at a different moment of the apply: just
after it began, at several delays after the write-ahead log shows the transaction writing
pages to disk, and (deterministically) while the child holds its transaction open after every
row was written. The parent then opens the file and checks the node set is exactly the old one
or exactly the new one. The children run side by side to keep the test quick.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import ROOT

from lineage.model import ImportBatch, Kind, Node, NodeId
from lineage.store.embedded import EmbeddedStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]


NEW_NODES = 50_000
OLD_NODES = 200
WAL_WRITING = 1 << 20
"""WAL bytes that show the child's transaction has started writing pages to disk."""

CHILD = """
import sys
import time
from lineage.model import ImportBatch, Kind, Node, NodeId
from lineage.store.embedded import EmbeddedStore

db, count, pause = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "pause"
nodes = tuple(Node(NodeId(f"dataset:new-{i:06d}"), Kind.DATASET) for i in range(count))
new = ImportBatch("bulk", nodes)
store = EmbeddedStore(db, cache_mib=1)  # a small cache spills the writes to the log early
if pause:  # hold the transaction open after its writes, so the kill surely lands inside it
    refresh_nodes = store._refresh_nodes

    def paused(numbers):
        print("inside", flush=True)
        time.sleep(60)
        refresh_nodes(numbers)

    store._refresh_nodes = paused
print("applying", flush=True)
store.apply(new)
print("applied", flush=True)
sys.stdin.read()  # stay alive, store still open, until the parent kills us
"""


def _ids(prefix: str, count: int) -> frozenset[NodeId]:
    return frozenset(NodeId(f"dataset:{prefix}-{i:06d}") for i in range(count))


OTHER = _ids("other", 10)
OLD = _ids("old", OLD_NODES) | OTHER
NEW = _ids("new", NEW_NODES) | OTHER


def _seed(db: Path) -> None:
    """The old content: what ``bulk`` asserted before, and another origin's nodes."""
    with EmbeddedStore(db) as store:
        for origin, prefix, count in (("bulk", "old", OLD_NODES), ("other", "other", 10)):
            nodes = tuple(Node(node_id, Kind.DATASET) for node_id in _ids(prefix, count))
            store.apply(ImportBatch(origin, nodes))


@dataclass(frozen=True)
class Kill:
    applied: bool
    """The child had finished its apply when it was killed."""
    wal_bytes: int
    """The size of the write-ahead log at the moment of the kill."""


def _wal_size(db: Path) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except FileNotFoundError:
        return 0


@contextmanager
def _child(db: Path, count: int, *, pause: bool = False) -> Iterator[subprocess.Popen[str]]:
    """A child process applying ``count`` new nodes to ``db``; killed on the way out."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(count), "pause" if pause else "run"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "applying\n"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _run_and_kill(db: Path, *, wait_for_writes: bool, delay: float, pause: bool = False) -> Kill:
    with _child(db, NEW_NODES, pause=pause) as child:
        assert child.stdout is not None
        if pause:
            assert child.stdout.readline() == "inside\n"
        if wait_for_writes:
            deadline = time.monotonic() + 60
            while _wal_size(db) < WAL_WRITING and child.poll() is None:
                assert time.monotonic() < deadline, "the child never wrote its transaction"
                time.sleep(0.005)
        time.sleep(delay)
        wal_bytes = _wal_size(db)
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return Kill(applied="applied" in rest, wal_bytes=wal_bytes)


# (wait until the transaction writes to the WAL first?, then sleep this long)
KILLS = [
    (False, 0.0), (False, 0.1), (False, 0.3), (True, 0.0), (True, 0.2), (True, 0.5), (True, 0.8),
    (True, 1.5),
]  # fmt: skip


def test_sigkill_mid_import_leaves_old_or_new_content(tmp_path: Path) -> None:
    dbs = [tmp_path / f"kill-{number}.db" for number in range(len(KILLS))]
    for db in dbs:
        _seed(db)

    def one(case: tuple[Path, tuple[bool, float]]) -> Kill:
        db, (wait_for_writes, delay) = case
        return _run_and_kill(db, wait_for_writes=wait_for_writes, delay=delay)

    with ThreadPoolExecutor(max_workers=len(KILLS)) as pool:  # the children run side by side
        kills = list(pool.map(one, zip(dbs, KILLS, strict=True)))

    for db, kill in zip(dbs, kills, strict=True):
        with closing(sqlite3.connect(db)) as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        with EmbeddedStore(db) as store:
            found = frozenset(node.id for node in store.list_nodes())
            assert found in (OLD, NEW), f"{db.name}: {len(found)} nodes, neither old nor new"
            if kill.applied:
                assert found == NEW
            store.apply(ImportBatch("bulk", ()))  # the store still takes writes
            assert frozenset(node.id for node in store.list_nodes()) == OTHER


def test_sigkill_inside_the_transaction_keeps_the_old_content(tmp_path: Path) -> None:
    """The child holds its transaction open after writing every row; the kill lands there."""
    db = tmp_path / "inside.db"
    _seed(db)
    kill = _run_and_kill(db, wait_for_writes=False, delay=0.0, pause=True)
    assert not kill.applied and kill.wal_bytes >= WAL_WRITING  # the rows were on disk
    with EmbeddedStore(db) as store:
        assert frozenset(node.id for node in store.list_nodes()) == OLD


def test_sigkill_after_commit_keeps_the_new_content(tmp_path: Path) -> None:
    db = tmp_path / "committed.db"
    _seed(db)
    with _child(db, 500) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "applied\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    with EmbeddedStore(db) as store:
        assert frozenset(node.id for node in store.list_nodes()) == _ids("new", 500) | OTHER
