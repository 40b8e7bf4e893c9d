"""Bearer-token access: who may read and who may write.

With no token configured the service is open (it binds to 127.0.0.1 unless told otherwise).
With a token, mutations need ``Authorization: Bearer <token>``; with
``require_token_for_reads``, queries do too. The comparison is constant-time.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.permission import BasePermission

from lineage.api.settings import ServiceSettings

_SCHEME = "bearer"


@dataclass(frozen=True)
class Auth:
    can_read: bool
    can_write: bool


def authenticate(settings: ServiceSettings, authorization: str | None) -> Auth:
    """What a request with this ``Authorization`` header may do."""
    if not settings.api_token:
        return Auth(can_read=True, can_write=True)
    valid = _bearer_matches(authorization, settings.api_token)
    return Auth(can_read=valid or not settings.require_token_for_reads, can_write=valid)


def _bearer_matches(authorization: str | None, token: str) -> bool:
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != _SCHEME:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def reader_refused(settings: ServiceSettings, request: Request) -> Response | None:
    """The 401 for a plain HTTP read (``/metrics``, ``/diagram``) without the token the
    server needs for reads; ``None`` when the request may read."""
    if authenticate(settings, request.headers.get("authorization")).can_read:
        return None
    message = "this server needs `Authorization: Bearer <token>` for reads"
    return JSONResponse({"error": {"code": "UNAUTHENTICATED", "message": message}}, status_code=401)


class CanRead(BasePermission):
    message = "this server needs `Authorization: Bearer <token>` for queries"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.auth.can_read)


class CanWrite(BasePermission):
    message = "this server needs `Authorization: Bearer <token>` for mutations"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.auth.can_write)
