"""The flowchart node/link statement: ``group (link group)*``.

A group is ``node (& node)*``; a node is an id with an optional shape (``A[label]``,
``A[(label)]``, ``A@{ shape: cyl, label: "..." }``) and ``:::class`` suffix; a link is an arrow
(``-->``, ``-.->``, ``==>``, ``<-->``, ``--o``, ``~~~``...) with an optional label, written
``-->|label|`` or ``-- label -->``. :class:`StatementScanner` reads one statement or raises
:class:`Unreadable` saying what it expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lineage.importers.diagram import Arrow, Head, Notation, Shape, Stroke
from lineage.importers.mermaid.labels import clean_label
from lineage.importers.mermaid.statements import CLOSERS

__all__ = ["LinkRef", "NodeRef", "StatementScanner", "Unreadable"]


class Unreadable(Exception):
    """A statement the scanner cannot read; the message says what was expected."""


@dataclass(frozen=True)
class NodeRef:
    id: str
    label: str | None = None
    shape: Shape | None = None
    """``None`` for a bare reference."""


@dataclass(frozen=True)
class LinkRef:
    arrow: Arrow
    label: str | None
    edge_id: str | None = None


# (opener, ((closer, shape), ...)), longest openers first; a closer missing falls through to the
# next opener that matches, so `A[(x) y]` still reads as a rectangle.
_SHAPES: tuple[tuple[str, tuple[tuple[str, Shape], ...]], ...] = (
    ("(((", ((")))", Shape.DOUBLE_CIRCLE),)),
    ("((", (("))", Shape.CIRCLE),)),
    ("([", (("])", Shape.STADIUM),)),
    ("[(", ((")]", Shape.DATABASE),)),
    ("[[", (("]]", Shape.SUBROUTINE),)),
    ("[/", (("/]", Shape.PARALLELOGRAM), ("\\]", Shape.TRAPEZOID))),
    ("[\\", (("\\]", Shape.PARALLELOGRAM_ALT), ("/]", Shape.TRAPEZOID_ALT))),
    ("{{", (("}}", Shape.HEXAGON),)),
    ("{", (("}", Shape.DIAMOND),)),
    ("(", ((")", Shape.ROUND),)),
    ("[", (("]", Shape.RECT),)),
    (">", (("]", Shape.ASYMMETRIC),)),
)
# The `@{ shape: ... }` names of Mermaid 11, by what they draw; any other name is OTHER.
_SHAPE_NAMES: dict[Shape, tuple[str, ...]] = {
    Shape.DATABASE: (
        "cyl", "cylinder", "db", "database", "lin-cyl", "disk", "lined-cylinder", "das",
        "h-cyl", "horizontal-cylinder", "bow-rect", "stored-data", "bow-tie-rectangle",
        "win-pane", "internal-storage", "window-pane",
    ),
    Shape.DOCUMENT: (
        "doc", "document", "docs", "documents", "st-doc", "stacked-document", "lin-doc",
        "lined-document", "tag-doc", "tagged-document",
    ),
    Shape.ROUND: ("rounded", "event"),
    Shape.STADIUM: ("stadium", "pill", "terminal"),
    Shape.SUBROUTINE: ("subproc", "subprocess", "subroutine", "fr-rect", "framed-rectangle"),
    Shape.CIRCLE: ("circ", "circle", "sm-circ", "small-circle", "start"),
    Shape.DOUBLE_CIRCLE: ("dbl-circ", "double-circle"),
    Shape.DIAMOND: ("diam", "diamond", "decision", "question"),
    Shape.HEXAGON: ("hex", "hexagon", "prepare"),
    Shape.ASYMMETRIC: ("odd",),
    Shape.PARALLELOGRAM: ("lean-r", "lean-right", "in-out"),
    Shape.PARALLELOGRAM_ALT: ("lean-l", "lean-left", "out-in"),
    Shape.TRAPEZOID: ("trap-b", "trapezoid", "trapezoid-bottom", "priority"),
    Shape.TRAPEZOID_ALT: ("trap-t", "inv-trapezoid", "trapezoid-top", "manual"),
    Shape.RECT: ("rect", "rectangle", "proc", "process", ""),
}  # fmt: skip
_SHAPE_BY_NAME = {name: shape for shape, names in _SHAPE_NAMES.items() for name in names}
_HEADS = {"<": Head.ARROW, ">": Head.ARROW, "o": Head.CIRCLE, "x": Head.CROSS, "": Head.NONE}
_STROKES = {"-": Stroke.SOLID, "=": Stroke.THICK, "~": Stroke.INVISIBLE}

# Node syntax: `@{ key: value }` properties, `:::class` suffixes, quoted labels.
_PROPERTY = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(\"[^\"]*\"|[^,\n]*)")
_CLASS_SUFFIX = re.compile(r":::[\w-]+")
_QUOTED = re.compile(r'\s*"[^"]*"')
# Link syntax: `e1@-->` edge ids, plain arrows, and the two halves of `-- label -->`.
_EDGE_ID = re.compile(r"([A-Za-z_]\w*)@(?=[<ox]?[-=~])")
_ARROW = re.compile(r"(?P<start>[<ox])?(?P<body>-{2,}|={2,}|-\.+-|~{3,})(?P<end>[>ox])?")
_LABEL_OPEN = re.compile(r"(?P<start>[<ox])?(?P<open>--|==|-\.)")
_LABEL_CLOSE = {
    "--": re.compile(r"(?P<body>-{2,})(?P<end>[>ox])?"),
    "==": re.compile(r"(?P<body>={2,})(?P<end>[>ox])?"),
    "-.": re.compile(r"\.(?P<body>-+)(?P<end>[>ox])?"),
}


def _arrow(start: str, body: str, end: str, text: str) -> Arrow:
    stroke = Stroke.DOTTED if "." in body else _STROKES[body[0]]
    return Arrow(Notation.FLOWCHART, _HEADS[start], _HEADS[end], stroke, text)


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _is_id_char(ch: str) -> bool:
    return len(ch) == 1 and (ch.isalnum() or ch == "_")


class StatementScanner:
    """Reads ``group (link group)*``, where a group is ``node (& node)*`` and a node is an id
    with an optional shape, ``@{...}`` properties and ``:::class`` suffix."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0

    def read(self) -> tuple[list[list[NodeRef]], list[LinkRef]]:
        groups = [self._group()]
        links: list[LinkRef] = []
        while self._skip_ws() < len(self.s):
            links.append(self._link())
            groups.append(self._group())
        return groups, links

    def _skip_ws(self) -> int:
        self.pos = _skip_spaces(self.s, self.pos)
        return self.pos

    def _group(self) -> list[NodeRef]:
        nodes = [self._node()]
        while self._skip_ws() < len(self.s) and self.s[self.pos] == "&":
            self.pos += 1
            nodes.append(self._node())
        return nodes

    def _node(self) -> NodeRef:
        self._skip_ws()
        node_id = self._identifier()
        if not node_id:
            raise Unreadable("expected a node id" if self.pos < len(self.s) else "missing a node")
        if self.s.startswith("@{", self.pos):
            label, shape = self._properties()
        else:
            label, shape = self._shape()
        if suffix := _CLASS_SUFFIX.match(self.s, self.pos):
            self.pos = suffix.end()
        return NodeRef(node_id, label, shape)

    def _identifier(self) -> str:
        """Letters, digits and ``_``; ``-`` and ``.`` only between them, so ``A-->B`` splits."""
        s, start = self.s, self.pos
        end = start
        while end < len(s):
            inner = s[end] in "-." and end > start and _is_id_char(s[end + 1 : end + 2])
            if not (_is_id_char(s[end]) or inner):
                break
            end += 1
        self.pos = end
        return s[start:end]

    def _shape(self) -> tuple[str | None, Shape | None]:
        start = self.pos
        self._skip_ws()
        unclosed = False
        for opener, closers in _SHAPES:
            if not self.s.startswith(opener, self.pos):
                continue
            found = _find_closer(self.s, self.pos + len(opener), closers)
            if found is not None:
                label_end, after, shape = found
                label = clean_label(self.s[self.pos + len(opener) : label_end])
                self.pos = after
                return label, shape
            unclosed = True
        if unclosed:
            raise Unreadable("unclosed node shape")
        self.pos = start
        return None, None

    def _properties(self) -> tuple[str | None, Shape]:
        """The ``A@{ shape: cyl, label: "Orders" }`` form."""
        body_start = self.pos + 2
        found = _find_closer(self.s, body_start, (("}", Shape.OTHER),))
        if found is None:
            raise Unreadable("unclosed '@{'")
        body_end, self.pos, _ = found
        props = {m[1]: m[2].strip() for m in _PROPERTY.finditer(self.s, body_start, body_end)}
        label = clean_label(props["label"]) if "label" in props else None
        name = clean_label(props.get("shape", "rect")).lower()
        return label, _SHAPE_BY_NAME.get(name, Shape.OTHER)

    def _link(self) -> LinkRef:
        edge_id = None
        if named := _EDGE_ID.match(self.s, self.pos):
            edge_id, self.pos = named[1], named.end()
        link = self._plain_arrow() or self._labelled_arrow()
        if link is None:
            raise Unreadable("expected an arrow")
        return LinkRef(link.arrow, link.label, edge_id)

    def _plain_arrow(self) -> LinkRef | None:
        """``-->``, ``---``, ``-.->``, ``==>``, ``<-->``, ``--o``, ``x--x``, ``~~~``... plus an
        optional ``|label|``."""
        match = _ARROW.match(self.s, self.pos)
        if not match:
            return None
        start, body, end = match["start"] or "", match["body"], match["end"] or ""
        if (not end and body in ("--", "==")) or (body[0] == "~" and (start or end)):
            return None  # `-- text -->`, `== text ==>` or nonsense
        after = match.end()
        if end in ("o", "x") and after < len(self.s) and _is_id_char(self.s[after]):
            # `A --only text--> B` reads better as a labelled arrow than as `--o` + `nly`
            labelled = self._labelled_arrow()
            if labelled is not None:
                return labelled
        self.pos = after
        label = None
        if self._skip_ws() < len(self.s) and self.s[self.pos] == "|":
            closing = self.s.find("|", self.pos + 1)
            if closing == -1:
                raise Unreadable("unclosed '|' edge label")
            label = clean_label(self.s[self.pos + 1 : closing]) or None
            self.pos = closing + 1
        return LinkRef(_arrow(start, body, end, match[0]), label)

    def _labelled_arrow(self) -> LinkRef | None:
        """``-- text -->``, ``-. text .->``, ``== text ==>``, ``<-- text -->``."""
        opening = _LABEL_OPEN.match(self.s, self.pos)
        if not opening:
            return None
        text_start = search_from = opening.end()
        quoted = _QUOTED.match(self.s, text_start)
        if quoted:
            search_from = quoted.end()
        closing = _LABEL_CLOSE[opening["open"]].search(self.s, search_from)
        if not closing or not self.s[text_start : closing.start()].strip():
            return None
        start, body, end = opening["start"] or "", closing["body"], closing["end"] or ""
        if opening["open"] == "-.":
            body = f"-.{body}"
        elif not end:  # an open link is at least three long: `-- text --` reads as `---`
            body = body.ljust(3, body[0])
        self.pos = closing.end()
        label = clean_label(self.s[text_start : closing.start()]) or None
        return LinkRef(_arrow(start, body, end, start + body + end), label)


def _find_closer(
    text: str, start: int, closers: tuple[tuple[str, Shape], ...]
) -> tuple[int, int, Shape] | None:
    """Where a shape's label ends: ``(label_end, after_closer, shape)`` or None.

    A label in quotes may hold any bracket; an unquoted one may nest the closing bracket's
    partner (``A[Store [FS]]``), and multi-character closers end at their first occurrence.
    """
    quoted = _QUOTED.match(text, start)
    if quoted:
        after = _skip_spaces(text, quoted.end())
        for closer, shape in closers:
            if text.startswith(closer, after):
                return after, after + len(closer), shape
    if len(closers) == 1 and len(closers[0][0]) == 1:
        closer, shape = closers[0]
        depth = 0
        for i in range(start, len(text)):
            if text[i] == CLOSERS[closer]:
                depth += 1
            elif text[i] == closer:
                if depth == 0:
                    return i, i + 1, shape
                depth -= 1
        return None
    hits = [(text.find(c, start), c, shape) for c, shape in closers]
    hits = [hit for hit in hits if hit[0] >= 0]
    if not hits:
        return None
    index, closer, shape = min(hits)
    return index, index + len(closer), shape
