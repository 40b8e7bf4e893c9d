"""Platform-scale benchmark: the embedded store on a hub graph of S, M or L size, every case as
a ratio to its floor measured in the same process on the same graph.

    BENCH_SIZE=S|M|L .venv/bin/python bench/scale.py [--size S] [--neo4j] [--json] [--out DIR]

Floors (numpy + scipy.sparse.csgraph, or plain sqlite3, on the same data):

    walk reach        CSR breadth-first search from the hub (csgraph.breadth_first_order)
    lineage default   the same search; the answer is 500 nodes with records and witness paths
    lineage all       the search plus json.dumps of the same ids, distances and paths
    loops             csgraph strongly connected components
    staleness, conflicts   the same SCC pass; and themselves on a graph of half the size
    index build       reading the node ids and the edge ends (node numbers) with plain sqlite3
    apply             a bare executemany of the same edge rows into an empty SQLite table
    re-apply          the first apply of the same batch (the ratio is again / first)
    1% changed        the first apply (0.5% of the edges dropped, as many new ones added),
                      and one pass over the batch (the unchanged re-apply) plus 1% of the
                      first apply: what the change itself costs
    neo4j reads       (--neo4j) the walk, lineage and loop cases on Neo4j, the same floors
    neo4j apply       (--neo4j) the same store sending each row alone, on a sample, per fact;
                      and a bare row-by-row MERGE of ids, per edge (the server's own figure)
    neo4j re-apply    (--neo4j) its first apply of the same batch

Each time is the best of a few runs (two for the first imports, one for the 1% change).
Results go to ``bench/results/<date>-<size>.json``; ``docs/benchmarks.md`` explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from run import Neo4jTarget, started_neo4j
from scipy.sparse import csgraph

from lineage import service
from lineage.analysis.conflicts import find_conflicts
from lineage.analysis.staleness import rollup
from lineage.bounds import DEFAULT_MAX_NODES
from lineage.bulk import pauses_collector
from lineage.cli_output import lineage_json
from lineage.config import Backend, StoreSettings
from lineage.errors import ChangeTooLarge
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
)
from lineage.store.base import GraphStore, Walk, chunks
from lineage.store.embedded import EmbeddedStore
from lineage.store.neo4j import CHUNK, Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"XS": 300, "S": 2_000, "M": 20_000, "L": 200_000}
"""Nodes per size; each node reads about five inputs, so edges are about five times that."""
INPUTS = 5
WINDOW = 200
"""A node's inputs come from the nodes just before it (teams wire within their area)..."""
FAR = 0.05
"""...and now and then from anywhere earlier."""
FEEDBACK = 0.001
"""Share of nodes that feed a node before them: the loops."""
DATA_FLOW = frozenset({EdgeType.FEEDS})
EVERY_HOP = 100_000
"""A hop bound no walk of these graphs reaches, and one both stores accept."""
_KINDS = (Kind.TOPIC, Kind.JOB, Kind.DATASET, Kind.FEATURE, Kind.MODEL)


@dataclass(frozen=True)
class Case:
    name: str
    seconds: float
    floor: str
    floor_seconds: float
    target: str

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds else float("inf")


def hub_graph(nodes: int, seed: int = 0) -> ImportBatch:
    """Node 0 is a source every other node is reachable from; the rest read from before."""
    rng = random.Random(seed)
    ids = [NodeId("source:hub")] + [
        NodeId(f"{_KINDS[i * len(_KINDS) // nodes].value}:n{i:07d}") for i in range(1, nodes)
    ]
    modes = (Mode.STREAMING, Mode.BATCH)
    batch_nodes = tuple(
        Node(node_id, Kind(node_id.split(":")[0]), mode=modes[i % 2])
        for i, node_id in enumerate(ids)
    )
    keys: set[tuple[int, int]] = set()
    for i in range(1, nodes):
        keys.add((rng.randrange(max(0, i - WINDOW), i), i))  # reachable from the hub
        for _ in range(INPUTS - 1):
            low = 0 if rng.random() < FAR else max(0, i - WINDOW)
            keys.add((rng.randrange(low, i), i))
        if rng.random() < FEEDBACK and i > WINDOW:
            keys.add((i, rng.randrange(i - WINDOW, i)))
    edges = tuple(Edge(ids[a], ids[b], mode=modes[(a + b) % 2]) for a, b in sorted(keys))
    return ImportBatch("bench:hub", batch_nodes, edges)


def one_percent_changed(
    batch: ImportBatch, seed: int = 1, *, clustered: bool = False
) -> ImportBatch:
    """The batch with 0.5% of its edges dropped and as many new ones (forward, so no new
    loop) added. Scattered over the graph by default, the worst case for finding what
    changed and for the store's pages (nearly every page of the edge rows holds a change);
    ``clustered``, all in one region: a run of the listing (the edges of consecutive
    sources) dropped and the new edges among the nodes of that run, as when one team
    rewires its jobs."""
    rng = random.Random(seed)
    count = len(batch.edges) // 200
    ids = [node.id for node in batch.nodes]
    among = range(len(ids))  # the nodes the new edges join
    if clustered:
        start = rng.randrange(len(batch.edges) - count)
        dropped = set(range(start, start + count))
        position = {node_id: i for i, node_id in enumerate(ids)}
        first, last = batch.edges[start].source, batch.edges[start + count - 1].source
        among = range(position[first], min(position[last] + WINDOW, len(ids)))
    else:
        dropped = set(rng.sample(range(len(batch.edges)), count))
    edges = [edge for i, edge in enumerate(batch.edges) if i not in dropped]
    known = {(edge.source, edge.target) for edge in batch.edges}
    added: set[tuple[NodeId, NodeId]] = set()
    while len(added) < count:
        a, b = sorted(rng.sample(among, 2))
        if (ids[a], ids[b]) not in known:
            added.add((ids[a], ids[b]))
    edges += [Edge(source, target) for source, target in sorted(added)]
    return ImportBatch(batch.origin, batch.nodes, tuple(edges))


def best(fn: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    result, times = None, []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


@dataclass(frozen=True)
class Floors:
    """What the hardware does for the read questions on this graph: a CSR breadth-first
    search from the hub, the same facts encoded as JSON, and the strongly connected
    components; each the best of a few runs, computed once for both stores."""

    reached: int
    bfs: float
    encode: float
    scc: float


def floors(batch: ImportBatch) -> Floors:
    number = {node.id: n for n, node in enumerate(sorted(batch.nodes, key=lambda n: n.id))}
    sources = np.array([number[e.source] for e in batch.edges])
    targets = np.array([number[e.target] for e in batch.edges])
    matrix = _matrix(sources, targets, len(number))
    hub = number[NodeId("source:hub")]
    bfs, (order, preds) = best(
        lambda: csgraph.breadth_first_order(matrix, hub, directed=True, return_predecessors=True)
    )
    encode, _ = best(lambda: _floor_json(order, preds, batch, number))
    scc, _ = best(lambda: csgraph.connected_components(matrix, directed=True, connection="strong"))
    return Floors(len(order) - 1, bfs, encode, scc)


def run(size: str, batch: ImportBatch, work: Path, floor: Floors) -> dict[str, Any]:
    cases: list[Case] = []

    floor_apply, _ = best(lambda: _bare_executemany(work / "floor.db", batch), repeats=2)
    first, store = _best_into_empty(_new_store_at(work / "lineage.db"), batch, repeats=2)
    again, _ = best(lambda: store.apply(batch), repeats=3)
    cases.append(Case("apply into an empty store", first, "bare executemany", floor_apply, "<= 3x"))
    cases.append(Case("re-apply, unchanged", again, "first apply", first, "<= 0.2x"))
    changed_batch = one_percent_changed(batch)  # made before the clock starts: no store work
    changed, written = _timed_change(store, work / "lineage.db", changed_batch)
    cases.append(Case("re-apply, 1% of edges changed", changed, "first apply", first, "~ 0.01x"))
    cases.append(
        Case("1% changed, against its floor", changed, "re-apply + 1% of apply",
             again + first / 100, "~ 1x")
    )  # fmt: skip
    store.apply(batch)
    clustered_batch = one_percent_changed(batch, clustered=True)
    clustered, clustered_written = _timed_change(store, work / "lineage.db", clustered_batch)
    cases.append(
        Case("1% changed in one region, against the floor", clustered,
             "re-apply + 1% of apply", again + first / 100, "report")
    )  # fmt: skip
    store.apply(batch)  # the graph the walks below measure

    floor_read, _ = best(lambda: _read_id_columns(work / "lineage.db"))
    build, _ = best(store.build_index)
    cases.append(Case("index build (snapshot)", build, "sqlite3 id columns", floor_read, "<= 10x"))
    store.adjacency()
    read_cases, default, answer = _read_cases(store, floor, prefix="")
    cases.extend(read_cases)
    cases.extend(_freshness_cases(store.snapshot().edges, batch, floor.scc))
    store.close()
    cases.extend(_cli_cases(work / "lineage.db", in_process=default))
    serve_peak = _serve_peak_rss_mb(work / "lineage.db")
    return {
        "size": size,
        "nodes": len(batch.nodes),
        "edges": len(batch.edges),
        "reached": floor.reached,
        "file_bytes_per_edge": (work / "lineage.db").stat().st_size / len(batch.edges),
        "log_bytes_of_1pct_change": {"scattered": written, "clustered": clustered_written},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "serve_peak_rss_mb": serve_peak,
        "cases": [{**asdict(case), "ratio": case.ratio} for case in cases],
        "answer_bytes": len(answer),
    }


def _read_cases(store: GraphStore, floor: Floors, *, prefix: str) -> tuple[list[Case], float, str]:
    """The walk, lineage and loop cases on one store; also the default-bounds time (the CLI
    cases' floor) and the every-node answer as JSON."""
    walk = Walk(NodeId("source:hub"), Direction.DOWNSTREAM, DATA_FLOW, EVERY_HOP, 10**7)
    reach, reached = best(lambda: store.reachable(walk))
    assert len(reached.distances) == floor.reached, "the walk and the floor disagree"
    default, _ = best(lambda: _lineage(store, DEFAULT_MAX_NODES))
    everything, answer = best(lambda: json.dumps(lineage_json(_lineage(store, 10**7))), repeats=1)
    loops, _ = best(lambda: service.find_feedback_loops(store))
    cases = [
        Case(f"{prefix}walk: reachable set + distances", reach, "CSR BFS", floor.bfs, "<= 3x"),
        Case(f"{prefix}lineage, default bounds", default, "CSR BFS", floor.bfs, "<= 10x"),
        Case(f"{prefix}lineage, every node, JSON", everything, "CSR BFS + JSON",
             floor.bfs + floor.encode, "<= 10x"),
        Case(f"{prefix}loops", loops, "CSR SCC", floor.scc, "<= 5x"),
    ]  # fmt: skip
    return cases, default, answer


def _freshness_cases(edges: tuple[Edge, ...], batch: ImportBatch, scc: float) -> list[Case]:
    """The staleness roll-up and the conflicts over the whole graph, from a snapshot, against
    the SCC pass and against themselves on the graph of half the size (linear: about 2x)."""
    half = hub_graph(len(batch.nodes) // 2)
    cases = []
    for name, judge in (("staleness roll-up", _rolled_up), ("freshness conflicts", _conflicts)):
        nodes, half_nodes = _observed(batch.nodes), _observed(half.nodes)
        whole, _ = best(lambda judge=judge, nodes=nodes: judge(nodes, edges))
        halved, _ = best(lambda judge=judge, nodes=half_nodes: judge(nodes, half.edges))
        cases.append(Case(f"{name}, whole graph", whole, "CSR SCC", scc, "report"))
        cases.append(Case(f"{name}, doubled graph", whole, "half the graph", halved, "~ 2x"))
    return cases


FRESHNESS = (Freshness("hourly", 3600.0), Freshness("daily", 86400.0), None)
AT = datetime(2026, 12, 2, 12, tzinfo=UTC)


def _observed(nodes: tuple[Node, ...]) -> list[Node]:
    """The nodes with bounds and observations, a tenth of them stale."""
    rng = random.Random(2)
    return [
        replace(
            node,
            freshness=FRESHNESS[i % 3],
            last_updated=AT - timedelta(hours=30 if rng.random() < 0.1 else 0.5),
        )
        for i, node in enumerate(nodes)
    ]


@pauses_collector  # as the service runs them
def _rolled_up(nodes: list[Node], edges: tuple[Edge, ...]) -> Any:
    return rollup(nodes, edges, AT)


@pauses_collector
def _conflicts(nodes: list[Node], edges: tuple[Edge, ...]) -> Any:
    return find_conflicts(nodes, edges, defaults={})


def _cli_cases(db: Path, *, in_process: float) -> list[Case]:
    """Whole ``lineage`` processes, each a fresh start, against the start-up of one that
    answers nothing (``lineage --version``): the floor a command line cannot go below."""
    startup, _ = best(lambda: _lineage_process(db, "--version"))
    default, _ = best(lambda: _lineage_process(db, "downstream", "source:hub", "--json"))
    every, _ = best(
        lambda: _lineage_process(
            db, "downstream", "source:hub", "--depth", "1000", "--max-nodes", "10000000", "--json"
        ),
        repeats=1,
    )
    loops, _ = best(lambda: _lineage_process(db, "loops", "--json"), repeats=1)
    return [
        Case(
            "CLI downstream, default bounds",
            default,
            "start-up + in-process",
            startup + in_process,
            "<= 2x",
        ),
        Case("CLI downstream, every node", every, "CLI start-up", startup, "<= 3x at M"),
        Case("CLI loops", loops, "CLI start-up", startup, "<= 3x at M"),
    ]


SERVE_QUERIES = (
    '{ lineage(id: "source:hub", direction: DOWNSTREAM) { nodes { node { id name } distance } } }',
    '{ lineage(id: "source:hub", direction: DOWNSTREAM, maxHops: 100, limit: 5000)'
    " { nodes { node { id } distance path { nodes { id } } } edges { source { id } } } }",
    '{ lineage(id: "source:hub", direction: UPSTREAM, maxHops: 100) { nodes { node { id } } } }',
    "{ feedbackLoops { kind nodes { id } cycles { nodes { id } } } }",
)
"""What the server answers while its memory is watched: walks both ways, paths, loops."""


def _serve_peak_rss_mb(db: Path) -> float:
    """Peak resident memory of a ``lineage serve`` process on the store after it answered
    each of ``SERVE_QUERIES`` three times (``VmHWM``: the high-water mark, so a spike in the
    middle of an answer counts)."""
    command = [str(Path(sys.executable).parent / "lineage"), "--db", str(db), "serve"]
    port = _free_port()
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port)
        for query in SERVE_QUERIES * 3:
            _graphql(port, query)
        return _status_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _graphql(port: int, query: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        json.dumps({"query": query}).encode(),
        {"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    assert not answer.get("errors"), answer["errors"]


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


ROW_SAMPLE = 2_000
"""Edges the row-by-row baselines write: a statement per row would take hours at L."""
WARM_UP_EDGES = 10_000
"""The server is warmed by applies of this many edges first (the whole graph at S)."""
WARM_UPS = 4
"""Applies of the warm-up sample before anything is timed: a new JVM's imports keep getting
faster for about five applies (6.9 s, 3.1 s, 2.5 s, 2.4 s, 2.1 s at S on 2026-12-04)."""
NEO4J_REPEATS = 2
"""The batched apply and its row-by-row baseline are each the best of this many applies
into an emptied store, as the embedded store's apply and its floor are."""
NEO4J_HEAP = {"XS": "1g", "S": "1g", "M": "4g", "L": "16g"}
"""The throwaway server's heap per size: an apply is one transaction, held in the heap until
it commits (M needs more than 1 GB gives)."""
BARE_ROW = (
    "MERGE (a:BenchRow {id: $source}) MERGE (b:BenchRow {id: $target}) MERGE (a)-[:FEEDS]->(b)"
)


NEO4J_READS = "report (Cypher BFS)"
"""The ratio targets of the walks are the embedded store's: Neo4j's walk stays the pruned
breadth-first search in Cypher, a round trip and a query plan per walk; it is measured
against the same floors so the two stores can be compared."""


def neo4j_cases(
    batch: ImportBatch, settings: StoreSettings, floor: Floors, *, shared: bool
) -> list[Case]:
    """The Neo4j store's batched ``UNWIND`` apply of the whole graph, on a server warmed by
    applies of a sample, against the same store sending each row as a statement of its own
    (``rows_per_statement=1``, one transaction) for a sample of the graph, both as seconds
    per fact written (node or edge) and each the best of two; then the read cases on the
    graph it holds, against the same floors as the embedded store's. Two more cases give the
    server's own figures: a bare row-by-row ``MERGE`` of ids alone, and bare batched
    ``UNWIND`` of the same graph."""
    target = Neo4jTarget(settings, shared=shared)
    sample = _sample(batch, ROW_SAMPLE)
    try:
        warm_up = _sample(batch, WARM_UP_EDGES)
        for _ in range(WARM_UPS):  # a new JVM imports slower at first
            target.fresh().apply(warm_up)
        with Neo4jStore.connect(settings, rows_per_statement=1) as row_by_row:
            row_by_row.apply(_sample(batch, ROW_SAMPLE // 10))  # the per-statement path too

            def emptied_row_by_row() -> Neo4jStore:
                row_by_row.wipe()
                return row_by_row

            one_by_one, _ = _best_into_empty(emptied_row_by_row, sample, NEO4J_REPEATS)
        applied, store = _best_into_empty(target.fresh, batch, NEO4J_REPEATS)
        again, _ = best(lambda: store.apply(batch), repeats=3)
        read_cases, _, _ = _read_cases(store, floor, prefix="neo4j ")
        read_cases = [replace(case, target=NEO4J_READS) for case in read_cases]
        bare_rows, _ = best(lambda: _bare_row_by_row(store, sample.edges), repeats=1)
        bare, _ = best(lambda: _bare_unwind(store, batch), repeats=1)
    finally:
        target.close()
    per_fact = applied / _facts(batch)
    one_by_one_per_fact = one_by_one / _facts(sample)
    bare_per_edge = bare_rows / len(sample.edges)

    def per_edge_against_bare(name: str, seconds: float, target: str) -> Case:
        return Case(
            name, seconds / len(batch.edges), "bare row-by-row MERGE", bare_per_edge, target
        )

    return [
        *read_cases,
        Case(
            "neo4j apply, seconds per fact",
            per_fact,
            "the store row by row",
            one_by_one_per_fact,
            "<= 0.05x (20x the rate)",
        ),
        Case("neo4j re-apply, unchanged", again, "neo4j first apply", applied, "<= 0.2x"),
        per_edge_against_bare("neo4j apply, seconds per edge", applied, "report"),
        per_edge_against_bare("bare UNWIND MERGE, seconds per edge", bare, "the server's best"),
    ]


def _sample(batch: ImportBatch, edges: int) -> ImportBatch:
    """The first ``edges`` edges of the batch with the nodes they join: a batch of its own."""
    kept = batch.edges[:edges]
    ends = {end for edge in kept for end in (edge.source, edge.target)}
    nodes = tuple(node for node in batch.nodes if node.id in ends)
    return ImportBatch(origin=batch.origin, nodes=nodes, edges=kept)


def _facts(batch: ImportBatch) -> int:
    return len(batch.nodes) + len(batch.edges)


BARE_NODES = "UNWIND $rows AS row CREATE (:BenchRow {id: row})"
BARE_EDGES = (
    "UNWIND $rows AS row MATCH (a:BenchRow {id: row.source}) MATCH (b:BenchRow {id: row.target})"
    " MERGE (a)-[r:FEEDS]->(b) SET r.mode = row.mode, r.origins = [$origin]"
)


def _bare_unwind(store: Neo4jStore, batch: ImportBatch) -> None:
    """What the server can do for the same graph at best: its nodes and edges (with two
    properties) written by batched ``UNWIND`` in one transaction, 1,000 rows a statement,
    with no assertion kept and nothing merged: the floor of any batched apply."""
    node_rows = [node.id for node in batch.nodes]
    edge_rows = [
        {"source": e.source, "target": e.target, "mode": e.mode.value} for e in batch.edges
    ]

    def write(tx: Any) -> None:
        for chunk in chunks(node_rows, CHUNK):
            tx.run(BARE_NODES, rows=chunk).consume()
        for chunk in chunks(edge_rows, CHUNK):
            tx.run(BARE_EDGES, rows=chunk, origin=batch.origin).consume()

    with store._driver.session() as session:  # the floor is no store operation
        session.run("CREATE INDEX bench_row IF NOT EXISTS FOR (n:BenchRow) ON (n.id)").consume()
        session.execute_write(write)
        session.run("MATCH (n:BenchRow) DETACH DELETE n").consume()


def _bare_row_by_row(store: Neo4jStore, edges: tuple[Edge, ...]) -> None:
    """A ``MERGE`` of each edge and its ends, ids alone, a statement per edge."""

    def each(tx: Any) -> None:
        for edge in edges:
            tx.run(BARE_ROW, source=edge.source, target=edge.target).consume()

    with store._driver.session() as session:  # the baseline is no store operation
        session.run("CREATE INDEX bench_row IF NOT EXISTS FOR (n:BenchRow) ON (n.id)").consume()
        session.execute_write(each)
        session.run("MATCH (n:BenchRow) DETACH DELETE n").consume()


def _lineage_process(db: Path, *args: str) -> None:
    command = [str(Path(sys.executable).parent / "lineage"), "--db", str(db), *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=3600)


def _matrix(sources: np.ndarray, targets: np.ndarray, count: int) -> Any:
    from scipy import sparse

    data = np.ones(len(sources), dtype=np.int8)
    return sparse.csr_array((data, (sources, targets)), shape=(count, count))


def _lineage(store: GraphStore, max_nodes: int) -> service.Lineage:
    return service.lineage(
        store, "source:hub", direction=Direction.DOWNSTREAM, max_hops=EVERY_HOP, max_nodes=max_nodes
    )


def _floor_json(order: np.ndarray, preds: np.ndarray, batch: ImportBatch, number: dict) -> str:
    """The same facts as the answer (ids, distances, paths), from the floor's arrays."""
    ids = sorted(number, key=number.__getitem__)
    depth = np.zeros(len(ids), dtype=np.int64)
    for n in order[1:].tolist():
        depth[n] = depth[preds[n]] + 1
    paths = []
    for n in order[1:].tolist():
        path = [n]
        while preds[path[-1]] >= 0:
            path.append(int(preds[path[-1]]))
        paths.append(
            {"id": ids[n], "distance": int(depth[n]), "path": [ids[p] for p in path[::-1]]}
        )
    return json.dumps({"nodes": paths})


Store = TypeVar("Store", bound=GraphStore)


def _timed_change(store: EmbeddedStore, db: Path, changed: ImportBatch) -> tuple[float, int]:
    """The time of one apply of ``changed``, and the bytes it wrote to the write-ahead log:
    the pages it changed, each written whole (the log is emptied first, not timed)."""
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the bench's own measurement
    seconds, _ = best(lambda: store.apply(changed), repeats=1)
    return seconds, Path(f"{db}-wal").stat().st_size


def _best_into_empty(
    empty: Callable[[], Store], batch: ImportBatch, repeats: int
) -> tuple[float, Store]:
    """The best time of ``repeats`` applies of ``batch``, each into the store ``empty()``
    gives (the emptying is not timed); the last store, holding the batch."""
    times, store = [], None
    for _ in range(repeats):
        store = empty()
        started = time.perf_counter()
        store.apply(batch)
        times.append(time.perf_counter() - started)
    assert store is not None
    return min(times), store


def _new_store_at(path: Path) -> Callable[[], EmbeddedStore]:
    """What opens a new, empty store at ``path`` each call, closing the one before."""
    made: list[EmbeddedStore] = []

    def new() -> EmbeddedStore:
        if made:
            made.pop().close()
        _remove_database(path)
        made.append(EmbeddedStore(path))
        return made[-1]

    return new


def _remove_database(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)


def _bare_executemany(path: Path, batch: ImportBatch) -> None:
    _remove_database(path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE edge (source TEXT, type TEXT, target TEXT, origin TEXT)")
    rows = [(e.source, e.type.value, e.target, batch.origin) for e in batch.edges]
    with db:
        db.executemany("INSERT INTO edge VALUES (?, ?, ?, ?)", rows)
    db.close()


def _read_id_columns(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        nodes = db.execute("SELECT id FROM node").fetchall()
        edges = db.execute("SELECT source, target FROM edge_assertion").fetchall()
        return len(nodes) + len(edges)
    finally:
        db.close()


def results_file(folder: Path, name: str) -> Path:
    """``folder/<name>.json``, or ``<name>-2.json``, ``-3``... when a run of that name is there
    already: a second run of the same day and size keeps the first."""
    folder.mkdir(parents=True, exist_ok=True)
    path, count = folder / f"{name}.json", 1
    while path.exists():
        count += 1
        path = folder / f"{name}-{count}.json"
    return path


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("BENCH_SIZE", "S"))
    parser.add_argument("--json", action="store_true", help="Print one JSON document.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--neo4j",
        action="store_true",
        help="Also measure the Neo4j store's apply: on NEO4J_URI (which must hold only "
        "benchmark data), or on a throwaway server started for the run.",
    )
    args = parser.parse_args(argv)
    batch = hub_graph(SIZES[args.size])  # made once: at L it takes as long as some cases
    floor = floors(batch)
    with tempfile.TemporaryDirectory(prefix="lineage-bench-") as work, ExitStack() as stack:
        result = {"machine": machine(), **run(args.size, batch, Path(work), floor)}
        if args.neo4j:
            shared = bool(os.environ.get("NEO4J_URI"))
            settings = StoreSettings.from_env(backend=Backend.NEO4J.value)
            if not shared:
                uri = stack.enter_context(started_neo4j(quiet=True, heap=NEO4J_HEAP[args.size]))
                settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=uri)
            try:
                cases = neo4j_cases(batch, settings, floor, shared=shared)
            except ChangeTooLarge as exc:  # a server of the user's, with too small a heap
                print(f"neo4j cases not measured: {exc}", file=sys.stderr)
                cases = []
            result["cases"] += [{**asdict(case), "ratio": case.ratio} for case in cases]
    result["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    results_file(args.out, f"{result['date'][:10]}-{args.size}").write_text(
        json.dumps(result, indent=2)
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print(result)
    return 0


def _print(result: dict[str, Any]) -> None:
    print(f"size {result['size']}: {result['nodes']:,} nodes, {result['edges']:,} edges, "
          f"the hub reaches {result['reached']:,}")  # fmt: skip
    print(f"{'case':34} {'seconds':>9} {'floor':>20} {'floor s':>9} {'ratio':>8}  target")
    for case in result["cases"]:
        ratio = f"{case['ratio']:7.1f}" if case["ratio"] >= 1 else f"{case['ratio']:7.2f}"
        print(f"{case['name']:34} {case['seconds']:9.3g} {case['floor']:>20} "
              f"{case['floor_seconds']:9.4f} {ratio}x  {case['target']}")  # fmt: skip
    per_edge, peak = result["file_bytes_per_edge"], result["peak_rss_mb"]
    serve = result["serve_peak_rss_mb"]
    print(f"file {per_edge:.0f} bytes/edge, peak RSS {peak:.0f} MB (lineage serve: {serve:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
