"""One origin's edge assertions as arrays: what tells a changed batch's few rows from the rest.

The embedded store keeps, beside each origin's rows, an :class:`EdgeTable` of them: each
edge's key ``(source, target, type)`` and a 64-bit hash of the rest of its row. A batch that
changed is numbered into a table of its own and the two are compared with sorted-array
searches, so an apply that changes 1% of a million edges reads and writes only that 1%
instead of reading every old row back to diff them.

Keys are compared exactly; the hash only tells whether the rest of a row (role, mode,
location, detail) changed under the same key, where two different rows would have to agree
on 64 bits to be taken for the same.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from lineage.store.batch_columns import no_text
from lineage.store.sealed import seal, unseal

Array = npt.NDArray[Any]
_KEY_WIDTH = 3
_HEADER = struct.Struct("<4sQ3B")
"""A mark of the layout, the row count, and the bits each key column is packed in (all 0:
the keys are kept unpacked, as 64-bit integers)."""
_MARK = b"LET3"
"""``LET2`` kept the keys as 32-bit integers and the hashes uncompressed (20 bytes an edge,
against about 3 here); ``LET1`` had no checksum. Either reads as none (the caller rebuilds
the table from the rows)."""
_ZLIB_LEVEL = 1
"""The fastest: sorted keys' differences and the repeated hash of the common row (same role
and mode, no text) compress tenfold even so."""
_SPLITMIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


@dataclass(frozen=True)
class EdgeTable:
    """Distinct edges in key order: ``keys`` is ``(n, 3)`` of ``(source, target, type)``
    (non-negative integers), ``hashes`` the hash of each row's other columns."""

    keys: Array
    hashes: Array

    def __len__(self) -> int:
        return len(self.hashes)

    @classmethod
    def empty(cls) -> EdgeTable:
        return cls(np.zeros((0, _KEY_WIDTH), dtype=np.int64), np.zeros(0, dtype=np.uint64))

    def to_bytes(self) -> bytes:
        """The table as a header, then, compressed, the keys (packed each into one integer,
        as the differences between consecutive ones) and the hashes, and a checksum."""
        widths = _key_widths(self.keys)
        if sum(widths) <= 64:
            packed = _packed(_unsigned(self.keys), _shifts(widths))
            keys = np.diff(packed, prepend=np.uint64(0)).astype("<u8").tobytes()
        else:
            widths, keys = (0, 0, 0), self.keys.astype("<i8").tobytes()
        arrays = zlib.compress(keys + self.hashes.astype("<u8").tobytes(), _ZLIB_LEVEL)
        return seal(_HEADER.pack(_MARK, len(self), *widths) + arrays)

    @classmethod
    def from_bytes(cls, data: object) -> EdgeTable | None:
        """The table saved by :meth:`to_bytes`, or ``None`` when ``data`` is not one intact
        (damaged, cut short, or of another layout)."""
        data = unseal(data)
        if data is None or len(data) < _HEADER.size:
            return None
        mark, count, *widths = _HEADER.unpack_from(data)
        packed = any(widths)
        key_bytes = count * (1 if packed else _KEY_WIDTH) * 8
        if mark != _MARK or (packed and sum(widths) > 64):
            return None
        arrays = _decompressed(data[_HEADER.size :], key_bytes + count * 8)
        if arrays is None:
            return None
        hashes = np.frombuffer(arrays, dtype="<u8", count=count, offset=key_bytes)
        if packed:
            steps = np.frombuffer(arrays, dtype="<u8", count=count)
            keys = _unpacked(np.cumsum(steps, dtype=np.uint64), widths)
        else:
            keys = np.frombuffer(arrays, dtype="<i8", count=count * _KEY_WIDTH)
        return cls(keys.reshape(count, _KEY_WIDTH).astype(np.int64), hashes.astype(np.uint64))

    def changes_to(self, new: EdgeTable) -> EdgeChanges:
        """What turns this table's rows into ``new``'s."""
        if not len(self):
            return EdgeChanges(np.zeros(0, dtype=np.intp), np.arange(len(new)), 0)
        old_keys, new_keys = _comparable(self.keys, new.keys)
        at = np.minimum(np.searchsorted(old_keys, new_keys), len(self) - 1)
        found = old_keys[at] == new_keys
        same = found & (self.hashes[at] == new.hashes)
        kept = np.zeros(len(self), dtype=bool)
        kept[at[same]] = True
        removed = len(self) - int(np.count_nonzero(found))
        return EdgeChanges(np.flatnonzero(~kept), np.flatnonzero(~same), removed)


@dataclass(frozen=True)
class EdgeChanges:
    """The rows of an old table that a new one no longer holds as they are (``gone``), and
    the new table's rows the old one does not hold (``came``): a row changed under its key is
    in both. ``removed`` counts the keys that are gone altogether."""

    gone: Array
    came: Array
    removed: int


def distinct_in_key_order(keys: Array) -> Array:
    """The positions of ``keys`` (rows of ``(source, target, type)``) that make each key's
    first listing, in key order."""
    (comparable,) = _comparable(keys)
    order = np.argsort(comparable, kind="stable")  # a key's listings keep their order
    ranked = comparable[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = ranked[1:] != ranked[:-1]
    return order[first]


def row_hashes(
    roles: Array, modes: Array, locations: list[str | None], details: list[str | None]
) -> Array:
    """A 64-bit hash of each row's ``(role, mode, location, detail)`` (non-negative codes
    and texts), the same in every process (Python's own ``hash`` of text is salted per
    process). Most rows have no text: theirs is looked up in a table of every ``(role,
    mode)``; only the rows with a location or a detail are mixed with their texts."""
    hashes = _hashes_without_text(roles, modes)
    with_text = np.union1d(_with_text(locations), _with_text(details))
    if len(with_text):
        chosen = with_text.tolist()
        hashes[with_text] = _hashes(
            roles[with_text],
            modes[with_text],
            _text_hashes([locations[i] for i in chosen]),
            _text_hashes([details[i] for i in chosen]),
        )
    return hashes


def _hashes(roles: Array, modes: Array, location_hashes: Array, detail_hashes: Array) -> Array:
    mixed = _mix(roles.astype(np.uint64) | (modes.astype(np.uint64) << np.uint64(16)))
    mixed = _mix(mixed ^ location_hashes)
    return _mix(mixed ^ detail_hashes)


def _hashes_without_text(roles: Array, modes: Array) -> Array:
    """:func:`_hashes` of rows without text, from a table of every ``(role, mode)`` up to
    the largest: a lookup a row instead of three rounds of mixing."""
    if not len(roles):
        return np.zeros(0, dtype=np.uint64)
    roles, modes = roles.astype(np.int64, copy=False), modes.astype(np.int64, copy=False)
    width = int(modes.max()) + 1
    pairs = np.arange((int(roles.max()) + 1) * width)
    no_text = np.zeros(len(pairs), dtype=np.uint64)
    table = _hashes(pairs // width, pairs % width, no_text, no_text)
    return table.take(roles * width + modes)


def _with_text(texts: list[str | None]) -> Array:
    """The positions of ``texts`` that hold one."""
    if no_text(texts):
        return np.zeros(0, dtype=np.intp)
    return np.array([i for i, text in enumerate(texts) if text is not None], dtype=np.intp)


def _text_hashes(texts: list[str | None]) -> Array:
    """BLAKE2b's first 8 bytes of each text, 0 for ``None``."""
    hashes = (0 if text is None else _text_hash(text) for text in texts)
    return np.fromiter(hashes, dtype=np.uint64, count=len(texts))


def _text_hash(text: str) -> int:
    encoded = text.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little")


def _mix(values: Array) -> Array:
    """SplitMix64's finalizer, element-wise (unsigned arithmetic wraps)."""
    values = values ^ (values >> np.uint64(30))
    values = values * _SPLITMIX[0]
    values = values ^ (values >> np.uint64(27))
    values = values * _SPLITMIX[1]
    return values ^ (values >> np.uint64(31))


def _comparable(*tables: Array) -> tuple[Array, ...]:
    """Each key row of each table as one value whose order is the rows' numeric order, so
    whole keys sort and search as one column: the three integers packed into one unsigned
    64-bit integer when the largest of them fit (node numbers nearly always do), else
    big-endian bytes. The tables are packed alike, so their values compare."""
    widths = _key_widths(*tables)
    if sum(widths) <= 64:
        shifts = _shifts(widths)
        return tuple(_packed(_unsigned(t), shifts) for t in tables)
    return tuple(
        np.ascontiguousarray(t.astype(">i8")).view(f"V{8 * _KEY_WIDTH}").ravel() for t in tables
    )


def _key_widths(*tables: Array) -> list[int]:
    """The bits each key column needs to hold its largest value in any of ``tables``."""
    return [_bits(max((int(t[:, i].max()) for t in tables if len(t)), default=0))
            for i in range(_KEY_WIDTH)]  # fmt: skip


def _shifts(widths: list[int]) -> list[np.uint64]:
    return [np.uint64(sum(widths[i + 1 :])) for i in range(_KEY_WIDTH)]


def _unsigned(keys: Array) -> Array:
    """Non-negative 64-bit keys read as unsigned, without a copy when they are int64 already."""
    return np.ascontiguousarray(keys, dtype=np.int64).view(np.uint64)


def _packed(keys: Array, shifts: list[np.uint64]) -> Array:
    packed = keys[:, 0] << shifts[0]
    for column in range(1, _KEY_WIDTH):
        packed |= keys[:, column] << shifts[column]
    return packed


def _unpacked(packed: Array, widths: list[int]) -> Array:
    """The ``(n, 3)`` keys that :func:`_packed` made ``packed`` of, with these widths."""
    columns = [
        (packed >> shift) & np.uint64((1 << width) - 1)
        for shift, width in zip(_shifts(widths), widths, strict=True)
    ]
    return np.column_stack(columns)


def _decompressed(data: bytes, size: int) -> bytes | None:
    """``data`` decompressed, when it makes exactly ``size`` bytes (no more is inflated)."""
    inflate = zlib.decompressobj()
    try:
        found = inflate.decompress(data, size + 1)
    except zlib.error:
        return None
    return found if len(found) == size and inflate.eof and not inflate.unused_data else None


def _bits(largest: int) -> int:
    return max(1, largest.bit_length())
