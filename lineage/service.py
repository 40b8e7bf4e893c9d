"""Use cases shared by the CLI, the GraphQL API and the scheduler.

Each function does one thing a user asks for, in terms of stores, importers and analysis;
the outer layers only parse arguments, call one of these and render the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lineage.analysis.lookup import get_node, resolve_node
from lineage.analysis.loops import DEFAULT_MAX_CYCLES, FeedbackLoop, feedback_loops
from lineage.errors import InputError
from lineage.importers import get_importer
from lineage.importers.base import TextImporter
from lineage.model import ApplyResult, Direction, Edge, EdgeType, ImportBatch, ImportWarning, Node
from lineage.store.base import GraphStore

Progress = Callable[[str], None]
"""Called with each file's name as it is read; the CLI draws a progress line with it."""


@dataclass(frozen=True)
class ImportReport:
    results: tuple[ApplyResult, ...]
    warnings: tuple[ImportWarning, ...]

    @property
    def nodes(self) -> int:
        return sum(result.nodes for result in self.results)

    @property
    def edges(self) -> int:
        return sum(result.edges for result in self.results)


def import_files(
    store: GraphStore,
    format_name: str,
    paths: Sequence[Path],
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read every file first, then apply one batch per file.

    A bad file (or, with ``strict``, any warning) stops the import before anything is written,
    so the store is left exactly as it was.
    """
    importer = get_importer(format_name)
    batches: list[ImportBatch] = []
    for batch in importer.extract(paths):
        if progress:
            progress(batch.origin)
        batches.append(batch)
    return _apply_all(store, batches, strict=strict)


def import_text(
    store: GraphStore, format_name: str, content: str, *, origin: str, strict: bool = False
) -> ImportReport:
    """Import one document given as text (the GraphQL ``importDocument`` mutation)."""
    importer = get_importer(format_name)
    if not isinstance(importer, TextImporter):
        raise InputError(f"the {format_name} importer reads files, not a single document")
    return _apply_all(store, [importer.parse(content, source=origin)], strict=strict)


def _apply_all(store: GraphStore, batches: list[ImportBatch], *, strict: bool) -> ImportReport:
    warnings = tuple(warning for batch in batches for warning in batch.warnings)
    if strict and warnings:
        listed = "\n".join(f"  {warning}" for warning in warnings)
        raise InputError(f"{len(warnings)} warning(s) with --strict; nothing imported:\n{listed}")
    results = tuple(store.apply(batch) for batch in batches)
    return ImportReport(results, warnings)


@dataclass(frozen=True)
class NodeDescription:
    """One node with its direct inputs and outputs (every edge type)."""

    node: Node
    inputs: tuple[Edge, ...]
    outputs: tuple[Edge, ...]


def describe_node(store: GraphStore, ref: str) -> NodeDescription:
    """The node ``ref`` names (id, alias, URI or unique name) and its direct edges."""
    node = get_node(store, ref)
    everything = frozenset(EdgeType)
    return NodeDescription(
        node=node,
        inputs=tuple(store.edges_of([node.id], direction=Direction.UPSTREAM, types=everything)),
        outputs=tuple(store.edges_of([node.id], direction=Direction.DOWNSTREAM, types=everything)),
    )


def find_feedback_loops(
    store: GraphStore, *, scope: str | None = None, max_cycles: int = DEFAULT_MAX_CYCLES
) -> list[FeedbackLoop]:
    """The graph's feedback loops, or only the one through ``scope`` (any node reference)."""
    scope_id = resolve_node(store, scope) if scope else None
    return feedback_loops(store.snapshot(), scope=scope_id, max_cycles=max_cycles)
