"""``GET /diagram?root=...&direction=...&depth=...&format=svg|png|mermaid|dot|c4``: a live
picture a document or a browser can link to. The same views and limits as the GraphQL
``diagram`` field; an error is a JSON body with the service's error code and a 4xx/503 status.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lineage import service
from lineage.api.auth import reader_refused
from lineage.api.context import StoreHandle
from lineage.api.settings import ServiceSettings
from lineage.diagram import Format, GroupBy
from lineage.diagram.view import DEFAULT_LIMIT
from lineage.errors import InputError, LineageError
from lineage.model import Kind

_STATUS = {"NOT_FOUND": 404, "AMBIGUOUS": 409, "UNAVAILABLE": 503}


MAX_DIAGRAM_NODES = DEFAULT_LIMIT * 10
"""The largest ``limit`` a request may ask: beyond it a view collapses whatever it asks."""


async def drawn(
    settings: ServiceSettings, store: StoreHandle, wanted: service.ViewRequest, output: Format
) -> service.Drawing:
    """``wanted`` with the server's bounds, drawn off the event loop: what GraphQL's
    ``diagram`` and ``GET /diagram`` both answer with."""
    bounded = replace(
        wanted,
        depth=settings.hops(wanted.depth, argument="depth"),
        limit=min(settings.nodes(wanted.limit), MAX_DIAGRAM_NODES),
    )
    defaults = settings.config.freshness
    return await store.call(service.diagram, bounded, output, defaults=defaults)


def diagram_endpoint(
    settings: ServiceSettings, store: StoreHandle
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        refused = reader_refused(settings, request)
        if refused is not None:
            return refused
        try:
            wanted, output = _request(request.query_params)
            drawing = await drawn(settings, store, wanted, output)
        except LineageError as exc:
            return _error(exc.code, str(exc), _STATUS.get(exc.code, 400))
        headers = {"X-Lineage-Hidden": drawing.view.hidden} if drawing.view.hidden else {}
        return Response(drawing.content, media_type=drawing.media_type, headers=headers)

    return endpoint


def _request(params: object) -> tuple[service.ViewRequest, Format]:
    get = params.get  # type: ignore[attr-defined]
    try:
        output = Format(get("format", Format.SVG.value))
        direction = service.direction_of(get("direction", "both"))
        group_by = GroupBy(get("group_by", GroupBy.NONE.value))
        depth = int(get("depth", "2"))
        limit = int(get("limit", str(DEFAULT_LIMIT)))
        loop = int(get("loop")) if get("loop") else None
        kinds = frozenset(Kind(kind.lower()) for kind in params.getlist("kind"))  # type: ignore[attr-defined]
    except ValueError as exc:
        raise InputError(f"bad diagram parameter: {exc}") from None
    wanted = service.ViewRequest(
        root=get("root") or None,
        direction=direction,
        depth=depth,
        loop=loop,
        stale=get("stale", "") in ("1", "true", "yes"),
        kinds=kinds,
        group_by=group_by,
        limit=limit,
    )
    return wanted, output


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
