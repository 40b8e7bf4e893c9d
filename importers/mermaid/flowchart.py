"""The body of a ``graph``/``flowchart`` diagram: subgraphs, node and link statements.

Styling and accessibility statements (``classDef``, ``style``, ``click``, ``accTitle``...) and
the ``e1@{ ... }`` lines that style a named edge are skipped; a statement that cannot be read
becomes a warning and the rest of the diagram is still read, as does a link whose ``&`` groups
multiply to more than :data:`MAX_FAN_EDGES` edges.
"""

from __future__ import annotations

import re
from itertools import pairwise, product

from lineage.importers.diagram import DiagramBuilder, DiagramEdge, DiagramNode, FlowDirection
from lineage.importers.mermaid.labels import clean_label, excerpt
from lineage.importers.mermaid.scanner import LinkRef, NodeRef, StatementScanner, Unreadable
from lineage.importers.mermaid.statements import Statement

_DIRECTIONS: dict[str, FlowDirection] = {d.value: d for d in FlowDirection}
_DIRECTIONS |= {">": FlowDirection.LR, "<": FlowDirection.RL, "^": FlowDirection.BT}
_DIRECTIONS |= {"v": FlowDirection.TB}
_IGNORED_KEYWORDS = frozenset(
    {"direction", "classDef", "class", "style", "linkStyle", "click", "accTitle", "accDescr"}
)
MAX_FAN_EDGES = 10_000
"""The most edges one link of a statement may stand for: ``A & B --> C & D`` is four, and
``N0 & … & N2999 --> M0 & … & M2999`` would be nine million from one line. A link that
multiplies to more is skipped with a warning (its nodes are still read)."""
_FIRST_WORD = re.compile(r"[A-Za-z][\w-]*")
_EDGE_PROPERTIES = re.compile(r"([A-Za-z_]\w*)@\{")
_SUBGRAPH_WITH_TITLE = re.compile(r"([^\s\[\]\"]+)\s*\[(.*)\]\s*\Z", re.DOTALL)


def read_direction(header: Statement, builder: DiagramBuilder) -> FlowDirection | None:
    """The direction after ``graph``/``flowchart`` (``LR``, ``TD``, ``>``...), if any."""
    words = header.text.split()
    if len(words) > 2 or (len(words) == 2 and words[1] not in _DIRECTIONS):
        builder.warn(
            header.number, f"unexpected text after the diagram type: {excerpt(header.text)}"
        )
    return _DIRECTIONS.get(words[1]) if len(words) > 1 else None


def read_flowchart(statements: list[Statement], builder: DiagramBuilder) -> None:
    """Read the statements after the header into ``builder``."""
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
                groups, links = StatementScanner(stmt.text).read()
            except Unreadable as exc:
                builder.warn(stmt.number, f"{exc}: {excerpt(stmt.text)}")
                continue
            _add_statement(builder, groups, links, stmt.number)
            edge_ids.update(link.edge_id for link in links if link.edge_id)


def _add_statement(
    builder: DiagramBuilder, groups: list[list[NodeRef]], links: list[LinkRef], line: int
) -> None:
    for group in groups:
        for ref in group:
            if ref.shape is None:
                builder.reference(ref.id, line)
            else:
                label = ref.label or ref.id
                builder.declare(DiagramNode(ref.id, label, ref.shape, line, subgraph=None))
    for (sources, targets), link in zip(pairwise(groups), links, strict=True):
        if len(sources) * len(targets) > MAX_FAN_EDGES:
            builder.warn(
                line,
                f"{len(sources):,} sources joined by '&' to {len(targets):,} targets would be "
                f"{len(sources) * len(targets):,} edges, more than the {MAX_FAN_EDGES:,} one "
                "link may stand for; this link is skipped",
            )
            continue
        for source, target in product(sources, targets):
            builder.edge(DiagramEdge(source.id, target.id, link.label, link.arrow, line))


def _open_subgraph(stmt: Statement, builder: DiagramBuilder) -> None:
    """``subgraph id``, ``subgraph id [title]``, ``subgraph "title"``, ``subgraph some title``."""
    rest = stmt.text[len("subgraph") :].strip()
    if not rest or rest.startswith('"'):
        builder.open_subgraph(None, clean_label(rest), stmt.number)
    elif match := _SUBGRAPH_WITH_TITLE.match(rest):
        builder.open_subgraph(match[1], clean_label(match[2]), stmt.number)
    else:
        builder.open_subgraph(" ".join(rest.split()), clean_label(rest), stmt.number)
