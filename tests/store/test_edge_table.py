"""The edge table: the arrays that tell a changed batch's rows from the ones it kept."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lineage.store import edge_table, sealed
from lineage.store.edge_table import EdgeTable, distinct_in_key_order, row_hashes

keys = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 2))
attributes = st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from([None, "a", "b"]))
wide_keys = st.tuples(st.sampled_from([0, 3, 2**40]), st.sampled_from([1, 2**35]), st.just(0))
"""Keys too wide to pack into one 64-bit value: compared as bytes instead."""
tables = st.dictionaries(keys, attributes, max_size=40)
"""A table as ``{key: (role, mode, location)}``."""
wide_tables = st.dictionaries(wide_keys, attributes, max_size=6)


def _table(rows: dict[tuple[int, int, int], tuple[int, int, str | None]]) -> EdgeTable:
    ordered = sorted(rows.items())
    if not ordered:
        return EdgeTable.empty()
    roles = np.array([role for _, (role, _, _) in ordered])
    modes = np.array([mode for _, (_, mode, _) in ordered])
    locations = [location for _, (_, _, location) in ordered]
    hashes = row_hashes(roles, modes, locations, [None] * len(ordered))
    return EdgeTable(np.array([key for key, _ in ordered], dtype=np.int64), hashes)


def _assert_changes_are_the_rows_that_differ(old: dict, new: dict) -> None:
    change = _table(old).changes_to(_table(new))
    old_keys, new_keys = sorted(old), sorted(new)
    assert [old_keys[i] for i in change.gone] == [k for k in old_keys if new.get(k) != old[k]]
    assert [new_keys[i] for i in change.came] == [k for k in new_keys if old.get(k) != new[k]]
    assert change.removed == len(set(old) - set(new))


@given(old=tables, new=tables)
def test_changes_are_the_rows_that_differ_and_the_keys_that_went(old: dict, new: dict) -> None:
    _assert_changes_are_the_rows_that_differ(old, new)


@given(old=wide_tables, new=wide_tables)
def test_keys_too_wide_to_pack_are_compared_whole(old: dict, new: dict) -> None:
    _assert_changes_are_the_rows_that_differ(old, new)


@given(listed=st.lists(st.one_of(keys, wide_keys), max_size=30))
def test_distinct_keys_are_each_first_listing_in_key_order(listed: list) -> None:
    rows = np.array(listed, dtype=np.int64).reshape(len(listed), 3)
    first = {key: i for i, key in reversed(list(enumerate(listed)))}
    assert distinct_in_key_order(rows).tolist() == [first[key] for key in sorted(first)]


@given(rows=tables)
def test_a_table_reads_back_from_its_bytes(rows: dict) -> None:
    table = _table(rows)
    again = EdgeTable.from_bytes(table.to_bytes())
    assert again is not None
    assert np.array_equal(again.keys, table.keys) and np.array_equal(again.hashes, table.hashes)


def test_keys_beyond_32_bits_read_back_whole() -> None:
    table = EdgeTable(np.array([[2**40, 1, 0]], dtype=np.int64), np.array([7], dtype=np.uint64))
    again = EdgeTable.from_bytes(table.to_bytes())
    assert again is not None and again.keys.tolist() == [[2**40, 1, 0]]


def test_bytes_that_are_not_a_table_read_as_none() -> None:
    data = _table({(1, 2, 0): (0, 0, None)}).to_bytes()
    for damaged in (b"", b"junk", data[:-1], data + b"\0", b"XXXX" + data[4:]):
        assert EdgeTable.from_bytes(damaged) is None


def test_a_table_of_common_rows_keeps_a_few_bytes_an_edge() -> None:
    """Sorted keys and the one hash of rows with the same role and mode and no text compress:
    the store's file holds the table beside the rows, so its size counts."""
    sources = np.repeat(np.arange(20_000), 5)
    targets = sources + np.tile(np.arange(1, 6), 20_000)
    keys = np.column_stack([sources, targets, np.zeros_like(sources)])
    hashes = row_hashes(
        np.zeros(len(keys)), np.ones(len(keys)), [None] * len(keys), [None] * len(keys)
    )
    data = EdgeTable(keys, hashes).to_bytes()
    assert len(data) < 4 * len(keys)
    again = EdgeTable.from_bytes(data)
    assert again is not None and np.array_equal(again.keys, keys)


def test_compressed_arrays_that_do_not_inflate_to_the_table_read_as_none() -> None:
    data = sealed.unseal(_table({(1, 2, 0): (0, 0, None), (2, 3, 1): (1, 0, "a")}).to_bytes())
    assert data is not None
    header, arrays = data[:15], data[15:]
    shorter = zlib.compress(zlib.decompress(arrays)[:-8])
    longer = zlib.compress(zlib.decompress(arrays) + bytes(8))
    for body in (arrays[:-2], b"not zlib", shorter, longer, arrays + b"x"):
        assert EdgeTable.from_bytes(sealed.seal(header + body)) is None


def test_a_keys_first_listing_stands_for_it_in_key_order() -> None:
    listed = np.array([[2, 0, 0], [1, 5, 0], [2, 0, 0], [1, 5, 1], [1, 5, 0]])
    assert distinct_in_key_order(listed).tolist() == [1, 3, 0]


def test_row_hashes_are_the_same_in_every_process() -> None:
    """Python salts its own ``hash`` of text per process; a stored hash must not be salted."""
    script = (
        "import numpy as np; from lineage.store.edge_table import row_hashes;"
        "print(row_hashes(np.array([1, 2]), np.array([0, 3]), ['doc.md:4', None],"
        ' [None, \'{"label": "x"}\']).tolist())'
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(found) == 1


def test_a_different_text_or_code_changes_the_hash() -> None:
    base = row_hashes(np.array([1]), np.array([2]), ["doc.md:4"], [None])
    for roles, modes, location, detail in (
        ([2], [2], "doc.md:4", None),
        ([1], [3], "doc.md:4", None),
        ([1], [2], "doc.md:5", None),
        ([1], [2], None, None),
        ([1], [2], "doc.md:4", "{}"),
    ):
        assert row_hashes(np.array(roles), np.array(modes), [location], [detail]) != base


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=30))
def test_rows_without_text_hash_as_rows_whose_texts_are_hashed(codes: list) -> None:
    roles = np.array([role for role, _ in codes], dtype=np.int64)
    modes = np.array([mode for _, mode in codes], dtype=np.int64)
    no_text = np.zeros(len(codes), dtype=np.uint64)
    expected = edge_table._hashes(roles, modes, no_text, no_text)
    assert row_hashes(roles, modes, [None] * len(codes), [None] * len(codes)).tolist() == (
        expected.tolist()
    )


def test_hashes_kept_in_files_keep_their_values() -> None:
    """Stored tables hold these: a change of the mixing would make every row look changed."""
    roles, modes = np.array([0, 1, 4, 2]), np.array([0, 2, 4, 1])
    assert row_hashes(roles, modes, [None] * 4, [None] * 4).tolist() == [
        0, 18289266757991343154, 3732686400173601008, 9521328663261298058
    ]  # fmt: skip


texts = st.sampled_from([None, None, "doc.md:4", '{"label": "x"}'])


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), texts, texts), max_size=30))
def test_rows_with_and_without_text_hash_as_each_row_mixed_with_its_texts(rows: list) -> None:
    roles = np.array([row[0] for row in rows], dtype=np.int64)
    modes = np.array([row[1] for row in rows], dtype=np.int64)
    locations, details = [row[2] for row in rows], [row[3] for row in rows]
    expected = edge_table._hashes(
        roles, modes, edge_table._text_hashes(locations), edge_table._text_hashes(details)
    )
    assert row_hashes(roles, modes, locations, details).tolist() == expected.tolist()
