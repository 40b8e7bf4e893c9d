"""Read plain-text arrow diagrams, the kind drawn in fenced code blocks of architecture docs::

    Sources  → Ingestion → Storage
       ↓          ↓           ↓
    [Clicks] → [Kafka]   → [S3]
    [Orders]   [Kinesis]   [Redshift]

Horizontal arrows (``→ -> --> ⇒ ← <- ↔ <-> ──►`` ...) chain the steps written on one line; only
the steps either side of an arrow are linked. Vertical arrows (``↓ ↑ ↕ v ^ | ▼ ▲ │``) on a line
of their own link, column by column, the step above to the step below, so boxes drawn one under
another read as a flow.

One layout is read differently: when a chain has vertical arrows under two or more of its steps
and the line below holds only ``[bracketed]`` items, the items are a legend of each step (above:
Clicks and Orders are sources, Kafka and Kinesis do ingestion), not a flow. An item an arrow links
(Clicks → Kafka) is a node inside a subgraph named after its step; an item no arrow touches
(Orders, Kinesis) describes its step and becomes part of the step's ``technology``. Legend lines
run down to the next blank or arrow line.

A step's name (its node id) loses brackets, list markers, emphasis and trailing colons; its label
keeps the text in parentheses: ``Offline Features (Postgres)`` is the node ``Offline Features``
labelled ``Offline Features (Postgres)``. ``A → B: label`` labels the last edge of the line.
Text with no arrows, JSON and code (``def``, ``SELECT``, ``x => y;``...) give an empty diagram.
The parser never raises.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from enum import StrEnum

from lineage.importers.diagram import (
    Arrow,
    Diagram,
    DiagramEdge,
    DiagramKind,
    DiagramNode,
    Head,
    Notation,
    Shape,
    Subgraph,
)
from lineage.importers.problems import LineProblem

__all__ = ["clean_name", "parse_arrow_text"]


def parse_arrow_text(text: str, *, first_line: int = 1) -> Diagram:
    """Read one block; every ``line`` reported counts from ``first_line`` (1-based)."""
    raw_lines = re.split(r"\r\n|\r|\n", text)
    if _looks_like_code(text, raw_lines):
        return Diagram(DiagramKind.EMPTY)
    rows = [
        _read_row(normalised, first_line + i)
        for i, line in enumerate(raw_lines)
        if (normalised := _normalise(line)) is not None
    ]
    if not any(isinstance(row, _Vertical) or row.links for row in rows if row is not None):
        return Diagram(DiagramKind.EMPTY)
    if _is_key_value_block(raw_lines):
        rows = [_without_key(row) for row in rows]
    builder = _Builder()
    for row in rows:
        builder.add(row)
    return builder.finish()


# -- recognising code and data ----------------------------------------------------------------

_CODE_LINE = re.compile(
    r"""\s*(?:
        (?:async\s+)?def\s|class\s+\w+\s*[:(]|import\s|from\s+\S+\s+import\s|return\b
      | (?:function|const|let|var|val|fn|func|public|private|package)\s
      | \#include|@\w+\s*$|(?:if|for|while)\s*\(.*\)\s*\{
      | (?:SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|FROM|WHERE|JOIN)\s
      | [}\])]+[;,]?\s*$
    )
    | .*[;{]\s*$
    | .*\)\s*:\s*$
    """,
    re.VERBOSE,
)


def _looks_like_code(text: str, lines: list[str]) -> bool:
    """JSON, or a block where code-shaped lines are common (arrow text has almost none)."""
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
        except (ValueError, RecursionError):
            pass
        else:
            return True
    content = [line for line in lines if line.strip()]
    code = sum(1 for line in content if _CODE_LINE.match(line))
    return code >= 2 or (code == 1 and len(content) <= 3)


_KEY = re.compile(r"\s*[A-Z][\w ]{0,30}:\s+(?=\S)")


def _is_key_value_block(lines: list[str]) -> bool:
    """``Direction: A -> B`` / ``Method: REST`` blocks: the keys are not part of step names."""
    content = [line for line in lines if line.strip()]
    return len(content) >= 2 and sum(1 for line in content if _KEY.match(line)) >= len(content) / 2


# -- reading one line -------------------------------------------------------------------------


class Pointing(StrEnum):
    """Where an arrow points, read left to right or top to bottom."""

    FORWARD = "forward"
    """``→``, ``↓``: from the left (upper) step to the right (lower) one."""
    BACKWARD = "backward"
    BOTH = "both"
    NONE = "none"
    """A connector without a head (``|``, ``│``); a flow reads it as forward."""


# Vertical arrows: a head down, up or both ways, and the connectors without a head.
_DOWN, _UP, _BOTH_WAYS, _CONNECTORS = "↓▼⬇", "↑▲⬆", "↕⇅", "|│┃║"
_VERTICAL_CHARS = dict.fromkeys(_DOWN + "vV", Pointing.FORWARD)
_VERTICAL_CHARS |= dict.fromkeys(_UP + "^", Pointing.BACKWARD)
_VERTICAL_CHARS |= dict.fromkeys(_BOTH_WAYS, Pointing.BOTH)
_VERTICAL_ROW = re.compile(rf"[\s{_DOWN}vV{_UP}^{_BOTH_WAYS}{_CONNECTORS}]+")  # a non-blank line
_VERTICAL_WITH_LABEL = re.compile(rf"(\s*)([{_DOWN}{_UP}{_BOTH_WAYS}]+)\s+(\S(?:.*\S)?)\s*")
"""The label is greedy up to its last non-space: a lazy one before the trailing spaces is
quadratic in a run of spaces inside it."""
_HORIZONTAL = {"right": Pointing.FORWARD, "left": Pointing.BACKWARD, "both": Pointing.BOTH}

# Box drawing: lines, corners and tees, which are vertical connectors where a box line has them.
_LINES, _TEES = "─━═", "┬┴┼╦╩╬"
_BOX_PARTS = f"{_LINES}┌┐└┘├┤╭╮╯╰╔╗╚╝╠╣{_TEES}"
_BORDER_ROW = re.compile(rf"[\s+\-=_{_BOX_PARTS}]+")
_TEE = re.compile(f"[{_TEES}]")
_BORDER = re.compile(f"[{_BOX_PARTS}]")
_BOX_RIGHT = re.compile(rf"(?<![{_LINES}])[{_LINES}]+[►▶▸>]")  # from a run's start: linear
_BOX_LEFT = re.compile(rf"[◄◀◂<][{_LINES}]+")


def _normalise(line: str) -> str | None:
    """Box drawing to plain arrows and spaces, keeping every character's column.

    A border line (``└──┬──┘``, ``+-----+``) is None, neither blank nor content, except that
    its tees (``┬``) stay as vertical connectors; ``──►`` becomes ``  →``; box sides (``│``,
    ``|``) become spaces on lines with text and are connectors on lines without.
    """
    line = line.expandtabs(4)
    if not line.strip() or _VERTICAL_ROW.fullmatch(line):
        return line
    if _BORDER_ROW.fullmatch(line):
        connectors = re.sub(r"[^ │]", " ", _TEE.sub("│", line))
        return connectors if connectors.strip() else None
    line = _BOX_LEFT.sub(lambda m: "←" + " " * (len(m[0]) - 1), line)
    line = _BOX_RIGHT.sub(lambda m: " " * (len(m[0]) - 1) + "→", line)
    return re.sub(r"[│┃║|]", " ", _BORDER.sub(" ", line))


_H_ARROW = re.compile(
    r"(?P<both>↔|⟷|⇔|⇄|⇆|←→|(?<![\w-])<-+>(?![\w-])|(?<![\w=])<=+>(?![\w=]))"
    r"|(?P<right>→|⟶|➔|➜|➝|➞|➟|➠|⇒|⟹|⇨|↦|[►▶▸]|(?<![\w-])-+>(?![\w>])|(?<![\w=<>!])=+>(?![\w>=]))"
    r"|(?P<left>←|⟵|⇐|⟸|⇦|[◄◀◂]|(?<![\w<])<-+(?![\w>-])|(?<![\w<])<==+(?![\w>=]))"
)


@dataclass(frozen=True)
class _Cell:
    name: str
    note: str | None
    line: int
    start: int  # columns, to line cells up with vertical arrows
    end: int
    bracketed: bool


@dataclass(frozen=True)
class _Link:
    left: int  # index of the cell on the left of the arrow, -1 when there is none
    right: int  # index of the cell on the right, len(cells) when there is none
    pointing: Pointing
    label: str | None = None


@dataclass(frozen=True)
class _Content:
    line: int
    cells: tuple[_Cell, ...]
    links: tuple[_Link, ...]
    code_like: bool = False


@dataclass(frozen=True)
class _Vertical:
    line: int
    arrows: tuple[tuple[int, Pointing], ...]  # (column, where the arrow there points)
    label: str | None = None


def _read_row(line: str, number: int) -> _Content | _Vertical | None:
    if not line.strip():
        return None
    if _VERTICAL_ROW.fullmatch(line):
        arrows = [(m.start(), _head(m[0])) for m in re.finditer(r"\S+", line)]
        return _Vertical(number, tuple(arrows))
    if labelled := _VERTICAL_WITH_LABEL.fullmatch(line):
        indent, arrow, label = labelled.groups()
        if not _H_ARROW.search(label):
            return _Vertical(number, ((len(indent), _head(arrow)),), label)
    return _content_row(line, number)


def _head(token: str) -> Pointing:
    heads = {_VERTICAL_CHARS[ch] for ch in token if ch in _VERTICAL_CHARS}
    if len(heads) == 1:
        return heads.pop()
    return Pointing.BOTH if heads else Pointing.NONE


def _content_row(line: str, number: int) -> _Content:
    """Cells between the arrows; a stretch between two arrows may hold several cells (a column
    list), and an arrow links only the cells right next to it."""
    cells: list[_Cell] = []
    links: list[tuple[int, Pointing]] = []  # (index of the cell before the arrow, pointing)
    position = 0
    for arrow in _H_ARROW.finditer(line):
        cells.extend(_cells(line, number, position, arrow.start()))
        links.append((len(cells) - 1, _HORIZONTAL[arrow.lastgroup or "right"]))
        position = arrow.end()
    cells.extend(_cells(line, number, position, len(line)))
    label = None
    if links and cells and links[-1][0] < len(cells) - 1 and ": " in cells[-1].name:
        name, label = (part.strip() for part in cells[-1].name.split(": ", 1))
        cells[-1] = replace(cells[-1], name=name, bracketed=False)
    resolved = []
    for i, (before, pointing) in enumerate(links):
        after = before + 1  # len(cells) when the arrow ends the line
        if i + 1 < len(links) and links[i + 1][0] == before:
            after = len(cells)  # two arrows with nothing between them
        resolved.append(_Link(before, after, pointing, label if i == len(links) - 1 else None))
    code_like = bool(links) and any(re.search(r"[;{}]|\s=\s", cell.name) for cell in cells)
    return _Content(number, tuple(cells), tuple(resolved), code_like)


_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_SPLIT = re.compile(r"\S+(?: \S+)*")  # runs of text separated by two or more spaces


def _cells(line: str, number: int, start: int, end: int) -> list[_Cell]:
    cells = []
    for chunk in _SPLIT.finditer(line, start, end):
        pieces = [chunk]
        if re.fullmatch(r"(?:\[[^\[\]]*\]\s*){2,}", chunk[0]):
            pieces = list(_BRACKETED.finditer(line, chunk.start(), chunk.end()))
        for piece in pieces:
            name, note = clean_name(piece[0])
            if name:
                bracketed = piece[0][0] == "["
                cells.append(_Cell(name, note, number, piece.start(), piece.end(), bracketed))
    return cells


_LIST_MARKER = re.compile(r"^(?:[-*•+]|\d+[.)])\s+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def clean_name(raw: str) -> tuple[str, str | None]:
    """``"[Offline Store (Postgres)]:"`` gives ``("Offline Store", "Postgres")``."""
    text = _LIST_MARKER.sub("", raw.strip())
    text = re.sub(r"\*\*|__|`", "", text).replace("[", " ").replace("]", " ")
    notes = [note.strip() for note in _PARENTHESES.findall(text) if note.strip()]
    name = _PARENTHESES.sub(" ", text)
    name = " ".join(name.split()).strip(" :")
    if not name and notes:
        name, notes = notes[0], notes[1:]
    return name, "; ".join(notes) or None


def _without_key(row: _Content | _Vertical | None) -> _Content | _Vertical | None:
    """Drop a leading ``Key:`` from the first cell of a chain."""
    if not isinstance(row, _Content) or not row.cells or not row.links:
        return row
    first = row.cells[0]
    key = _KEY.match(first.name)
    if not key:
        return row
    return replace(row, cells=(replace(first, name=first.name[key.end() :]), *row.cells[1:]))


# -- putting rows together --------------------------------------------------------------------


@dataclass
class _Grid:
    """The steps of a legend layout: (column, step name) for each step with an arrow under it."""

    columns: list[tuple[int, str]]

    def group_of(self, cell: _Cell, index: int, count: int) -> str:
        if count == len(self.columns):
            return self.columns[index][1]
        middle = (cell.start + cell.end) / 2
        return min(self.columns, key=lambda column: abs(column[0] - middle))[1]


@dataclass
class _Step:
    """A step while the block is read: the first line naming it, its notes, its legend's step."""

    name: str
    line: int
    note: str | None
    group: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.note})" if self.note else self.name


@dataclass
class _Builder:
    steps: dict[str, _Step] = field(default_factory=dict)
    edges: list[DiagramEdge] = field(default_factory=list)
    warnings: list[LineProblem] = field(default_factory=list)
    above: _Content | None = None  # the last line with steps, until a blank line
    verticals: list[_Vertical] = field(default_factory=list)  # arrow lines since `above`
    grid: _Grid | None = None
    dangling: tuple[_Cell, Pointing, int] | None = None  # `A →` at the end of a line

    def add(self, row: _Content | _Vertical | None) -> None:
        if row is None:
            self._end_of_block()
        elif isinstance(row, _Vertical):
            self.grid = None
            self.verticals.append(row)
        elif row.code_like:
            self.warnings.append(LineProblem(row.line, "looks like code, not read"))
            self._end_of_block()
        else:
            self._content(row)

    def finish(self) -> Diagram:
        self._end_of_block()
        nodes, subgraphs = _legends_resolved(self.steps.values(), self.edges)
        return Diagram(
            DiagramKind.ARROWS, None, nodes, tuple(self.edges), subgraphs, tuple(self.warnings)
        )

    def _end_of_block(self) -> None:
        if self.dangling is not None:
            self.warnings.append(LineProblem(self.dangling[2], "arrow leads nowhere"))
        self.above, self.verticals, self.grid, self.dangling = None, [], None, None

    def _content(self, row: _Content) -> None:
        cells = row.cells
        if self.dangling is not None and cells:
            left, pointing, _ = self.dangling
            self._edge(left, cells[0], pointing, None, row.line)
            self.dangling = None
        for link in row.links:
            left = cells[link.left] if link.left >= 0 else self._previous_step(row)
            right = cells[link.right] if link.right < len(cells) else None
            if left is None:
                self.warnings.append(LineProblem(row.line, "arrow with nothing before it"))
            elif right is None and link is row.links[-1] and link.left == len(cells) - 1:
                self.dangling = (left, link.pointing, row.line)
                continue
            elif right is None:
                self.warnings.append(LineProblem(row.line, "arrow with nothing after it"))
            else:
                self._edge(left, right, link.pointing, link.label, row.line)
        if self.above is not None and self.verticals:
            self._vertical_links(self.above, row)
        elif self.grid is not None:
            self._grid_members(self.grid, row)
        self.above, self.verticals = row, []

    def _previous_step(self, row: _Content) -> _Cell | None:
        """The step a line starting with an arrow continues from: the last one above it."""
        if self.above is None or self.verticals or not self.above.cells:
            return None
        return self.above.cells[-1]

    def _vertical_links(self, above: _Content, below: _Content) -> None:
        arrows = _merge(self.verticals)
        label = next((v.label for v in self.verticals if v.label), None)
        line = self.verticals[0].line
        targets = {column: _nearest(above.cells, column) for column, _ in arrows}
        distinct = {id(cell) for cell in targets.values() if cell is not None}
        if (
            len(arrows) >= 2
            and len(distinct) == len(arrows)
            and below.cells
            and all(c.bracketed for c in below.cells)
        ):
            columns = [(col, cell.name) for col, cell in targets.items() if cell is not None]
            self.grid = _Grid(columns)
            self._grid_members(self.grid, below)
            return
        seen = set()
        for column, pointing in arrows:
            upper, lower = targets[column], _nearest(below.cells, column)
            if upper is None or lower is None or (upper.name, lower.name) in seen:
                continue
            seen.add((upper.name, lower.name))
            self._edge(upper, lower, pointing, label, line)

    def _grid_members(self, grid: _Grid, row: _Content) -> None:
        for index, cell in enumerate(row.cells):
            self._step(cell, grid.group_of(cell, index, len(row.cells)))

    def _step(self, cell: _Cell, group: str | None = None) -> None:
        known = self.steps.get(cell.name)
        if known is None:
            self.steps[cell.name] = _Step(cell.name, cell.line, cell.note, group)
        else:
            known.note = known.note or cell.note
            known.group = known.group or group

    def _edge(self, a: _Cell, b: _Cell, pointing: Pointing, label: str | None, line: int) -> None:
        """``pointing`` is read from ``a`` (left or upper) to ``b``."""
        self._step(a)
        self._step(b)
        source, target = (b, a) if pointing is Pointing.BACKWARD else (a, b)
        start = Head.ARROW if pointing is Pointing.BOTH else Head.NONE
        arrow = Arrow(Notation.TEXT, start, Head.ARROW)
        self.edges.append(DiagramEdge(source.name, target.name, label, arrow, line))


def _legends_resolved(
    steps: Collection[_Step], edges: list[DiagramEdge]
) -> tuple[tuple[DiagramNode, ...], tuple[Subgraph, ...]]:
    """Nodes and subgraphs once legends are read: a legend item an arrow links is a node in its
    step's subgraph; one no arrow touches (``[Kafka]`` under ``Query Events``) describes its
    step, so it joins the step's technology instead of becoming a node."""
    linked = {end for edge in edges for end in (edge.source, edge.target)}
    kept = [step for step in steps if step.group is None or step.name in linked]
    legends: dict[str, list[str]] = {}
    for step in steps:
        if step.group is not None and step.name not in linked:
            legends.setdefault(step.group, []).append(step.name)
    subgraphs: dict[str, Subgraph] = {}
    for step in kept:
        if step.group is not None and step.group not in subgraphs:
            subgraphs[step.group] = Subgraph(_legend_id(step.group), step.group, None, step.line)
    nodes = tuple(
        DiagramNode(
            step.name,
            step.label,
            Shape.DEFAULT,
            step.line,
            _legend_id(step.group) if step.group else None,
            technology=", ".join(legends.get(step.name, ())) or None,
        )
        for step in kept
    )
    return nodes, tuple(subgraphs.values())


def _legend_id(step: str) -> str:
    """The id of the subgraph of a step's legend; never a step's id, as step names lose their
    parenthesised text."""
    return f"{step} (legend)"


def _merge(verticals: list[_Vertical]) -> list[tuple[int, Pointing]]:
    """One arrow per column over consecutive arrow lines (``|`` then ``v`` is one arrow down)."""
    merged: dict[int, Pointing] = {}
    order: dict[int, int] = {}  # when each column was first merged: the earliest one wins
    for vertical in verticals:
        for column, pointing in vertical.arrows:
            close = [c for c in (column - 1, column, column + 1) if c in merged]
            near = min(close, key=order.__getitem__, default=column)
            order.setdefault(near, len(order))
            if merged.get(near, Pointing.NONE) is Pointing.NONE:
                merged[near] = pointing
    return sorted(merged.items())


def _nearest(cells: tuple[_Cell, ...], column: int) -> _Cell | None:
    """The cell nearest ``column`` (the leftmost of equals). A row's cells are in column
    order and do not overlap, so it is the one at or just before the column, or the next."""
    if not cells:
        return None
    at = bisect.bisect_right(cells, column, key=lambda cell: cell.start)
    candidates = cells[max(0, at - 1) : at + 1]

    def distance(cell: _Cell) -> int:
        return (
            0
            if cell.start <= column < cell.end
            else min(abs(cell.start - column), abs(cell.end - 1 - column))
        )

    return min(candidates, key=distance)
