"""The nodes and edges one document asserts: its boxes merged into nodes, its flows as FEEDS
edges, and its table facts on the nodes the tables name.

A table cell finds its node by the ID it gives (a node's key, or an alias such as the Mermaid
id ``MDL_SEARCH`` for ``MDL-SEARCH``), else by the name it gives; a name found for an ID of
another kind (``MDL-SEARCH training`` and a job box ``Training``) is not the node. A node found
by name for an ID learns the ID as an alias.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from lineage.importers.c4.annotations import edge_freshness, edge_mode, edge_role
from lineage.importers.c4.boxes import Box
from lineage.importers.c4.flows import Link
from lineage.importers.c4.names import Reference, known_kind, normalize, same_thing_key
from lineage.importers.c4.overrides import NodeOverride
from lineage.importers.c4.tables import DocTables, InventoryEntry, SchemaEntry, SchemaUser
from lineage.importers.problems import LineProblem
from lineage.model import Edge, EdgeType, Kind, Mode, Node, NodeId
from lineage.refs import kind_of_id, make_id

BoxIds = dict[int, dict[str, NodeId]]
"""For each diagram (by index), the node each of its box ids became."""


@dataclass
class NameIndex:
    """Every name a document's nodes are known by.

    Ids and keys are compared as :func:`normalize` does and looked up first; names and aliases
    as :func:`same_thing_key` does (a plural is the same name). The first node to claim a name
    keeps it, so a box the diagrams name wins over a later table row.
    """

    _ids: dict[str, NodeId] = field(default_factory=dict)
    _names: dict[str, NodeId] = field(default_factory=dict)

    def add(self, node: Node) -> None:
        for key in (node.id, node.key):
            self._ids.setdefault(normalize(key), node.id)
        for name in (node.name, *node.aliases):
            if key := same_thing_key(name):
                self._names.setdefault(key, node.id)

    def _get(self, text: str) -> NodeId | None:
        return self._ids.get(normalize(text)) or self._names.get(same_thing_key(text))

    def find(self, ref: Reference) -> NodeId | None:
        if ref.id and (found := self._get(ref.id)):
            return found
        found = self._get(ref.name) if ref.name else None
        expected = known_kind(ref.id)
        if found and expected and kind_of_id(found) is not expected:
            return None
        return found


@dataclass
class DocumentGraph:
    source: str
    nodes: dict[NodeId, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    corrected: dict[NodeId, NodeOverride] = field(default_factory=dict)
    """What the document's corrections say of a node: its tables do not overrule them."""
    _index: NameIndex = field(default_factory=NameIndex)

    def _location(self, line: int) -> str:
        return f"{self.source}:{line}"

    # -- diagrams ----------------------------------------------------------------------------

    def add_boxes(self, boxes: list[Box]) -> BoxIds:
        """One node per group of boxes, typed by the box with the strongest evidence."""
        best: dict[str, Box] = {}
        for box in boxes:
            if box.group not in best or box.rank < best[box.group].rank:
                best[box.group] = box
        ids: BoxIds = {}
        for box in sorted(boxes, key=lambda b: b is not best[b.group]):
            chosen = best[box.group]
            node_id = chosen.node_id
            ids.setdefault(box.diagram, {})[box.node.id] = node_id
            self._merge(box.as_node(node_id, chosen.rule, self.source))
            if box.override:
                self.corrected[node_id] = box.override
        return ids

    def add_links(self, links: Iterable[Link], ids: dict[str, NodeId]) -> None:
        for link in links:
            source, target = ids.get(link.source), ids.get(link.target)
            if source is None or target is None:
                continue  # an end left out of the graph
            if source == target and link.source != link.target:
                continue  # two boxes of one node
            self.edges.append(
                Edge(
                    source=source,
                    target=target,
                    label=link.label or None,
                    role=edge_role(link.label),
                    mode=edge_mode(link.label),
                    freshness=edge_freshness(link.label),
                    location=self._location(link.line),
                )
            )

    def _merge(self, node: Node) -> None:
        """Add ``node``, or fill in what an earlier mention of it left unset."""
        old = self.nodes.get(node.id)
        self.nodes[node.id] = node if old is None else _merged(old, node)
        self._index.add(self.nodes[node.id])

    # -- tables ------------------------------------------------------------------------------

    def add_tables(self, tables: DocTables) -> None:
        for entry in tables.inventory:
            self._add_inventory(entry)
        for schema in tables.schemas:
            self._add_schema(schema)
        for requirement in tables.requirements:
            found = self._find(requirement.reference)
            if found is None:
                message = f"{requirement.reference.text!r} names no node of this document"
                self.problems.append(LineProblem(requirement.line, message))
            elif not self._corrects_freshness(found):
                self.nodes[found] = replace(self.nodes[found], freshness=requirement.freshness)

    def _corrects_freshness(self, node_id: NodeId) -> bool:
        """The document's corrections state this node's freshness: no table changes it."""
        correction = self.corrected.get(node_id)
        return correction is not None and correction.sets_freshness

    def _find(self, ref: Reference) -> NodeId | None:
        """The node ``ref`` names; a node found by name learns the ID ``ref`` gives."""
        found = self._index.find(ref)
        node = self.nodes.get(found) if found else None
        if node is not None and ref.id and ref.id != node.key and ref.id not in node.aliases:
            self._merge(replace(node, aliases=(*node.aliases, ref.id)))
        return found

    def _add_inventory(self, entry: InventoryEntry) -> None:
        node_id = self._find(entry.reference) or entry.id
        location = self._location(entry.line)
        self._merge(Node(node_id, kind_of_id(node_id) or entry.kind, location=location))
        node = self.nodes[node_id]
        correction = self.corrected.get(node_id)
        mode = entry.mode if entry.mode is not Mode.UNKNOWN else node.mode
        self.nodes[node_id] = replace(
            node,
            name=(correction.name if correction else None) or entry.name or node.name,
            mode=correction.mode if correction and correction.mode else mode,
            freshness=node.freshness
            if self._corrects_freshness(node_id)
            else entry.freshness or node.freshness,
            properties={**node.properties, **entry.properties},
        )
        self._index.add(self.nodes[node_id])  # the inventory's name is one more name

    def _add_schema(self, schema: SchemaEntry) -> None:
        location = self._location(schema.line)
        properties = dict(schema.properties)
        self._merge(
            Node(schema.id, Kind.SCHEMA, schema.name, properties=properties, location=location)
        )
        for user in schema.users:
            for user_id in self._schema_users(user, schema.line):
                self.edges.append(Edge(user_id, schema.id, EdgeType.HAS_SCHEMA, location=location))

    def _schema_users(self, user: SchemaUser, line: int) -> list[NodeId]:
        """``All models`` is every model of the document; an entry naming no node of the
        document is a stub when its ID says the kind (``PL-001``), else a warning."""
        if user.all_models:
            return [node_id for node_id, node in self.nodes.items() if node.kind is Kind.MODEL]
        found = self._find(user.reference)
        kind = known_kind(user.reference.id)
        if found is None and user.reference.id and kind is not None:
            found = make_id(kind, user.reference.id)
            self._merge(Node(found, kind, location=self._location(line)))
        if found is None:
            message = f"'Used By' entry {user.reference.text!r} names no node of this document"
            self.problems.append(LineProblem(line, message))
            return []
        return [found]


def _merged(old: Node, new: Node) -> Node:
    """``old`` with what it left unset filled in from ``new``."""
    return replace(
        old,
        name=old.name or new.name,
        mode=old.mode if old.mode is not Mode.UNKNOWN else new.mode,
        freshness=old.freshness or new.freshness,
        aliases=tuple(dict.fromkeys(a for a in (*old.aliases, *new.aliases) if a != old.id)),
        properties={**new.properties, **old.properties},
        location=old.location or new.location,
    )
