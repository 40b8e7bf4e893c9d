"""End to end: ``lineage serve`` in a subprocess on a free loopback port, queried over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ROOT
from support.api import load_examples

from lineage.config import StoreSettings

pytestmark = pytest.mark.slow

HOST = "127.0.0.1"
STARTUP_SECONDS = 30
LINEAGE = Path(sys.executable).with_name("lineage")
"""The console script installed next to the interpreter running the tests."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    settings = StoreSettings(db_path=tmp_path / "lineage.db")
    load_examples(settings)
    port = free_port()
    env = {**os.environ, "LINEAGE_DB": str(settings.db_path), "LINEAGE_API_TOKEN": "e2e-token"}
    env.pop("LINEAGE_STORE", None)
    process = subprocess.Popen(
        [str(LINEAGE), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_ready(base, process)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_ready(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"lineage serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"lineage serve did not become ready within {STARTUP_SECONDS}s")


def test_serve_answers_over_http(server: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = server
    query = """{
      lineage(id: "DS1", direction: DOWNSTREAM, kinds: [MODEL], maxHops: 10) {
        nodes { node { id } }
      }
    }"""
    answer = httpx.post(f"{base}/graphql", json={"query": query}, timeout=10).json()
    assert {r["node"]["id"] for r in answer["data"]["lineage"]["nodes"]} == {
        "model:personalization",
        "model:recommendation",
        "model:search-ranking",
        "model:content-quality",
    }
    mutation = (
        'mutation { importDocument(format: YAML, content: "version: 1", origin: "x") { nodes } }'
    )
    refused = httpx.post(f"{base}/graphql", json={"query": mutation}, timeout=10).json()
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert "lineage_http_requests_total" in httpx.get(f"{base}/metrics", timeout=10).text
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert f"GraphQL API: {base}/graphql" in output
