"""Metaflow runs as observed lineage: flows, steps, triggers, and what steps declare.

    lineage import metaflow --datastore DIR     a local datastore (or a copy of one)
    lineage import metaflow --service URL       a Metaflow metadata service
    lineage import metaflow --export FILE       a normalized export (lineage metaflow export)

One origin per datastore or export. ``graph.py`` says what becomes a node and an edge,
``datastore.py`` how a ``.metaflow`` folder is read without Metaflow and without trusting it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from lineage.errors import InputError, ParseError
from lineage.freshness import parse_moment
from lineage.importers.base import Importer, ImportRequest, display_path, read_text
from lineage.importers.metaflow.datastore import Datastore
from lineage.importers.metaflow.graph import flow_facts
from lineage.importers.metaflow.records import FlowRecord, RunRecord, from_export, to_export
from lineage.importers.metaflow.service import MetaflowService
from lineage.importers.safe_json import parse_json
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
    state_of: Callable[[str], str | None] | None = field(default=None, compare=False)
    """What the last import of an origin left: its runs, so only new ones are read."""


class MetaflowImporter(Importer[MetaflowConfig]):
    """Targets are ``datastore=DIR``, ``export=FILE`` or ``service=URL`` (or, as a
    configured job gives them, a plain folder, file or ``http(s)://`` URL); options ``flow``
    (comma-separated), ``since`` (an ISO date), ``tag`` (comma-separated: runs carrying all of
    them), ``namespace`` (a Metaflow namespace: ``user:<name>``, ``project:<name>``,
    ``production:<token>``) and ``auth_key`` (the service's API key)."""

    format: ClassVar[str] = "metaflow"

    def configure(self, request: ImportRequest) -> MetaflowConfig:
        request.check_options("flow", "since", "tag", "namespace", "auth_key")
        found: dict[str, list[str]] = {"datastore": [], "export": [], "service": []}
        for target in request.targets:
            kind, value = _target_kind(target)
            if kind not in found or not value:
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
            parse_moment(request.options.get("since"), option="--since"),
            _names(request.options.get("tag")),
            request.options.get("namespace") or None,
            request.state_of,
        )

    def extract(self, config: MetaflowConfig) -> Iterator[ImportBatch]:
        for folder in config.datastores:
            store = Datastore.at(folder)
            source = store.root.resolve().as_posix()
            origin = f"datastore:{source}"
            flows = store.flows(config.flows or None, known=self._known(origin, config))
            yield self._batch(origin, source, flows, store.warnings, config)
        for path in config.exports:
            source, flows = _read_export(path)
            yield self._batch(f"export:{source}", source, flows, [], config, keep=False)
        for url in config.services:
            service = MetaflowService(url, auth_key=config.auth_key)
            origin = f"service:{service.url}"
            try:
                flows = service.flows(config.flows or None, known=self._known(origin, config))
            finally:
                service.close()
            yield self._batch(origin, service.url, flows, service.warnings, config)

    def _known(self, origin: str, config: MetaflowConfig) -> dict[str, dict[str, RunRecord]]:
        """The runs the last import of ``origin`` read: those that had finished are not read
        again (their tags, which can change later, are taken as they were then)."""
        state = config.state_of(self.origin(origin)) if config.state_of else None
        if not state:
            return {}
        try:
            _, flows = from_export(json.loads(state))
        except (ValueError, KeyError, TypeError):
            return {}  # a state of another version: read everything again
        return {flow.name: {run.run_id: run for run in flow.runs} for flow in flows}

    def _batch(
        self,
        origin: str,
        source: str,
        flows: list[FlowRecord],
        warnings: list[ImportWarning],
        config: MetaflowConfig,
        *,
        keep: bool = True,
    ) -> ImportBatch:
        """One origin per datastore, service or export; locations name the datastore the runs
        were read from, so a datastore and its export give the same facts. What was read,
        before the filters, is kept with the origin for the next import."""
        facts = flow_facts(_filtered(flows, config), source)
        return ImportBatch(
            self.origin(origin),
            tuple(facts.nodes.values()),
            tuple(facts.edges),
            tuple(warnings) + tuple(facts.warnings),
            state=json.dumps(to_export(source, flows)) if keep else None,
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
        return from_export(parse_json(read_text(path), source))
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


def _target_kind(target: str) -> tuple[str, str]:
    """``kind=value`` as given, or the kind of a plain target: a URL is a service, a file an
    export, anything else a datastore folder."""
    kind, sep, value = target.partition("=")
    if sep and kind in ("datastore", "export", "service"):
        return kind, value
    if target.lower().startswith(("http://", "https://")):
        return "service", target
    return ("export" if Path(target).is_file() else "datastore"), target
