"""Looking after a store: writing the graph out, and preparing a Neo4j database."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from lineage.config import Backend, StoreSettings
from lineage.errors import InputError
from lineage.importers.yaml_spec import dump_spec
from lineage.model import ImportBatch, Node
from lineage.store.base import GraphStore


@dataclass(frozen=True)
class SpecExport:
    """The whole graph as a lineage spec document (it imports back to the same graph)."""

    text: str
    nodes: int
    edges: int


def export_spec(store: GraphStore) -> SpecExport:
    snapshot = store.snapshot()
    return SpecExport(
        dump_spec(snapshot.nodes, snapshot.edges), len(snapshot.nodes), len(snapshot.edges)
    )


@dataclass(frozen=True)
class Neo4jSchema:
    """What ``init_neo4j`` found and did."""

    uri: str
    created: tuple[str, ...]
    """The constraints and indexes this call created."""
    schema: tuple[str, ...]
    """Every constraint and index the store needs."""


def init_neo4j(settings: StoreSettings) -> Neo4jSchema:
    """Create the constraints and indexes a Neo4j store needs (idempotent: the store also
    creates them on first write). Uses the Neo4j settings whatever backend is selected."""
    from lineage.store.neo4j import Neo4jStore
    from lineage.store.neo4j_cypher import schema_names

    with Neo4jStore.connect(replace(settings, backend=Backend.NEO4J)) as store:
        created = store.ensure_schema()
        return Neo4jSchema(uri=store.uri, created=created, schema=schema_names())


def export_metaflow(
    source: Path | str, output: Path, name: str | None = None, auth_key: str | None = None
) -> int:
    """Write the normalized Metaflow export of a datastore (a folder) or a metadata service
    (a URL); returns its number of flows."""
    from lineage.importers.metaflow import write_export

    return write_export(source, output, name, auth_key)


OBSERVED = "observed"
"""Observations are origins of their own, ``observed:<source>:<node id>``: one per node and
source, so a later import (another origin) never erases one, and the merged ``last_updated``
is the latest of all (``merge.py``)."""


def observe(
    store: GraphStore, ref: str, *, at: datetime | None = None, source: str = "cli"
) -> Node:
    """Record that the node ``ref`` names was updated at ``at`` (now by default), as
    ``source`` reports it; returns the node as it now reads. ``NodeNotFound`` for a node the
    graph does not hold: an observation never invents one."""
    from lineage.analysis.lookup import get_node

    if not source.strip() or ":" in source:
        raise InputError(f"an observation's source is a name without ':', not {source!r}")
    node = get_node(store, ref)
    moment = at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    stub = Node(node.id, node.kind, last_updated=moment)  # says nothing else of the node
    store.apply(ImportBatch(f"{OBSERVED}:{source}:{node.id}", (stub,)))
    return store.get_nodes([node.id])[node.id]
