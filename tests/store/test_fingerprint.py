"""Fingerprints: equal data, equal digest; data that differ anywhere, different digests."""

from __future__ import annotations

import pytest

from lineage.store.fingerprint import DIGEST_BYTES, fingerprint

EDGES = (
    ["dataset:a", "dataset:a", "job:b"],
    ["job:b", "model:c", "model:c"],
    b"\x00\x01\x00",
    [None, "x.md:4", None],
    [None, None, None],
)


def _fresh(text: str) -> str:
    """The same text in a new object."""
    return "".join(list(text))


def test_equal_data_in_other_objects_has_the_same_digest() -> None:
    copied = ([_fresh(i) for i in EDGES[0]], [_fresh(i) for i in EDGES[1]], *EDGES[2:])
    assert copied[0][0] is not EDGES[0][0]
    digest = fingerprint(EDGES)
    assert digest is not None and len(digest) == DIGEST_BYTES
    assert fingerprint(copied) == digest


@pytest.mark.parametrize(
    "changed",
    [
        (["dataset:a", "dataset:a", "job:B"], *EDGES[1:]),  # one id
        (["dataset:a", "dataset:a"], ["job:b", "job:b", "model:c", "model:c"], *EDGES[2:]),
        (["dataset:a", "dataset:ajob:b"], *EDGES[1:]),  # the same text, cut elsewhere
        (["dataset:a", "dataset:a\0job:b"], *EDGES[1:]),  # the two ids as one with a NUL
        (["dataset:a", "dataset:a", "job:b", ""], *EDGES[1:]),  # one empty id more
        (*EDGES[:3], [None, "x.md:5", None], EDGES[4]),  # one location
        (*EDGES[:4], [None, None, "{}"]),  # one detail
        (EDGES[0], EDGES[0], *EDGES[2:]),  # targets as sources
    ],
)
def test_one_difference_anywhere_changes_the_digest(changed: tuple[object, ...]) -> None:
    assert fingerprint(changed) != fingerprint(EDGES)


def test_ids_holding_a_nul_are_fingerprinted_and_told_apart() -> None:
    assert fingerprint((["a\0b", "c"],)) != fingerprint((["a", "b\0c"],))
    assert fingerprint((["a\0b", "c"],)) == fingerprint((["a\0b", "c"],))


def test_node_rows_have_their_digest_in_any_objects_and_another_in_another_order() -> None:
    nodes = [("dataset:a", "A", "batch", None, None), ("job:b", "", "unknown", "x.md:3", "{}")]
    assert fingerprint(nodes) == fingerprint([tuple(row) for row in nodes])
    assert fingerprint(nodes) != fingerprint(nodes[::-1])


def test_data_marshal_cannot_write_has_no_fingerprint() -> None:
    class Text(str):
        pass

    assert fingerprint([("dataset:a", Text("A"))]) is None
    assert fingerprint(([None, Text("x")],)) is None
