"""One architecture document, read part by part into one batch.

A bare diagram (a ``.mmd`` file, or a file whose first word is a Mermaid diagram type) is one
block; anything else is Markdown (:mod:`importers.markdown_doc`). Fenced ``mermaid`` blocks, and
untagged or ``text`` blocks that start with a diagram type, are Mermaid; other untagged or
``text`` blocks may be plain-text arrow drawings; every other block is context. Non-lineage
Mermaid kinds (``sequenceDiagram``...) are skipped with a note in the log, not a warning.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from lineage.importers.arrow_text import parse_arrow_text
from lineage.importers.base import line_warnings
from lineage.importers.c4.boxes import document_boxes
from lineage.importers.c4.flows import diagram_links
from lineage.importers.c4.graph import DocumentGraph
from lineage.importers.c4.overrides import document_overrides
from lineage.importers.c4.tables import read_tables
from lineage.importers.diagram import Diagram, DiagramKind
from lineage.importers.markdown_doc import CodeBlock, MarkdownDoc, read_markdown, split_front_matter
from lineage.importers.mermaid import diagram_keyword, keyword_kind, parse_mermaid
from lineage.importers.problems import LineProblem
from lineage.model import ImportBatch

log = logging.getLogger(__name__)

_MERMAID_LANGUAGES = frozenset({"mermaid", "mmd"})
_ARROW_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "ascii", "arrows", "flow"})


def read_document(text: str, *, source: str, origin: str) -> ImportBatch:
    """Every diagram and table of one document as one batch; ``source`` names it in messages."""
    doc = _as_markdown(text, source)
    overrides, problems = document_overrides(doc)
    tables = read_tables(doc.tables)
    problems.extend(tables.problems)
    diagrams = [d for d in (_diagram(block, source, problems) for block in doc.blocks) if d]
    links = [diagram_links(diagram) for diagram in diagrams]
    graph = DocumentGraph(source)
    ids = graph.add_boxes(document_boxes(diagrams, links, overrides, tables))
    for index, flows in enumerate(links):
        graph.add_links(flows, ids.get(index, {}))
    graph.add_tables(tables)
    if not text.strip():
        problems.append(LineProblem(1, "the document is empty: nothing to import"))
    warnings = line_warnings(source, [*problems, *graph.problems])
    batch = ImportBatch(origin, tuple(graph.nodes.values()), tuple(graph.edges), warnings)
    return replace(batch, edges=batch.distinct_edges)


def _as_markdown(text: str, source: str) -> MarkdownDoc:
    """A Markdown document, or a bare diagram as one: its front matter (Mermaid allows one, and
    its ``lineage:`` key corrects the inference as a Markdown document's does) kept apart."""
    front_matter, body = split_front_matter(text)
    if source.lower().endswith(".mmd") or keyword_kind(diagram_keyword(body)) is not None:
        return MarkdownDoc((CodeBlock("mermaid", body, 1, 1),), (), (), front_matter)
    return read_markdown(text)


def _diagram(block: CodeBlock, source: str, problems: list[LineProblem]) -> Diagram | None:
    """The diagram a code block draws, if any; its unreadable lines go to ``problems``."""
    if block.language not in _MERMAID_LANGUAGES | _ARROW_LANGUAGES:
        return None
    if not block.closed:
        problems.append(
            LineProblem(block.line, "this code block is never closed: read to the end of the file")
        )
    keyword = diagram_keyword(block.text)
    kind = keyword_kind(keyword)
    if block.language in _MERMAID_LANGUAGES or kind is not None:
        if kind is DiagramKind.OTHER:
            log.info("%s:%d: %s diagram skipped (not lineage)", source, block.line, keyword)
            return None
        diagram = parse_mermaid(block.text, first_line=block.first_line)
    else:
        diagram = parse_arrow_text(block.text, first_line=block.first_line)
    problems.extend(diagram.warnings)
    return diagram
