"""From schema documents to a batch: parse every version, then one node per subject."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from lineage.avro.compatibility import Mode, Problem, check
from lineage.avro.schemas import (
    PRIMITIVES,
    Json,
    ParsedSchema,
    SchemaError,
    SchemaField,
    named_types,
    parse,
)
from lineage.errors import InputError, ParseError
from lineage.importers.avro.documents import SchemaDocument, Skipped, documents
from lineage.importers.avro.registry import Registry, RegistryClient
from lineage.importers.avro.settings import Settings, settings_for
from lineage.importers.base import Importer, ImportRequest, file_paths
from lineage.model import Edge, EdgeType, ImportBatch, ImportWarning, Kind, Node
from lineage.refs import make_id

TOPIC_SUFFIXES = ("-value", "-key")
"""TopicNameStrategy: ``<topic>-value`` and ``<topic>-key`` are the topic's subjects."""


@dataclass(frozen=True)
class Version:
    document: SchemaDocument
    schema: ParsedSchema

    @property
    def number(self) -> int:
        return self.document.version


@dataclass(frozen=True)
class AvroConfig:
    paths: tuple[Path, ...] = ()
    registries: tuple[Registry, ...] = ()
    progress: Callable[[str], None] | None = field(default=None, compare=False)


class AvroImporter(Importer[AvroConfig]):
    """Files and folders given as paths; registries given as ``http(s)://`` URLs, with the
    options ``auth`` (``user:password``) and ``token`` (a bearer token)."""

    format: ClassVar[str] = "avro"
    joins_known_nodes: ClassVar[bool] = True
    """A subject's aliases (``SCH-VIEW``) may name a schema node a document already gave."""

    def configure(self, request: ImportRequest) -> AvroConfig:
        request.check_options("auth", "token")
        urls = [t for t in request.targets if t.lower().startswith(("http://", "https://"))]
        others = [t for t in request.targets if t not in urls]
        paths = file_paths(
            ImportRequest(tuple(others)), urls="a registry URL starts with http:// or https://"
        )
        if not urls and (request.options.get("auth") or request.options.get("token")):
            raise InputError("registry credentials were given, but no registry URL")
        return AvroConfig(
            tuple(paths), tuple(_registry(u, request.options) for u in urls), request.progress
        )

    def extract(self, config: AvroConfig) -> Iterator[ImportBatch]:
        for root in config.paths:
            yield self.read(root)
        for registry in config.registries:
            yield self.read_registry(registry, progress=config.progress)

    def read(self, root: Path) -> ImportBatch:
        """Every subject under ``root`` (a file or folder), as one origin."""
        return self._batch(
            self.origin(root.resolve().as_posix()), list(documents(root)), settings_for(root)
        )

    def read_registry(
        self, registry: Registry, *, progress: Callable[[str], None] | None = None
    ) -> ImportBatch:
        """Every version of every subject a registry holds, as one origin (its URL)."""
        client = RegistryClient(registry, progress=progress)
        try:
            found = list(client.documents())
            subjects = sorted({d.subject for d in found if isinstance(d, SchemaDocument)})
            settings = client.settings(subjects)
        finally:
            client.close()
        return self._batch(self.origin(registry.name), found, settings)

    def _batch(
        self, origin: str, found: list[SchemaDocument | Skipped], settings: Settings
    ) -> ImportBatch:
        skipped = tuple(
            ImportWarning(s.location, s.reason) for s in found if isinstance(s, Skipped)
        )
        subjects = _by_subject([d for d in found if isinstance(d, SchemaDocument)])
        parsed = _parsed(subjects)
        nodes: dict[str, Node] = {}
        edges: list[Edge] = []
        for subject, versions in parsed.items():
            schema = _schema_node(subject, versions, settings)
            nodes[schema.id] = schema
            for topic in _topics_of(subject, versions[-1].schema, settings):
                topic_id = make_id(Kind.TOPIC, topic)
                nodes.setdefault(topic_id, Node(topic_id, Kind.TOPIC, aliases=(topic,)))
                edges.append(
                    Edge(topic_id, schema.id, EdgeType.HAS_SCHEMA, location=schema.location)
                )
        return ImportBatch(origin, tuple(nodes.values()), tuple(edges), skipped)


def _registry(url: str, options: Mapping[str, str]) -> Registry:
    user = password = None
    auth = options.get("auth")
    if auth:
        user, sep, password = auth.partition(":")
        if not sep or not user:
            raise InputError("registry credentials are user:password")
    return Registry(url, user=user, password=password, token=options.get("token") or None)


def _by_subject(found: Sequence[SchemaDocument]) -> dict[str, list[SchemaDocument]]:
    """Each subject's versions, oldest first; a version given twice is an error."""
    subjects: dict[str, list[SchemaDocument]] = {}
    for document in found:
        subjects.setdefault(document.subject, []).append(document)
    for subject, versions in subjects.items():
        versions.sort(key=lambda d: d.version)
        for a, b in itertools.pairwise(versions):
            if a.version == b.version:
                raise ParseError(
                    f"subject {subject!r} has version {a.version} twice (also in {a.location})",
                    source=b.location,
                )
    return dict(sorted(subjects.items()))


def _parsed(subjects: Mapping[str, list[SchemaDocument]]) -> dict[str, list[Version]]:
    """Every version parsed, the named types it uses found in the other files (the latest
    version that defines each) or through its registry references."""
    latest: dict[str, Json] = {}
    for versions in subjects.values():
        for document in versions:  # oldest first: a later version's definition wins
            latest.update(named_types(document.schema))
    parsed: dict[str, list[Version]] = {}
    for subject, versions in subjects.items():
        parsed[subject] = [
            Version(document, _parse(document, {**latest, **_referenced(document, subjects)}))
            for document in versions
        ]
    return parsed


def _referenced(
    document: SchemaDocument, subjects: Mapping[str, list[SchemaDocument]]
) -> dict[str, Json]:
    """The definitions a document's registry references point at."""
    found: dict[str, Json] = {}
    for reference in document.references:
        versions = subjects.get(reference.subject)
        target = None
        if versions:
            target = (
                versions[-1]
                if reference.version is None
                else next((v for v in versions if v.version == reference.version), None)
            )
        if target is None:
            at = f" version {reference.version}" if reference.version is not None else ""
            raise ParseError(
                f"reference to {reference.name!r} in subject {reference.subject!r}{at}, "
                "which this import does not hold",
                source=document.location,
            )
        found.update(named_types(target.schema))
    return found


def _parse(document: SchemaDocument, known: Mapping[str, Json]) -> ParsedSchema:
    try:
        return parse(document.schema, known)
    except SchemaError as exc:
        where = f"subject {document.subject!r} version {document.version}"
        raise ParseError(f"{where}: {exc}", source=document.location) from exc


def _schema_node(subject: str, versions: list[Version], settings: Settings) -> Node:
    latest = versions[-1]
    steps = _breaking_steps(versions)
    properties: dict[str, Any] = {
        "subject": subject,
        "record": latest.schema.name,
        "version": latest.number,
        "fields": [_field(field) for field in latest.schema.fields],
        "versions": [_version(version) for version in versions],
        "compatibility": settings.mode_of(subject).value,
        "breaking_changes": steps,
        "last_breaking_change": steps[-1]["version"] if steps else None,
    }
    named = latest.schema.name if latest.schema.name not in PRIMITIVES else None
    aliases = {*settings.of(subject).aliases, named} - {subject, None}
    return Node(
        make_id(Kind.SCHEMA, subject),
        Kind.SCHEMA,
        name=subject,
        aliases=tuple(sorted(aliases)),
        properties=properties,
        location=latest.document.location,
    )


def _breaking_steps(versions: list[Version]) -> list[dict[str, Any]]:
    """Each problem between consecutive versions, in either direction (readers on the new
    schema reading old data, readers on the old one reading new data)."""
    steps = []
    for earlier, later in itertools.pairwise(versions):
        for problem in check(later.schema, [(earlier.number, earlier.schema)], Mode.FULL):
            steps.append(_step(later.number, problem))
    return steps


def _step(version: int, problem: Problem) -> dict[str, Any]:
    return {
        "version": version,
        "from_version": problem.version,
        "direction": problem.direction.value,
        "field": problem.field,
        "message": problem.message,
    }


def _field(field: SchemaField) -> dict[str, Any]:
    described: dict[str, Any] = {"path": field.path, "type": field.type}
    if field.has_default:
        described["default"] = field.default
    if field.doc:
        described["doc"] = field.doc
    if field.aliases:
        described["aliases"] = list(field.aliases)
    return described


def _version(version: Version) -> dict[str, Any]:
    return {
        "version": version.number,
        "id": version.document.registry_id,
        "fingerprint": version.schema.fingerprint,
        "schema": json.dumps(version.schema.definition, sort_keys=True),
    }


def _topics_of(subject: str, latest: ParsedSchema, settings: Settings) -> tuple[str, ...]:
    """The topics a subject belongs to: as ``schemas.yaml`` says, else by the registry's
    naming strategies (``<topic>-value``/``-key``, ``<topic>-<record name>``)."""
    configured = settings.of(subject).topics
    if configured:
        return configured
    for suffix in (*TOPIC_SUFFIXES, f"-{latest.name}"):
        if subject.endswith(suffix) and len(subject) > len(suffix):
            return (subject.removesuffix(suffix),)
    return ()
