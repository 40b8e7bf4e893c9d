"""Reading a live Confluent-compatible Schema Registry over its REST API.

    GET /subjects                        every subject (paged with offset and limit where the
                                         registry pages; one answer where it does not)
    GET /subjects/{s}/versions           a subject's version numbers
    GET /subjects/{s}/versions/{v}       {subject, version, id, schema, schemaType?, references?}
    GET /config, GET /config/{s}         the registry's and each subject's compatibility level

Confluent Schema Registry and the registries that speak its API (Apicurio's
``/apis/ccompat/v7``, Redpanda, Karapace) answer the same shapes. Requests time out, and one
that fails with a 5xx or 429 is retried with exponential backoff (a ``Retry-After`` header is
honoured). Credentials: ``user:password`` (HTTP basic) or a bearer token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from lineage.avro.modes import Mode
from lineage.errors import InputError, ParseError
from lineage.importers import http
from lineage.importers.avro.documents import SchemaDocument, Skipped, export_entry
from lineage.importers.avro.settings import Settings, SubjectSettings
from lineage.importers.safe_json import parse_json

PAGE = 500
"""Subjects asked for per request, where the registry pages."""
RETRIES = 4
BACKOFF = 0.25
"""Seconds before the first retry; each next waits twice as long (or what Retry-After says)."""
MAX_WAIT = 10.0


@dataclass(frozen=True)
class Registry:
    url: str
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 10.0

    @property
    def name(self) -> str:
        """The URL without credentials, for the origin and messages."""
        return self.url.rstrip("/")


class RegistryClient:
    """The registry's answers as :class:`SchemaDocument` values and :class:`Settings`."""

    def __init__(
        self, registry: Registry, *, progress: Callable[[str], None] | None = None
    ) -> None:
        self.registry = registry
        self._progress = progress
        auth = httpx.BasicAuth(registry.user, registry.password or "") if registry.user else None
        headers = {"Accept": "application/vnd.schemaregistry.v1+json, application/json"}
        if registry.token:
            headers["Authorization"] = f"Bearer {registry.token}"
        self._http = httpx.Client(
            base_url=registry.name,
            auth=auth,
            headers=headers,
            timeout=registry.timeout,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def documents(self) -> Iterator[SchemaDocument | Skipped]:
        """Every version of every subject."""
        for subject in self.subjects():
            if self._progress:
                self._progress(f"{self.registry.name} {subject}")
            for version in self._get(f"/subjects/{http.segment(subject)}/versions"):
                entry = self._get(f"/subjects/{http.segment(subject)}/versions/{int(version)}")
                where = f"{self.registry.name}/subjects/{subject}/versions/{int(version)}"
                yield export_entry(entry, where)

    def subjects(self) -> list[str]:
        """Every subject, a page at a time where the registry pages. One that does not
        ignores the paging parameters and answers the whole list at once: more than a page."""
        found: list[str] = []
        seen: set[str] = set()
        offset = 0
        while True:
            page = self._get("/subjects", params={"offset": offset, "limit": PAGE})
            if not isinstance(page, list):
                raise self._unexpected("/subjects", page)
            fresh = [str(subject) for subject in page if str(subject) not in seen]
            found.extend(fresh)
            seen.update(fresh)
            if len(page) != PAGE or not fresh:  # the last page, or no paging at all
                return found
            offset += len(page)

    def settings(self, subjects: list[str]) -> Settings:
        """The registry's compatibility level and each subject's own, where it has one."""
        overall = _mode(self._get("/config"))
        own: dict[str, SubjectSettings] = {}
        for subject in subjects:
            level = self._get(f"/config/{http.segment(subject)}", missing_ok=True)
            mode = _mode(level) if level is not None else None
            if mode is not None:
                own[subject] = SubjectSettings(compatibility=mode)
        return Settings(compatibility=overall or Mode.BACKWARD, subjects=own)

    def _get(
        self, path: str, *, params: dict[str, Any] | None = None, missing_ok: bool = False
    ) -> Any:
        response = self._send(path, params)
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code in (401, 403):
            raise InputError(
                f"{self.registry.name}{path}: the registry refused the credentials "
                f"(HTTP {response.status_code}); give --registry-auth user:password or "
                "LINEAGE_REGISTRY_TOKEN"
            )
        if response.status_code >= 400:
            raise InputError(
                f"{self.registry.name}{path}: the registry answered HTTP {response.status_code}: "
                f"{_error_text(response)}"
            )
        return parse_json(response.text, f"{self.registry.name}{path}")

    def _send(self, path: str, params: dict[str, Any] | None) -> httpx.Response:
        retries = http.Retries(RETRIES, BACKOFF, MAX_WAIT)
        return http.get(self._http, path, params, what="the registry", retries=retries)

    def _unexpected(self, path: str, answer: Any) -> ParseError:
        return ParseError(
            f"expected a list of subjects, got {type(answer).__name__}",
            source=f"{self.registry.name}{path}",
        )


def _mode(answer: Any) -> Mode | None:
    if not isinstance(answer, dict):
        return None
    level = answer.get("compatibilityLevel") or answer.get("compatibility")
    try:
        return Mode(str(level).upper()) if level else None
    except ValueError:
        return None


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and "message" in body:
        return str(body["message"])
    return str(body)[:200]
