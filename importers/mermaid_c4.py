"""The C4 part of the Mermaid parser: ``C4Context``, ``C4Container``, ``C4Component``,
``C4Dynamic`` and ``C4Deployment`` bodies.

Each statement is a macro call such as ``Container(api, "API", "Python", "Serves features")``.
Elements become nodes (``c4_type`` is the macro name), boundaries and deployment nodes become
nested subgraphs (``Boundary(id, "title") { ... }``), and every ``Rel`` variant becomes an edge
with arrow ``"rel"``. Style and layout macros are ignored; ``$key="value"`` arguments are
ignored except ``$descr`` and ``$techn``, which fill a missing positional argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lineage.importers.mermaid import DiagramBuilder, MermaidEdge, Statement, clean_label

_ELEMENT_BASES = (
    "Person",
    "System",
    "SystemDb",
    "SystemQueue",
    "Container",
    "ContainerDb",
    "ContainerQueue",
    "Component",
    "ComponentDb",
    "ComponentQueue",
)
ELEMENTS = frozenset(name + ext for name in _ELEMENT_BASES for ext in ("", "_Ext"))
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
        builder.warn(stmt.number, f"could not read C4 statement: {_short(stmt.text)}")
        return False
    name, brace = match["name"], match["brace"] is not None
    args, named = _split_args(match["args"])
    if name in BOUNDARIES:
        if not args or not args[0]:
            builder.warn(stmt.number, f"{name} without an id")
            return False
        builder.open_subgraph(args[0], _arg(args, 1) or args[0], stmt.number)
        return not brace
    if brace:
        builder.open_block()  # a brace after a non-boundary: keep the `}` count right
    if name in ELEMENTS:
        _read_element(name, args, named, stmt.number, builder)
    elif rel := _REL.match(name):
        _read_rel(name, rel, args, named, stmt.number, builder)
    elif not _IGNORED.match(name):
        builder.warn(stmt.number, f"unknown C4 macro {name!r}; skipped")
    return False


def _read_element(
    name: str, args: list[str], named: dict[str, str], line: int, builder: DiagramBuilder
) -> None:
    if not args or not args[0]:
        builder.warn(line, f"{name} without an id")
        return
    has_technology = name.startswith(("Container", "Component"))
    technology = (_arg(args, 2) or named.get("techn")) if has_technology else None
    description = _arg(args, 3 if has_technology else 2) or named.get("descr")
    builder.node(
        args[0],
        line,
        label=_arg(args, 1) or args[0],
        shape=_shape(name),
        c4_type=name,
        technology=technology,
        description=description,
    )


def _shape(name: str) -> str:
    base = name.removesuffix("_Ext")
    if base == "Person":
        return "person"
    if base.endswith("Db"):
        return "database"
    return "queue" if base.endswith("Queue") else "rect"


def _read_rel(
    name: str,
    rel: re.Match[str],
    args: list[str],
    named: dict[str, str],
    line: int,
    builder: DiagramBuilder,
) -> None:
    """``Rel(from, to, label, ?techn, ?descr)``; ``RelIndex`` has the index first and
    ``Rel_Back(a, b, ...)`` means b -> a."""
    if name == "RelIndex":
        args = args[1:]
    if len(args) < 2 or not args[0] or not args[1]:
        builder.warn(line, f"{name} needs a source and a target")
        return
    source, target = (args[1], args[0]) if rel["dir"] == "Back" else (args[0], args[1])
    builder.node(source, line)
    builder.node(target, line)
    technology = _arg(args, 3) or named.get("techn")
    edge = MermaidEdge(source, target, _arg(args, 2), "rel", line, bool(rel["bi"]), technology)
    builder.edge(edge)


def _split_args(raw: str) -> tuple[list[str], dict[str, str]]:
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
    return positional, named


def _arg(args: list[str], index: int) -> str | None:
    return args[index] or None if index < len(args) else None


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
