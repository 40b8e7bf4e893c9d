"""Graph stores: the ``GraphStore`` protocol and the backends behind it."""

from __future__ import annotations

from lineage.config import Backend, StoreSettings
from lineage.store.base import (
    GraphSnapshot,
    GraphStore,
    NodeFilter,
    OriginRecord,
    Page,
    Reach,
    Walk,
)

__all__ = [
    "GraphSnapshot",
    "GraphStore",
    "NodeFilter",
    "OriginRecord",
    "Page",
    "Reach",
    "Walk",
    "open_store",
]


def open_store(settings: StoreSettings) -> GraphStore:
    """Open the configured backend; raises ``StoreUnavailable`` when it cannot be reached."""
    if settings.backend is Backend.NEO4J:
        from lineage.store.neo4j import Neo4jStore

        return Neo4jStore.connect(settings)
    from lineage.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.db_path)
