"""A Neo4j outage under a running service, with a real server stopped and started again:
the service stays up, `/readyz` says not ready, queries fail with UNAVAILABLE (within the
driver's connect and retry bounds: ``test_neo4j_unreachable.py``); when the server is back on
its port, everything answers again without a restart."""

from __future__ import annotations

import subprocess
from pathlib import Path

import anyio
import pytest
from support import ROOT
from support.api import codes, serve

from lineage.api import ServiceSettings
from lineage.config import Backend, StoreSettings
from lineage.service import import_files, open_store

pytestmark = [pytest.mark.anyio, pytest.mark.neo4j, pytest.mark.slow]
SCRIPT = ROOT / "scripts" / "neo4j-local"
QUERY = "{ nodes(first: 3) { totalCount } }"


def neo4j(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


async def ready(api: object, expected: int, seconds: float = 60) -> None:
    """Poll /readyz until it answers ``expected`` (a bound on waiting, not a measure)."""
    with anyio.fail_after(seconds):
        while (await api.client.get("/readyz")).status_code != expected:  # type: ignore[attr-defined]
            await anyio.sleep(0.5)


async def test_the_service_rides_out_a_neo4j_outage(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    uri = neo4j("start", "--home", str(home))
    port = uri.rsplit(":", 1)[1]
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=uri)
    try:
        store = open_store(settings)
        try:
            import_files(store, "yaml", [ROOT / "examples" / "platform.lineage.yaml"])
        finally:
            store.close()
        async with serve(ServiceSettings(store=settings, scheduler=False)) as api:
            before = await api.data(QUERY)
            neo4j("stop", "--home", str(home), "--keep")
            await ready(api, 503)
            down = await api.graphql(QUERY)
            health = await api.client.get("/healthz")
            neo4j("start", "--home", str(home), "--port", port)
            await ready(api, 200)
            after = await api.data(QUERY)
    finally:
        subprocess.run([str(SCRIPT), "stop", "--home", str(home), "--keep"], check=False)
    assert codes(down) == ["UNAVAILABLE"]
    assert down["errors"][0]["message"] == "the graph store is unavailable"
    assert health.status_code == 200
    assert after == before and before["nodes"]["totalCount"] > 0
