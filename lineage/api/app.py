"""The starlette app: ``/graphql`` (GraphiQL in a browser), ``/healthz``, ``/readyz``, ``/metrics``.

create_app(settings)
├── lifespan               opens the store on startup, closes it on shutdown; runs the
│                          configured jobs on their schedules in between (``scheduler.py``)
├── CORSMiddleware         only when origins are configured (``cors_origins``): off by default
├── BodySizeLimit          refuses request bodies over ``max_body_bytes`` (pure ASGI)
├── CancelOnDisconnect     stops a request's work when its client goes away
├── MetricsMiddleware      counts and times requests (pure ASGI)
└── routes
    ├── /                  the explorer page (static/index.html, explorer.js: GraphQL only)
    ├── /graphql           LineageGraphQL: a new Context (loaders, auth) per request; GraphiQL
    │                      from static/graphiql.html and the vendored files
    ├── /healthz           the process answers
    ├── /readyz            the store answers (503 when it does not; the reason is logged, not
    │                      sent: it names the Neo4j URI or the embedded file)
    ├── /metrics           Prometheus text format
    ├── /diagram           a diagram of a view (``diagram_route.py``): svg, png, mermaid...
    └── /static            the pages' files, served from the package: nothing from a CDN
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from lineage.api.auth import authenticate, reader_refused
from lineage.api.context import Context, StoreFactory, StoreHandle
from lineage.api.diagram_route import diagram_endpoint
from lineage.api.loaders import Loaders
from lineage.api.metrics import FreshnessCollector, Metrics, MetricsMiddleware
from lineage.api.middleware import BodySizeLimit, CancelOnDisconnect
from lineage.api.schema import build_schema
from lineage.api.settings import ServiceSettings
from lineage.errors import StoreError
from lineage.scheduler import JobScheduler
from lineage.service import check_ready, open_store

TIMEOUT = "TIMEOUT"
GRAPHQL_PATH = "/graphql"
PATHS = frozenset({GRAPHQL_PATH, "/", "/healthz", "/readyz", "/metrics", "/diagram"})
STATIC = Path(__file__).with_name("static")
"""The explorer page and GraphiQL, with the vendored files they load (``vendor/``)."""

log = logging.getLogger(__name__)


class LineageGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with the service's per-request context, and GraphiQL from the
    files the service serves (strawberry's own page loads them from a CDN)."""

    def __init__(self, settings: ServiceSettings, store: StoreHandle, metrics: Metrics) -> None:
        super().__init__(build_schema(settings), graphql_ide="graphiql")
        self.settings = settings
        self.store = store
        self.metrics = metrics

    def decode_json(self, data: str | bytes) -> object:
        """A request body (or ``variables`` parameter) that is not a JSON object is a 400 with
        a reason, never a 500: arrays, strings, numbers, invalid UTF-8."""
        try:
            decoded = json.loads(data)
        except UnicodeDecodeError:
            raise HTTPException(400, "the request body is not UTF-8 text") from None
        except RecursionError:
            raise HTTPException(400, "the request body is nested too deeply") from None
        if not isinstance(decoded, dict):
            raise HTTPException(400, "the request body must be a JSON object") from None
        return decoded

    def encode_json(self, data: object) -> bytes:
        """Valid JSON always: a float that is not a number (NaN, infinity, which imported
        properties may hold) is written as null, never as the non-JSON ``NaN``."""
        return orjson.dumps(data, default=str)

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        """The operation, within the service's time budget: past it the client gets the code
        TIMEOUT at once (a store call under way in a worker thread finishes on its own)."""
        context = kwargs.get("context", args[3] if len(args) > 3 else None)
        data = kwargs.get("request_data", args[2] if len(args) > 2 else None)
        if context is not None and not context.auth.can_read and _introspects(data):
            message = "this server needs `Authorization: Bearer <token>` for queries"
            error = GraphQLError(message, extensions={"code": "UNAUTHENTICATED"})
            return ExecutionResult(data=None, errors=[error])
        try:
            async with asyncio.timeout(self.settings.request_seconds):
                return await super().execute_operation(*args, **kwargs)
        except TimeoutError:
            budget = self.settings.request_seconds
            message = f"the query took longer than the server's budget of {budget:g} s"
            return ExecutionResult(
                data=None, errors=[GraphQLError(message, extensions={"code": TIMEOUT})]
            )

    @property
    def graphql_ide_html(self) -> str:
        return _graphiql_page()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            store=self.store,
            loaders=Loaders(self.store),
            auth=authenticate(self.settings, request.headers.get("authorization")),
            metrics=self.metrics,
        )


@functools.cache
def _graphiql_page() -> str:
    """GraphiQL's page, read from the package once."""
    return (STATIC / "graphiql.html").read_text(encoding="utf-8")


def _introspects(request_data: Any) -> bool:
    """Whether an operation asks for the schema (``__schema``, ``__type``): introspection is a
    read, and needs the token when reads do."""
    query = getattr(request_data, "query", None)
    if not isinstance(query, str) or "__" not in query:
        return False
    try:
        document = parse(query)
    except GraphQLError:
        return False  # the schema reports the syntax error itself
    return any(
        isinstance(selection, FieldNode) and selection.name.value in ("__schema", "__type")
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        for selection in definition.selection_set.selections
    )


def cors_middleware(origins: tuple[str, ...]) -> Middleware:
    """CORS for the listed origins only: their pages may send queries (and the token, as
    an ``Authorization`` header; no cookies are used) and read the answers."""
    return Middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )


def create_app(settings: ServiceSettings, *, store_factory: StoreFactory = open_store) -> Starlette:
    """The service as an ASGI app. ``store_factory`` opens the store (tests wrap it)."""
    store = StoreHandle(settings.store, store_factory)
    metrics = Metrics(FreshnessCollector(store.get, settings.config))

    scheduler = JobScheduler(settings.config, store.get) if settings.scheduler else None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(store.open)
        if scheduler and scheduler.schedules():
            scheduler.start()
        try:
            yield
        finally:
            if scheduler:
                await run_in_threadpool(scheduler.shutdown)
            await run_in_threadpool(store.close)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        backend = settings.store.backend.value
        try:
            await store.call(check_ready)
        except StoreError as exc:
            log.warning("not ready: %s", exc)
            metrics.store_up.set(0)
            return JSONResponse({"status": "unavailable", "store": backend}, status_code=503)
        metrics.store_up.set(1)
        return JSONResponse({"status": "ready", "store": backend})

    async def metrics_endpoint(request: Request) -> Response:
        return reader_refused(settings, request) or await metrics.endpoint(request)

    async def explorer(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    routes = [
        Route("/", explorer, methods=["GET"]),
        Route(GRAPHQL_PATH, LineageGraphQL(settings, store, metrics)),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/diagram", diagram_endpoint(settings, store), methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(MetricsMiddleware, metrics=metrics, paths=PATHS),
        Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes),
        Middleware(CancelOnDisconnect),
    ]
    if settings.cors_origins:
        middleware.insert(0, cors_middleware(settings.cors_origins))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
