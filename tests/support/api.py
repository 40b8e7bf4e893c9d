"""Drive the real ASGI app in tests: lifespan included, requests through httpx's ASGITransport.

``serve(settings)`` runs the app's lifespan (so the store is opened and closed as in
production) and yields an ``Api`` whose ``graphql`` posts one operation and returns the JSON.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from lineage.api import ServiceSettings, create_app
from lineage.config import StoreSettings
from lineage.service import import_files
from lineage.store import open_store
from lineage.store.base import GraphStore
from support import EXAMPLES


def load_examples(settings: StoreSettings) -> None:
    store = open_store(settings)
    try:
        import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
    finally:
        store.close()


@dataclass
class Api:
    client: httpx.AsyncClient

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        response = await self.client.post("/graphql", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed."""
        answer = await self.graphql(query, variables)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@asynccontextmanager
async def serve(
    settings: ServiceSettings,
    *,
    store_factory: Callable[[StoreSettings], GraphStore] = open_store,
) -> AsyncIterator[Api]:
    app = create_app(settings, store_factory=store_factory)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Api(client)


def codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]
