"""A real store with a look-out: what a test needs to know of the calls the service makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lineage.store.base import GraphStore


class ObservedStore:
    """A real store that calls ``observe(name)`` as each call of its protocol is made, in the
    thread making it, before the store answers."""

    def __init__(self, store: GraphStore, observe: Callable[[str], None]) -> None:
        self._store = store
        self._observe = observe

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute

        def observed(*args: Any, **kwargs: Any) -> Any:
            self._observe(name)
            return attribute(*args, **kwargs)

        return observed
