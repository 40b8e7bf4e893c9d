"""Read one Mermaid diagram (a fenced ``mermaid`` block or a ``.mmd`` file) into plain data.

Only the diagram kinds that can describe data flow are read: flowcharts (``graph``/``flowchart``)
and C4 diagrams (see ``importers.mermaid_c4``). Any other kind comes back as
``DiagramKind.OTHER`` with a note. The parser never raises: a statement it cannot read becomes a
``ParseWarning`` carrying its line in the source file, and the rest of the diagram is still read.

No I/O and no project imports: the importer that turns a ``Diagram`` into lineage lives elsewhere.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from html.entities import html5
from itertools import pairwise, product

from lineage.importers.problems import LineProblem

__all__ = [
    "Diagram",
    "DiagramKind",
    "MermaidEdge",
    "MermaidNode",
    "ParseWarning",
    "Subgraph",
    "clean_label",
    "parse_mermaid",
]


class DiagramKind(StrEnum):
    FLOWCHART = "flowchart"
    C4 = "c4"
    OTHER = "other"
    EMPTY = "empty"


ParseWarning = LineProblem
"""A line of the diagram that could not be read."""


@dataclass(frozen=True)
class MermaidNode:
    id: str
    label: str
    shape: str
    line: int
    subgraph: str | None
    c4_type: str | None = None
    technology: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class MermaidEdge:
    source: str
    target: str
    label: str | None
    arrow: str
    line: int
    bidirectional: bool
    technology: str | None = None


@dataclass(frozen=True)
class Subgraph:
    id: str
    title: str
    parent: str | None
    line: int


@dataclass(frozen=True)
class Diagram:
    kind: DiagramKind
    direction: str | None
    nodes: tuple[MermaidNode, ...] = ()
    edges: tuple[MermaidEdge, ...] = ()
    subgraphs: tuple[Subgraph, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()


FLOWCHART_KEYWORDS = frozenset({"graph", "flowchart", "flowchart-elk", "flowchart-v2"})
C4_KEYWORDS = frozenset({"C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment"})
OTHER_KEYWORDS = frozenset(
    {
        "sequenceDiagram", "classDiagram", "classDiagram-v2", "stateDiagram", "stateDiagram-v2",
        "erDiagram", "gantt", "pie", "journey", "gitGraph", "mindmap", "timeline",
        "quadrantChart", "requirementDiagram", "sankey-beta", "xychart-beta", "block-beta",
        "packet-beta", "architecture-beta", "kanban", "radar-beta", "treemap-beta", "zenuml",
    }
)  # fmt: skip
_DIRECTIONS = {"TB": "TB", "TD": "TD", "BT": "BT", "LR": "LR", "RL": "RL"}
_DIRECTIONS |= {">": "LR", "<": "RL", "^": "BT", "v": "TB"}
_IGNORED_KEYWORDS = frozenset(
    {"direction", "classDef", "class", "style", "linkStyle", "click", "accTitle", "accDescr"}
)


def parse_mermaid(text: str, *, first_line: int = 1) -> Diagram:
    """Read one diagram; every ``line`` reported counts from ``first_line`` (1-based)."""
    builder = DiagramBuilder()
    lines = _content_lines(text, first_line, builder)
    if not lines:
        return builder.finish(DiagramKind.EMPTY, None)
    header = lines[0]
    keyword = re.split(r"[\s;]", header.text.strip(), maxsplit=1)[0]
    if keyword in FLOWCHART_KEYWORDS:
        statements = list(split_statements(lines, braces=True, semicolons=True))
        direction = _read_direction(statements[0], builder)
        _read_flowchart(statements[1:], builder)
        return builder.finish(DiagramKind.FLOWCHART, direction)
    if keyword in C4_KEYWORDS:
        # Imported here because mermaid_c4 builds on this module's types.
        from lineage.importers.mermaid_c4 import read_c4

        read_c4(split_statements(lines[1:], braces=False, semicolons=False), builder)
        return builder.finish(DiagramKind.C4, None, closer="}")
    if keyword in OTHER_KEYWORDS:
        note = f"{keyword} is not a lineage diagram; skipped"
    else:
        note = f"not a Mermaid diagram type: {_excerpt(keyword)}; skipped"
    builder.warn(header.number, note)
    return builder.finish(DiagramKind.OTHER, None)


# -- labels -----------------------------------------------------------------------------------

_BR = re.compile(r"<br\s*/?\s*>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|small|big|sub|sup|span|font|code|s|del|mark)\b[^<>]*>", re.IGNORECASE
)
_MERMAID_ENTITY = re.compile(r"#(\d{1,7}|[A-Za-z]\w*);")
_MARKDOWN = re.compile(r"(\*\*|__)(.+?)\1|(?<!\w)([*_])(\S(?:.*?\S)?)\3(?!\w)")


def clean_label(raw: str) -> str:
    """Display text of a label: quotes, markdown markers, ``<br>``, tags and entities resolved.

    ``<br>`` variants and literal newlines become ``"\\n"``; each line is stripped and inner
    runs of whitespace collapsed; blank lines are dropped.
    """
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        text = _MARKDOWN.sub(lambda m: m[2] or m[4], text[1:-1])
    text = _BR.sub("\n", text)
    text = _INLINE_TAG.sub("", text)
    text = _MERMAID_ENTITY.sub(_as_html_entity, text)
    text = html.unescape(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _as_html_entity(match: re.Match[str]) -> str:
    """Mermaid writes ``#quot;`` and ``#35;`` where HTML writes ``&quot;`` and ``&#35;``."""
    code = match[1]
    if code.isdigit():
        return f"&#{code};"
    return f"&{code};" if f"{code};" in html5 else match[0]


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


# -- source lines and statements --------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A logical statement and the file line it starts on."""

    number: int
    text: str


_NEWLINE = re.compile(r"\r\n|\r|\n")
_MAX_CONTINUATION_LINES = 40


def _content_lines(text: str, first_line: int, builder: DiagramBuilder) -> list[Statement]:
    """Non-blank lines without ``%%`` comments, ``%%{...}%%`` directives and YAML front matter."""
    kept: list[Statement] = []
    in_directive = False
    for i, raw in enumerate(_NEWLINE.split(text)):
        stripped = raw.strip()
        if in_directive:
            in_directive = "}%%" not in stripped
        elif stripped.startswith("%%{") and "}%%" not in stripped:
            in_directive = True  # a directive spread over several lines
        elif stripped and not stripped.startswith("%%"):
            kept.append(Statement(first_line + i, raw))
    if kept and kept[0].text.strip() == "---":
        closing = next((i for i, ln in enumerate(kept[1:], 1) if ln.text.strip() == "---"), None)
        if closing is None:
            builder.warn(kept[0].number, "front matter is not closed with '---'")
            return []
        kept = kept[closing + 1 :]
    return kept


_CLOSERS = {"]": "[", ")": "(", "}": "{"}


def _track(text: str, stack: list[str], braces: bool, cut: str | None = None) -> list[int]:
    """Follow brackets, quotes and ``|edge label|`` pipes through ``text``, updating ``stack``.

    Returns the offsets of ``cut`` characters met outside all of them (statement separators).
    """
    cuts: list[int] = []
    for i, ch in enumerate(text):
        top = stack[-1] if stack else ""
        if top in ('"', "|"):
            if ch == top:
                stack.pop()
        elif ch in '"[(' or (ch == "|" and not stack) or (braces and ch == "{"):
            stack.append(ch)
        elif ch in _CLOSERS and top == _CLOSERS[ch]:
            stack.pop()
        elif ch == cut and not stack and not _ENTITY_BEFORE.search(text, max(0, i - 40), i):
            cuts.append(i)
    return cuts


_ENTITY_BEFORE = re.compile(r"[&#]#?\w+\Z")


def _open_after(text: str, stack: list[str], braces: bool) -> bool:
    """Whether a statement continues on the next line: a bracket (or a quote in one) is open."""
    _track(text, stack, braces)
    while stack and stack[-1] == "|":
        stack.pop()
    if stack == ['"']:
        stack.pop()
    return bool(stack)


def split_statements(lines: list[Statement], *, braces: bool, semicolons: bool) -> list[Statement]:
    """Logical statements: a label left open at a line end continues on the following lines
    (joined with ``"\\n"``), and with ``semicolons`` a line may hold several ``;``-separated ones.
    """
    statements: list[Statement] = []
    i = 0
    while i < len(lines):
        stack: list[str] = []
        end = i
        while (
            _open_after(lines[end].text, stack, braces)
            and end + 1 < len(lines)
            and end - i < _MAX_CONTINUATION_LINES
        ):
            end += 1
        if stack:
            end = i  # never closed: read the line on its own
        text = "\n".join(line.text for line in lines[i : end + 1])
        statements.extend(_split_semicolons(Statement(lines[i].number, text), braces, semicolons))
        i = end + 1
    return statements


def _split_semicolons(stmt: Statement, braces: bool, semicolons: bool) -> list[Statement]:
    if not semicolons:
        return [stmt]
    bounds = [-1, *_track(stmt.text, [], braces, cut=";"), len(stmt.text)]
    parts = []
    for start, stop in pairwise(bounds):
        piece = stmt.text[start + 1 : stop]
        if piece.strip():
            line = stmt.number
            if "\n" in stmt.text:  # a statement spread over lines: count the ones before
                line += stmt.text.count("\n", 0, start + 1 + _lead(piece))
            parts.append(Statement(line, piece.strip()))
    return parts


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


# -- flowcharts -------------------------------------------------------------------------------


def _read_direction(header: Statement, builder: DiagramBuilder) -> str | None:
    words = header.text.split()
    if len(words) > 2 or (len(words) == 2 and words[1] not in _DIRECTIONS):
        builder.warn(
            header.number, f"unexpected text after the diagram type: {_excerpt(header.text)}"
        )
    return _DIRECTIONS.get(words[1]) if len(words) > 1 else None


_FIRST_WORD = re.compile(r"[A-Za-z][\w-]*")
_EDGE_PROPERTIES = re.compile(r"([A-Za-z_]\w*)@\{")


def _read_flowchart(statements: list[Statement], builder: DiagramBuilder) -> None:
    edge_ids: set[str] = set()
    for stmt in statements:
        word_match = _FIRST_WORD.match(stmt.text)
        word = word_match[0] if word_match else ""
        if word == "subgraph":
            _open_subgraph(stmt, builder)
        elif stmt.text == "end":
            builder.close_subgraph(stmt.number)
        elif word in _IGNORED_KEYWORDS:
            continue
        elif (props := _EDGE_PROPERTIES.match(stmt.text)) and props[1] in edge_ids:
            continue  # `e1@{ animate: true }` styles an edge declared as `A e1@--> B`
        else:
            try:
                groups, links = _StatementScanner(stmt.text).read()
            except _Unreadable as exc:
                builder.warn(stmt.number, f"{exc}: {_excerpt(stmt.text)}")
                continue
            _add_statement(builder, groups, links, stmt.number)
            edge_ids.update(link.edge_id for link in links if link.edge_id)


def _add_statement(
    builder: DiagramBuilder, groups: list[list[_NodeRef]], links: list[_Link], line: int
) -> None:
    for group in groups:
        for ref in group:
            builder.node(ref.id, line, label=ref.label, shape=ref.shape)
    for (sources, targets), link in zip(pairwise(groups), links, strict=True):
        for source, target in product(sources, targets):
            builder.edge(
                MermaidEdge(source.id, target.id, link.label, link.arrow, line, link.bidirectional)
            )


_SUBGRAPH_WITH_TITLE = re.compile(r"([^\s\[\]\"]+)\s*\[(.*)\]\s*\Z", re.DOTALL)


def _open_subgraph(stmt: Statement, builder: DiagramBuilder) -> None:
    """``subgraph id``, ``subgraph id [title]``, ``subgraph "title"``, ``subgraph some title``."""
    rest = stmt.text[len("subgraph") :].strip()
    if not rest or rest.startswith('"'):
        builder.open_subgraph(None, clean_label(rest), stmt.number)
    elif match := _SUBGRAPH_WITH_TITLE.match(rest):
        builder.open_subgraph(match[1], clean_label(match[2]), stmt.number)
    else:
        builder.open_subgraph(" ".join(rest.split()), clean_label(rest), stmt.number)


# -- the node/edge statement ------------------------------------------------------------------


class _Unreadable(Exception):
    """A statement the scanner cannot read; the message says what was expected."""


@dataclass(frozen=True)
class _NodeRef:
    id: str
    label: str | None = None
    shape: str | None = None  # None for a bare reference


@dataclass(frozen=True)
class _Link:
    arrow: str
    label: str | None
    bidirectional: bool
    edge_id: str | None = None


# (opener, ((closer, shape), ...)), longest openers first; a closer missing falls through to the
# next opener that matches, so `A[(x) y]` still reads as a rectangle.
_SHAPES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("(((", ((")))", "double_circle"),)),
    ("((", (("))", "circle"),)),
    ("([", (("])", "stadium"),)),
    ("[(", ((")]", "database"),)),
    ("[[", (("]]", "subroutine"),)),
    ("[/", (("/]", "parallelogram"), ("\\]", "trapezoid"))),
    ("[\\", (("\\]", "parallelogram_alt"), ("/]", "trapezoid_alt"))),
    ("{{", (("}}", "hexagon"),)),
    ("{", (("}", "diamond"),)),
    ("(", ((")", "round"),)),
    ("[", (("]", "rect"),)),
    (">", (("]", "asymmetric"),)),
)
_SHAPE_ALIASES = {
    "database": ("cyl", "cylinder", "db", "database", "lin-cyl", "das", "h-cyl"),
    "round": ("rounded", "event"),
    "stadium": ("stadium", "pill", "terminal"),
    "subroutine": ("subproc", "subprocess", "subroutine", "fr-rect", "framed-rectangle"),
    "circle": ("circ", "circle", "sm-circ", "small-circle", "start"),
    "double_circle": ("dbl-circ", "double-circle"),
    "diamond": ("diam", "diamond", "decision", "question"),
    "hexagon": ("hex", "hexagon", "prepare"),
    "asymmetric": ("odd",),
    "parallelogram": ("lean-r", "lean-right", "in-out"),
    "parallelogram_alt": ("lean-l", "lean-left", "out-in"),
    "trapezoid": ("trap-b", "trapezoid", "trapezoid-bottom", "priority"),
    "trapezoid_alt": ("trap-t", "inv-trapezoid", "trapezoid-top", "manual"),
    "rect": ("rect", "rectangle", "proc", "process"),
}
_SHAPE_BY_ALIAS = {alias: shape for shape, aliases in _SHAPE_ALIASES.items() for alias in aliases}
_PROPERTY = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(\"[^\"]*\"|[^,\n]*)")
_CLASS_SUFFIX = re.compile(r":::[\w-]+")
_QUOTED = re.compile(r'\s*"[^"]*"')
_EDGE_ID = re.compile(r"([A-Za-z_]\w*)@(?=[<ox]?[-=~])")
_ARROW = re.compile(r"(?P<start>[<ox])?(?P<body>-{2,}|={2,}|-\.+-|~{3,})(?P<end>[>ox])?")
_LABEL_OPEN = re.compile(r"(?P<start>[<ox])?(?P<open>--|==|-\.)")
_LABEL_CLOSE = {
    "--": re.compile(r"(?P<body>-{2,})(?P<end>[>ox])?"),
    "==": re.compile(r"(?P<body>={2,})(?P<end>[>ox])?"),
    "-.": re.compile(r"\.(?P<body>-+)(?P<end>[>ox])?"),
}


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _is_id_char(ch: str) -> bool:
    return len(ch) == 1 and (ch.isalnum() or ch == "_")


class _StatementScanner:
    """Reads ``group (link group)*``, where a group is ``node (& node)*`` and a node is an id
    with an optional shape, ``@{...}`` properties and ``:::class`` suffix."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0

    def read(self) -> tuple[list[list[_NodeRef]], list[_Link]]:
        groups = [self._group()]
        links: list[_Link] = []
        while self._skip_ws() < len(self.s):
            links.append(self._link())
            groups.append(self._group())
        return groups, links

    def _skip_ws(self) -> int:
        self.pos = _skip_spaces(self.s, self.pos)
        return self.pos

    def _group(self) -> list[_NodeRef]:
        nodes = [self._node()]
        while self._skip_ws() < len(self.s) and self.s[self.pos] == "&":
            self.pos += 1
            nodes.append(self._node())
        return nodes

    def _node(self) -> _NodeRef:
        self._skip_ws()
        node_id = self._identifier()
        if not node_id:
            raise _Unreadable("expected a node id" if self.pos < len(self.s) else "missing a node")
        if self.s.startswith("@{", self.pos):
            label, shape = self._properties()
        else:
            label, shape = self._shape()
        if suffix := _CLASS_SUFFIX.match(self.s, self.pos):
            self.pos = suffix.end()
        return _NodeRef(node_id, label, shape)

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

    def _shape(self) -> tuple[str | None, str | None]:
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
            raise _Unreadable("unclosed node shape")
        self.pos = start
        return None, None

    def _properties(self) -> tuple[str | None, str]:
        """The ``A@{ shape: cyl, label: "Orders" }`` form."""
        body_start = self.pos + 2
        found = _find_closer(self.s, body_start, (("}", ""),))
        if found is None:
            raise _Unreadable("unclosed '@{'")
        body_end, self.pos, _ = found
        props = {m[1]: m[2].strip() for m in _PROPERTY.finditer(self.s, body_start, body_end)}
        label = clean_label(props["label"]) if "label" in props else None
        shape = clean_label(props.get("shape", "rect")).lower()
        return label, _SHAPE_BY_ALIAS.get(shape, shape or "rect")

    def _link(self) -> _Link:
        edge_id = None
        if named := _EDGE_ID.match(self.s, self.pos):
            edge_id, self.pos = named[1], named.end()
        link = self._plain_arrow() or self._labelled_arrow()
        if link is None:
            raise _Unreadable("expected an arrow")
        return _Link(link.arrow, link.label, link.bidirectional, edge_id)

    def _plain_arrow(self) -> _Link | None:
        """``-->``, ``---``, ``-.->``, ``==>``, ``<-->``, ``--o``, ``x--x``, ``~~~``... plus an
        optional ``|label|``."""
        match = _ARROW.match(self.s, self.pos)
        if not match:
            return None
        start, body, end = match["start"], match["body"], match["end"]
        if (end is None and body in ("--", "==")) or (body[0] == "~" and (start or end)):
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
                raise _Unreadable("unclosed '|' edge label")
            label = clean_label(self.s[self.pos + 1 : closing]) or None
            self.pos = closing + 1
        return _Link(match[0], label, bool(start and end))

    def _labelled_arrow(self) -> _Link | None:
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
            arrow = f"{start}-.{body}{end}"
        else:  # an open link is at least three long: `-- text --` reads as `---`
            arrow = start + (body + end if end else body.ljust(3, body[0]))
        self.pos = closing.end()
        label = clean_label(self.s[text_start : closing.start()]) or None
        return _Link(arrow, label, bool(start and end))


def _find_closer(
    text: str, start: int, closers: tuple[tuple[str, str], ...]
) -> tuple[int, int, str] | None:
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
            if text[i] == _CLOSERS[closer]:
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


# -- assembling the diagram -------------------------------------------------------------------


@dataclass
class _NodeDraft:
    id: str
    label: str
    shape: str
    line: int
    subgraph: str | None
    declared: bool
    c4_type: str | None = None
    technology: str | None = None
    description: str | None = None


class DiagramBuilder:
    """Collects nodes, edges and subgraphs in reading order (shared by flowcharts and C4).

    A node's label, shape and line come from its first declaration (a reference alone gives
    ``label == id`` and shape ``"default"``); its subgraph is the innermost one it was first
    mentioned in, whether declared or only used in an edge there.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, _NodeDraft] = {}
        self._edges: list[MermaidEdge] = []
        self._subgraphs: dict[str, Subgraph] = {}
        self._warnings: list[ParseWarning] = []
        self._open: list[str | None] = []  # None: a block that is not a subgraph

    @property
    def current_subgraph(self) -> str | None:
        return next((s for s in reversed(self._open) if s is not None), None)

    def warn(self, line: int, message: str) -> None:
        self._warnings.append(ParseWarning(line, message))

    def open_subgraph(self, subgraph_id: str | None, title: str, line: int) -> None:
        """Open a subgraph; without an id one is made from the title (``"Data Sources"`` gives
        ``data-sources``), unique in the diagram."""
        if subgraph_id is None:
            base = re.sub(r"\W+", "-", title.lower()).strip("-") or "subgraph"
            subgraph_id, n = base, 1
            while subgraph_id in self._subgraphs or subgraph_id in self._nodes:
                n += 1
                subgraph_id = f"{base}-{n}"
        if subgraph_id not in self._subgraphs:
            parent = self.current_subgraph
            self._subgraphs[subgraph_id] = Subgraph(subgraph_id, title or subgraph_id, parent, line)
        self._open.append(subgraph_id)

    def open_block(self) -> None:
        self._open.append(None)

    def close_subgraph(self, line: int) -> None:
        if self._open:
            self._open.pop()
        else:
            self.warn(line, "'end' without an open subgraph")

    def node(
        self,
        node_id: str,
        line: int,
        *,
        label: str | None = None,
        shape: str | None = None,
        c4_type: str | None = None,
        technology: str | None = None,
        description: str | None = None,
    ) -> None:
        """Record a mention of a node; ``shape`` is None for a bare reference."""
        draft = self._nodes.get(node_id)
        if draft is None:
            draft = _NodeDraft(node_id, node_id, "default", line, self.current_subgraph, False)
            self._nodes[node_id] = draft
        elif draft.subgraph is None:
            draft.subgraph = self.current_subgraph
        if shape is not None and not draft.declared:
            draft.label, draft.shape, draft.line, draft.declared = (
                label or node_id,
                shape,
                line,
                True,
            )
            draft.c4_type, draft.technology, draft.description = c4_type, technology, description

    def edge(self, edge: MermaidEdge) -> None:
        self._edges.append(edge)

    def finish(self, kind: DiagramKind, direction: str | None, *, closer: str = "end") -> Diagram:
        for subgraph_id in self._open:
            if subgraph_id is not None:
                line = self._subgraphs[subgraph_id].line
                self.warn(line, f"subgraph {subgraph_id!r} is not closed with {closer!r}")
        nodes = tuple(
            MermaidNode(
                d.id, d.label, d.shape, d.line, d.subgraph, d.c4_type, d.technology, d.description
            )
            for d in self._nodes.values()
            if d.declared or d.id not in self._subgraphs
        )
        warnings = tuple(sorted(self._warnings, key=lambda w: w.line))
        subgraphs = tuple(self._subgraphs.values())
        return Diagram(kind, direction, nodes, tuple(self._edges), subgraphs, warnings)
