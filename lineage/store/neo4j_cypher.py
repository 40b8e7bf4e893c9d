"""The Neo4j store's Cypher: every statement is a file in ``cypher/``, loaded by name.

Each file starts with a ``//`` header saying what it does and its parameters. Query text
never contains a value: values travel as parameters. Labels and relationship types are
written out in the files, chosen among the fixed enums (``Kind``, ``EdgeType``); where one
must vary per row, a file has one literal branch per enum member (``write_nodes``,
``write_edges``) and :func:`kind_label` / :func:`edge_type_name` are the whitelist the tests
hold the files to.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import LiteralString, cast

from lineage.model import EdgeType, Kind

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
SCHEMA_PREFIX = "schema_"
"""Schema statement files are ``schema_<name>.cypher``, creating the index or constraint
``<name>`` with ``IF NOT EXISTS``."""

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@functools.cache
def query(name: str) -> LiteralString:
    """The text of ``cypher/<name>.cypher`` (read once, then cached).

    The cast records what makes this text safe to send: it comes from a file of this
    repository, never from input.
    """
    if not _NAME.match(name):
        raise ValueError(f"not a Cypher query name: {name!r}")
    path = CYPHER_DIR / f"{name}.cypher"
    return cast(LiteralString, path.read_text(encoding="utf-8"))


@functools.cache
def schema_names() -> tuple[str, ...]:
    """Names of the constraints and indexes the store needs, from the schema files."""
    return tuple(
        sorted(path.stem.removeprefix(SCHEMA_PREFIX) for path in CYPHER_DIR.glob("schema_*.cypher"))
    )


def schema_query(name: str) -> LiteralString:
    """The statement that creates the constraint or index ``name``."""
    if name not in schema_names():
        raise ValueError(f"no schema statement for {name!r}")
    return query(SCHEMA_PREFIX + name)


def kind_label(kind: Kind) -> str:
    """The Neo4j label of a kind: ``Kind.SOURCE`` -> ``Source``."""
    return Kind(kind).value.capitalize()


def edge_type_name(edge_type: EdgeType) -> str:
    """The relationship type of an edge type (the enum's value: ``FEEDS``)."""
    return EdgeType(edge_type).value


def fold(text: str) -> str:
    """Lowercase ASCII letters only: the case-insensitivity the embedded store has (SQLite's
    NOCASE), so both stores match the same references and searches."""
    return text.translate(_ASCII_LOWER)
