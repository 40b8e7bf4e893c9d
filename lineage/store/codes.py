"""Small integer codes for edge types, roles and modes, as the embedded store's file and the
adjacency index keep them.

A code is a position in one of these tuples. Files on disk hold the positions, so the tuples
only ever grow at the end: reordering them would change what every stored edge says.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from lineage.model import EdgeType, Mode, Role

TYPES: tuple[EdgeType, ...] = (EdgeType.FEEDS, EdgeType.TRIGGERS, EdgeType.HAS_SCHEMA)
ROLES: tuple[Role, ...] = (Role.OTHER, Role.SERVING, Role.TRAINING, Role.FEEDBACK, Role.ARCHIVE)
MODES: tuple[Mode, ...] = (
    Mode.UNKNOWN,
    Mode.STREAMING,
    Mode.BATCH,
    Mode.EVENT_DRIVEN,
    Mode.HYBRID,
)

TYPE_CODE: dict[EdgeType, int] = {edge_type: code for code, edge_type in enumerate(TYPES)}
ROLE_CODE: dict[Role, int] = {role: code for code, role in enumerate(ROLES)}
MODE_CODE: dict[Mode, int] = {mode: code for code, mode in enumerate(MODES)}
UNKNOWN_MODE = MODE_CODE[Mode.UNKNOWN]

EDGE_CODES: tuple[tuple[EdgeType, Role, Mode], ...] = tuple(itertools.product(TYPES, ROLES, MODES))
"""Every ``(type, role, mode)`` of an edge; a position here is all three codes in one, which
a batch's edges are read into in one pass (a tuple and a lookup per edge instead of three).
Kept in memory only: files hold the three codes."""
EDGE_CODE: dict[tuple[EdgeType, Role, Mode], int] = {
    codes: code for code, codes in enumerate(EDGE_CODES)
}
_SPLIT = tuple(
    np.array([code_of[triple[field]] for triple in EDGE_CODES], dtype=np.int64)
    for field, code_of in enumerate((TYPE_CODE, ROLE_CODE, MODE_CODE))
)
"""The type codes, role codes and mode codes of :data:`EDGE_CODES`, position by position."""


def split_edge_codes(combined: npt.NDArray[np.integer]) -> tuple[npt.NDArray[np.int64], ...]:
    """The type, role and mode codes of each of these positions in :data:`EDGE_CODES`."""
    return tuple(field_codes.take(combined) for field_codes in _SPLIT)
