"""Bytes kept beside an origin's rows: intact copies read back, anything else reads as none."""

from __future__ import annotations

import numpy as np
import pytest

from lineage.store import sealed


def test_sealed_bytes_read_back_as_given() -> None:
    assert sealed.unseal(sealed.seal(b"rows")) == b"rows"
    assert sealed.unseal(sealed.seal(b"")) == b""


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],
        lambda data: data[:3],
        lambda data: bytes([data[0] ^ 1]) + data[1:],
        lambda data: data + b"\0",
        lambda data: data.decode("latin-1"),
        lambda data: None,
    ],
)
def test_damaged_sealed_bytes_read_as_none(damage) -> None:  # type: ignore[no-untyped-def]
    assert sealed.unseal(damage(sealed.seal(b"node numbers"))) is None


def test_node_numbers_read_back_in_their_order() -> None:
    numbers = np.array([7, 3, 2**31 - 1, 0], dtype=np.int64)
    found = sealed.numbers_from_bytes(sealed.numbers_to_bytes(numbers))
    assert found is not None
    assert found.tolist() == [7, 3, 2**31 - 1, 0]
    assert sealed.numbers_from_bytes(sealed.numbers_to_bytes(numbers[:0])) is not None


def test_node_numbers_beyond_32_bits_read_back_whole() -> None:
    found = sealed.numbers_from_bytes(sealed.numbers_to_bytes(np.array([2**40, 1])))
    assert found is not None and found.tolist() == [2**40, 1]


def test_node_numbers_of_another_layout_or_length_read_as_none() -> None:
    data = sealed.unseal(sealed.numbers_to_bytes(np.arange(5)))
    assert data is not None
    assert sealed.numbers_from_bytes(sealed.seal(b"LNN9" + data[4:])) is None
    assert sealed.numbers_from_bytes(sealed.seal(data[:-4])) is None
    assert sealed.numbers_from_bytes(sealed.seal(b"LNN")) is None
