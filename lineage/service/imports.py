"""Importing: read documents with an importer, then apply one batch per origin to a store.

Everything is read before anything is written, so a bad file (or, with ``strict``, any
warning) leaves the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lineage.avro.schemas import Json
from lineage.bulk import pauses_collector
from lineage.errors import InputError
from lineage.importers import ImportRequest, formats, get_importer, parse_document
from lineage.model import ApplyResult, ImportBatch, ImportWarning
from lineage.service.identity import joined_to_known_nodes
from lineage.store.base import GraphStore

Progress = Callable[[str], None]
"""Called with each file's name as it is read; the CLI draws a progress line with it."""


def import_formats() -> list[str]:
    """The names ``lineage import <format>`` accepts."""
    return formats()


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


@pauses_collector
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
    return import_targets(
        store, format_name, ImportRequest.of_paths(paths), strict=strict, progress=progress
    )


@pauses_collector
def import_targets(
    store: GraphStore,
    format_name: str,
    request: ImportRequest,
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """:func:`import_files` for any request: paths, URLs (a registry) and options."""
    batches = read_batches(store, format_name, request, progress=progress)
    return apply_batches(store, batches, strict=strict)


def read_batches(
    store: GraphStore, format_name: str, request: ImportRequest, *, progress: Progress | None = None
) -> list[ImportBatch]:
    """Everything ``request`` holds, read and joined to the nodes the store knows, before
    anything is written (``apply_batches`` writes it)."""
    importer = get_importer(format_name)
    batches: list[ImportBatch] = []
    for batch in importer.run(replace(request, progress=progress, state_of=store.origin_state)):
        if progress:
            progress(batch.origin)
        batches.append(joined_to_known_nodes(batch, store) if importer.joins_known_nodes else batch)
    return batches


@pauses_collector
def import_text(
    store: GraphStore, format_name: str, content: str, *, origin: str, strict: bool = False
) -> ImportReport:
    """Import one document given as text (the GraphQL ``importDocument`` mutation)."""
    batch = parse_document(format_name, content, source=origin)
    return apply_batches(store, [batch], strict=strict)


def apply_batches(store: GraphStore, batches: list[ImportBatch], *, strict: bool) -> ImportReport:
    """Apply batches read before; with ``strict``, any warning stops it before a write."""
    warnings = tuple(warning for batch in batches for warning in batch.warnings)
    if strict and warnings:
        listed = "\n".join(f"  {warning}" for warning in warnings)
        raise InputError(f"{len(warnings)} warning(s) with --strict; nothing imported:\n{listed}")
    results = tuple(store.apply_all(batches))
    return ImportReport(results, warnings)


def read_schema_file(path: Path) -> Json:
    """An Avro schema file (``.avsc``) as JSON, for a proposed change: ``ParseError`` with the
    line for JSON that does not parse."""
    from lineage.importers.avro.documents import read_json  # the Avro importer, when used

    return read_json(path)


def parse_schema_text(text: str) -> Json:
    """A proposed schema given as text (the GraphQL ``schemaChangeImpact`` argument)."""
    from lineage.importers.safe_json import parse_json

    return parse_json(text, "the proposed schema")
