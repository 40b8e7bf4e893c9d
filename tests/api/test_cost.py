"""GraphQL cost is bounded before anything runs: the abusive shapes (deep fan-out through
neighbours, wide pages of nested lists, fragments that hide the nesting) get COST_LIMIT without a
resolver running; what the explorer and the examples ask stays well inside; a query past the
time budget gets TIMEOUT at once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from support.api import codes, load_examples, serve

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.store import open_store
from lineage.store.base import GraphStore

pytestmark = pytest.mark.anyio


def nested(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"neighbours {{ {inner} }}"
    return f'{{ node(id: "DS1") {{ {inner} }} }}'


class CountingStore:
    """A store that counts what it is asked, to show a refused query asked nothing."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if callable(attribute) and name not in ("close", "ping"):
            self.calls += 1
        return attribute


ABUSIVE = {
    "nine levels of neighbours": nested(9),
    "four levels of neighbours": nested(4),
    "a big page of nested lists": (
        "{ nodes(first: 500) { nodes { inputs { source { outputs { id } } } } } }"
    ),
    "nesting hidden in fragments": """
        query { node(id: "DS1") { ...a } }
        fragment a on Node { neighbours { ...b } }
        fragment b on Node { neighbours { ...c } }
        fragment c on Node { neighbours { neighbours { id } } }""",
}


@pytest.mark.parametrize("query", ABUSIVE.values(), ids=ABUSIVE.keys())
async def test_abusive_shapes_are_refused_before_anything_runs(
    store_settings: StoreSettings, query: str
) -> None:
    load_examples(store_settings)
    counted: list[CountingStore] = []

    def factory(settings: StoreSettings) -> Any:
        counted.append(CountingStore(open_store(settings)))
        return counted[0]

    async with serve(ServiceSettings(store=store_settings), store_factory=factory) as api:
        answer = await api.graphql(query)
    assert "COST_LIMIT" in codes(answer)  # nine levels also pass the depth limit
    assert answer.get("data") is None
    assert counted[0].calls == 0


FINE = [
    nested(2),
    "{ nodes(first: 50) { nodes { id name inputs { sourceId role } outputs { targetId } } } }",
    (
        '{ lineage(id: "DS1", direction: DOWNSTREAM) '
        "{ nodes { node { id } distance path { nodes { id } } } } }"
    ),
    "{ feedbackLoops { kind nodeIds cycles { nodeIds } nodes { id name } } }",
]


@pytest.mark.parametrize("query", FINE)
async def test_ordinary_queries_cost_well_under_the_limit(
    store_settings: StoreSettings, query: str
) -> None:
    load_examples(store_settings)
    async with serve(ServiceSettings(store=store_settings, max_query_cost=50_000)) as api:
        answer = await api.graphql(query)
    assert "errors" not in answer, answer


class SlowStore(CountingStore):
    def list_nodes(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(1.5)
        return self.store.list_nodes(*args, **kwargs)


async def test_a_query_past_the_time_budget_gets_timeout(store_settings: StoreSettings) -> None:
    settings = ServiceSettings(store=store_settings, request_seconds=0.2)
    async with serve(settings, store_factory=lambda s: SlowStore(open_store(s))) as api:
        answer = await api.graphql("{ nodes(first: 5) { totalCount nodes { id } } }")
        health = await api.client.get("/healthz")
    assert codes(answer) == ["TIMEOUT"]
    assert "budget of 0.2 s" in answer["errors"][0]["message"]
    assert health.status_code == 200
