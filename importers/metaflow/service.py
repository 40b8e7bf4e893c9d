"""Reading a Metaflow metadata service (Netflix/metaflow-service) over its REST API.

    GET /flows                                   every flow
    GET /flows/{f}/runs                          its runs (``_limit``/``_cursor`` paging with an
                                                 ``X-Next-Cursor`` header where the service has it)
    GET /flows/{f}/runs/{r}/metadata             every metadata row of a run: attempts, success
    GET /flows/{f}/runs/{r}/dag                  the DAG (``_graph_info``), where the service is
                                                 the UI backend (``{"data": ...}``) or proxies it

The metadata service itself holds no DAG and no artifact values: without ``/dag`` a flow's
steps are listed from ``/flows/{f}/runs/{r}/steps`` without the edges between them (a warning
says so), and run-time ``_lineage`` records are not available (the decorator's arguments and run
tags are). Requests time out, and 429/5xx answers are retried with backoff.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import httpx

from lineage.errors import InputError
from lineage.importers import http
from lineage.importers.metaflow.records import (
    FlowRecord,
    RunRecord,
    attempt_of,
    finished_run,
    from_epoch_ms,
    started_by_run_id,
)
from lineage.importers.safe_json import parse_json
from lineage.model import ImportWarning

PAGE = 500
RETRIES = 4
BACKOFF = 0.25
MAX_WAIT = 10.0


class MetaflowService:
    def __init__(self, url: str, *, auth_key: str | None = None, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if auth_key:
            headers["x-api-key"] = auth_key
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self.warnings: list[ImportWarning] = []

    def close(self) -> None:
        self._http.close()

    def flows(
        self,
        names: frozenset[str] | None = None,
        known: Mapping[str, Mapping[str, RunRecord]] | None = None,
    ) -> list[FlowRecord]:
        """The flows (only ``names``, when given); finished runs in ``known`` are not read."""
        found = []
        for row in self._get("/flows"):
            name = str(row.get("flow_id"))
            if names and name not in names:
                continue
            record = self._flow(name, (known or {}).get(name, {}))
            if record is not None:
                found.append(record)
        return found

    def _flow(self, name: str, known: Mapping[str, RunRecord]) -> FlowRecord | None:
        runs = sorted(
            (
                finished_run(known, str(row.get("run_number"))) or self._run(name, row)
                for row in self._runs(name)
            ),
            key=lambda run: (run.started_at, run.run_id),
        )
        if not runs:
            return None
        graph = self._graph(name, runs[-1].run_id)
        return FlowRecord(name, graph, tuple(runs))

    def _runs(self, flow: str) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            params: dict[str, Any] = {"_limit": PAGE}
            if cursor:
                params["_cursor"] = cursor
            response = self._send(f"/flows/{http.segment(flow)}/runs", params)
            for row in _json(response, f"{self.url}/flows/{flow}/runs"):
                run_id = str(row.get("run_number"))
                if run_id not in seen:
                    seen.add(run_id)
                    yield row
            cursor = response.headers.get("X-Next-Cursor")
            if not cursor:
                return

    def _run(self, flow: str, row: dict[str, Any]) -> RunRecord:
        run_id = str(row.get("run_number"))
        rows = self._get(f"/flows/{http.segment(flow)}/runs/{http.segment(run_id)}/metadata")
        attempts: dict[tuple[str, str], tuple[int, bool, int]] = {}
        end_step = "end"
        resumed_from = None
        for entry in rows:
            if entry.get("field_name") == "end_step":
                end_step = str(entry.get("value"))
            if entry.get("field_name") == "origin-run-id" and str(entry.get("value")) != "None":
                resumed_from = str(entry.get("value"))
            if entry.get("field_name") != "attempt_ok":
                continue
            key = (str(entry.get("step_name")), str(entry.get("task_id")))
            attempt = attempt_of(entry)
            known = attempts.get(key)
            if known is None or attempt >= known[0]:
                ok = str(entry.get("value")) == "True"
                attempts[key] = (attempt, ok, int(entry.get("ts_epoch") or 0))
        by_step: dict[str, list[tuple[bool, int]]] = {}
        for (step, _), (_, ok, at) in attempts.items():
            by_step.setdefault(step, []).append((ok, at))
        end = by_step.get(end_step, [])
        successful = bool(end) and all(ok for ok, _ in end)
        times = [int(entry.get("ts_epoch") or 0) for entry in rows if entry.get("ts_epoch")]
        return RunRecord(
            run_id=run_id,
            started_at=_started(run_id, times, row),
            tags=tuple(str(tag) for tag in row.get("tags") or ()),
            system_tags=tuple(str(tag) for tag in row.get("system_tags") or ()),
            finished_at=from_epoch_ms(max(at for _, at in end)) if end else None,
            successful=successful,
            failed_steps=tuple(
                sorted(s for s, outs in by_step.items() if not all(o for o, _ in outs))
            ),
            resumed_from=resumed_from,
        )

    def _graph(self, flow: str, run_id: str) -> dict[str, Any]:
        response = self._send(f"/flows/{http.segment(flow)}/runs/{http.segment(run_id)}/dag", None)
        if response.status_code == 200:
            body = _json(response, f"{self.url}/flows/{flow}/runs/{run_id}/dag")
            graph = body.get("data", body) if isinstance(body, dict) else None
            if isinstance(graph, dict) and isinstance(graph.get("steps"), dict):
                return graph
        steps = self._get(f"/flows/{http.segment(flow)}/runs/{http.segment(run_id)}/steps")
        self.warnings.append(
            ImportWarning(
                f"{self.url}/flows/{flow}",
                "the service has no DAG (/dag): steps are listed without the edges between them",
            )
        )
        names = [
            str(s.get("step_name")) for s in steps if not str(s.get("step_name")).startswith("_")
        ]
        return {"steps": {name: {"name": name, "next": []} for name in names}}

    def _get(self, path: str) -> Any:
        response = self._send(path, None)
        if response.status_code >= 400:
            raise self._refused(path, response)
        return _json(response, f"{self.url}{path}")

    def _refused(self, path: str, response: httpx.Response) -> InputError:
        if response.status_code in (401, 403):
            return InputError(
                f"{self.url}{path}: the service refused the key (HTTP {response.status_code}); "
                "give --service-auth-key"
            )
        return InputError(f"{self.url}{path}: the service answered HTTP {response.status_code}")

    def _send(self, path: str, params: dict[str, Any] | None) -> httpx.Response:
        retries = http.Retries(RETRIES, BACKOFF, MAX_WAIT)
        return http.get(self._http, path, params, what="the Metaflow service", retries=retries)


def _json(response: httpx.Response, where: str) -> Any:
    return parse_json(response.text, where)


def _started(run_id: str, times: list[int], row: dict[str, Any]) -> datetime:
    """A local-style run id (epoch µs), else the first metadata row of the run; the run row's
    own time moves when its tags change."""
    by_id = started_by_run_id(run_id)
    if by_id is not None:
        return by_id
    return from_epoch_ms(min(times) if times else int(row.get("ts_epoch") or 0))
