"""The domain model: nodes, edges and the batches importers hand to stores.

Everything here is a plain, immutable value. Stores, importers and analysis all speak in these
types; none of them passes raw dicts across a module boundary.

    ImportBatch            what one importer run asserts, for one origin
    ├── Node               a source, topic, dataset, job, feature, model or schema
    ├── Edge               FEEDS / TRIGGERS / HAS_SCHEMA between two node ids
    └── ImportWarning      a line the importer could not read (file:line + message)
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import Any, NamedTuple, NewType, TypeVar

NodeId = NewType("NodeId", str)


class Kind(StrEnum):
    SOURCE = "source"
    TOPIC = "topic"
    DATASET = "dataset"
    JOB = "job"
    FEATURE = "feature"
    MODEL = "model"
    SCHEMA = "schema"


class Mode(StrEnum):
    STREAMING = "streaming"
    BATCH = "batch"
    EVENT_DRIVEN = "event_driven"
    HYBRID = "hybrid"
    UNKNOWN = "unknown"


class EdgeType(StrEnum):
    FEEDS = "FEEDS"
    """Data flows from the source node to the target node."""
    TRIGGERS = "TRIGGERS"
    """A run of the source starts a run of the target."""
    HAS_SCHEMA = "HAS_SCHEMA"
    """A topic or dataset is described by a schema."""


class Role(StrEnum):
    SERVING = "serving"
    TRAINING = "training"
    FEEDBACK = "feedback"
    ARCHIVE = "archive"
    OTHER = "other"


class Direction(StrEnum):
    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"
    BOTH = "both"

    @property
    def one_way(self) -> tuple[Direction, ...]:
        """The one-way directions this is: ``BOTH`` is upstream and downstream."""
        if self is Direction.BOTH:
            return (Direction.UPSTREAM, Direction.DOWNSTREAM)
        return (self,)


def kind_of_id(node_id: str) -> Kind | None:
    """The kind an id names by its prefix (``source:DS-001`` -> source), or ``None`` when it is
    not a node id (``kafka://views.raw`` is a URI, not an id)."""
    prefix, sep, key = node_id.partition(":")
    if not sep or not key or key.startswith("//"):
        return None
    return _KIND_OF_PREFIX.get(prefix)


_KIND_OF_PREFIX = {kind.value: kind for kind in Kind}
"""Every node is checked against its id: a dict lookup, not an enum call."""


@dataclass(frozen=True)
class Freshness:
    """A freshness requirement: the original wording and, when understood, a bound in seconds.

    ``seconds`` is ``None`` when the text was not understood; the text is always kept so a
    reader can see what the document said.
    """

    text: str
    seconds: float | None = None


@dataclass(frozen=True, order=True)
class Provenance:
    """Where a stored fact comes from: the origin that asserted it and the place in it."""

    origin: str
    location: str | None = None

    def __str__(self) -> str:
        return f"{self.origin} ({self.location})" if self.location else self.origin


@dataclass(frozen=True)
class Node:
    """One node as one origin asserts it.

    An empty ``name`` means "this origin does not name the node" (a stub that only references
    it); the merged view then falls back to another origin's name or the id's key.
    """

    id: NodeId
    kind: Kind
    name: str = ""
    mode: Mode = Mode.UNKNOWN
    freshness: Freshness | None = None
    last_updated: datetime | None = None
    aliases: tuple[str, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)
    location: str | None = None
    """Where the assertion comes from: ``file:line`` or a run id."""
    origins: tuple[Provenance, ...] = ()
    """Filled in by stores: every origin that asserts this node."""

    def __post_init__(self) -> None:
        if kind_of_id(self.id) is not self.kind:
            raise ValueError(f"node id {self.id!r} does not start with its kind {self.kind}:")

    @property
    def key(self) -> str:
        return self.id.split(":", 1)[1]

    @property
    def display_name(self) -> str:
        return self.name or self.key

    @property
    def freshness_seconds(self) -> float | None:
        return self.freshness.seconds if self.freshness else None


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge as one origin asserts it.

    Slotted: a large batch holds a million edges and every apply reads each of their fields
    once; a slot reads about a third faster than an instance dictionary and takes 48 bytes
    less per edge."""

    source: NodeId
    target: NodeId
    type: EdgeType = EdgeType.FEEDS
    label: str | None = None
    role: Role = Role.OTHER
    mode: Mode = Mode.UNKNOWN
    freshness: Freshness | None = None
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)
    location: str | None = None
    origins: tuple[Provenance, ...] = ()

    @property
    def key(self) -> EdgeKey:
        return EdgeKey(self.source, self.type, self.target)


class EdgeKey(NamedTuple):
    """An edge's identity: two origins asserting the same key assert the same edge. A tuple,
    so that sorting and hashing a million keys costs no Python call per comparison."""

    source: NodeId
    type: EdgeType
    target: NodeId


_EDGE_KEY = attrgetter("source", "type._value_", "target")
"""An edge's key as a tuple of text: one edge per key, as ``EdgeKey``, with the type's value."""


@dataclass(frozen=True)
class ImportWarning:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class ImportBatch:
    """Everything one origin asserts. Applying it replaces what that origin asserted before.

    Every edge endpoint must be a node of the batch (a stub node with an empty name is enough),
    so a batch can always be applied on its own.
    """

    origin: str
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    warnings: tuple[ImportWarning, ...] = ()
    state: str | None = field(default=None, compare=False)
    """What the importer keeps with the origin for its next run (a cursor of what it has
    read), given back through ``ImportRequest.state_of``; stores keep it, never read it."""

    def __post_init__(self) -> None:
        if not self.origin:
            raise ValueError("an import batch needs an origin")
        counts = Counter(node.id for node in self.nodes)
        duplicates = sorted(node_id for node_id, count in counts.items() if count > 1)
        if duplicates:
            raise ValueError(f"batch {self.origin} asserts these nodes twice: {duplicates}")
        known = counts.keys()
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in known:
                    raise ValueError(f"batch {self.origin}: edge endpoint {end} is not a node")

    @property
    def distinct_edges(self) -> tuple[Edge, ...]:
        """The edges, one per key: an edge listed twice is one edge, its first listing wins.
        Keys are read as tuples of text in one pass of C calls (text only, so the collector
        stops tracking them); with no edge listed twice, the common case, the edges come back
        as they are."""
        keys = list(map(_EDGE_KEY, self.edges))
        if len(set(keys)) == len(keys):
            return tuple(self.edges)
        first: dict[tuple[str, str, str], Edge] = {}
        for key, edge in zip(keys, self.edges, strict=True):
            first.setdefault(key, edge)
        return tuple(first.values())

    @property
    def summary(self) -> str:
        return f"{len(self.nodes)} nodes, {len(self.edges)} edges, {len(self.warnings)} warnings"


@dataclass(frozen=True)
class ApplyResult:
    """What ``GraphStore.apply`` changed, counted in the origin's own assertions."""

    origin: str
    nodes: int
    edges: int
    nodes_removed: int
    edges_removed: int

    @classmethod
    def of_replacement(
        cls,
        origin: str,
        nodes: tuple[AbstractSet[Hashable], AbstractSet[Hashable]],
        edges: tuple[AbstractSet[Hashable], AbstractSet[Hashable]],
    ) -> ApplyResult:
        """What replacing an origin's assertions changed: ``nodes`` and ``edges`` are the
        (before, after) sets of what it asserts, by whatever key a store gives them."""
        (old_nodes, new_nodes), (old_edges, new_edges) = nodes, edges
        return cls(
            origin=origin,
            nodes=len(new_nodes),
            edges=len(new_edges),
            nodes_removed=len(old_nodes - new_nodes),
            edges_removed=len(old_edges - new_edges),
        )


Value = TypeVar("Value")


def checked_before(cls: type[Value], values: Mapping[str, Any]) -> Value:
    """An instance of the dataclass ``cls`` holding ``values`` and the defaults of its other
    fields, made without ``__init__`` and its checks. Only for values a store reads back,
    which were checked when they were written: an answer of 190k nodes then builds them in a
    quarter of the time."""
    constants, factories = _defaults(cls)
    instance = object.__new__(cls)
    state = instance.__dict__
    state.update(constants)
    for name, factory in factories:
        state[name] = factory()
    state.update(values)
    return instance


@functools.cache
def _defaults(cls: type) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    """Each field's default value, and the factory of each field that has one."""
    constants = {f.name: f.default for f in fields(cls) if f.default is not MISSING}
    factories = tuple(
        (f.name, f.default_factory) for f in fields(cls) if f.default_factory is not MISSING
    )
    return constants, factories
