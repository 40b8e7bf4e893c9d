"""The boxes of a document's diagrams, typed by the rule table and grouped into things.

Boxes that the document names the same way are one node: the same documented ID (in a label, or
paired with the box's name by a table or another label), or the same name up to case,
punctuation and a plural *s*. A group's node is typed by the box with the strongest evidence.
Actors (people, teams) that send nothing and boxes the document ignores are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from lineage.importers.c4.annotations import freshness_of_label, node_mode, topic_names
from lineage.importers.c4.evidence import Evidence
from lineage.importers.c4.flows import Link, diagram_evidence
from lineage.importers.c4.inference import infer_kind, is_actor, rule_rank
from lineage.importers.c4.names import IdDirectory, same_thing_key
from lineage.importers.c4.overrides import NodeOverride, Overrides
from lineage.importers.c4.tables import DocTables
from lineage.importers.diagram import Diagram, DiagramNode
from lineage.model import Kind, Node, NodeId
from lineage.refs import kind_of_id, make_id, slug


@dataclass(frozen=True)
class Box:
    """A diagram box with what the rule table made of it."""

    diagram: int
    """The index of its diagram in the document."""
    node: DiagramNode
    evidence: Evidence
    kind: Kind
    rule: str
    group: str
    override: NodeOverride | None

    @property
    def rank(self) -> int:
        return rule_rank(self.rule)

    @property
    def node_id(self) -> NodeId:
        if self.override and self.override.id:
            return NodeId(self.override.id)
        ev = self.evidence
        key = ev.documented_id or slug(ev.title) or slug(self.node.id) or f"node-{self.node.line}"
        return make_id(self.kind, key)

    def as_node(self, node_id: NodeId, rule: str, source: str) -> Node:
        """This box's assertion of the node ``node_id`` (its group's id and rule)."""
        ev = self.evidence
        kind = kind_of_id(node_id) or self.kind
        aliases = [self.node.id, ev.title]
        if kind is Kind.TOPIC:
            aliases.extend(topic_names(ev))
        properties = {
            "inferred_by": rule,
            "subgraph": ev.subgraphs[0] if ev.subgraphs else None,
            "c4_type": str(ev.c4) if ev.c4 else None,
            "technology": ev.technology,
            "description": ev.description or "; ".join(ev.details) or None,
        }
        override = self.override or NodeOverride()
        return Node(
            id=node_id,
            kind=kind,
            name=override.name or ev.name,
            mode=override.mode or node_mode(ev),
            freshness=override.freshness if override.sets_freshness else freshness_of_label(ev),
            aliases=tuple(dict.fromkeys(a for a in aliases if a and a != node_id)),
            properties={key: value for key, value in properties.items() if value},
            location=f"{source}:{self.node.line}",
        )


def document_boxes(
    diagrams: Sequence[Diagram],
    links: Sequence[list[Link]],
    overrides: Overrides,
    tables: DocTables,
) -> list[Box]:
    """The boxes of every diagram, in document order, each typed and given its group."""
    found = [
        (index, node, evidence)
        for index, (diagram, flows) in enumerate(zip(diagrams, links, strict=True))
        for node, evidence in diagram_evidence(diagram, flows)
    ]
    directory = IdDirectory()
    directory.pair_all(tables.references)
    for _, _, evidence in found:
        if evidence.label_id:
            directory.pair(evidence.name, evidence.label_id)
    inventory = {same_thing_key(entry.name) for entry in tables.inventory}
    boxes = list(_typed(found, overrides, directory, inventory))
    titles = {box.group for box in boxes}
    return [_regroup(box, titles) for box in boxes]


def _typed(
    found: list[tuple[int, DiagramNode, Evidence]],
    overrides: Overrides,
    directory: IdDirectory,
    inventory: set[str],
) -> Iterator[Box]:
    for index, node, evidence in found:
        title = evidence.title
        if overrides.ignores(node.id, title) or (is_actor(evidence) and not evidence.has_outputs):
            continue  # ignored by the document, or an actor that only consumes
        override = overrides.lookup(node.id, title)
        evidence = replace(
            evidence,
            table_id=None if evidence.label_id else directory.id_of(evidence.name),
            in_inventory=same_thing_key(evidence.name) in inventory,
            override_kind=override.kind if override else None,
        )
        kind, rule = infer_kind(evidence)
        yield Box(index, node, evidence, kind, rule, _group(evidence, override), override)


def _group(evidence: Evidence, override: NodeOverride | None) -> str:
    if override and override.id:
        return f"id:{override.id}"
    if evidence.documented_id:
        return f"doc:{evidence.documented_id}"
    return f"name:{same_thing_key(evidence.name)}"


def _regroup(box: Box, groups: set[str]) -> Box:
    """A wrapped title (``Metaflow<br/>Workflow Framework``) joins the node another diagram
    names by its first line alone (C4 ``System_Ext(metaflow, "Metaflow")``)."""
    short = f"name:{same_thing_key(box.evidence.short_title)}"
    if box.group.startswith("name:") and short != box.group and short in groups:
        return replace(box, group=short)
    return box
