"""Small integer codes for edge types, roles and modes, as the embedded store's file and the
adjacency index keep them.

A code is a position in one of these tuples. Files on disk hold the positions, so the tuples
only ever grow at the end: reordering them would change what every stored edge says.
"""

from __future__ import annotations

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
