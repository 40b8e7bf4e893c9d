"""Prometheus metrics, kept in a registry of the app's own (no process-wide state), and the pure
ASGI middleware that counts and times every HTTP request.

Freshness and job gauges are read at each scrape from the run log (``FreshnessCollector``):
the latest roll-up and each job's last run, whichever process (this service's scheduler or a
headless ``lineage scheduler``) wrote them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lineage import service
from lineage.api.middleware import HttpMiddleware
from lineage.config_file import LineageConfig
from lineage.errors import StoreError
from lineage.store.base import GraphStore

OTHER_PATH = "other"
"""The path label of every request to an unknown path, so a scan cannot explode the series."""


class Metrics:
    def __init__(self, freshness: Collector | None = None) -> None:
        self.registry = CollectorRegistry()
        if freshness is not None:
            self.registry.register(freshness)
        self.requests = Counter(
            "lineage_http_requests",
            "HTTP requests answered, by method, route and status.",
            ["method", "path", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lineage_http_request_duration_seconds",
            "Time to answer an HTTP request, by route.",
            ["path"],
            registry=self.registry,
        )
        self.graphql_errors = Counter(
            "lineage_graphql_errors",
            "Errors returned in GraphQL responses, by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self.store_up = Gauge(
            "lineage_store_up",
            "1 when the last readiness check reached the store, else 0.",
            registry=self.registry,
        )

    async def endpoint(self, request: Request) -> Response:
        body = await run_in_threadpool(generate_latest, self.registry)  # reads the store
        return Response(body, media_type=CONTENT_TYPE_LATEST)


class FreshnessCollector(Collector):
    """Gauges of the latest staleness roll-up and of each configured job's last run."""

    def __init__(self, store: Callable[[], GraphStore], config: LineageConfig) -> None:
        self.store = store
        self.config = config

    def collect(self) -> Iterator[Metric]:
        try:
            store = self.store()
            rollup = service.latest_rollup(store)
            jobs = service.job_statuses(store, self.config, limit=1)
        except StoreError:
            return  # lineage_store_up says why there is nothing
        if rollup is not None:
            yield from _rollup_metrics(rollup)
        yield from _job_metrics(jobs)


def _rollup_metrics(run: service.RollupRun) -> Iterator[Metric]:
    at = GaugeMetricFamily(
        "lineage_rollup_timestamp_seconds", "When the latest staleness roll-up judged the graph."
    )
    at.add_metric([], datetime.fromisoformat(run.at).timestamp())
    yield at
    stale = GaugeMetricFamily(
        "lineage_stale_nodes", "Nodes whose effective status is STALE, by kind.", labels=["kind"]
    )
    for kind, count in run.stale_by_kind.items():
        stale.add_metric([kind], count)
    yield stale
    statuses = GaugeMetricFamily(
        "lineage_nodes_by_status", "Nodes per effective freshness status.", labels=["status"]
    )
    for status, count in run.counts.items():
        statuses.add_metric([status], count)
    yield statuses
    conflicts = GaugeMetricFamily(
        "lineage_freshness_conflicts", "Consumers whose serving path cannot meet their freshness."
    )
    conflicts.add_metric([], len(run.conflicts))
    yield conflicts
    age = GaugeMetricFamily(
        "lineage_model_age_seconds", "Each model's time since its last update.", labels=["model"]
    )
    bound = GaugeMetricFamily(
        "lineage_model_freshness_bound_seconds",
        "Each model's freshness bound: stale when its age is greater.",
        labels=["model"],
    )
    for model in run.models:
        if model.age_seconds is not None:
            age.add_metric([model.id], model.age_seconds)
        if model.bound_seconds is not None:
            bound.add_metric([model.id], model.bound_seconds)
    yield age
    yield bound


def _job_metrics(jobs: list[service.JobStatus]) -> Iterator[Metric]:
    started = GaugeMetricFamily(
        "lineage_job_last_run_timestamp_seconds", "When each job last started.", labels=["job"]
    )
    duration = GaugeMetricFamily(
        "lineage_job_last_run_duration_seconds",
        "How long each job's last run took.",
        labels=["job"],
    )
    outcome = GaugeMetricFamily(
        "lineage_job_last_run_outcome",
        "1 for the outcome of each job's last run, 0 for the others.",
        labels=["job", "outcome"],
    )
    for job in jobs:
        if job.last is None:
            continue
        started.add_metric([job.name], datetime.fromisoformat(job.last.started).timestamp())
        duration.add_metric([job.name], job.last.duration_seconds)
        for value in service.Outcome:
            outcome.add_metric([job.name, value.value], 1.0 if job.last.outcome is value else 0.0)
    yield started
    yield duration
    yield outcome


class MetricsMiddleware(HttpMiddleware):
    """Counts and times HTTP requests; labels paths only by the routes the app serves."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, paths: frozenset[str]) -> None:
        super().__init__(app)
        self.metrics = metrics
        self.paths = paths

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["path"] in self.paths else OTHER_PATH
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.latency.labels(path).observe(time.perf_counter() - started)
            self.metrics.requests.labels(scope["method"], path, str(status)).inc()
