import numpy as np

from lineage.model import EdgeType, Mode, Role
from lineage.store import codes


def test_every_edge_type_role_and_mode_has_exactly_one_code():
    assert sorted(codes.TYPES) == sorted(EdgeType)
    assert sorted(codes.ROLES) == sorted(Role)
    assert sorted(codes.MODES) == sorted(Mode)


def test_codes_already_in_files_keep_their_meaning():
    """Stored files hold these positions: a new member goes at the end, nothing moves."""
    assert codes.TYPES[:3] == (EdgeType.FEEDS, EdgeType.TRIGGERS, EdgeType.HAS_SCHEMA)
    assert codes.MODES[:5] == (
        Mode.UNKNOWN,
        Mode.STREAMING,
        Mode.BATCH,
        Mode.EVENT_DRIVEN,
        Mode.HYBRID,
    )
    assert codes.ROLES[:5] == (
        Role.OTHER,
        Role.SERVING,
        Role.TRAINING,
        Role.FEEDBACK,
        Role.ARCHIVE,
    )


def test_an_edge_code_is_one_byte_and_splits_into_the_three_codes():
    assert len(codes.EDGE_CODES) <= 256
    combined = np.arange(len(codes.EDGE_CODES))
    types, roles, modes = codes.split_edge_codes(combined)
    assert [
        (codes.TYPES[t], codes.ROLES[r], codes.MODES[m])
        for t, r, m in zip(types.tolist(), roles.tolist(), modes.tolist(), strict=True)
    ] == list(codes.EDGE_CODES)
    assert all(codes.EDGE_CODE[triple] == i for i, triple in enumerate(codes.EDGE_CODES))
