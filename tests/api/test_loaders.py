"""Node lookups within one request are batched: a page of 100 nodes with their neighbours is a
handful of store calls, counted here through a real store (`support.stores.ObservedStore`)."""

from __future__ import annotations

from collections import Counter
from contextlib import closing

import pytest
from support.api import serve
from support.graphs import load
from support.stores import ObservedStore

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.store import open_store
from lineage.store.base import GraphStore

pytestmark = pytest.mark.anyio


PAGE = """{
  nodes(first: 100) {
    nodes {
      id
      inputs { source { id name } }
      outputs { target { id name outputs { targetId } } }
      neighbours { id }
    }
  }
}"""


async def test_a_page_with_neighbours_is_a_handful_of_store_calls(
    store_settings: StoreSettings,
) -> None:
    with closing(open_store(store_settings)) as store:
        load(store, *(f"n{i:03} -> n{i + 1:03}" for i in range(150)), "n000 -> n149")
    calls: Counter[str] = Counter()

    def counting(settings: StoreSettings) -> GraphStore:
        return ObservedStore(open_store(settings), lambda name: calls.update([name]))  # type: ignore[return-value]

    async with serve(ServiceSettings(store=store_settings), store_factory=counting) as api:
        calls.clear()
        data = await api.data(PAGE)
        made = Counter(calls)
    nodes = data["nodes"]["nodes"]
    assert len(nodes) == 100
    assert nodes[1]["inputs"] == [{"source": {"id": "dataset:n000", "name": "n000"}}]
    assert made["list_nodes"] == 1
    assert made["edges_of"] <= 3  # inputs and outputs of the page, outputs of their targets
    assert made["get_nodes"] <= 3
    assert sum(made.values()) <= 7, made
