"""Many rows written in statements of many rows: the same rows as one statement per row."""

from __future__ import annotations

import sqlite3

import pytest

from lineage.store.many_rows import ROWS_PER_STATEMENT, flat, insert_rows


def _table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a INTEGER, b TEXT, c INTEGER, d TEXT)")
    return db


def _rows(count: int) -> list[tuple[int, str]]:
    return [(n, f"row {n}") for n in range(count)]


@pytest.mark.parametrize(
    "count", [0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, 2 * ROWS_PER_STATEMENT + 3]
)
def test_every_row_is_written_once_in_order_with_the_literals_of_its_shape(count: int) -> None:
    db = _table()
    insert_rows(db, "INSERT INTO t (a, b, c, d)", "(?, ?, 7, NULL)", flat(_rows(count)))
    found = db.execute("SELECT a, b, c, d FROM t ORDER BY rowid").fetchall()
    assert found == [(a, b, 7, None) for a, b in _rows(count)]


def test_a_low_limit_on_parameters_makes_smaller_statements_of_the_same_rows() -> None:
    db = _table()
    db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 5)  # two rows of two per statement
    insert_rows(db, "INSERT INTO t (a, b)", "(?, ?)", flat(_rows(7)))
    assert db.execute("SELECT a, b FROM t ORDER BY rowid").fetchall() == _rows(7)


def test_a_conflict_clause_holds_for_each_row() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
    insert_rows(db, "INSERT OR IGNORE INTO t (a, b)", "(?, ?)", [1, "first", 2, "x", 1, "again"])
    assert db.execute("SELECT a, b FROM t ORDER BY a").fetchall() == [(1, "first"), (2, "x")]


def test_values_that_do_not_fill_whole_rows_are_refused_before_anything_is_written() -> None:
    db = _table()
    with pytest.raises(ValueError, match="3 values do not make rows of 2"):
        insert_rows(db, "INSERT INTO t (a, b)", "(?, ?)", [1, "one", 2])
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_a_row_without_parameters_is_refused() -> None:
    with pytest.raises(ValueError, match="a row of parameters"):
        insert_rows(_table(), "INSERT INTO t (a)", "(1)", [])
