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
Clicks and Orders are sources, Kafka and Kinesis do ingestion), not a flow. Those items become
nodes whose ``group`` is the step above their column, on every line down to the next blank or
arrow line; arrows between them are still edges.

A step's name loses brackets, list markers, emphasis and trailing colons; text in parentheses is
kept as its ``note``: ``Offline Features (Postgres)`` is ``Offline Features``, note ``Postgres``.
``A → B: label`` labels the last edge of the line. Text with no arrows, JSON and code (``def``,
``SELECT``, ``x => y;``...) give an empty diagram. The parser never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from lineage.importers.problems import LineProblem

__all__ = ["ArrowDiagram", "ArrowEdge", "ArrowNode", "ArrowWarning", "parse_arrow_text"]


@dataclass(frozen=True)
class ArrowNode:
    name: str
    line: int
    note: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class ArrowEdge:
    source: str
    target: str
    label: str | None
    line: int
    bidirectional: bool = False


ArrowWarning = LineProblem
"""A line of the arrow diagram that could not be read."""


@dataclass(frozen=True)
class ArrowDiagram:
    nodes: tuple[ArrowNode, ...] = ()
    edges: tuple[ArrowEdge, ...] = ()
    warnings: tuple[ArrowWarning, ...] = ()


def parse_arrow_text(text: str, *, first_line: int = 1) -> ArrowDiagram:
    """Read one block; every ``line`` reported counts from ``first_line`` (1-based)."""
    raw_lines = re.split(r"\r\n|\r|\n", text)
    if _looks_like_code(text, raw_lines):
        return ArrowDiagram()
    rows = [
        _read_row(normalised, first_line + i)
        for i, line in enumerate(raw_lines)
        if (normalised := _normalise(line)) is not None
    ]
    if not any(isinstance(row, _Vertical) or row.links for row in rows if row is not None):
        return ArrowDiagram()
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

_VERTICAL_CHARS = {"↓": "down", "▼": "down", "⬇": "down", "v": "down", "V": "down"}
_VERTICAL_CHARS |= {"↑": "up", "▲": "up", "⬆": "up", "^": "up", "↕": "both", "⇅": "both"}
_VERTICAL_ROW = re.compile(r"[\s↓▼⬇vV↑▲⬆^↕⇅|│┃║]+")  # on a line that is not blank
_VERTICAL_WITH_LABEL = re.compile(r"(\s*)([↓▼⬇↑▲⬆↕⇅]+)\s+(\S.*?)\s*")
_BORDER_ROW = re.compile(r"[\s+\-=_─━═┌┐└┘├┤┬┴┼╭╮╯╰╔╗╚╝╠╣╦╩╬]+")
_TEE = re.compile(r"[┬┴┼╦╩╬]")
_BORDER = re.compile(r"[─━═┌┐└┘├┤┬┴┼╭╮╯╰╔╗╚╝╠╣╦╩╬]")
_BOX_RIGHT = re.compile(r"[─━═]+[►▶▸>]")
_BOX_LEFT = re.compile(r"[◄◀◂<][─━═]+")


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
    direction: str  # "right", "left" or "both"
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
    arrows: tuple[tuple[int, str], ...]  # (column, "down" | "up" | "both" | "" for no head)
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


def _head(token: str) -> str:
    heads = {_VERTICAL_CHARS.get(ch, "") for ch in token} - {""}
    return heads.pop() if len(heads) == 1 else ("both" if heads else "")


def _content_row(line: str, number: int) -> _Content:
    """Cells between the arrows; a stretch between two arrows may hold several cells (a column
    list), and an arrow links only the cells right next to it."""
    cells: list[_Cell] = []
    links: list[tuple[int, str]] = []  # (index of the cell before the arrow, direction)
    position = 0
    for arrow in _H_ARROW.finditer(line):
        cells.extend(_cells(line, number, position, arrow.start()))
        links.append((len(cells) - 1, arrow.lastgroup or "right"))
        position = arrow.end()
    cells.extend(_cells(line, number, position, len(line)))
    label = None
    if links and cells and links[-1][0] < len(cells) - 1 and ": " in cells[-1].name:
        name, label = (part.strip() for part in cells[-1].name.split(": ", 1))
        cells[-1] = replace(cells[-1], name=name, bracketed=False)
    resolved = []
    for i, (before, direction) in enumerate(links):
        after = before + 1  # len(cells) when the arrow ends the line
        if i + 1 < len(links) and links[i + 1][0] == before:
            after = len(cells)  # two arrows with nothing between them
        resolved.append(_Link(before, after, direction, label if i == len(links) - 1 else None))
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
    key = re.match(r"[A-Z][\w ]{0,30}:\s+(?=\S)", first.name)
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
class _Builder:
    nodes: dict[str, ArrowNode] = field(default_factory=dict)
    edges: list[ArrowEdge] = field(default_factory=list)
    warnings: list[ArrowWarning] = field(default_factory=list)
    above: _Content | None = None  # the last line with steps, until a blank line
    verticals: list[_Vertical] = field(default_factory=list)  # arrow lines since `above`
    grid: _Grid | None = None
    dangling: tuple[_Cell, str, int] | None = None  # `A →` at the end of a line

    def add(self, row: _Content | _Vertical | None) -> None:
        if row is None:
            self._end_of_block()
        elif isinstance(row, _Vertical):
            self.grid = None
            self.verticals.append(row)
        elif row.code_like:
            self.warnings.append(ArrowWarning(row.line, "looks like code, not read"))
            self._end_of_block()
        else:
            self._content(row)

    def finish(self) -> ArrowDiagram:
        self._end_of_block()
        return ArrowDiagram(tuple(self.nodes.values()), tuple(self.edges), tuple(self.warnings))

    def _end_of_block(self) -> None:
        if self.dangling is not None:
            self.warnings.append(ArrowWarning(self.dangling[2], "arrow leads nowhere"))
        self.above, self.verticals, self.grid, self.dangling = None, [], None, None

    def _content(self, row: _Content) -> None:
        cells = row.cells
        if self.dangling is not None and cells:
            left, direction, _ = self.dangling
            self._edge(left, cells[0], direction, None, row.line)
            self.dangling = None
        for link in row.links:
            left = cells[link.left] if link.left >= 0 else self._previous_step(row)
            right = cells[link.right] if link.right < len(cells) else None
            if left is None:
                self.warnings.append(ArrowWarning(row.line, "arrow with nothing before it"))
            elif right is None and link is row.links[-1] and link.left == len(cells) - 1:
                self.dangling = (left, link.direction, row.line)
                continue
            elif right is None:
                self.warnings.append(ArrowWarning(row.line, "arrow with nothing after it"))
            else:
                self._edge(left, right, link.direction, link.label, row.line)
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
        for column, head in arrows:
            upper, lower = targets[column], _nearest(below.cells, column)
            if upper is None or lower is None or (upper.name, lower.name) in seen:
                continue
            seen.add((upper.name, lower.name))
            direction = {"up": "left", "both": "both"}.get(head, "right")
            self._edge(upper, lower, direction, label, line)

    def _grid_members(self, grid: _Grid, row: _Content) -> None:
        for index, cell in enumerate(row.cells):
            self._node(cell, grid.group_of(cell, index, len(row.cells)))

    def _node(self, cell: _Cell, group: str | None = None) -> None:
        known = self.nodes.get(cell.name)
        if known is None:
            self.nodes[cell.name] = ArrowNode(cell.name, cell.line, cell.note, group)
        elif (known.note is None and cell.note) or (known.group is None and group):
            note, group = known.note or cell.note, known.group or group
            self.nodes[cell.name] = ArrowNode(known.name, known.line, note, group)

    def _edge(self, a: _Cell, b: _Cell, direction: str, label: str | None, line: int) -> None:
        """``direction`` is where the arrow points, read from ``a`` (left or upper) to ``b``."""
        self._node(a)
        self._node(b)
        source, target = (b, a) if direction == "left" else (a, b)
        self.edges.append(ArrowEdge(source.name, target.name, label, line, direction == "both"))


def _merge(verticals: list[_Vertical]) -> list[tuple[int, str]]:
    """One arrow per column over consecutive arrow lines (``|`` then ``v`` is one arrow down)."""
    merged: dict[int, str] = {}
    for vertical in verticals:
        for column, head in vertical.arrows:
            near = next((c for c in merged if abs(c - column) <= 1), column)
            merged[near] = merged.get(near, "") or head
    return sorted(merged.items())


def _nearest(cells: tuple[_Cell, ...], column: int) -> _Cell | None:
    if not cells:
        return None

    def distance(cell: _Cell) -> int:
        return (
            0
            if cell.start <= column < cell.end
            else min(abs(cell.start - column), abs(cell.end - 1 - column))
        )

    return min(cells, key=distance)
