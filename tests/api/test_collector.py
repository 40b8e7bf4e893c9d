"""The service never pauses the garbage collector for a request: the pauses of concurrent
requests would overlap and keep it off while their garbage piles up (``lineage/bulk.py``)."""

from __future__ import annotations

import gc

import pytest
from support.api import load_examples, serve
from support.stores import ObservedStore

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.store import open_store
from lineage.store.base import GraphStore

pytestmark = pytest.mark.anyio

QUERIES = [
    '{ lineage(id: "DS1", direction: DOWNSTREAM) { totalCount nodes { node { id } } } }',
    '{ impact(id: "DS1") { totalCount } }',
    "{ feedbackLoops { kind nodeIds } }",
    """mutation { importDocument(format: YAML, origin: "docs/x.yaml",
      content: "version: 1\\nnodes:\\n  - {id: source:x}\\n") { nodes } }""",
]


async def test_requests_leave_the_collector_running(store_settings: StoreSettings) -> None:
    load_examples(store_settings)
    seen: list[bool] = []  # at each store call: whether the collector was running

    def watched(settings: StoreSettings) -> GraphStore:
        return ObservedStore(open_store(settings), lambda _: seen.append(gc.isenabled()))  # type: ignore[return-value]

    async with serve(ServiceSettings(store=store_settings), store_factory=watched) as api:
        for query in QUERIES:
            answer = await api.graphql(query)
            assert "errors" not in answer, answer
    assert len(seen) >= len(QUERIES)
    assert all(seen)
