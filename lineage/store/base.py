"""The ``GraphStore`` protocol every backend implements, and the values it returns.

A store keeps each origin's assertions and serves the merged view (see ``merge.py``). Analysis
talks only to this protocol, so the embedded store and Neo4j are interchangeable; one contract
test suite (``tests/test_store_contract.py``) runs against both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

from lineage.model import (
    ApplyResult,
    Direction,
    Edge,
    EdgeType,
    ImportBatch,
    Kind,
    Mode,
    Node,
    NodeId,
)

if TYPE_CHECKING:  # numpy and scipy load only when a store builds an index
    from lineage.store.adjacency import Adjacency


@dataclass(frozen=True)
class Page:
    """At most ``limit`` nodes whose id sorts after ``after`` (by code point); ``None``: no
    bound. A cursor is the last id of the page before."""

    after: NodeId | None = None
    limit: int | None = None


WHOLE_LIST = Page()


@dataclass(frozen=True)
class Walk:
    """A bounded breadth-first walk: from ``root`` along edges of ``types``, going
    ``direction`` (upstream or downstream), at most ``max_hops`` edges and ``limit`` nodes."""

    root: NodeId
    direction: Direction
    types: frozenset[EdgeType]
    max_hops: int
    limit: int


@dataclass(frozen=True)
class Reach:
    """Nodes reachable from a root, each with its minimum hop distance (the root excluded)."""

    distances: Mapping[NodeId, int]
    truncated: bool
    """True when more nodes were reachable within the hop bound than the node limit allowed."""
    parents: Mapping[NodeId, NodeId] | None = field(default=None, compare=False)
    """For each reached node, its smallest-id neighbour one hop nearer the root; ``None`` when
    the store leaves that to the caller (who then reads the edges among the reached nodes). Not
    part of the answer's equality: stores that compute it and stores that do not agree."""


@dataclass(frozen=True)
class NodeFilter:
    """Which nodes a listing holds: of ``kind``, in ``mode``, and whose id, name or an alias
    contains ``search`` (ignoring case); ``None`` filters nothing."""

    kind: Kind | None = None
    mode: Mode | None = None
    search: str | None = None


EVERY_NODE = NodeFilter()


@dataclass(frozen=True)
class GraphSnapshot:
    """The whole merged graph at one moment, for whole-graph analysis."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class OriginRecord:
    name: str
    applied_at: datetime
    nodes: int
    edges: int


@dataclass(frozen=True)
class RunRecord:
    """One entry of the run log: what a scheduled job or a staleness roll-up did.

    ``document`` is JSON the service writes and reads (``lineage.service.runs``); a store keeps
    it as text and never looks inside, so the log needs no schema of its own."""

    kind: str
    """What ran: ``job`` or ``rollup``."""
    name: str
    """Which one: the job's name, or ``rollup``."""
    started: datetime
    document: str


class GraphStore(Protocol):
    """What analysis, the CLI and the API need from a graph backend."""

    def apply(self, batch: ImportBatch) -> ApplyResult:
        """Atomically replace everything ``batch.origin`` asserted before with ``batch``."""
        ...

    def apply_all(self, batches: Sequence[ImportBatch]) -> list[ApplyResult]:
        """``apply`` each of ``batches`` in order, atomically as a whole: all or none."""
        ...

    def remove_origin(self, origin: str) -> ApplyResult:
        """Withdraw every assertion of one origin (facts other origins assert survive)."""
        ...

    def get_nodes(self, ids: Iterable[NodeId]) -> dict[NodeId, Node]:
        """The merged nodes among ``ids`` that exist; unknown ids are left out."""
        ...

    def list_nodes(self, where: NodeFilter = EVERY_NODE, page: Page = WHOLE_LIST) -> list[Node]:
        """The nodes ``where`` selects, ordered by id, one ``page`` of them."""
        ...

    def count_nodes(self, where: NodeFilter = EVERY_NODE) -> int:
        """How many nodes ``list_nodes`` would list with the same filter and no page."""
        ...

    def resolve(self, ref: str) -> list[NodeId]:
        """Candidate ids for a reference, trying in order: the id, the id ignoring case, an
        alias, the id's key (``DS-001`` for ``source:DS-001``), the name (all but the first
        ignore case). More than one candidate means the reference is ambiguous."""
        ...

    def edges_of(
        self, ids: Iterable[NodeId], *, direction: Direction, types: frozenset[EdgeType]
    ) -> list[Edge]:
        """Edges leaving (downstream), entering (upstream) or touching (both) the given nodes."""
        ...

    def reachable(self, walk: Walk) -> Reach:
        """The nodes ``walk`` reaches, nearest first, each with its distance."""
        ...

    def edges_among(self, ids: Iterable[NodeId], *, types: frozenset[EdgeType]) -> list[Edge]:
        """Edges whose both ends are in ``ids``."""
        ...

    def edges_between(
        self, pairs: Iterable[tuple[NodeId, NodeId]], *, types: frozenset[EdgeType]
    ) -> list[Edge]:
        """Edges of ``types`` from each pair's first node to its second, ordered by key."""
        ...

    def snapshot(self) -> GraphSnapshot: ...

    def adjacency(self) -> Adjacency:
        """Every merged edge as integer arrays (``lineage.store.adjacency``), for walks and
        whole-graph analysis; a store may keep it until its contents change."""
        ...

    def origins(self) -> list[OriginRecord]: ...

    def origin_state(self, origin: str) -> str | None:
        """The ``state`` the origin's last applied batch carried (``None``: none, or never
        applied)."""
        ...

    def record_run(self, run: RunRecord, *, keep: int) -> None:
        """Add ``run`` to the run log, keeping only the newest ``keep`` runs of its kind and
        name. The graph itself is untouched: no cached index or snapshot goes out of date."""
        ...

    def runs(self, kind: str, name: str | None = None, *, limit: int = 100) -> list[RunRecord]:
        """The newest ``limit`` runs of ``kind`` (and ``name``, when given), newest first."""
        ...

    def ping(self) -> None:
        """Raise ``StoreUnavailable`` when the backend cannot answer."""
        ...

    def close(self) -> None: ...


T = TypeVar("T")


class ClosesOnExit:
    """``with Store(...) as store:`` closes the store at the end of the block."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items, so no statement grows without bound."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def type_values(types: Iterable[EdgeType]) -> list[str]:
    """Edge types as the sorted values both stores send as query parameters."""
    return sorted(EdgeType(edge_type).value for edge_type in types)
