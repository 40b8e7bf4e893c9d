"""Architecture documents (C4 / Mermaid / plain arrows in Markdown) into the lineage graph.

``lineage import c4 docs/`` reads ``.md``, ``.markdown``, ``.txt`` and bare ``.mmd`` files
(the user's guide is ``docs/importers/c4.md``)::

    document     a document's parts: which block is which diagram, then one batch
    boxes        diagram boxes typed by the rule table and grouped into one node per thing
    graph        boxes merged into nodes, flows into FEEDS edges, table facts onto nodes
    flows        the data flows of one diagram (subgraphs expanded, C4 read direction)
    evidence     what a label says about a box: title, tags, details, documented ID, name
    inference    the ordered rule table that decides a box's kind
    vocabulary   the words for engines, streams, stores, tags, head nouns and people
    annotations  mode, freshness and edge roles a label states
    names        documented IDs, names, and how table cells name nodes
    tables       inventory, schema registry and freshness requirement tables
    overrides    the document's ``yaml lineage`` corrections

The diagrams themselves are read by :mod:`importers.mermaid` and :mod:`importers.arrow_text`.
"""

from __future__ import annotations

from typing import ClassVar

from lineage.importers.base import TextImporter
from lineage.importers.c4.document import read_document
from lineage.model import ImportBatch

__all__ = ["C4Importer"]


class C4Importer(TextImporter):
    format: ClassVar[str] = "c4"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown", ".txt", ".mmd")

    def parse(self, text: str, *, source: str) -> ImportBatch:
        return read_document(text, source=source, origin=self.origin(source))
