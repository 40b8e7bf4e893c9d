"""Read one Mermaid diagram (a fenced ``mermaid`` block or a ``.mmd`` file) into a
:class:`~lineage.importers.diagram.Diagram`.

Only the diagram kinds that can describe data flow are read: flowcharts (``graph``/``flowchart``,
:mod:`.flowchart`) and C4 diagrams (:mod:`.c4`). Any other kind comes back as
``DiagramKind.OTHER`` with a note. The parser never raises: a statement it cannot read becomes a
warning carrying its line in the source file, and the rest of the diagram is still read.

    statements   text -> logical statements with their file lines (comments, front matter)
    labels       label text -> display text (quotes, <br>, entities, markdown)
    scanner      one flowchart node/link statement
    flowchart    a flowchart body: subgraphs and statements
    c4           a C4 body: element, boundary and Rel macros

No I/O: the importer that turns a ``Diagram`` into lineage lives elsewhere.
"""

from __future__ import annotations

import re

from lineage.importers.diagram import Diagram, DiagramBuilder, DiagramKind
from lineage.importers.mermaid.c4 import read_c4
from lineage.importers.mermaid.flowchart import read_direction, read_flowchart
from lineage.importers.mermaid.labels import clean_label, excerpt
from lineage.importers.mermaid.statements import (
    content_lines,
    first_content_line,
    split_statements,
)

__all__ = ["clean_label", "diagram_keyword", "keyword_kind", "parse_mermaid"]

_FLOWCHART_KEYWORDS = frozenset({"graph", "flowchart", "flowchart-elk", "flowchart-v2"})
_C4_KEYWORDS = frozenset({"C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment"})
_OTHER_KEYWORDS = frozenset(
    {
        "sequenceDiagram", "classDiagram", "classDiagram-v2", "stateDiagram", "stateDiagram-v2",
        "erDiagram", "gantt", "pie", "journey", "gitGraph", "mindmap", "timeline",
        "quadrantChart", "requirementDiagram", "sankey-beta", "xychart-beta", "block-beta",
        "packet-beta", "architecture-beta", "kanban", "radar-beta", "treemap-beta", "zenuml",
    }
)  # fmt: skip
_KINDS: dict[str, DiagramKind] = {
    **dict.fromkeys(_FLOWCHART_KEYWORDS, DiagramKind.FLOWCHART),
    **dict.fromkeys(_C4_KEYWORDS, DiagramKind.C4),
    **dict.fromkeys(_OTHER_KEYWORDS, DiagramKind.OTHER),
}


def keyword_kind(keyword: str) -> DiagramKind | None:
    """The kind a diagram type keyword names (``OTHER`` for the non-lineage Mermaid kinds), or
    ``None`` when it is not a Mermaid diagram type."""
    return _KINDS.get(keyword)


def diagram_keyword(text: str) -> str:
    """The first word of the diagram's header: the type keyword when ``text`` is a diagram."""
    header = first_content_line(text)
    return _first_word(header) if header is not None else ""


def _first_word(header: str) -> str:
    return re.split(r"[\s;]", header.strip(), maxsplit=1)[0]


def parse_mermaid(text: str, *, first_line: int = 1) -> Diagram:
    """Read one diagram; every ``line`` reported counts from ``first_line`` (1-based)."""
    builder = DiagramBuilder()
    lines, problems = content_lines(text, first_line)
    for problem in problems:
        builder.warn(problem.line, problem.message)
    if not lines:
        return builder.finish(DiagramKind.EMPTY)
    header = lines[0]
    keyword = _first_word(header.text)
    kind = keyword_kind(keyword)
    if kind is DiagramKind.FLOWCHART:
        statements = split_statements(lines, braces=True, semicolons=True)
        direction = read_direction(statements[0], builder)
        read_flowchart(statements[1:], builder)
        return builder.finish(kind, direction)
    if kind is DiagramKind.C4:
        read_c4(split_statements(lines[1:], braces=False, semicolons=False), builder)
        return builder.finish(kind, closer="}")
    if kind is DiagramKind.OTHER:
        note = f"{keyword} is not a lineage diagram; skipped"
    else:
        note = f"not a Mermaid diagram type: {excerpt(keyword)}; skipped"
    builder.warn(header.number, note)
    return builder.finish(DiagramKind.OTHER)
