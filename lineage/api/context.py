"""What every resolver reaches through ``info.context``: the store, the loaders, the caller's
access and the service's settings. A new ``Context`` (with new loaders) is built per request.

Store calls are synchronous (SQLite behind a lock; the Neo4j sync driver), so every one of them
goes through ``StoreHandle.call``, which runs it in the thread pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from lineage.api.auth import Auth
from lineage.api.loaders import Loaders
from lineage.api.metrics import Metrics
from lineage.api.settings import ServiceSettings
from lineage.bulk import pauses_skipped
from lineage.config import StoreSettings
from lineage.errors import StoreError
from lineage.store.base import GraphStore

P = ParamSpec("P")
T = TypeVar("T")
StoreFactory = Callable[[StoreSettings], GraphStore]

log = logging.getLogger(__name__)


class StoreHandle:
    """The app's one store: opened by the lifespan, closed on shutdown.

    When the backend is down (or fails) at startup the service still starts (``/readyz`` says
    it is not ready) and every store call retries the connection, failing with the store's
    ``StoreError`` (``StoreUnavailable`` when it cannot be reached).
    """

    def __init__(self, settings: StoreSettings, factory: StoreFactory) -> None:
        self._settings = settings
        self._factory = factory
        self._store: GraphStore | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        try:
            self.get()
        except StoreError as exc:
            log.warning("store not usable at startup, will retry on use: %s", exc)

    def get(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = self._factory(self._settings)
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    async def call(
        self, fn: Callable[Concatenate[GraphStore, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(store, *args, **kwargs)`` in the thread pool, without pausing the collector
        (``lineage/bulk.py`` says why a server must not)."""
        return await run_in_threadpool(self._call, fn, *args, **kwargs)

    def _call(
        self, fn: Callable[Concatenate[GraphStore, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with pauses_skipped():
            return fn(self.get(), *args, **kwargs)


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: ServiceSettings
    store: StoreHandle
    loaders: Loaders
    auth: Auth
    metrics: Metrics
