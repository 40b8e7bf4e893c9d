"""End to end: ``lineage serve`` in a subprocess on a free loopback port, queried over HTTP."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.api import load_examples
from support.serving import served

from lineage.config import StoreSettings

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    settings = StoreSettings(db_path=tmp_path / "lineage.db")
    load_examples(settings)
    with served(settings.db_path, LINEAGE_API_TOKEN="e2e-token") as running:
        yield running


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
