"""Architecture documents (C4 / Mermaid / plain arrows in Markdown) into the lineage graph.

``lineage import c4 docs/`` reads ``.md``, ``.markdown``, ``.txt`` and bare ``.mmd`` files:

* fenced ``mermaid`` blocks (flowcharts and C4 diagrams; other diagram kinds such as
  ``sequenceDiagram`` are skipped with a logged note, which is not a warning) and plain-text
  arrow diagrams in fenced or indented blocks (:mod:`importers.arrow_text`);
* the data-source inventory, schema registry and freshness requirement tables
  (:mod:`importers.c4_tables`);
* a ```` ```yaml lineage ```` block, or a ``lineage:`` key in front matter, that corrects the
  inference (:func:`importers.c4_inference.read_overrides`).

Every box is typed by the ordered rule table of :mod:`importers.c4_inference`. Boxes that the
document's diagrams name the same way (the same documented ID, or the same name up to case,
punctuation and a plural ``s``) are one node, typed by the strongest evidence any of them
gives. Actors (people, teams) with no outgoing edge only consume what the platform produces;
they are left out. A line that cannot be read becomes a warning with ``file:line``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import ClassVar

from lineage.importers import c4_inference as infer
from lineage.importers.arrow_text import parse_arrow_text
from lineage.importers.base import TextImporter
from lineage.importers.c4_tables import (
    DocTables,
    NodeOverride,
    Overrides,
    SchemaUser,
    read_overrides,
    read_tables,
)
from lineage.importers.markdown_doc import CodeBlock, MarkdownDoc, read_markdown
from lineage.importers.mermaid import (
    C4_KEYWORDS,
    FLOWCHART_KEYWORDS,
    OTHER_KEYWORDS,
    Diagram,
    DiagramKind,
    MermaidNode,
    parse_mermaid,
)
from lineage.importers.problems import LineProblem

from lineage.model import Edge, EdgeType, ImportBatch, ImportWarning, Kind, Mode, Node, NodeId
from lineage.refs import make_id, slug

log = logging.getLogger(__name__)

_DIAGRAM_KEYWORDS = FLOWCHART_KEYWORDS | C4_KEYWORDS | OTHER_KEYWORDS
_ARROW_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "ascii", "arrows", "flow"})


class C4Importer(TextImporter):
    format: ClassVar[str] = "c4"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".markdown", ".txt", ".mmd")

    def parse(self, text: str, *, source: str) -> ImportBatch:
        return _DocReader(source, self.origin(source)).read(text)


@dataclass(frozen=True)
class _Box:
    """A diagram box with what the rule table made of it."""

    diagram: int
    node: MermaidNode
    evidence: infer.Evidence
    kind: Kind
    rule: str
    group: str
    override: NodeOverride | None

    @property
    def rank(self) -> int:
        return infer.rule_rank(self.rule)


@dataclass
class _DocReader:
    source: str
    origin: str
    warnings: list[ImportWarning] = field(default_factory=list)
    nodes: dict[NodeId, Node] = field(default_factory=dict)
    edges: dict[tuple[NodeId, EdgeType, NodeId], Edge] = field(default_factory=dict)

    def read(self, text: str) -> ImportBatch:
        doc = _as_markdown(text, self.source)
        overrides = self._overrides(doc)
        tables = read_tables(doc.tables)
        self._warn(tables.problems)
        inventory = {infer.same_thing_key(e.name): e.id.split(":", 1)[1] for e in tables.inventory}
        diagrams = [d for d in map(self._diagram, doc.blocks) if d is not None]
        boxes: list[_Box] = []
        links: list[list[infer.Link]] = []
        for index, diagram in enumerate(diagrams):
            links.append(infer.diagram_links(diagram))
            boxes.extend(_boxes(index, diagram, links[-1], overrides, inventory))
        ids = self._add_boxes(boxes)
        for index, diagram_links in enumerate(links):
            self._add_links(diagram_links, ids.get(index, {}))
        self._add_tables(tables)
        return ImportBatch(
            self.origin,
            tuple(self.nodes.values()),
            tuple(self.edges.values()),
            tuple(self.warnings),
        )

    def _warn(self, problems: Iterable[LineProblem]) -> None:
        self.warnings.extend(ImportWarning(f"{self.source}:{p.line}", p.message) for p in problems)

    # -- blocks ----------------------------------------------------------------------------

    def _overrides(self, doc: MarkdownDoc) -> Overrides:
        found: list[Overrides] = []
        if doc.front_matter is not None:
            matter = doc.front_matter
            read, problems = read_overrides(matter.text, matter.first_line, nested=True)
            found.append(read)
            self._warn(problems)
        for block in doc.blocks:
            if block.language in ("yaml", "yml") and "lineage" in block.info.lower().split()[1:]:
                read, problems = read_overrides(block.text, block.first_line, nested=False)
                found.append(read)
                self._warn(problems)
        nodes = {key: value for o in found for key, value in o.nodes.items()}
        return Overrides(nodes, frozenset().union(*(o.ignore for o in found)))

    def _diagram(self, block: CodeBlock) -> Diagram | None:
        first = _first_word(block.text)
        if block.language in ("mermaid", "mmd") or (
            block.language in _ARROW_LANGUAGES and first in _DIAGRAM_KEYWORDS
        ):
            diagram = parse_mermaid(block.text, first_line=block.first_line)
            if diagram.kind is DiagramKind.OTHER and first in OTHER_KEYWORDS:
                log.info("%s:%d: %s diagram skipped (not lineage)", self.source, block.line, first)
                return None
            self._warn(diagram.warnings)
            return diagram
        if block.language in _ARROW_LANGUAGES:
            arrows = parse_arrow_text(block.text, first_line=block.first_line)
            self._warn(arrows.warnings)
            return infer.diagram_from_arrows(arrows)
        return None

    # -- nodes and edges -------------------------------------------------------------------

    def _add_boxes(self, boxes: list[_Box]) -> dict[int, dict[str, NodeId]]:
        """One node per group of boxes, typed by the box with the strongest evidence."""
        titles = {box.group for box in boxes}
        boxes = [_regroup(box, titles) for box in boxes]
        best: dict[str, _Box] = {}
        for box in boxes:
            if box.group not in best or box.rank < best[box.group].rank:
                best[box.group] = box
        ids: dict[int, dict[str, NodeId]] = {}
        for box in sorted(boxes, key=lambda b: b is not best[b.group]):
            chosen = best[box.group]
            node_id = _node_id(chosen)
            ids.setdefault(box.diagram, {})[box.node.id] = node_id
            self._merge(_node(box, node_id, chosen.rule, self.source))
        return ids

    def _add_links(self, links: list[infer.Link], ids: dict[str, NodeId]) -> None:
        for link in links:
            source, target = ids.get(link.source), ids.get(link.target)
            if (
                source is None
                or target is None
                or (source == target and link.source != link.target)
            ):
                continue  # an end left out, or two boxes of one node
            self._add_edge(
                Edge(
                    source=source,
                    target=target,
                    label=link.label or None,
                    role=infer.edge_role(link.label),
                    mode=infer.edge_mode(link.label),
                    freshness=infer.edge_freshness(link.label),
                    location=f"{self.source}:{link.line}",
                )
            )

    def _merge(self, node: Node) -> None:
        """Add ``node``, or fill in what an earlier mention of it left unset."""
        old = self.nodes.get(node.id)
        if old is None:
            self.nodes[node.id] = node
            return
        self.nodes[node.id] = replace(
            old,
            name=old.name or node.name,
            mode=old.mode if old.mode is not Mode.UNKNOWN else node.mode,
            freshness=old.freshness or node.freshness,
            aliases=tuple(dict.fromkeys(a for a in (*old.aliases, *node.aliases) if a != old.id)),
            properties={**node.properties, **old.properties},
            location=old.location or node.location,
        )

    def _add_edge(self, edge: Edge) -> None:
        self.edges.setdefault((edge.source, edge.type, edge.target), edge)

    # -- tables ----------------------------------------------------------------------------

    def _add_tables(self, tables: DocTables) -> None:
        for entry in tables.inventory:
            location = f"{self.source}:{entry.line}"
            self._merge(Node(entry.id, _kind(entry.id), entry.name, location=location))
            node = self.nodes[entry.id]
            self.nodes[entry.id] = replace(
                node,
                name=entry.name or node.name,
                mode=entry.mode if entry.mode is not Mode.UNKNOWN else node.mode,
                freshness=entry.freshness or node.freshness,
                properties={**node.properties, **entry.properties},
            )
        names = self._name_index()
        for schema in tables.schemas:
            location = f"{self.source}:{schema.line}"
            props = dict(schema.properties)
            self._merge(
                Node(schema.id, Kind.SCHEMA, schema.name, properties=props, location=location)
            )
            for user in schema.users:
                for user_id in self._schema_users(user, names, schema.line):
                    self._add_edge(Edge(user_id, schema.id, EdgeType.HAS_SCHEMA, location=location))
        for requirement in tables.requirements:
            found = names.get(infer.normalize(requirement.ref))
            if found is None:
                message = f"{requirement.ref!r} names no node of this document"
                self._warn([LineProblem(requirement.line, message)])
            else:
                self.nodes[found] = replace(self.nodes[found], freshness=requirement.freshness)

    def _schema_users(self, user: SchemaUser, names: dict[str, NodeId], line: int) -> list[NodeId]:
        """``All models`` is every model of the document; an ID names a node of the document
        (matched by alias: ``MDL-SEARCH`` is the box ``MDL_SEARCH``) or a stub."""
        if user.all_models:
            return [node_id for node_id, node in self.nodes.items() if node.kind is Kind.MODEL]
        found = names.get(infer.normalize(user.documented_id or user.text))
        if found is None and user.documented_id:
            found = make_id(infer.kind_of_documented_id(user.documented_id), user.documented_id)
            self._merge(Node(found, _kind(found), location=f"{self.source}:{line}"))
        if found is None:
            message = f"'Used By' entry {user.text!r} names no node of this document"
            self._warn([LineProblem(line, message)])
            return []
        return [found]

    def _name_index(self) -> dict[str, NodeId]:
        names: dict[str, NodeId] = {}
        for node in self.nodes.values():
            for name in (node.id, node.key, node.name, *node.aliases):
                names.setdefault(infer.normalize(name), node.id)
        names.pop("", None)
        return names


# -- from diagrams to boxes and links ---------------------------------------------------------


def _as_markdown(text: str, source: str) -> MarkdownDoc:
    """A bare diagram (a ``.mmd`` file, or a file whose first word is a Mermaid diagram type)
    is one block; anything else is Markdown."""
    if source.lower().endswith(".mmd") or _first_word(text) in _DIAGRAM_KEYWORDS:
        return MarkdownDoc((CodeBlock("mermaid", text, 1, 1),), (), (), None)
    return read_markdown(text)


def _first_word(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("%%") and stripped != "---":
            return re.split(r"[\s;]", stripped, maxsplit=1)[0]
    return ""


def _boxes(
    index: int,
    diagram: Diagram,
    links: list[infer.Link],
    overrides: Overrides,
    inventory: dict[str, str],
) -> Iterable[_Box]:
    for node_id, evidence in infer.diagram_evidence(diagram, links).items():
        node = next(n for n in diagram.nodes if n.id == node_id)
        title = evidence.title
        override = overrides.lookup(node.id, title)
        if overrides.ignores(node.id, title) or (
            infer.is_actor(evidence) and not evidence.has_outputs
        ):
            continue  # ignored by the document, or an actor that only consumes
        doc_id = infer.documented_id(evidence.lines[0]) if evidence.lines else None
        inventory_id = None if doc_id else inventory.get(infer.same_thing_key(title))
        evidence = replace(
            evidence,
            inventory_id=inventory_id,
            override_kind=override.kind if override else None,
        )
        kind, rule = infer.infer_kind(evidence)
        if override and override.id:
            group_key = f"id:{override.id}"
        elif doc_id or inventory_id:
            group_key = f"doc:{doc_id or inventory_id}"
        else:
            group_key = f"name:{infer.same_thing_key(title)}"
        yield _Box(index, node, evidence, kind, rule, group_key, override)


def _regroup(box: _Box, groups: set[str]) -> _Box:
    """A wrapped title (``Metaflow<br/>Workflow Framework``) joins the node another diagram
    names by its first line alone (C4 ``System_Ext(metaflow, "Metaflow")``)."""
    short = f"name:{infer.same_thing_key(box.evidence.short_title)}"
    if box.group.startswith("name:") and short != box.group and short in groups:
        return replace(box, group=short)
    return box


def _node_id(box: _Box) -> NodeId:
    if box.override and box.override.id:
        return NodeId(box.override.id)
    ev = box.evidence
    doc_id = (infer.documented_id(ev.lines[0]) if ev.lines else None) or ev.inventory_id
    key = doc_id or slug(ev.title) or slug(box.node.id) or f"node-{box.node.line}"
    return make_id(box.kind, key)


def _node(box: _Box, node_id: NodeId, rule: str, source: str) -> Node:
    ev = box.evidence
    aliases = [box.node.id, ev.title]
    if _kind(node_id) is Kind.TOPIC:
        aliases.extend(infer.topic_names(ev))
    name = box.override.name if box.override and box.override.name else None
    properties = {
        "inferred_by": rule,
        "subgraph": ev.subgraphs[0] if ev.subgraphs else None,
        "c4_type": ev.c4_type,
        "technology": ev.technology,
        "description": ev.description or "; ".join(ev.lines[1:]) or None,
    }
    return Node(
        id=node_id,
        kind=_kind(node_id),
        name=name or infer.display_name(ev.title),
        mode=infer.node_mode(ev),
        freshness=infer.freshness_of_label(ev),
        aliases=tuple(dict.fromkeys(a for a in aliases if a and a != node_id)),
        properties={key: value for key, value in properties.items() if value},
        location=f"{source}:{box.node.line}",
    )


def _kind(node_id: str) -> Kind:
    return Kind(node_id.split(":", 1)[0])
