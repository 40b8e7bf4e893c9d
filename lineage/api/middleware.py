"""Pure ASGI middleware (no ``BaseHTTPMiddleware``): a base for HTTP-only middleware, the
request body limit, and the cancelling of requests whose client has gone."""

from __future__ import annotations

import asyncio
import logging

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class HttpMiddleware:
    """Middleware for HTTP requests: every other scope (lifespan, websocket) passes through
    untouched, and a subclass implements ``handle`` for the HTTP ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class BodySizeLimit(HttpMiddleware):
    """Answers 413 to a request whose body is larger than ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"request body larger than {self.max_bytes} bytes", status_code=413
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class CancelOnDisconnect(HttpMiddleware):
    """Stops the work of a request whose client has gone. Once the handler has read the whole
    request body, nothing more comes on the channel but ``http.disconnect``: this waits for it
    and cancels the handler, so resolvers not yet started never start (a store call under way
    in a worker thread finishes on its own). A request whose body is never read (a GET) is
    left to run."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        body_read = asyncio.Event()

        async def tracked_receive() -> Message:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_read.set()
            return message

        handler = asyncio.ensure_future(self.app(scope, tracked_receive, send))
        watcher = asyncio.ensure_future(self._watch(receive, body_read, handler))
        try:
            await handler
        except asyncio.CancelledError:
            if not (watcher.done() and watcher.result()):
                raise  # cancelled from outside, not by the client leaving
            log.info("client went away: request to %s cancelled", scope.get("path"))
        finally:
            watcher.cancel()

    @staticmethod
    async def _watch(receive: Receive, body_read: asyncio.Event, handler: asyncio.Future) -> bool:
        """True when the client disconnected and the handler was cancelled for it."""
        await body_read.wait()
        if handler.done():
            return False
        message = await receive()
        if message["type"] == "http.disconnect" and not handler.done():
            handler.cancel()
            return True
        return False
