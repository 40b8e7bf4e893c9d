"""A Neo4j server that dies in the middle of an import leaves no partial batch: a real server
of its own (``scripts/neo4j-local``), a child process applying a large batch in one
transaction, and the server killed (SIGKILL to the JVM) or stopped (SIGTERM) while the child
is writing. After a restart on the same data the origin holds exactly its old facts, the other
origin is untouched, and the store takes writes again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT

from lineage.config import Backend, StoreSettings
from lineage.model import ImportBatch, Kind, Node, NodeId
from lineage.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]
SCRIPT = ROOT / "scripts" / "neo4j-local"
NEW_NODES = 30_000
"""Enough for the child's apply to take seconds on this server, so the kill lands inside."""
WRITING = 2.0
"""Seconds after the child starts its apply before the server is killed."""

CHILD = """
import sys
from lineage.config import Backend, StoreSettings
from lineage.model import Edge, ImportBatch, Kind, Node, NodeId
from lineage.store.neo4j import Neo4jStore

uri, count = sys.argv[1], int(sys.argv[2])
ids = [NodeId(f"dataset:new-{i:06d}") for i in range(count)]
batch = ImportBatch(
    "bulk",
    tuple(Node(i, Kind.DATASET) for i in ids),
    tuple(Edge(a, b) for a, b in zip(ids, ids[1:])),
)
store = Neo4jStore.connect(StoreSettings(backend=Backend.NEO4J, neo4j_uri=uri))
print("applying", flush=True)
try:
    store.apply(batch)
except Exception as exc:
    print("failed", type(exc).__name__, flush=True)
else:
    print("applied", flush=True)
"""


def _script(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    home = tmp_path / "neo4j"
    uri = _script("start", "--home", str(home))
    try:
        yield home, uri
    finally:
        subprocess.run([str(SCRIPT), "stop", "--home", str(home)], capture_output=True, check=False)


def _settings(uri: str) -> StoreSettings:
    return StoreSettings(backend=Backend.NEO4J, neo4j_uri=uri)


def _ids(prefix: str, count: int) -> frozenset[NodeId]:
    return frozenset(NodeId(f"dataset:{prefix}-{i:06d}") for i in range(count))


OLD, OTHER = _ids("old", 200), _ids("other", 10)


def _seed(uri: str) -> None:
    with Neo4jStore.connect(_settings(uri)) as store:
        store.ensure_schema()
        for origin, ids in (("bulk", OLD), ("other", OTHER)):
            store.apply(ImportBatch(origin, tuple(Node(i, Kind.DATASET) for i in sorted(ids))))


def _kill_server_while_applying(home: Path, uri: str, signal_number: int) -> str:
    """Start the child's apply, send the server ``signal_number`` while it writes, and
    return what the child said of its apply."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, uri, str(NEW_NODES)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline() == "applying\n"
        time.sleep(WRITING)
        pid = int((home / "neo4j-local.pid").read_text())
        os.kill(pid, signal_number)
        said, _ = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    _wait_gone(pid)
    return said


def _wait_gone(pid: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds  # a bound on waiting for the JVM to exit
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    raise AssertionError(f"the Neo4j server {pid} did not exit")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_a_server_dying_mid_import_keeps_the_old_batch_whole(
    server: tuple[Path, str], how: signal.Signals
) -> None:
    home, uri = server
    _seed(uri)
    said = _kill_server_while_applying(home, uri, how)
    assert said.startswith("failed"), f"the kill did not land inside the apply: {said!r}"
    port = uri.rsplit(":", 1)[1]
    assert _script("start", "--home", str(home), "--port", port) == uri
    with Neo4jStore.connect(_settings(uri)) as store:
        assert frozenset(node.id for node in store.list_nodes()) == OLD | OTHER
        assert {(o.name, o.nodes, o.edges) for o in store.origins()} == {
            ("bulk", len(OLD), 0),
            ("other", len(OTHER), 0),
        }
        assert store.snapshot().edges == ()
        fresh = _ids("fresh", 100)
        store.apply(ImportBatch("bulk", tuple(Node(i, Kind.DATASET) for i in sorted(fresh))))
        assert frozenset(node.id for node in store.list_nodes()) == fresh | OTHER
