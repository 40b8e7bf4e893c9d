"""Many rows into SQLite in few statements.

``executemany`` runs its statement once per row, and the sqlite3 module's own work for each
run (binding, stepping, resetting, about 1.5 µs) is three times what SQLite spends putting a
row of integers into its b-tree: two thirds of a million-edge insert. One statement of many
rows, ``INSERT ... VALUES (...), (...), ...``, pays that once per :data:`ROWS_PER_STATEMENT`
rows, and the rows need no tuple each: their values come as one flat list.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

ROWS_PER_STATEMENT = 500
"""Rows per statement: enough that the per-statement work no longer shows (1,000 rows
measured no quicker), short enough that each statement's text stays a few kilobytes."""


def insert_rows(db: sqlite3.Connection, head: str, row: str, values: Sequence[Any]) -> None:
    """Run ``head`` (``INSERT INTO t (a, b)``) followed by ``VALUES`` rows shaped as ``row``
    (``(?, ?)``, or ``(7, ?, NULL)`` with literals) for ``values``: the parameters of
    every row, row after row, as many per row as ``row`` has ``?``."""
    width = row.count("?")
    if not width:
        raise ValueError(f"a row of parameters, not {row!r}")
    if len(values) % width:
        raise ValueError(f"{len(values)} values do not make rows of {width}")
    limit = db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(ROWS_PER_STATEMENT, limit // width)) * width
    whole = len(values) - len(values) % per_statement
    if whole:
        db.executemany(
            _statement(head, row, per_statement // width),
            (values[start : start + per_statement] for start in range(0, whole, per_statement)),
        )
    if whole < len(values):
        db.execute(_statement(head, row, (len(values) - whole) // width), values[whole:])


def flat(rows: Iterable[Sequence[Any]]) -> list[Any]:
    """The values of ``rows``, row after row: what :func:`insert_rows` takes."""
    return list(itertools.chain.from_iterable(rows))


def _statement(head: str, row: str, rows: int) -> str:
    return f"{head} VALUES {', '.join([row] * rows)}"
