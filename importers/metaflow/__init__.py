"""Metaflow runs as observed lineage: flows, steps, triggers, and what steps declare.

    lineage import metaflow --datastore DIR     a local datastore (or a copy of one)
    lineage import metaflow --service URL       a Metaflow metadata service
    lineage import metaflow --export FILE       a normalized export (lineage metaflow export)

One origin per datastore or export. ``graph.py`` says what becomes a node and an edge,
``datastore.py`` how a ``.metaflow`` folder is read without Metaflow and without trusting it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from lineage.errors import InputError, ParseError
from lineage.importers.base import Importer, ImportRequest, display_path, read_text
from lineage.importers.metaflow.datastore import Datastore
from lineage.importers.metaflow.graph import flow_facts
from lineage.importers.metaflow.records import FlowRecord, RunRecord, from_export, to_export
from lineage.importers.metaflow.service import MetaflowService
from lineage.model import ImportBatch, ImportWarning

__all__ = ["MetaflowConfig", "MetaflowImporter", "read_flows"]


@dataclass(frozen=True)
class MetaflowConfig:
    datastores: tuple[Path, ...] = ()
    exports: tuple[Path, ...] = ()
    services: tuple[str, ...] = ()
    auth_key: str | None = None
    flows: frozenset[str] = frozenset()
    since: datetime | None = None
    tags: frozenset[str] = frozenset()
    namespace: str | None = None


class MetaflowImporter(Importer[MetaflowConfig]):
    """Targets are ``datastore=DIR``, ``export=FILE`` or ``service=URL``; options ``flow``
    (comma-separated), ``since`` (an ISO date), ``tag`` (comma-separated: runs carrying all of
    them), ``namespace`` (a Metaflow namespace: ``user:<name>``, ``project:<name>``,
    ``production:<token>``) and ``auth_key`` (the service's API key)."""

    format: ClassVar[str] = "metaflow"

    def configure(self, request: ImportRequest) -> MetaflowConfig:
        request.check_options("flow", "since", "tag", "namespace", "auth_key")
        found: dict[str, list[str]] = {"datastore": [], "export": [], "service": []}
        for target in request.targets:
            kind, sep, value = target.partition("=")
            if not sep or kind not in found or not value:
                raise InputError(
                    f"{target!r}: give --datastore DIR, --export FILE or --service URL"
                )
            found[kind].append(value)
        return MetaflowConfig(
            tuple(map(Path, found["datastore"])),
            tuple(map(Path, found["export"])),
            tuple(found["service"]),
            request.options.get("auth_key") or None,
            _names(request.options.get("flow")),
            _since(request.options.get("since")),
            _names(request.options.get("tag")),
            request.options.get("namespace") or None,
        )

    def extract(self, config: MetaflowConfig) -> Iterator[ImportBatch]:
        for folder in config.datastores:
            store = Datastore.at(folder)
            source = store.root.resolve().as_posix()
            flows = _filtered(store.flows(config.flows or None), config)
            yield self._batch(f"datastore:{source}", source, flows, store.warnings)
        for path in config.exports:
            source, flows = _read_export(path)
            yield self._batch(f"export:{source}", source, _filtered(flows, config), [])
        for url in config.services:
            service = MetaflowService(url, auth_key=config.auth_key)
            try:
                flows = _filtered(service.flows(config.flows or None), config)
            finally:
                service.close()
            yield self._batch(f"service:{service.url}", service.url, flows, service.warnings)

    def _batch(
        self, origin: str, source: str, flows: list[FlowRecord], warnings: list[ImportWarning]
    ) -> ImportBatch:
        """One origin per datastore or export; locations name the datastore the runs were
        read from, so a datastore and its export give the same facts."""
        facts = flow_facts(flows, source)
        return ImportBatch(
            self.origin(origin),
            tuple(facts.nodes.values()),
            tuple(facts.edges),
            tuple(warnings) + tuple(facts.warnings),
        )


def read_flows(source: Path | str, auth_key: str | None = None) -> tuple[str, list[FlowRecord]]:
    """The flows of a datastore (a folder) or a service (a URL), and its name."""
    if isinstance(source, str):
        service = MetaflowService(source, auth_key=auth_key)
        try:
            return service.url, service.flows()
        finally:
            service.close()
    store = Datastore.at(source)
    return store.root.resolve().as_posix(), store.flows()


def write_export(
    origin: Path | str, output: Path, name: str | None = None, auth_key: str | None = None
) -> int:
    """Write the normalized export of a datastore or service (named ``name``, else by its
    path or URL); returns how many flows it holds."""
    source, flows = read_flows(origin, auth_key)
    source = name or source
    output.write_text(json.dumps(to_export(source, flows), indent=2, sort_keys=True))
    return len(flows)


def _read_export(path: Path) -> tuple[str, list[FlowRecord]]:
    source = display_path(path)
    try:
        return from_export(json.loads(read_text(path)))
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(f"not a lineage Metaflow export: {exc}", source=source) from exc


def _filtered(flows: list[FlowRecord], config: MetaflowConfig) -> list[FlowRecord]:
    kept = []
    for flow in flows:
        if config.flows and flow.name not in config.flows:
            continue
        runs = tuple(run for run in flow.runs if _wanted(run, config))
        kept.append(FlowRecord(flow.name, flow.graph, runs))
    return kept


def _wanted(run: RunRecord, config: MetaflowConfig) -> bool:
    if config.since and run.started_at < config.since:
        return False
    if config.namespace and config.namespace not in {*run.tags, *run.system_tags}:
        return False
    return config.tags <= set(run.tags)


def _names(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since {value!r} is not a date (YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
