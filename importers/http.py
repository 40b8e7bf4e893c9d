"""GET with retries, for importers that read a service (a schema registry, Metaflow's).

A request that times out, or is answered 429 or 5xx, is tried again after a wait that doubles
each time (or what ``Retry-After`` says, capped); one that cannot connect fails at once, since
waiting does not bring a server up. Every failure is an ``InputError`` naming the URL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from lineage.errors import InputError


@dataclass(frozen=True)
class Retries:
    times: int = 4
    first_wait: float = 0.25
    """Seconds before the first retry."""
    max_wait: float = 10.0


def get(
    client: httpx.Client,
    path: str,
    params: dict[str, Any] | None,
    *,
    what: str,
    retries: Retries,
) -> httpx.Response:
    """``GET path``; the last answer when it stays 429/5xx, for the caller to report.
    ``what`` names the server in messages (``the registry``)."""
    wait = retries.first_wait
    for attempt in range(retries.times + 1):
        try:
            response = client.get(path, params=params)
        except httpx.TimeoutException as exc:
            if attempt == retries.times:
                timeout = client.timeout.read
                raise InputError(f"{client.base_url}{path}: no answer in {timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise InputError(f"{client.base_url}: cannot reach {what} ({exc})") from exc
        else:
            if response.status_code != 429 and response.status_code < 500:
                return response
            if attempt == retries.times:
                return response
            wait = _retry_after(response, wait)
        time.sleep(min(wait, retries.max_wait))
        wait *= 2
    raise AssertionError("unreachable")  # the loop returns or raises


def _retry_after(response: httpx.Response, default: float) -> float:
    header = response.headers.get("Retry-After")
    try:
        return float(header) if header is not None else default
    except ValueError:
        return default


def segment(value: str) -> str:
    """``value`` as one path segment of a URL (a subject or flow name may hold ``/``)."""
    return quote(value, safe="")
