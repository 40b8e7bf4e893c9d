"""The GraphQL API: a strawberry schema over ``lineage.analysis``, served by starlette.

Use ``create_app(ServiceSettings(...))`` for the ASGI app and ``schema_sdl()`` for the SDL.
"""

from __future__ import annotations

from lineage.api.app import create_app
from lineage.api.schema import build_schema, schema_sdl
from lineage.api.settings import ServiceSettings

__all__ = ["ServiceSettings", "build_schema", "create_app", "schema_sdl"]
