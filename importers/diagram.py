"""A diagram as plain data: the boxes, links and groups a reader found, each with its file line.

Every diagram reader yields this one type — Mermaid flowcharts and C4 diagrams
(:mod:`importers.mermaid`) and plain-text arrow drawings (:mod:`importers.arrow_text`) — so the
importer that turns diagrams into lineage reads them all the same way::

    Diagram            kind, flowchart direction
    ├── DiagramNode    a box: id, label, Shape, line, subgraph, C4 element, technology
    ├── DiagramEdge    a link between two ids (a box or a subgraph): label, Arrow, line
    │   └── Arrow      Notation (flowchart, C4 relation, text), heads, Stroke
    ├── Subgraph       a group of boxes: flowchart subgraph, C4 boundary, a legend's step
    └── LineProblem    a line that could not be read

:class:`DiagramBuilder` collects mentions in reading order and assembles a ``Diagram``.

A leaf of the importers: no I/O and no imports from the rest of the project but ``problems``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum

from lineage.importers.problems import LineProblem

__all__ = [
    "Arrow",
    "C4Element",
    "C4Level",
    "C4Variant",
    "Diagram",
    "DiagramBuilder",
    "DiagramEdge",
    "DiagramKind",
    "DiagramNode",
    "FlowDirection",
    "Head",
    "Notation",
    "Shape",
    "Stroke",
    "Subgraph",
]


class DiagramKind(StrEnum):
    FLOWCHART = "flowchart"
    C4 = "c4"
    ARROWS = "arrows"
    """A plain-text arrow drawing (``A → B``, columns under ``↓``)."""
    OTHER = "other"
    """A Mermaid diagram that does not describe data flow (``sequenceDiagram``...)."""
    EMPTY = "empty"


class FlowDirection(StrEnum):
    """A flowchart's layout direction, as written (``TD`` and ``TB`` both mean top-down)."""

    TB = "TB"
    TD = "TD"
    BT = "BT"
    LR = "LR"
    RL = "RL"


class Shape(StrEnum):
    DEFAULT = "default"
    """A box only referenced, never declared with a shape."""
    RECT = "rect"
    ROUND = "round"
    STADIUM = "stadium"
    SUBROUTINE = "subroutine"
    DATABASE = "database"
    """Stored data: a cylinder, disk or stored-data shape, or a C4 ``*Db`` element."""
    CIRCLE = "circle"
    DOUBLE_CIRCLE = "double_circle"
    DIAMOND = "diamond"
    HEXAGON = "hexagon"
    ASYMMETRIC = "asymmetric"
    PARALLELOGRAM = "parallelogram"
    PARALLELOGRAM_ALT = "parallelogram_alt"
    TRAPEZOID = "trapezoid"
    TRAPEZOID_ALT = "trapezoid_alt"
    DOCUMENT = "document"
    PERSON = "person"
    QUEUE = "queue"
    OTHER = "other"
    """A shape that says nothing about data (``bolt``, ``flag``, ``fork``...)."""


class Notation(StrEnum):
    """What drew a link; each says something different about the way data flows."""

    FLOWCHART = "flowchart"
    """A flowchart arrow: data flows from source to target."""
    C4_REL = "c4_rel"
    """A C4 ``Rel``: who uses whom. ``Rel(a, b, "Reads ...")`` means data flows from b to a."""
    TEXT = "text"
    """A plain-text arrow (``→``, ``<-``, ``↓``): data flows where it points."""


class Head(StrEnum):
    """One end of a link: none, an arrow head (Mermaid ``>``/``<``, the point of ``→``), a
    circle (Mermaid ``o``) or a cross (Mermaid ``x``)."""

    NONE = "none"
    ARROW = "arrow"
    CIRCLE = "circle"
    CROSS = "cross"


class Stroke(StrEnum):
    """How a link is drawn: solid (``--``), dotted (``-.-``), thick (``==``), or invisible
    (``~~~``), a layout hint that draws nothing and so links nothing."""

    SOLID = "solid"
    DOTTED = "dotted"
    THICK = "thick"
    INVISIBLE = "invisible"


@dataclass(frozen=True)
class Arrow:
    notation: Notation
    start: Head = Head.NONE
    end: Head = Head.ARROW
    stroke: Stroke = Stroke.SOLID
    text: str = ""
    """The arrow as its notation writes it without a label (``-.->``, ``BiRel``); may be empty."""

    @property
    def bidirectional(self) -> bool:
        """Heads at both ends (``<-->``, ``o--o``, ``BiRel``, ``↔``): data flows both ways."""
        return self.start is not Head.NONE and self.end is not Head.NONE


class C4Level(StrEnum):
    """The level of a C4 element macro, its name without ``Db``/``Queue`` and ``_Ext``."""

    PERSON = "Person"
    SYSTEM = "System"
    CONTAINER = "Container"
    COMPONENT = "Component"


class C4Variant(StrEnum):
    """What a C4 element holds: ``SystemDb`` a database, ``ContainerQueue`` a queue."""

    PLAIN = ""
    DB = "Db"
    QUEUE = "Queue"


_C4_MACRO = re.compile(r"(Person|System|Container|Component)(Db|Queue)?(_Ext)?")


@dataclass(frozen=True)
class C4Element:
    """The type a C4 element macro gives a box: ``ContainerDb_Ext`` is an external container
    database."""

    level: C4Level
    variant: C4Variant = C4Variant.PLAIN
    external: bool = False

    @classmethod
    def from_macro(cls, name: str) -> C4Element | None:
        match = _C4_MACRO.fullmatch(name)
        if match is None or (match[1] == "Person" and match[2]):
            return None
        return cls(C4Level(match[1]), C4Variant(match[2] or ""), bool(match[3]))

    def __str__(self) -> str:
        return f"{self.level}{self.variant}{'_Ext' if self.external else ''}"


@dataclass(frozen=True)
class DiagramNode:
    id: str
    label: str
    """Display text; lines separated by ``"\\n"``."""
    shape: Shape
    line: int
    subgraph: str | None
    """The innermost subgraph the box was first mentioned in."""
    c4: C4Element | None = None
    technology: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class DiagramEdge:
    source: str
    target: str
    label: str | None
    arrow: Arrow
    line: int
    technology: str | None = None

    @property
    def bidirectional(self) -> bool:
        return self.arrow.bidirectional


@dataclass(frozen=True)
class Subgraph:
    id: str
    title: str
    parent: str | None
    line: int


@dataclass(frozen=True)
class Diagram:
    kind: DiagramKind
    direction: FlowDirection | None = None
    nodes: tuple[DiagramNode, ...] = ()
    edges: tuple[DiagramEdge, ...] = ()
    subgraphs: tuple[Subgraph, ...] = ()
    warnings: tuple[LineProblem, ...] = ()


@dataclass
class _NodeDraft:
    """A box while it is being read; ``declared`` once a statement gave it a shape."""

    node: DiagramNode
    declared: bool


MAX_SUBGRAPH_DEPTH = 100
"""Subgraphs nested deeper than this are read as part of the deepest one allowed (a warning
says so): no drawing needs more, and each level costs every node inside it."""
MAX_LABEL = 1000
"""A longer label is cut to this many characters (a warning says so): a name, not a text."""


class DiagramBuilder:
    """Collects nodes, edges and subgraphs in reading order (shared by flowcharts and C4).

    A node's label, shape and line come from its first declaration (a reference alone gives
    ``label == id`` and shape ``DEFAULT``); its subgraph is the innermost one it was first
    mentioned in, whether declared or only used in an edge there.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, _NodeDraft] = {}
        self._edges: list[DiagramEdge] = []
        self._subgraphs: dict[str, Subgraph] = {}
        self._titles_used: Counter[str] = Counter()
        self._warnings: list[LineProblem] = []
        self._open: list[str | None] = []  # None: a block that is not a subgraph
        self._too_deep = 0  # subgraphs open beyond MAX_SUBGRAPH_DEPTH

    @property
    def current_subgraph(self) -> str | None:
        return next((s for s in reversed(self._open) if s is not None), None)

    def warn(self, line: int, message: str) -> None:
        self._warnings.append(LineProblem(line, message))

    def open_subgraph(self, subgraph_id: str | None, title: str, line: int) -> None:
        """Open a subgraph; without an id one is made from the title (``"Data Sources"`` gives
        ``data-sources``), unique in the diagram."""
        if len(self._open) >= MAX_SUBGRAPH_DEPTH:
            if not self._too_deep:
                self.warn(
                    line,
                    f"subgraphs nested more than {MAX_SUBGRAPH_DEPTH} deep: this one and those "
                    "inside it are read as part of the one around them",
                )
            self._too_deep += 1
            return
        if subgraph_id is None:
            subgraph_id = self._unique_id(re.sub(r"\W+", "-", title.lower()).strip("-"))
        if subgraph_id not in self._subgraphs:
            parent = self.current_subgraph
            self._subgraphs[subgraph_id] = Subgraph(subgraph_id, title or subgraph_id, parent, line)
        self._open.append(subgraph_id)

    def _unique_id(self, base: str) -> str:
        base = base or "subgraph"
        while True:
            self._titles_used[base] += 1
            n = self._titles_used[base]
            candidate = base if n == 1 else f"{base}-{n}"
            if candidate not in self._subgraphs and candidate not in self._nodes:
                return candidate

    def open_block(self) -> None:
        self._open.append(None)

    def close_subgraph(self, line: int) -> None:
        if self._too_deep:
            self._too_deep -= 1
        elif self._open:
            self._open.pop()
        else:
            self.warn(line, "'end' without an open subgraph")

    def reference(self, node_id: str, line: int) -> None:
        """Record a mention of a box without a shape (an edge end, a bare id)."""
        draft = self._nodes.get(node_id)
        if draft is None:
            node = DiagramNode(node_id, node_id, Shape.DEFAULT, line, self.current_subgraph)
            self._nodes[node_id] = _NodeDraft(node, declared=False)
        elif draft.node.subgraph is None and self.current_subgraph is not None:
            draft.node = replace(draft.node, subgraph=self.current_subgraph)

    def declare(self, node: DiagramNode) -> None:
        """Record a declaration (a box with a shape); only the first one counts."""
        if len(node.label) > MAX_LABEL:
            self.warn(
                node.line, f"a label of {len(node.label):,} characters is cut to {MAX_LABEL:,}"
            )
            node = replace(node, label=node.label[:MAX_LABEL] + "…")
        self.reference(node.id, node.line)
        draft = self._nodes[node.id]
        if not draft.declared:
            draft.node = replace(node, subgraph=draft.node.subgraph)
            draft.declared = True

    def edge(self, edge: DiagramEdge) -> None:
        self._edges.append(edge)

    def finish(
        self, kind: DiagramKind, direction: FlowDirection | None = None, *, closer: str = "end"
    ) -> Diagram:
        for subgraph_id in self._open:
            if subgraph_id is not None:
                line = self._subgraphs[subgraph_id].line
                self.warn(line, f"subgraph {subgraph_id!r} is not closed with {closer!r}")
        nodes = tuple(
            draft.node
            for draft in self._nodes.values()
            if draft.declared or draft.node.id not in self._subgraphs
        )
        warnings = tuple(sorted(self._warnings, key=lambda w: w.line))
        subgraphs = tuple(self._subgraphs.values())
        return Diagram(kind, direction, nodes, tuple(self._edges), subgraphs, warnings)
