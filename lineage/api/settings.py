"""The GraphQL service's settings: one typed object, validated once, passed to ``create_app``."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from lineage.bounds import Clamps
from lineage.config import StoreSettings
from lineage.config_file import LineageConfig, cors_origin
from lineage.errors import InputError

LOOPBACK = "127.0.0.1"
TOKEN_ENV = "LINEAGE_API_TOKEN"
CORS_ENV = "LINEAGE_CORS_ORIGINS"
"""Comma-separated browser origins allowed to call the API; overrides ``api.cors_origins``."""


@dataclass(frozen=True)
class ServiceSettings:
    store: StoreSettings = field(default_factory=StoreSettings)
    host: str = LOOPBACK
    port: int = 8000
    api_token: str | None = field(default=None, repr=False)
    """When set, mutations need ``Authorization: Bearer <token>``."""
    require_token_for_reads: bool = False
    """Queries need the token too."""
    cors_origins: tuple[str, ...] = ()
    """Browser origins whose pages may call the API (CORS); none by default, so CORS is off
    and a browser refuses other sites' pages the answers."""
    max_hops_clamp: int = Clamps.max_hops
    """A larger ``maxHops`` (or ``maxLength``) is lowered to this."""
    max_nodes: int = Clamps.max_nodes
    """The most nodes one lineage, impact or page returns; a larger ``limit`` is lowered."""
    max_paths: int = Clamps.max_paths
    max_cycles: int = Clamps.max_cycles
    max_query_depth: int = 15
    max_query_tokens: int = 2_000
    max_aliases: int = 30
    max_query_cost: int = 100_000
    """Fields times the list sizes they may return (``cost.py``), counted before a query runs."""
    request_seconds: float = 30.0
    """A query still running after this long is answered with the code TIMEOUT."""
    max_body_bytes: int = 5_000_000
    config: LineageConfig = field(default_factory=LineageConfig)
    """``lineage.yaml``: the jobs the scheduler runs, default freshness per kind."""
    scheduler: bool = True
    """Run the configured jobs on their schedules inside the service."""

    def __post_init__(self) -> None:
        if self.require_token_for_reads and not self.api_token:
            raise InputError(f"requiring a token for reads needs a token: set {TOKEN_ENV}")
        bounds = {
            "max_hops_clamp": self.max_hops_clamp,
            "max_nodes": self.max_nodes,
            "max_paths": self.max_paths,
            "max_cycles": self.max_cycles,
            "max_query_depth": self.max_query_depth,
            "max_query_tokens": self.max_query_tokens,
            "max_aliases": self.max_aliases,
            "max_query_cost": self.max_query_cost,
            "max_body_bytes": self.max_body_bytes,
        }
        for name, value in bounds.items():
            if value < 1:
                raise InputError(f"{name} must be at least 1, not {value}")
        if not self.request_seconds > 0:
            raise InputError(f"request_seconds must be positive, not {self.request_seconds}")

    @classmethod
    def from_env(
        cls,
        store: StoreSettings,
        env: Mapping[str, str] = os.environ,
        *,
        host: str = LOOPBACK,
        port: int = 8000,
        require_token_for_reads: bool = False,
        max_hops_clamp: int = Clamps.max_hops,
        config: LineageConfig | None = None,
        scheduler: bool = True,
    ) -> ServiceSettings:
        """The token from ``LINEAGE_API_TOKEN``, else the configuration's, and the CORS
        origins from ``LINEAGE_CORS_ORIGINS``, else the configuration's; everything else from
        the flags given (and the configuration)."""
        config = config or LineageConfig()
        listed = env.get(CORS_ENV)
        origins = (
            tuple(cors_origin(item) for item in listed.split(",") if item.strip())
            if listed
            else config.cors_origins
        )
        return cls(
            store=store,
            host=host,
            port=port,
            api_token=env.get(TOKEN_ENV) or config.api_token,
            require_token_for_reads=require_token_for_reads or config.require_token_for_reads,
            cors_origins=origins,
            max_hops_clamp=max_hops_clamp,
            config=config,
            scheduler=scheduler,
        )

    def exposure_warning(self) -> str | None:
        """What to tell the operator when the service is bound beyond this machine with no
        token: anyone who can reach it may import and change the graph."""
        if self.api_token or is_loopback(self.host):
            return None
        return f"serving on {self.host} without {TOKEN_ENV}: anyone who can reach it may import"

    @property
    def graphql_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/graphql"

    def hops(self, requested: int, *, argument: str = "maxHops") -> int:
        """``requested`` lowered to the clamp; ``InputError`` below 1."""
        return min(_at_least_one(requested, argument), self.max_hops_clamp)

    def nodes(self, requested: int | None, *, argument: str = "limit") -> int:
        """``requested`` (the server's bound when ``None``) lowered to that bound."""
        if requested is None:
            return self.max_nodes
        return min(_at_least_one(requested, argument), self.max_nodes)

    def page(self, requested: int) -> int:
        """A page size: 0 (only ``totalCount``) up to the node bound."""
        if requested < 0:
            raise InputError(f"first must not be negative, not {requested}")
        return min(requested, self.max_nodes)

    def paths(self, requested: int) -> int:
        return min(_at_least_one(requested, "k"), self.max_paths)

    def cycles(self, requested: int) -> int:
        return min(_at_least_one(requested, "maxCycles"), self.max_cycles)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def _at_least_one(value: int, argument: str) -> int:
    if value < 1:
        raise InputError(f"{argument} must be at least 1, not {value}")
    return value
