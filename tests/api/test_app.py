"""The app around the schema: health, readiness, metrics and GraphiQL, on both stores."""

from __future__ import annotations

import pytest
from support.api import serve

from lineage.api import ServiceSettings
from lineage.config import StoreSettings

pytestmark = pytest.mark.anyio


async def test_health_and_readiness(store_settings: StoreSettings) -> None:
    async with serve(ServiceSettings(store=store_settings)) as api:
        health = await api.client.get("/healthz")
        ready = await api.client.get("/readyz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "store": store_settings.backend.value}


async def test_metrics_count_requests_and_error_codes(store_settings: StoreSettings) -> None:
    async with serve(ServiceSettings(store=store_settings)) as api:
        await api.graphql('{ node(id: "missing") { id } }')
        await api.client.get("/readyz")
        await api.client.get("/no/such/path")
        response = await api.client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'lineage_http_requests_total{method="POST",path="/graphql",status="200"} 1.0' in text
    assert 'lineage_http_requests_total{method="GET",path="other",status="404"} 1.0' in text
    assert 'lineage_graphql_errors_total{code="NOT_FOUND"} 1.0' in text
    assert "lineage_store_up 1.0" in text
    assert "lineage_http_request_duration_seconds_bucket" in text


async def test_graphiql_for_browsers_json_for_clients(store_settings: StoreSettings) -> None:
    async with serve(ServiceSettings(store=store_settings)) as api:
        page = await api.client.get("/graphql", headers={"Accept": "text/html"})
        answer = await api.client.get("/graphql", params={"query": "{ __typename }"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    assert answer.json() == {"data": {"__typename": "Query"}}


async def test_mutations_are_not_accepted_over_get(store_settings: StoreSettings) -> None:
    query = 'mutation { importDocument(format: YAML, content: "", origin: "x") { nodes } }'
    async with serve(ServiceSettings(store=store_settings)) as api:
        response = await api.client.get("/graphql", params={"query": query})
        count = await api.data("{ nodes { totalCount } }")
    assert response.status_code == 400
    assert count == {"nodes": {"totalCount": 0}}
