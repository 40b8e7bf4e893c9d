"""The body of a ``C4Context``, ``C4Container``, ``C4Component``, ``C4Dynamic`` or
``C4Deployment`` diagram.

Each statement is a macro call such as ``Container(api, "API", "Python", "Serves features")``.
Elements become nodes (their :class:`C4Element` from the macro name), boundaries and deployment
nodes become nested subgraphs (``Boundary(id, "title") { ... }``), and every ``Rel`` variant
becomes an edge whose arrow has notation ``C4_REL``. Style and layout macros are ignored;
``$key="value"`` arguments are ignored except ``$descr`` and ``$techn``, which fill a missing
positional argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from lineage.importers.diagram import (
    Arrow,
    C4Element,
    C4Level,
    C4Variant,
    DiagramBuilder,
    DiagramEdge,
    DiagramNode,
    Head,
    Notation,
    Shape,
)
from lineage.importers.mermaid.labels import clean_label, excerpt
from lineage.importers.mermaid.statements import Statement

BOUNDARIES = frozenset(
    {
        "Boundary",
        "Enterprise_Boundary",
        "System_Boundary",
        "Container_Boundary",
        "Deployment_Node",
        "Node",
        "Node_L",
        "Node_R",
    }
)
_REL = re.compile(
    r"(?P<bi>Bi)?Rel(?:_(?P<dir>U|Up|D|Down|L|Left|R|Right|Back|Neighbor))?\Z|RelIndex\Z"
)
_IGNORED = re.compile(r"(?:Update|Add|SHOW_|HIDE_|LAYOUT_)\w*\Z")
_MACRO = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*\((?P<args>.*)\)\s*(?P<brace>\{)?\s*\Z", re.DOTALL)
_NAMED_ARG = re.compile(r"\$(\w+)\s*=\s*(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class _Call:
    """One macro call: its name, positional arguments and ``$key=value`` ones, cleaned."""

    name: str
    args: tuple[str, ...]
    named: Mapping[str, str] = field(hash=False)
    line: int

    def arg(self, index: int) -> str | None:
        return self.args[index] or None if index < len(self.args) else None


def read_c4(statements: Iterable[Statement], builder: DiagramBuilder) -> None:
    """Read the statements after the ``C4...`` header into ``builder``."""
    pending_boundary = False  # a boundary whose `{` comes on the next line
    for stmt in statements:
        text = stmt.text.strip()
        if text == "{" and pending_boundary:
            pending_boundary = False
            continue
        if pending_boundary:
            builder.close_subgraph(stmt.number)
            pending_boundary = False
        if re.fullmatch(r"[}\s]+", text):
            for _ in range(text.count("}")):
                builder.close_subgraph(stmt.number)
        elif text.split(maxsplit=1)[0] == "title":
            continue
        elif text == "{":
            builder.open_block()
        else:
            pending_boundary = _read_macro(stmt, builder)


def _read_macro(stmt: Statement, builder: DiagramBuilder) -> bool:
    """Read one macro call; True when it opened a boundary still waiting for its ``{``."""
    match = _MACRO.match(stmt.text.strip())
    if not match:
        builder.warn(stmt.number, f"could not read C4 statement: {excerpt(stmt.text)}")
        return False
    call = _Call(match["name"], *_split_args(match["args"]), line=stmt.number)
    brace = match["brace"] is not None
    if call.name in BOUNDARIES:
        if not call.arg(0):
            builder.warn(call.line, f"{call.name} without an id")
            return False
        builder.open_subgraph(call.args[0], call.arg(1) or call.args[0], call.line)
        return not brace
    if brace:
        builder.open_block()  # a brace after a non-boundary: keep the `}` count right
    if element := C4Element.from_macro(call.name):
        _read_element(call, element, builder)
    elif rel := _REL.match(call.name):
        _read_rel(call, rel, builder)
    elif not _IGNORED.match(call.name):
        builder.warn(call.line, f"unknown C4 macro {call.name!r}; skipped")
    return False


def _read_element(call: _Call, element: C4Element, builder: DiagramBuilder) -> None:
    """``Person(id, label, ?descr)``, ``System*(id, label, ?descr)``,
    ``Container*``/``Component*(id, label, ?techn, ?descr)``."""
    if not call.arg(0):
        builder.warn(call.line, f"{call.name} without an id")
        return
    has_technology = element.level in (C4Level.CONTAINER, C4Level.COMPONENT)
    technology = (call.arg(2) or call.named.get("techn")) if has_technology else None
    description = call.arg(3 if has_technology else 2) or call.named.get("descr")
    node = DiagramNode(
        call.args[0],
        call.arg(1) or call.args[0],
        _shape(element),
        call.line,
        subgraph=None,
        c4=element,
        technology=technology,
        description=description,
    )
    builder.declare(node)


def _shape(element: C4Element) -> Shape:
    if element.level is C4Level.PERSON:
        return Shape.PERSON
    return {C4Variant.DB: Shape.DATABASE, C4Variant.QUEUE: Shape.QUEUE}.get(
        element.variant, Shape.RECT
    )


def _read_rel(call: _Call, rel: re.Match[str], builder: DiagramBuilder) -> None:
    """``Rel(from, to, label, ?techn, ?descr)``; ``RelIndex`` has the index first and
    ``Rel_Back(a, b, ...)`` means b -> a."""
    if call.name == "RelIndex":
        call = replace(call, args=call.args[1:])
    source, target = call.arg(0), call.arg(1)
    if source is None or target is None:
        builder.warn(call.line, f"{call.name} needs a source and a target")
        return
    if rel["dir"] == "Back":
        source, target = target, source
    builder.reference(source, call.line)
    builder.reference(target, call.line)
    arrow = Arrow(Notation.C4_REL, Head.ARROW if rel["bi"] else Head.NONE, text=call.name)
    technology = call.arg(3) or call.named.get("techn")
    builder.edge(DiagramEdge(source, target, call.arg(2), arrow, call.line, technology))


def _split_args(raw: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """Positional arguments (cleaned, unquoted) and ``$key=value`` ones, split on commas that
    are outside quotes and parentheses."""
    pieces: list[str] = []
    depth, in_quote, start = 0, False, 0
    for i, ch in enumerate(raw):
        if ch == '"':
            in_quote = not in_quote
        elif in_quote:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            pieces.append(raw[start:i])
            start = i + 1
    pieces.append(raw[start:])
    positional: list[str] = []
    named: dict[str, str] = {}
    for piece in pieces:
        if match := _NAMED_ARG.match(piece.strip()):
            named[match[1]] = clean_label(match[2])
        else:
            positional.append(clean_label(piece))
    if positional == [""]:
        positional = []
    return tuple(positional), named
