"""The service never pauses the garbage collector for a request: the pauses of concurrent
requests would overlap and keep it off while their garbage piles up (``lineage/bulk.py``)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from support.api import load_examples, serve

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


class CollectorWatch:
    """A store that records, at each call, whether the collector is running."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.seen: list[bool] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if callable(attribute) and name not in ("close", "ping"):
            self.seen.append(gc.isenabled())
        return attribute


async def test_requests_leave_the_collector_running(store_settings: StoreSettings) -> None:
    load_examples(store_settings)
    watches: list[CollectorWatch] = []

    def watched(settings: StoreSettings) -> CollectorWatch:
        watches.append(CollectorWatch(open_store(settings)))
        return watches[-1]

    async with serve(ServiceSettings(store=store_settings), store_factory=watched) as api:
        for query in QUERIES:
            answer = await api.graphql(query)
            assert "errors" not in answer, answer
    (watch,) = watches
    assert len(watch.seen) >= len(QUERIES)
    assert all(watch.seen)
