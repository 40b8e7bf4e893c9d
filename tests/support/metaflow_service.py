"""A Metaflow metadata service on 127.0.0.1, serving the documented JSON shapes of the
service's REST API (Netflix/metaflow-service) built from a real datastore's runs.

No metaflow-service runs here (it needs PostgreSQL); its rows are what the local provider
writes to disk in the same shapes: FlowRow and RunRow from the ``_self.json`` records,
MetadataRow from the ``sysmeta_*.json`` files. ``/dag`` answers as the UI backend does
(``{"data": _graph_info}``), read with the importer's plain-data reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lineage.importers.metaflow.datastore import Datastore
from support.json_server import serving_json


@dataclass
class FakeService:
    root: Path
    """A ``.metaflow`` folder."""
    auth_key: str | None = None
    page: int | None = None
    """Runs per page (``_limit``/``_cursor``, ``X-Next-Cursor``), or None for no paging."""
    dag: bool = True
    failures: list[int] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def answer(
        self, path: str, query: dict[str, list[str]], key: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        self.requests.append(path)
        if self.failures:
            return self.failures.pop(0), {"message": "busy"}, {}
        if self.auth_key and key != self.auth_key:
            return 401, {"message": "Unauthorized"}, {}
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts == ["flows"]:
            return 200, [self._json(f / "_meta" / "_self.json") for f in self._flows()], {}
        if len(parts) == 3 and parts[0] == "flows" and parts[2] == "runs":
            return self._runs(parts[1], query)
        if len(parts) == 5 and parts[4] == "metadata":
            run = self.root / parts[1] / parts[3]
            rows = [self._json(p) for p in sorted(run.glob("*/*/_meta/sysmeta_*.json"))]
            return 200, rows, {}
        if len(parts) == 5 and parts[4] == "steps":
            run = self.root / parts[1] / parts[3]
            return 200, [self._json(p) for p in sorted(run.glob("*/_meta/_self.json"))], {}
        if len(parts) == 5 and parts[4] == "dag" and self.dag:
            store = Datastore(self.root)
            graph = store._graph(self.root / parts[1], parts[3])
            return 200, {"data": graph, "status": 200}, {}
        return 404, {"message": "not found"}, {}

    def _flows(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if (p / "_meta" / "_self.json").is_file())

    def _runs(self, flow: str, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        runs = sorted(p for p in (self.root / flow).iterdir() if p.name.isdigit())
        rows = [self._json(p / "_meta" / "_self.json") for p in runs]
        if self.page is None:
            return 200, rows, {}
        start = int(query.get("_cursor", ["0"])[0])
        end = start + self.page
        headers = {"X-Next-Cursor": str(end)} if end < len(rows) else {}
        return 200, rows[start:end], headers

    @staticmethod
    def _json(path: Path) -> Any:
        return json.loads(path.read_text())


@contextmanager
def serving(service: FakeService) -> Iterator[str]:
    """The service served on 127.0.0.1 for the block; yields its URL."""
    with serving_json(
        lambda path, query, headers: service.answer(path, query, headers.get("x-api-key")),
        "application/json",
    ) as url:
        yield url
