"""A Confluent-compatible Schema Registry on 127.0.0.1, serving the registry's documented JSON
shapes from schema files, for the tests of the registry importer.

No real registry runs here (Apicurio Registry is a Quarkus application: its Maven artifact
needs a Quarkus build before it runs), so this serves what the REST API documents:
``/subjects`` (with ``offset``/``limit`` paging, or without), ``/subjects/{s}/versions``,
``/subjects/{s}/versions/{v}``, ``/config`` and ``/config/{s}`` (404 with error code 40408
when a subject has no level of its own), and can demand credentials or fail on purpose.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from support.json_server import serving_json


@dataclass
class Entry:
    version: int
    id: int
    schema: str
    references: list[dict[str, Any]] = field(default_factory=list)
    schema_type: str | None = None


@dataclass
class FakeRegistry:
    subjects: dict[str, list[Entry]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    overall: str = "BACKWARD"
    pages: bool = True
    """Whether /subjects honours offset and limit (newer registries) or ignores them."""
    user: str | None = None
    password: str | None = None
    token: str | None = None
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Statuses (with headers) to answer first, one per request, before answering properly."""
    requests: list[str] = field(default_factory=list)

    def add(self, subject: str, schema: Any, **more: Any) -> None:
        versions = self.subjects.setdefault(subject, [])
        text = schema if isinstance(schema, str) else json.dumps(schema)
        next_id = 1 + sum(len(v) for v in self.subjects.values())
        versions.append(Entry(len(versions) + 1, next_id, text, **more))

    @classmethod
    def of_folder(cls, folder: Path) -> FakeRegistry:
        """The subject folders (``<subject>/v<N>.avsc``) and flat files of ``folder``."""
        registry = cls()
        for path in sorted(folder.rglob("*.avsc")):
            numbered = path.stem.lstrip("vV").isdigit()
            subject = path.parent.name if numbered else path.stem
            value = json.loads(path.read_text())
            if isinstance(value, list):
                for item in value:
                    registry.add(f"{item.get('namespace', '')}.{item['name']}".lstrip("."), item)
            else:
                registry.add(subject, value)
        return registry

    def answer(
        self, path: str, query: dict[str, list[str]], auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        self.requests.append(path)
        if self.failures:
            status, headers = self.failures.pop(0)
            return status, {"error_code": status * 100, "message": "try later"}, headers
        if not self._authorised(auth):
            return 401, {"error_code": 401, "message": "Unauthorized"}, {}
        parts = [unquote(part) for part in path.strip("/").split("/")]
        if parts == ["subjects"]:
            names = sorted(self.subjects)
            if self.pages and "limit" in query:
                offset, limit = int(query.get("offset", ["0"])[0]), int(query["limit"][0])
                names = names[offset : offset + limit]
            return 200, names, {}
        if parts == ["config"]:
            return 200, {"compatibilityLevel": self.overall}, {}
        if len(parts) == 2 and parts[0] == "config":
            if parts[1] in self.levels:
                return 200, {"compatibilityLevel": self.levels[parts[1]]}, {}
            return 404, {"error_code": 40408, "message": "Subject has no compatibility level"}, {}
        if len(parts) >= 3 and parts[0] == "subjects" and parts[2] == "versions":
            versions = self.subjects.get(parts[1])
            if versions is None:
                return 404, {"error_code": 40401, "message": "Subject not found"}, {}
            if len(parts) == 3:
                return 200, [entry.version for entry in versions], {}
            entry = next((e for e in versions if str(e.version) == parts[3]), None)
            if entry is None:
                return 404, {"error_code": 40402, "message": "Version not found"}, {}
            body = {
                "subject": parts[1],
                "version": entry.version,
                "id": entry.id,
                "schema": entry.schema,
            }
            if entry.references:
                body["references"] = entry.references
            if entry.schema_type:
                body["schemaType"] = entry.schema_type
            return 200, body, {}
        return 404, {"error_code": 404, "message": "Not found"}, {}

    def _authorised(self, auth: str | None) -> bool:
        if self.token:
            return auth == f"Bearer {self.token}"
        if self.user:
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return auth == f"Basic {expected}"
        return True


@contextmanager
def serving(registry: FakeRegistry) -> Iterator[str]:
    """The registry served on 127.0.0.1 for the block; yields its URL."""
    with serving_json(
        lambda path, query, headers: registry.answer(path, query, headers.get("Authorization")),
        "application/vnd.schemaregistry.v1+json",
    ) as url:
        yield url
