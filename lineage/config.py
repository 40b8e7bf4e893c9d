"""Settings for stores and the service, from the environment and command-line flags.

One typed object, validated once, passed explicitly: nothing reads the environment later.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lineage.errors import InputError

DEFAULT_DB = Path(".lineage/lineage.db")
DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"


class Backend(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


@dataclass(frozen=True)
class StoreSettings:
    backend: Backend = Backend.EMBEDDED
    db_path: Path = DEFAULT_DB
    neo4j_uri: str = DEFAULT_NEO4J_URI
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] = os.environ,
        *,
        backend: str | None = None,
        db_path: str | Path | None = None,
        base: StoreSettings | None = None,
    ) -> StoreSettings:
        """Flags win over the environment, which wins over ``base`` (a configuration file's
        settings), which wins over the defaults."""
        base = base or cls()
        chosen = backend or env.get("LINEAGE_STORE") or base.backend.value
        try:
            parsed = Backend(chosen)
        except ValueError:
            names = ", ".join(b.value for b in Backend)
            raise InputError(f"unknown store {chosen!r}; choose one of: {names}") from None
        return cls(
            backend=parsed,
            db_path=Path(db_path or env.get("LINEAGE_DB") or base.db_path),
            neo4j_uri=env.get("NEO4J_URI") or base.neo4j_uri,
            neo4j_user=env.get("NEO4J_USER") or base.neo4j_user,
            neo4j_password=env.get("NEO4J_PASSWORD") or base.neo4j_password,
            neo4j_database=env.get("NEO4J_DATABASE") or base.neo4j_database,
        )
