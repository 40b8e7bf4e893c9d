"""Fingerprints of what an origin asserted, so a store can tell an unchanged batch cheaply.

Both stores keep the fingerprint of each origin's last batch and write nothing when the next
one has the same: a scheduled re-import of files that did not change costs one pass over
its facts, not a rewrite of them.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
from collections.abc import Iterator

DIGEST_BYTES = 16
MARSHAL_VERSION = 2
"""Values only, never object identities (refs came with version 3): equal data, equal bytes."""
_TUPLE = struct.Struct("<ci")
"""How ``marshal`` (version 2) opens a tuple: its type code and its length."""
_JOINED = struct.Struct("<cqq")
"""What opens a list of text written as one text: a mark no ``marshal`` value starts with,
the count of texts and the length of the encoded whole."""


def fingerprint(facts: object) -> bytes | None:
    """A 16-byte digest of plain data (lists, tuples, ``str``, ``int``, ``None``...): equal
    data, equal digest, and data that differ have different bytes behind their digests.
    ``None`` when the data holds something ``marshal`` cannot write (outside a column of
    texts), such as a ``str`` subclass: such a batch is then compared fact by fact."""
    digest = hashlib.blake2b(digest_size=DIGEST_BYTES)
    try:
        for piece in _pieces(facts):
            digest.update(piece)
    except ValueError:
        return None
    return digest.digest()


def _pieces(facts: object) -> Iterator[bytes]:
    """The bytes of ``facts``; a tuple opened as ``marshal`` opens one, then item by item."""
    if type(facts) is not tuple:
        yield from _written(facts)
        return
    yield _TUPLE.pack(b"(", len(facts))
    for item in facts:
        yield from _written(item)


def _written(value: object) -> Iterator[bytes]:
    """``value``'s bytes: a list of texts none of which holds a NUL (a column of node ids) as
    those texts joined by NULs, which takes half the time ``marshal`` does (it makes a bytes
    object per text); anything else as ``marshal`` writes it. Both are self-delimiting, and
    their first bytes differ, so the pieces of a fingerprint read back one way only."""
    if type(value) is list and value and type(value[0]) is str:
        try:
            joined = "\0".join(value)
        except TypeError:  # not all texts
            joined = None
        if joined is not None and joined.count("\0") == len(value) - 1:
            encoded = joined.encode("utf-8", "surrogatepass")
            yield _JOINED.pack(b"J", len(value), len(encoded))
            yield encoded
            return
    yield marshal.dumps(value, MARSHAL_VERSION)
