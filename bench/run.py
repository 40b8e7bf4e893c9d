"""Benchmarks: each store's import, lineage walks and loop analysis, as ratios to networkx.

    .venv/bin/python bench/run.py [--quick] [--scale S] [--repeats N] [--neo4j] [--json]

For every synthetic graph (``synthetic.py``) each operation runs on the embedded store, on
Neo4j when ``NEO4J_URI`` is set or ``--neo4j`` starts one (``scripts/neo4j-local``, stopped
after), and as plain networkx on an in-memory ``DiGraph`` of the same graph: the baseline,
measured in the same run. A time is the median of N repeats after a warm-up; a ratio is a
store's median over the baseline's. Every answer is checked against the baseline's (not timed).

Exit codes: 0 ok, 1 a store's answer differs from networkx's, 2 bad usage, 3 Neo4j unavailable.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import networkx as nx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from synthetic import Bench, diamonds, layered, with_feedback

from lineage.analysis.loops import feedback_loops
from lineage.analysis.traverse import DATA_FLOW, lineage
from lineage.bounds import DEFAULT_MAX_CYCLES
from lineage.config import Backend, StoreSettings
from lineage.errors import LineageError, StoreUnavailable
from lineage.model import Direction, Kind, NodeId
from lineage.store.base import GraphStore, Walk
from lineage.store.embedded import EmbeddedStore
from lineage.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
DIAMONDS = 30
MIN_SAMPLE_S = 0.005
"""Calls faster than this are repeated within one sample, and the sample divided (timeit)."""
BUDGET_S = 20.0
"""Seconds after which a measurement takes no more samples (2 with ``--quick``), so that a
pathological case costs two calls (warm-up and one sample), not ``repeats + 1``."""
QUICK_BUDGET_S = 2.0
WARMUP_ONLY = 3
"""A warm-up longer than this many budgets is reported as the measurement (``runs`` 0): next
to such a time, a cold start's cost is noise."""
TIMES = "\N{MULTIPLICATION SIGN}"
"""What ratios print with on a terminal; plain output prints ``x``."""
TEXT_COLUMNS = frozenset({0, 1, 3})
"""Table columns aligned left: graph, operation, what networkx does (the baseline)."""
LOOPBACK = frozenset({"127.0.0.1", "localhost"})

T = TypeVar("T")
Answer = dict[NodeId, int] | frozenset[frozenset[str]] | tuple[int, int]


@dataclass(frozen=True)
class Op:
    name: str
    baseline: str
    """What networkx does for this operation."""
    kind: Literal["import", "walk", "reach", "loops"]
    direction: Direction = Direction.DOWNSTREAM
    max_hops: int = 10
    kinds: frozenset[Kind] | None = None


OPS = (
    Op("import", "DiGraph build", "import"),
    Op("downstream h10", "BFS", "walk", Direction.DOWNSTREAM, 10),
    Op("downstream h50", "BFS", "walk", Direction.DOWNSTREAM, 50),
    Op("upstream h10", "BFS reversed", "walk", Direction.UPSTREAM, 10),
    Op("kind=model h50", "BFS + filter", "walk", Direction.DOWNSTREAM, 50, frozenset({Kind.MODEL})),
    Op("reach h50", "BFS", "reach", Direction.DOWNSTREAM, 50),
    Op("loops", "SCC + cycles", "loops"),
)
"""``kind=model``: downstream, reporting only models. ``reach``: the store's walk alone
(``GraphStore.reachable``), without the nodes, edges and witness paths ``lineage`` adds."""


@dataclass(frozen=True)
class Result:
    graph: str
    op: str
    store: str
    """``embedded``, ``neo4j`` or ``networkx`` (the baseline)."""
    median_ms: float
    runs: int
    """Timed samples behind the median (see ``Timing``)."""
    reached: int
    """Nodes in the answer (walks), nodes imported (import), loops found (loops)."""
    agrees: bool
    """The answer equals the baseline's (always true for the baseline itself)."""


class Failed(LineageError):
    """A store failed during one measurement; says which, keeps the store error's exit code."""

    def __init__(self, where: str, error: LineageError) -> None:
        self.exit_code = error.exit_code
        super().__init__(f"{where}: {error}")


# -- stores -----------------------------------------------------------------------------------


class Target:
    """Hands out empty stores of one backend."""

    name: str

    def fresh(self) -> GraphStore:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class EmbeddedTarget(Target):
    name = "embedded"

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="lineage-bench-")
        self._count = 0
        self._store: EmbeddedStore | None = None

    def fresh(self) -> GraphStore:
        if self._store is not None:
            self._store.close()
        self._count += 1
        self._store = EmbeddedStore(Path(self._dir.name) / f"bench-{self._count}.db")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self._dir.cleanup()


class Neo4jTarget(Target):
    """One Neo4j server, wiped before every import. A ``shared`` server is one the user gave
    (``NEO4J_URI``): it must hold nothing but benchmark data, and is wiped again at the end."""

    name = "neo4j"

    def __init__(self, settings: StoreSettings, *, shared: bool) -> None:
        self._shared = shared
        host = urlsplit(settings.neo4j_uri).hostname or ""
        if host not in LOOPBACK:
            raise LineageError(f"benchmarks only talk to 127.0.0.1; NEO4J_URI host is {host!r}")
        self._store = Neo4jStore.connect(settings)
        foreign = [o.name for o in self._store.origins() if not o.name.startswith("bench:")]
        if shared and foreign:
            self._store.close()
            raise LineageError(
                f"the Neo4j at {settings.neo4j_uri} holds other data (origins {foreign[:3]}) "
                "and the benchmark wipes it; use --neo4j without NEO4J_URI for a throwaway server"
            )
        self._store.ensure_schema()  # creating indexes is no part of any import's time

    def fresh(self) -> GraphStore:
        self._store.wipe()
        return self._store

    def close(self) -> None:
        try:
            if self._shared:
                self._store.wipe()
        finally:
            self._store.close()


@contextmanager
def started_neo4j(*, quiet: bool, heap: str | None = None) -> Iterator[str]:
    """A throwaway Neo4j from ``scripts/neo4j-local``, in a temporary home, with a JVM heap
    of ``heap`` (the script's default when ``None``); yields its URI."""
    script = str(ROOT / "scripts" / "neo4j-local")
    home = tempfile.mkdtemp(prefix="lineage-bench-neo4j.")
    env = {**os.environ, "NEO4J_HEAP": heap} if heap else None
    try:
        started = subprocess.run(
            [script, "start", "--home", home],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if quiet else None,
            text=True,
            check=False,
            env=env,
        )
        if started.returncode != 0:
            raise StoreUnavailable(f"scripts/neo4j-local could not start Neo4j\n{started.stderr}")
        yield started.stdout.strip().splitlines()[-1]
    except LineageError:
        _print_server_errors(Path(home) / "logs" / "debug.log")
        raise
    finally:
        subprocess.run([script, "stop", "--home", home], capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)


def _print_server_errors(log: Path, last: int = 5) -> None:
    """The last ERROR lines of a server's debug log, before its home is deleted."""
    if log.is_file():
        errors = [
            line for line in log.read_text(errors="replace").splitlines() if " ERROR " in line
        ]
        for line in errors[-last:]:
            print(f"neo4j: {line}", file=sys.stderr)


# -- measuring --------------------------------------------------------------------------------


@contextmanager
def no_gc() -> Iterator[None]:
    """Collect, then keep the cyclic garbage collector out of the timings (as ``timeit``)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class Timing:
    seconds: float
    """Median seconds per call."""
    runs: int
    """Timed samples behind the median: fewer than asked when the time budget ran out, 0 when
    the warm-up is the measurement."""


def measure(
    work: Callable[[], T],
    repeats: int,
    *,
    budget: float = BUDGET_S,
    setup: Callable[[], object] | None = None,
) -> tuple[Timing, T]:
    """Median of ``repeats`` samples of ``work`` after a warm-up call, ``setup`` (not timed)
    before each call; returns the timing and the warm-up's answer. Calls faster than
    ``MIN_SAMPLE_S`` are repeated within a sample; after the first sample, none starts once
    ``budget`` seconds (warm-up included) are spent; see also ``WARMUP_ONLY``."""
    with no_gc():
        if setup is not None:
            setup()
        start = time.perf_counter()
        answer = work()
        warm = time.perf_counter() - start
        if warm > WARMUP_ONLY * budget:  # a second call would only confirm a pathology
            return Timing(warm, 0), answer
        fast = setup is None and 0 < warm < MIN_SAMPLE_S
        number = math.ceil(MIN_SAMPLE_S / warm) if fast else 1
        samples: list[float] = []
        while not samples or (len(samples) < repeats and warm + number * sum(samples) < budget):
            if setup is not None:
                setup()
            start = time.perf_counter()
            for _ in range(number):
                work()
            samples.append((time.perf_counter() - start) / number)
    return Timing(statistics.median(samples), len(samples)), answer


def measure_import(
    target: Target, bench: Bench, repeats: int, budget: float
) -> tuple[Timing, GraphStore]:
    """``apply`` of the whole batch into an empty store; returns the last store, filled."""
    stores: list[GraphStore] = []
    timing, _ = measure(
        lambda: stores[-1].apply(bench.batch),
        repeats,
        budget=budget,
        setup=lambda: stores.append(target.fresh()),
    )
    return timing, stores[-1]


def plain_digraph(bench: Bench) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(node.id for node in bench.batch.nodes)
    graph.add_edges_from((edge.source, edge.target) for edge in bench.batch.edges)
    return graph


def baseline_work(op: Op, bench: Bench, graph: nx.DiGraph) -> Callable[[], Answer]:
    """The networkx computation ``op`` is compared with."""
    if op.kind == "import":

        def build() -> Answer:
            built = nx.DiGraph()
            built.add_nodes_from((node.id, {"node": node}) for node in bench.batch.nodes)
            built.add_edges_from((e.source, e.target, {"edge": e}) for e in bench.batch.edges)
            return built.number_of_nodes(), built.number_of_edges()

        return build
    if op.kind == "loops":

        def loops() -> Answer:
            found = []
            for component in nx.strongly_connected_components(graph):
                first = next(iter(component))
                if len(component) > 1 or graph.has_edge(first, first):
                    cycles = nx.simple_cycles(graph.subgraph(component))
                    list(islice(cycles, DEFAULT_MAX_CYCLES + 1))
                    found.append(frozenset(component))
            return frozenset(found)

        return loops
    walked = graph if op.direction is Direction.DOWNSTREAM else graph.reverse(copy=False)
    root = bench.source if op.direction is Direction.DOWNSTREAM else bench.model
    kind_of = {node.id: node.kind for node in bench.batch.nodes}

    def bfs() -> Answer:
        found = nx.single_source_shortest_path_length(walked, root, cutoff=op.max_hops)
        return {
            node_id: hops
            for node_id, hops in found.items()
            if node_id != root and (op.kinds is None or kind_of[node_id] in op.kinds)
        }

    return bfs


def store_work(op: Op, bench: Bench, store: GraphStore) -> Callable[[], Answer]:
    """What a user of ``store`` runs for ``op`` (imports are measured by ``measure_import``)."""
    if op.kind == "loops":
        return lambda: frozenset(frozenset(loop.nodes) for loop in feedback_loops(store.snapshot()))
    root = bench.source if op.direction is Direction.DOWNSTREAM else bench.model
    everything = len(bench.batch.nodes)  # no node bound: the same work as the BFS
    if op.kind == "reach":  # the store's walk alone, without nodes, edges and paths

        def reach() -> Answer:
            found = store.reachable(
                Walk(
                    root,
                    direction=op.direction,
                    types=DATA_FLOW,
                    max_hops=op.max_hops,
                    limit=everything,
                )
            )
            return dict(found.distances)

        return reach

    def walk() -> Answer:
        found = lineage(
            store,
            root,
            direction=op.direction,
            max_hops=op.max_hops,
            max_nodes=everything,
            kinds=op.kinds,
        )
        return {reached.node.id: reached.distance for reached in found.nodes}

    return walk


def size_of(answer: Answer) -> int:
    return answer[0] if isinstance(answer, tuple) else len(answer)


def run(
    benches: list[Bench], targets: list[Target], *, repeats: int, budget: float, progress: Progress
) -> list[Result]:
    """Every operation on every graph: networkx first, then each store on a fresh import."""
    results = []
    task = progress.add_task("measuring", total=len(benches) * len(OPS) * (1 + len(targets)))

    def step(
        bench: Bench, op: Op, store: str, timing: Timing, answer: Answer, agrees: bool
    ) -> None:
        ms = timing.seconds * 1e3
        results.append(Result(bench.name, op.name, store, ms, timing.runs, size_of(answer), agrees))
        progress.advance(task)

    for bench in benches:
        graph = plain_digraph(bench)
        expected: dict[str, Answer] = {}
        for op in OPS:
            progress.update(task, description=f"{bench.name}: networkx {op.name}")
            timing, expected[op.name] = measure(
                baseline_work(op, bench, graph), repeats, budget=budget
            )
            step(bench, op, "networkx", timing, expected[op.name], True)
        for target in targets:
            where = f"{bench.name}: {target.name} import"
            try:
                progress.update(task, description=where)
                timing, store = measure_import(target, bench, repeats, budget)
                imported = (store.count_nodes(), len(store.snapshot().edges))
                step(bench, OPS[0], target.name, timing, imported, imported == expected["import"])
                for op in OPS[1:]:
                    where = f"{bench.name}: {target.name} {op.name}"
                    progress.update(task, description=where)
                    timing, answer = measure(store_work(op, bench, store), repeats, budget=budget)
                    step(bench, op, target.name, timing, answer, answer == expected[op.name])
            except LineageError as exc:
                raise Failed(where, exc) from exc
    return results


# -- reporting --------------------------------------------------------------------------------


def report(results: list[Result], benches: list[Bench], settings: dict[str, Any]) -> dict[str, Any]:
    """The one JSON document ``--json`` prints: settings, graphs, results with their ratios."""
    base = {(r.graph, r.op): r.median_ms for r in results if r.store == "networkx"}
    rows = []
    for r in results:
        row: dict[str, Any] = asdict(r)
        row["baseline"] = next(op.baseline for op in OPS if op.name == r.op)
        row["baseline_ms"] = base[r.graph, r.op]
        row["ratio"] = r.median_ms / base[r.graph, r.op]
        if r.op == "import":
            row["nodes_per_s"] = r.reached / (r.median_ms / 1e3)
        rows.append(row)
    return {
        "settings": settings,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "graphs": {
            b.name: {
                "nodes": len(b.batch.nodes),
                "edges": len(b.batch.edges),
                "source": b.source,
                "model": b.model,
            }
            for b in benches
        },
        "results": rows,
    }


def table_rows(document: dict[str, Any], stores: list[str]) -> tuple[list[str], list[list[str]]]:
    header = ["graph", "operation", "nodes", "networkx", "nx ms"]
    for store in stores:
        header += [f"{store} ms", f"{TIMES} nx"]
    by_key = {(r["graph"], r["op"], r["store"]): r for r in document["results"]}
    lines = []
    for graph in document["graphs"]:
        for op in OPS:
            base = by_key[graph, op.name, "networkx"]
            line = [graph, op.name, f"{base['reached']:,}", op.baseline, _ms(base["median_ms"])]
            for store in stores:
                r = by_key[graph, op.name, store]
                flag = "" if r["agrees"] else " (differs!)"
                line += [_ms(r["median_ms"]), f"{_ratio(r['ratio'])}{flag}"]
            lines.append(line)
    return header, lines


def notes(document: dict[str, Any], stores: list[str]) -> list[str]:
    rates = [
        f"{r['graph']} {r['store']} {r['nodes_per_s']:,.0f}"
        for r in document["results"]
        if r["op"] == "import" and r["store"] in stores
    ]
    s = document["settings"]
    short = [
        f"{r['graph']} {r['op']} {r['store']} ({r['runs']})"
        for r in document["results"]
        if r["runs"] < s["repeats"]
    ]
    return [
        f"median of {s['repeats']} run(s) after a warm-up; scale {s['scale']}; "
        f"{document['machine']['cpus']} CPUs",
        f"{TIMES} nx = store median / networkx (baseline) median, same graph, same run",
        "import, nodes/s: " + ", ".join(rates),
        *(["fewer runs (time budget; 0 = the warm-up): " + ", ".join(short)] if short else []),
    ]


def print_table(document: dict[str, Any], stores: list[str], console: Console) -> None:
    header, lines = table_rows(document, stores)
    if console.is_terminal:
        table = Table(*header, title="lineage benchmarks")
        for i, column in enumerate(table.columns):
            column.justify = "left" if i in TEXT_COLUMNS else "right"
        for line in lines:
            table.add_row(*line)
        console.print(table)
        for note in notes(document, stores):
            console.print(note, style="dim")
        return
    header = [h.replace(TIMES, "x") for h in header]
    lines = [[cell.replace(TIMES, "x") for cell in line] for line in lines]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *lines]:
        cells = [
            c.ljust(w) if i in TEXT_COLUMNS else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    print()
    for note in notes(document, stores):
        print(note.replace(TIMES, "x"))


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float) -> str:
    return f"{value:.1f}{TIMES}" if value < 100 else f"{value:,.0f}{TIMES}"


# -- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, help="size of the layered graphs (1 = ~5k nodes)")
    parser.add_argument("--repeats", type=int, help="timed runs per measurement (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic graphs")
    parser.add_argument(
        "--quick", action="store_true", help="a small run (scale 0.2, 3 repeats, 2 s budget)"
    )
    parser.add_argument(
        "--neo4j",
        action="store_true",
        help="also measure Neo4j; starts one unless NEO4J_URI is set",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = 0.2 if args.quick else 1.0
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.scale <= 0 or args.repeats < 1:
        parser.error("--scale must be positive and --repeats at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    quiet = args.json or not console.is_terminal
    dag = layered(args.scale, args.seed)
    benches = [dag, diamonds(DIAMONDS), with_feedback(dag, args.seed)]
    neo4j = "NEO4J_URI" if os.environ.get("NEO4J_URI") else "started" if args.neo4j else None
    try:
        with ExitStack() as stack:
            targets: list[Target] = [EmbeddedTarget()]
            stack.callback(targets[0].close)
            if neo4j is not None:
                settings = StoreSettings.from_env(backend=Backend.NEO4J.value)
                if neo4j == "started":
                    uri = stack.enter_context(started_neo4j(quiet=quiet))
                    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=uri)
                targets.append(Neo4jTarget(settings, shared=neo4j == "NEO4J_URI"))
                stack.callback(targets[-1].close)
            progress = stack.enter_context(
                Progress(console=Console(stderr=True), transient=True, disable=quiet)
            )
            budget = QUICK_BUDGET_S if args.quick else BUDGET_S
            results = run(benches, targets, repeats=args.repeats, budget=budget, progress=progress)
    except LineageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    stores = [target.name for target in targets]
    settings_doc = {
        "scale": args.scale,
        "repeats": args.repeats,
        "budget_s": QUICK_BUDGET_S if args.quick else BUDGET_S,
        "seed": args.seed,
        "diamonds": DIAMONDS,
        "stores": stores,
        "neo4j": neo4j,
    }
    document = report(results, benches, settings_doc)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        print_table(document, stores, console)
    differs = [f"{r.graph}/{r.op}/{r.store}" for r in results if not r.agrees]
    if differs:
        print(f"answers differ from networkx: {', '.join(differs)}", file=sys.stderr)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
