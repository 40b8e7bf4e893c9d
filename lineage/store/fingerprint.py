"""Fingerprints of what an origin asserted, so a store can tell an unchanged batch cheaply.

Both stores keep the fingerprint of each origin's last batch and write nothing when the next
one has the same: a scheduled re-import of files that did not change costs one pass over
its facts, not a rewrite of them.
"""

from __future__ import annotations

import hashlib
import marshal

DIGEST_BYTES = 16


def fingerprint(facts: object) -> bytes | None:
    """A 16-byte digest of plain data (lists, tuples, ``str``, ``int``, ``None``...): equal
    data, equal digest (``marshal`` format 2 writes values only, never object identities).
    ``None`` when the data holds something ``marshal`` cannot write, such as a ``str``
    subclass: such a batch is then compared fact by fact."""
    try:
        encoded = marshal.dumps(facts, 2)
    except ValueError:
        return None
    return hashlib.blake2b(encoded, digest_size=DIGEST_BYTES).digest()
