"""The Neo4j store's Cypher: every statement is a file in ``cypher/``, loaded by name.

Each file starts with a ``//`` header saying what it does and its parameters. Query text
never contains a value: values travel as parameters. Labels and relationship types are
written out in the files, chosen among the fixed enums (``Kind``, ``EdgeType``); where one
must vary per row, a file has one literal branch per enum member (``write_nodes``,
``write_edges``) and :func:`kind_label` / :func:`edge_type_name` are the whitelist the tests
hold the files to.

One thing is written into a query's text: the bound of a variable-length pattern, which Cypher
does not take as a parameter. A file needing one holds the placeholder ``{max_hops}`` once
(``reach_downstream``, ``reach_upstream``); :func:`bounded_query` replaces it with the decimal
literal of an ``int`` it has checked, and :func:`query` refuses such a file.

The files live in ``cypher/`` at the root of the checkout and are installed as the resource
package ``lineage.cypher`` (``pyproject.toml`` maps the folder there); they are read with
``importlib.resources``, so a wheel, an ordinary install and an editable checkout all find them.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from importlib.resources.abc import Traversable
from typing import LiteralString, cast

from lineage.errors import StoreError
from lineage.model import EdgeType, Kind

CYPHER_PACKAGE = "lineage.cypher"
SCHEMA_PREFIX = "schema_"
"""Schema statement files are ``schema_<name>.cypher``, creating the index or constraint
``<name>`` with ``IF NOT EXISTS``."""
HOPS_PLACEHOLDER = "{max_hops}"
"""Where :func:`bounded_query` writes the hop bound (a ``{`` there is a Cypher syntax error, so a
query sent without rendering fails instead of running unbounded)."""
MAX_HOPS_BOUND = 100_000
"""The largest hop bound :func:`bounded_query` renders."""
MISSING_FILES = (
    f"the Cypher query files ({CYPHER_PACKAGE}) are missing from this installation; "
    "reinstall the lineage package"
)

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@functools.cache
def query(name: str) -> LiteralString:
    """The text of ``cypher/<name>.cypher`` (read once, then cached).

    The cast records what makes this text safe to send: it comes from a file of this
    repository, never from input. A file with a hop bound to fill in is refused: use
    :func:`bounded_query`.
    """
    text = _text(name)
    if HOPS_PLACEHOLDER in _body(text):
        raise ValueError(f"{name}.cypher has a hop bound to fill in: use bounded_query()")
    return cast(LiteralString, text)


def bounded_query(name: str, max_hops: int) -> LiteralString:
    """The text of ``cypher/<name>.cypher`` with its variable-length bound set to ``max_hops``.

    ``max_hops`` must be an ``int`` (not a ``bool``) from 1 to :data:`MAX_HOPS_BOUND`; its
    decimal digits are the only thing ever written into a query. The cast is safe for that
    reason: the rest of the text is the repository's file. (Not cached: a cache keyed on
    ``max_hops`` would take ``True`` for ``1`` and skip the check.)
    """
    if not (
        isinstance(max_hops, int)
        and not isinstance(max_hops, bool)
        and 1 <= max_hops <= MAX_HOPS_BOUND
    ):
        raise ValueError(f"a hop bound is an int from 1 to {MAX_HOPS_BOUND}, not {max_hops!r}")
    text = _text(name)
    body = _body(text)
    if body.count(HOPS_PLACEHOLDER) != 1:
        raise ValueError(f"{name}.cypher has no single {HOPS_PLACEHOLDER} placeholder")
    header = text[: len(text) - len(body)]
    rendered = header + body.replace(HOPS_PLACEHOLDER, str(int(max_hops)))
    return cast(LiteralString, rendered)


@functools.cache
def _text(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a Cypher query name: {name!r}")
    try:
        return (_cypher_files() / f"{name}.cypher").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StoreError(f"{MISSING_FILES} (no {name}.cypher)") from exc


def _cypher_files() -> Traversable:
    try:
        return resources.files(CYPHER_PACKAGE)
    except ModuleNotFoundError as exc:
        raise StoreError(MISSING_FILES) from exc


def _body(text: str) -> str:
    """The text after the leading ``//`` header lines (which may mention the placeholder)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
    return "".join(lines[start:])


@functools.cache
def schema_names() -> tuple[str, ...]:
    """Names of the constraints and indexes the store needs, from the schema files."""
    files = (entry.name for entry in _cypher_files().iterdir() if entry.is_file())
    return tuple(
        sorted(
            name.removeprefix(SCHEMA_PREFIX).removesuffix(".cypher")
            for name in files
            if name.startswith(SCHEMA_PREFIX) and name.endswith(".cypher")
        )
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
