"""Bytes the embedded store derives from an origin's rows and keeps beside them.

Such bytes end with the CRC-32 of everything before them, so a damaged copy is told from an
intact one and the store derives it again from the rows instead of trusting it. Two kinds are
kept: an origin's :class:`~lineage.store.edge_table.EdgeTable`, and its node numbers in the
order its batch lists the nodes (:func:`numbers_to_bytes`), which spare an apply whose nodes
did not change a lookup of every id.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np
import numpy.typing as npt

_CHECKSUM = struct.Struct("<I")
_NUMBERS_HEADER = struct.Struct("<4sQB")
"""A mark of the layout, the count of node numbers, and the bytes of each (4, or 8 for
numbers of 2**31 and more; little-endian)."""
_NUMBERS_MARK = b"LNN2"


def seal(data: bytes) -> bytes:
    """``data`` followed by its CRC-32."""
    return data + _CHECKSUM.pack(zlib.crc32(data))


def unseal(data: object) -> bytes | None:
    """The bytes :func:`seal` was given, or ``None`` when ``data`` is not intact."""
    if not isinstance(data, bytes) or len(data) < _CHECKSUM.size:
        return None
    body = data[: -_CHECKSUM.size]
    return body if zlib.crc32(body) == _CHECKSUM.unpack_from(data, len(body))[0] else None


def numbers_to_bytes(numbers: npt.NDArray[Any]) -> bytes:
    """Node numbers (non-negative) in batch order, sealed: 32-bit when they fit."""
    narrow = not len(numbers) or int(numbers.max()) < 2**31
    stored = numbers.astype("<i4" if narrow else "<i8")
    header = _NUMBERS_HEADER.pack(_NUMBERS_MARK, len(numbers), stored.itemsize)
    return seal(header + stored.tobytes())


def numbers_from_bytes(data: object) -> npt.NDArray[np.int64] | None:
    """The numbers saved by :func:`numbers_to_bytes`, or ``None`` when ``data`` is not an
    intact copy of them."""
    body = unseal(data)
    if body is None or len(body) < _NUMBERS_HEADER.size:
        return None
    mark, count, width = _NUMBERS_HEADER.unpack_from(body)
    if mark != _NUMBERS_MARK or width not in (4, 8):
        return None
    if len(body) != _NUMBERS_HEADER.size + width * count:
        return None
    found = np.frombuffer(body, dtype=f"<i{width}", count=count, offset=_NUMBERS_HEADER.size)
    return found.astype(np.int64)
