"""The native lineage spec: nodes and edges declared by hand in YAML.

.. code-block:: yaml

    version: 1
    nodes:
      - {id: source:DS-001, name: Member Viewing Events, mode: streaming, freshness: sub-second}
      - {id: model:recs, name: Recommendation model, freshness: seconds}
    edges:
      - {from: source:DS-001, to: model:recs, role: serving, label: viewing features}

``kind`` is optional when the id says it; other keys are kept as properties. Every error names
the file and line. YAML is read with the safe loader, and a document whose aliases would expand
past a fixed budget (a "billion laughs" document) is refused before anything is built.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, ClassVar, NoReturn

import yaml

from lineage.errors import ParseError
from lineage.freshness import infer_mode, parse_freshness
from lineage.importers.base import TextImporter
from lineage.importers.safe_yaml import YamlProblem, compose, problem_of
from lineage.model import (
    Edge,
    EdgeType,
    Freshness,
    ImportBatch,
    Kind,
    Mode,
    Node,
    NodeId,
    Role,
)
from lineage.refs import kind_of_id, make_id

SPEC_VERSION = 1
MAX_EXPANDED_NODES = 200_000
"""YAML nodes a document may expand to once aliases are followed; far above any real spec."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
NODE_KEYS = frozenset({"id", "kind", "name", "mode", "freshness", "last_updated", "aliases"})
EDGE_KEYS = frozenset({"from", "to", "type", "label", "role", "mode", "freshness"})


@dataclass(frozen=True)
class _Entry:
    """One mapping from the document: its values and the line of each key."""

    fields: dict[str, Any]
    lines: dict[str, int]
    line: int


class YamlSpecImporter(TextImporter):
    format: ClassVar[str] = "yaml"
    suffixes: ClassVar[tuple[str, ...]] = (".yaml", ".yml")

    def parse(self, text: str, *, source: str) -> ImportBatch:
        return _SpecReader(source, self.origin(source)).read(text)


class _SpecReader:
    def __init__(self, source: str, origin: str) -> None:
        self.source = source
        self.origin = origin

    def read(self, text: str) -> ImportBatch:
        root = self._compose(text)
        if root is None:
            self._fail("the document is empty; expected 'version', 'nodes' and 'edges'", 1)
        top = self._entry(root, "the document")
        self._check_version(top)
        node_entries = self._entries(top, "nodes")
        edge_entries = self._entries(top, "edges")
        nodes = [self._node(entry) for entry in node_entries]
        names = self._names(nodes, node_entries)
        edges = [self._edge(entry, names) for entry in edge_entries]
        batch = ImportBatch(self.origin, tuple(nodes), tuple(edges))
        return replace(batch, edges=batch.distinct_edges)  # an edge listed twice is one edge

    # -- YAML structure --------------------------------------------------------------------

    def _compose(self, text: str) -> yaml.Node | None:
        try:
            root, self._loader = compose(text, max_values=MAX_EXPANDED_NODES)
        except YamlProblem as problem:
            self._fail(problem.message, None if problem.line is None else problem.line + 1)
        return root

    def _value(self, node: yaml.Node) -> Any:
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self._fail(f"cannot read this value: {problem_of(exc)}", node.start_mark.line + 1)

    def _entry(self, node: yaml.Node, what: str) -> _Entry:
        if not isinstance(node, yaml.MappingNode):
            self._fail(f"{what} must be a mapping of keys to values", node.start_mark.line + 1)
        merged = self._merge_keys(node)
        fields: dict[str, Any] = {}
        lines: dict[str, int] = {}
        written: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self._value(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                self._fail(f"keys must be text, got {key!r}", line)
            if index >= merged:  # written in this mapping, not merged in with '<<'
                if key in written:
                    self._fail(f"key {key!r} appears twice in {what}", line)
                written.add(key)
            fields[key] = value_node
            lines[key] = line
        return _Entry(fields, lines, node.start_mark.line + 1)

    def _merge_keys(self, node: yaml.MappingNode) -> int:
        """Apply YAML merge keys (``<<: *defaults``) as ``safe_load`` does. Returns how many
        pairs were merged in: they come first, and the mapping's own keys override them."""
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        try:
            self._loader.flatten_mapping(node)
        except yaml.constructor.ConstructorError as exc:
            self._fail(f"cannot merge these keys: {exc.problem}", node.start_mark.line + 1)
        return len(node.value) - own

    def _entries(self, top: _Entry, section: str) -> list[_Entry]:
        node = top.fields.get(section)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self._fail(f"'{section}' must be a list", top.lines[section])
        what = "a node" if section == "nodes" else "an edge"
        return [self._entry(item, what) for item in node.value]

    def _check_version(self, top: _Entry) -> None:
        unknown = sorted(set(top.fields) - {"version", "nodes", "edges"})
        if unknown:
            self._fail(f"unknown top-level key {unknown[0]!r}", top.lines[unknown[0]])
        if "version" not in top.fields:
            self._fail(f"missing 'version: {SPEC_VERSION}'", top.line)
        version = self._value(top.fields["version"])
        if isinstance(version, bool) or not isinstance(version, int) or version != SPEC_VERSION:
            self._fail(
                f"unsupported version {version!r}; this reader understands version {SPEC_VERSION}",
                top.lines["version"],
            )

    # -- nodes -----------------------------------------------------------------------------

    def _node(self, entry: _Entry) -> Node:
        values = {key: self._value(node) for key, node in entry.fields.items()}
        node_id, kind = self._node_id(values, entry)
        freshness = self._freshness(values.get("freshness"), entry, "freshness")
        return Node(
            id=node_id,
            kind=kind,
            name=self._text(values.get("name", ""), entry, "name"),
            mode=self._mode(values.get("mode"), freshness, entry),
            freshness=freshness,
            last_updated=self._timestamp(values.get("last_updated"), entry),
            aliases=self._aliases(values.get("aliases"), entry),
            properties=self._properties(values, NODE_KEYS, entry),
            location=f"{self.source}:{entry.line}",
        )

    def _node_id(self, values: dict[str, Any], entry: _Entry) -> tuple[NodeId, Kind]:
        raw = values.get("id")
        if not isinstance(raw, str) or not raw.strip():
            self._fail("a node needs an 'id' (text such as source:DS-001)", entry.line)
        raw = raw.strip()
        declared = self._kind(values.get("kind"), entry) if "kind" in values else None
        prefixed = kind_of_id(raw)
        if prefixed and declared and prefixed is not declared:
            self._fail(
                f"id {raw!r} says kind {prefixed} but 'kind' says {declared}", entry.lines["kind"]
            )
        if prefixed:
            return NodeId(raw), prefixed
        if declared is None:
            self._fail(
                f"node {raw!r} needs a 'kind' ({_choices(Kind)}) or an id like source:{raw}",
                entry.lines["id"],
            )
        return make_id(declared, raw), declared

    def _names(self, nodes: list[Node], entries: list[_Entry]) -> dict[str, tuple[NodeId, ...]]:
        """Every id and alias of this document with the nodes it names, for edge endpoints.

        Ids are unique. An alias may name several nodes (a merged graph exports that way);
        such an alias cannot be an endpoint. An id wins over an alias, as in lookups.
        """
        names: dict[str, tuple[NodeId, ...]] = {}
        first_line: dict[NodeId, int] = {}
        for node, entry in zip(nodes, entries, strict=True):
            if node.id in first_line:
                self._fail(
                    f"duplicate node id {node.id!r} (first declared on line {first_line[node.id]})",
                    entry.lines.get("id", entry.line),
                )
            first_line[node.id] = entry.line
            names[node.id] = (node.id,)
        for node in nodes:
            for alias in node.aliases:
                named = names.get(alias, ())
                if alias not in first_line and node.id not in named:
                    names[alias] = (*named, node.id)
        return names

    # -- edges -----------------------------------------------------------------------------

    def _edge(self, entry: _Entry, names: dict[str, tuple[NodeId, ...]]) -> Edge:
        values = {key: self._value(node) for key, node in entry.fields.items()}
        ends = [self._endpoint(values, entry, end, names) for end in ("from", "to")]
        edge_type = self._choice(values.get("type", "FEEDS"), EdgeType, entry, "type", upper=True)
        freshness = self._freshness(values.get("freshness"), entry, "freshness")
        return Edge(
            source=ends[0],
            target=ends[1],
            type=edge_type,
            label=self._text(values.get("label"), entry, "label") or None,
            role=self._choice(values.get("role", "other"), Role, entry, "role"),
            mode=self._mode(values.get("mode"), freshness, entry),
            freshness=freshness,
            properties=self._properties(values, EDGE_KEYS, entry),
            location=f"{self.source}:{entry.line}",
        )

    def _endpoint(
        self, values: dict[str, Any], entry: _Entry, end: str, names: dict[str, tuple[NodeId, ...]]
    ) -> NodeId:
        ref = values.get(end)
        if not isinstance(ref, str) or not ref.strip():
            self._fail(f"an edge needs '{end}': the id or alias of a node", entry.line)
        found = names.get(ref.strip(), ())
        if not found:
            self._fail(
                f"edge endpoint {ref!r} is not declared under 'nodes' in this file",
                entry.lines[end],
            )
        if len(found) > 1:
            self._fail(
                f"edge endpoint {ref!r} names several nodes: {', '.join(found)}; use an id",
                entry.lines[end],
            )
        return found[0]

    # -- values ----------------------------------------------------------------------------

    def _text(self, value: Any, entry: _Entry, key: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._fail(f"'{key}' must be text, got {type(value).__name__}", entry.lines[key])
        return str(value).strip()

    def _kind(self, value: Any, entry: _Entry) -> Kind:
        return self._choice(value, Kind, entry, "kind")

    def _choice(self, value: Any, enum: type, entry: _Entry, key: str, upper: bool = False) -> Any:
        text = str(value).strip()
        text = text.replace("-", "_")
        text = text.upper() if upper else text.lower()
        try:
            return enum(text)
        except ValueError:
            self._fail(
                f"unknown {key} {value!r}; expected one of: {_choices(enum)}", entry.lines[key]
            )

    def _mode(self, value: Any, freshness: Freshness | None, entry: _Entry) -> Mode:
        if value is not None:
            return self._choice(value, Mode, entry, "mode")
        return infer_mode(freshness.text) if freshness else Mode.UNKNOWN

    def _freshness(self, value: Any, entry: _Entry, key: str) -> Freshness | None:
        if value is None:
            return None
        if _is_number(value):
            return Freshness(text=f"{value:g}s", seconds=self._seconds(value, entry, key))
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            seconds = value.get("seconds")
            if seconds is not None and not _is_number(seconds):
                self._fail(f"'{key}.seconds' must be a number", entry.lines[key])
            bound = None if seconds is None else self._seconds(seconds, entry, key)
            return Freshness(text=value["text"], seconds=bound)
        if isinstance(value, str):
            return parse_freshness(value)
        self._fail(f"'{key}' must be text (e.g. 'hourly') or seconds", entry.lines[key])

    def _seconds(self, value: float, entry: _Entry, key: str) -> float:
        if not math.isfinite(value) or value < 0:
            self._fail(
                f"'{key}' must be a finite, non-negative number of seconds", entry.lines[key]
            )
        return float(value)

    def _timestamp(self, value: Any, entry: _Entry) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime.combine(value, time())
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            self._fail(
                f"'last_updated' must be an ISO timestamp, got {value!r}",
                entry.lines["last_updated"],
            )

    def _aliases(self, value: Any, entry: _Entry) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(a, str | int) for a in value):
            self._fail("'aliases' must be a list of names", entry.lines["aliases"])
        return tuple(dict.fromkeys(str(alias).strip() for alias in value if str(alias).strip()))

    def _properties(
        self, values: dict[str, Any], known: frozenset[str], entry: _Entry
    ) -> dict[str, Any]:
        nested = values.get("properties", {})
        if not isinstance(nested, dict):
            self._fail("'properties' must be a mapping", entry.lines["properties"])
        extra = {k: v for k, v in values.items() if k not in known and k != "properties"}
        return _json_safe({**extra, **nested})

    def _fail(self, message: str, line: int | None) -> NoReturn:
        raise ParseError(message, source=self.source, line=line)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _choices(enum: type) -> str:
    return ", ".join(member.value for member in enum)


def dump_spec(nodes: Iterable[Node], edges: Iterable[Edge]) -> str:
    """Write nodes and edges as a spec document that reads back to the same graph."""
    document = {
        "version": SPEC_VERSION,
        "nodes": [_node_entry(node) for node in nodes],
        "edges": [_edge_entry(edge) for edge in edges],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _node_entry(node: Node) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": node.id}
    if node.name:
        entry["name"] = node.name
    entry["mode"] = node.mode.value
    _put_freshness(entry, node.freshness)
    if node.last_updated:
        entry["last_updated"] = node.last_updated.isoformat()
    if node.aliases:
        entry["aliases"] = list(node.aliases)
    _put_properties(entry, node.properties, NODE_KEYS)
    return entry


def _edge_entry(edge: Edge) -> dict[str, Any]:
    entry: dict[str, Any] = {"from": edge.source, "to": edge.target}
    if edge.type is not EdgeType.FEEDS:
        entry["type"] = edge.type.value
    if edge.label:
        entry["label"] = edge.label
    entry["role"] = edge.role.value
    entry["mode"] = edge.mode.value
    _put_freshness(entry, edge.freshness)
    _put_properties(entry, edge.properties, EDGE_KEYS)
    return entry


def _put_freshness(entry: dict[str, Any], freshness: Freshness | None) -> None:
    if freshness is None:
        return
    if parse_freshness(freshness.text) == freshness:
        entry["freshness"] = freshness.text
    else:
        entry["freshness"] = {"text": freshness.text, "seconds": freshness.seconds}


def _put_properties(
    entry: dict[str, Any], properties: Mapping[str, Any], reserved: frozenset[str]
) -> None:
    flat = {k: v for k, v in properties.items() if k not in reserved and k != "properties"}
    nested = {k: v for k, v in properties.items() if k not in flat}
    entry.update(flat)
    if nested:
        entry["properties"] = nested
