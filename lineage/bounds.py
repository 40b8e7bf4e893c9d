"""The bounds every answer is computed within, and how an answer says that one cut it.

Every default limit lives here, once: the CLI's option defaults, the GraphQL arguments'
defaults, the analysis functions' keyword defaults and the server's clamps all read these.

An answer that a bound cut carries one :class:`Truncation` per cut (which bound, its value,
and which walk it stopped); analysis never writes sentences, the CLI and the API put a
truncation into words (``lineage.wording``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lineage.model import Direction, NodeId

DEFAULT_MAX_HOPS = 10
"""Walks (lineage, impact) follow at most this many edges from the root."""
DEFAULT_MAX_NODES = 500
"""Lineage and impact return at most this many nodes, nearest first; also a page's largest size."""
DEFAULT_MAX_CYCLES = 20
"""Loop analysis lists at most this many elementary cycles per loop."""
DEFAULT_K = 3
"""Path search returns at most this many paths."""
DEFAULT_MAX_LENGTH = 10
"""Path search considers paths of at most this many edges."""
DEFAULT_PAGE_SIZE = 50
"""GraphQL ``nodes`` pages hold this many nodes unless ``first`` says otherwise."""
PATH_WALK_MAX_NODES = 5000
"""Each of the two walks that bound a path search visits at most this many nodes: far above a
realistic neighbourhood, low enough to keep one request cheap."""
FILTERED_VISIT_FACTOR = 20
"""With a kind filter a walk may pass many nodes it does not report; it still stops at this
many times the node bound, and says so."""


@dataclass(frozen=True)
class Clamps:
    """The most one request to the server may ask for; a larger request is lowered to these."""

    max_hops: int = 50
    max_nodes: int = DEFAULT_MAX_NODES
    max_paths: int = 20
    max_cycles: int = 100


class Bound(StrEnum):
    """Which limit cut an answer."""

    MAX_HOPS = "max_hops"
    """More nodes lie beyond the hop limit."""
    MAX_NODES = "max_nodes"
    """More nodes were reachable than the node limit let the walk return (or visit)."""
    K = "k"
    """More paths exist than were asked for."""
    MAX_CYCLES = "max_cycles"
    """A loop has more elementary cycles than were listed."""


@dataclass(frozen=True, order=True)
class Truncation:
    """One bound that cut an answer, and where.

    ``direction`` and ``node`` say which walk the bound stopped: the walk from ``node`` going
    ``direction`` (downstream of a path search's source, upstream of its target, one side of
    a both-ways lineage). Both are ``None`` when the bound cut the answer as a whole.
    """

    bound: Bound
    limit: int
    direction: Direction | None = None
    node: NodeId | None = None


Truncations = tuple[Truncation, ...]


class Cut:
    """An answer that bounds may have cut: it lists them in ``truncations``."""

    truncations: Truncations

    @property
    def truncated(self) -> bool:
        return bool(self.truncations)


def distinct(truncations: list[Truncation]) -> Truncations:
    """Each truncation once, in the order first seen."""
    return tuple(dict.fromkeys(truncations))
