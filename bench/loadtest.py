"""Load test: ``lineage serve`` on a 100k-edge graph, 32 concurrent clients for 60 s.

    .venv/bin/python bench/loadtest.py [--clients 32] [--seconds 60] [--nodes 20000] [--json]
        [--out DIR] [--overhead-repeats 200]

(``make loadtest``; not part of ``make test``.) Every request goes to 127.0.0.1. The clients
send a mix of lineage, impact, node and search queries for random nodes while one more client
imports a document every two seconds through ``importDocument`` and a prober asks ``/healthz``
four times a second. Reported: requests, errors, throughput, p50/p99/max latency per query
kind and of ``/healthz``, the server's resident memory before and after and every five
seconds, and the API's overhead: a lineage query's latency over HTTP against the same service
function called in-process on the same store. Results go to
``bench/results/<date>-loadtest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from scale import ROOT, _free_port, _status_mb, _wait_for_port, hub_graph

from lineage import service
from lineage.config import StoreSettings
from lineage.model import Direction

TOKEN = "loadtest-token"
QUERIES = {
    "lineage": (
        "query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, maxHops: 3, limit: 100)"
        " { totalCount nodes { node { id name } distance } } }"
    ),
    "impact": "query($id: ID!) { impact(id: $id, maxHops: 3, limit: 100) { totalCount } }",
    "node": (
        "query($id: ID!) { node(id: $id) "
        "{ id kind name inputs { sourceId } outputs { targetId } } }"
    ),
    "search": "query($s: String!) { nodes(search: $s, first: 20) { totalCount nodes { id } } }",
}
IMPORT = (
    'mutation($c: String!) { importDocument(format: YAML, content: $c, origin: "load.yaml")'
    " { nodes edges } }"
)


async def client(
    http: httpx.AsyncClient, ids: list[str], until: float, results: dict[str, list[float]],
    errors: list[str], seed: int,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    kinds = list(QUERIES)
    while time.monotonic() < until:
        kind = rng.choice(kinds)
        node = rng.choice(ids)
        variables = {"s": node.split(":")[1][:5]} if kind == "search" else {"id": node}
        await _post(http, kind, QUERIES[kind], variables, results, errors)


async def importer(
    http: httpx.AsyncClient, until: float, results: dict[str, list[float]], errors: list[str]
) -> None:
    round_ = 0
    while time.monotonic() < until:
        targets = [f"dataset:load{i}" for i in range(50)]
        nodes = "".join(f"  - {{id: {target}}}\n" for target in targets)
        edges = "".join(f"  - {{from: source:load, to: {target}}}\n" for target in targets)
        content = (
            f"version: 1\nnodes:\n  - {{id: source:load, name: round {round_}}}\n{nodes}"
            f"edges:\n{edges}"
        )
        await _post(http, "import", IMPORT, {"c": content}, results, errors, token=TOKEN)
        round_ += 1
        await asyncio.sleep(2)


async def health_prober(base: str, until: float, results: dict[str, list[float]]) -> None:
    """``/healthz`` four times a second on a connection of its own, so its latency is the
    server's (an event loop kept free of store work answers at once), not the clients' queue."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            started = time.perf_counter()
            await http.get("/healthz")
            results["healthz"].append(time.perf_counter() - started)
            await asyncio.sleep(0.25)


async def memory_sampler(pid: int, until: float, samples: list[float]) -> None:
    """The server's resident memory every five seconds: stable memory is a flat series."""
    while time.monotonic() < until:
        samples.append(_status_mb(pid, "VmRSS"))
        await asyncio.sleep(5)


async def _post(
    http: httpx.AsyncClient, kind: str, query: str, variables: dict[str, Any],
    results: dict[str, list[float]], errors: list[str], token: str | None = None,
) -> None:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.perf_counter()
    try:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        answer = response.json()
        if response.status_code != 200 or answer.get("errors"):
            errors.append(f"{kind}: {response.status_code} {answer.get('errors')}"[:300])
    except httpx.HTTPError as exc:
        errors.append(f"{kind}: {type(exc).__name__} {exc}"[:300])
    results[kind].append(time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def overhead(base: str, db: Path, ids: list[str], repeats: int = 200) -> dict[str, float]:
    """One lineage query's median latency over HTTP, and the same service call in-process."""
    sample = random.Random(7).sample(ids, repeats)
    variables = [{"id": node} for node in sample]
    over_http = []
    with httpx.Client(base_url=base, timeout=60) as http:
        for item in variables:
            started = time.perf_counter()
            http.post("/graphql", json={"query": QUERIES["lineage"], "variables": item})
            over_http.append(time.perf_counter() - started)
    store = service.open_store(StoreSettings(db_path=db))
    direct = []
    try:
        service.lineage(store, sample[0], direction=Direction.DOWNSTREAM)  # warm the index
        for node in sample:
            started = time.perf_counter()
            service.lineage(  # what the query asks: no witness edges (it selects no `edges`)
                store, node, direction=Direction.DOWNSTREAM, max_hops=3, max_nodes=100,
                witness_edges=False,
            )  # fmt: skip
            direct.append(time.perf_counter() - started)
    finally:
        store.close()
    http_median, direct_median = statistics.median(over_http), statistics.median(direct)
    return {
        "http_median_ms": http_median * 1000,
        "direct_median_ms": direct_median * 1000,
        "ratio": http_median / direct_median if direct_median else float("inf"),
    }


async def load(
    base: str, server: int, ids: list[str], clients: int, seconds: float
) -> dict[str, Any]:
    results: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    rss: list[float] = []
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients + 1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(
            *(client(http, ids, until, results, errors, seed) for seed in range(clients)),
            importer(http, until, results, errors),
            health_prober(base, until, results),
            memory_sampler(server, until, rss),
        )
        elapsed = time.monotonic() - started
    total = sum(len(values) for kind, values in results.items() if kind != "healthz")
    return {
        "rss_every_5s_mb": rss,
        "requests": total,
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": elapsed,
        "throughput_per_second": total / elapsed,
        "latency_ms": {
            kind: {
                "count": len(values),
                "p50": percentile(values, 0.5) * 1000,
                "p99": percentile(values, 0.99) * 1000,
                "max": max(values) * 1000,
            }
            for kind, values in sorted(results.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--nodes", type=int, default=20_000, help="about five edges each")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--overhead-repeats", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lineage-load-") as work:
        db = Path(work) / "lineage.db"
        batch = hub_graph(args.nodes)
        store = service.open_store(StoreSettings(db_path=db))
        try:
            store.apply(batch)
        finally:
            store.close()
        ids = [str(node.id) for node in batch.nodes]
        port = _free_port()
        lineage_bin = Path(sys.executable).with_name("lineage")
        server = subprocess.Popen(
            [str(lineage_bin), "--db", str(db), "serve", "--port", str(port), "--no-scheduler"],
            env={"LINEAGE_API_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for_port(port)
            httpx.post(
                f"{base}/graphql",
                json={"query": QUERIES["lineage"], "variables": {"id": ids[0]}},
                timeout=120,
            )
            rss_before = _status_mb(server.pid, "VmRSS")
            result = asyncio.run(load(base, server.pid, ids, args.clients, args.seconds))
            rss_after = _status_mb(server.pid, "VmRSS")
            result["overhead"] = overhead(base, db, ids, args.overhead_repeats)
            result["rss_mb"] = {
                "before": rss_before,
                "after": rss_after,
                "peak": _status_mb(server.pid, "VmHWM"),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    result.update(
        nodes=len(batch.nodes), edges=len(batch.edges), clients=args.clients,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )  # fmt: skip
    out = args.out / f"{result['date'][:10]}-loadtest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2) if args.json else _summary(result))
    return 1 if result["errors"] else 0


def _summary(result: dict[str, Any]) -> str:
    lines = [
        f"{result['clients']} clients, {result['seconds']:.0f} s, {result['nodes']:,} nodes, "
        f"{result['edges']:,} edges: {result['requests']:,} requests, {result['errors']} errors, "
        f"{result['throughput_per_second']:.0f}/s",
    ]
    for kind, latency in result["latency_ms"].items():
        p50, p99 = latency["p50"], latency["p99"]
        lines.append(
            f"  {kind:8} {latency['count']:6} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
            f"  max {latency['max']:7.1f} ms"
        )
    rss, over = result["rss_mb"], result["overhead"]
    lines.append(
        f"server RSS {rss['before']:.0f} MB before, {rss['after']:.0f} MB after, "
        f"peak {rss['peak']:.0f} MB; every 5 s: "
        + " ".join(f"{mb:.0f}" for mb in result["rss_every_5s_mb"])
    )
    lines.append(
        f"API overhead: {over['http_median_ms']:.1f} ms over HTTP vs "
        f"{over['direct_median_ms']:.1f} ms in-process ({over['ratio']:.2f}x)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
