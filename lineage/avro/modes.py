"""Compatibility modes, with Confluent Schema Registry's meaning. A module of their own, with
no Avro library behind it, so the command line can offer them without loading one."""

from __future__ import annotations

from enum import Enum, StrEnum


class Mode(StrEnum):
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @property
    def directions(self) -> tuple[Direction, ...]:
        base = self.value.removesuffix("_TRANSITIVE")
        return {
            "BACKWARD": (Direction.NEW_READS_OLD,),
            "FORWARD": (Direction.OLD_READS_NEW,),
            "FULL": (Direction.NEW_READS_OLD, Direction.OLD_READS_NEW),
            "NONE": (),
        }[base]


DEFAULT_MODE = Mode.BACKWARD
"""A registry's default level, when neither the subject nor the registry sets one."""


class Direction(Enum):
    NEW_READS_OLD = "new reads old"
    """Consumers on the new schema reading data written with an old one."""
    OLD_READS_NEW = "old reads new"
    """Consumers still on an old schema reading data written with the new one."""
