"""Prometheus metrics, kept in a registry of the app's own (no process-wide state), and the pure
ASGI middleware that counts and times every HTTP request."""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lineage.api.middleware import HttpMiddleware

OTHER_PATH = "other"
"""The path label of every request to an unknown path, so a scan cannot explode the series."""


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
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
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


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
