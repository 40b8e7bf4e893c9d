"""Work stops when the client goes away: a real uvicorn server on 127.0.0.1 answers a query
whose nested fields each need a slow store call; the client gives up after the first, and the
deeper fields' store calls never start. The server keeps answering others."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from support.api import load_examples
from support.serving import free_port

from lineage.api import ServiceSettings, create_app
from lineage.config import StoreSettings
from lineage.store import open_store
from lineage.store.base import GraphStore

SLOW = 0.6
NESTED = '{ node(id: "DS1") { neighbours { neighbours { neighbours { id } } } } }'


class SlowStore:
    """The real store, with each edge lookup taking ``SLOW`` seconds and counted."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.edge_lookups = 0

    def edges_of(self, *args: Any, **kwargs: Any) -> Any:
        self.edge_lookups += 1
        time.sleep(SLOW)
        return self.store.edges_of(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[str, list[SlowStore]]]:
    settings = StoreSettings(db_path=tmp_path / "lineage.db")
    load_examples(settings)
    opened: list[SlowStore] = []

    def factory(store_settings: StoreSettings) -> Any:
        opened.append(SlowStore(open_store(store_settings)))
        return opened[-1]

    app = create_app(ServiceSettings(store=settings, scheduler=False), store_factory=factory)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30  # a bound on waiting for start-up, not a measure
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield base, opened
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_query_whose_client_left_stops_before_its_deeper_fields(
    running: tuple[str, list[SlowStore]],
) -> None:
    base, opened = running
    with httpx.Client(base_url=base) as client:
        whole = client.post("/graphql", json={"query": NESTED}, timeout=30)
        assert whole.status_code == 200 and "errors" not in whole.json()
        whole_lookups = opened[0].edge_lookups  # a few per level: the loaders batch each level
        assert whole_lookups >= 3
        with pytest.raises(httpx.ReadTimeout):
            client.post("/graphql", json={"query": NESTED}, timeout=SLOW * 1.5)
    time.sleep(SLOW * (whole_lookups + 1))  # long enough for every level, had it gone on
    assert opened[0].edge_lookups - whole_lookups < whole_lookups
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
