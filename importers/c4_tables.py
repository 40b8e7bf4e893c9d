"""The tables of an architecture document that carry lineage facts.

Three kinds are recognised by their header (columns in any order, with the variant names
different authors use); every other table is context and is ignored without a warning:

* a **data-source inventory** (``Source ID | Name | Type | Freshness | Volume | Processing
  Mode | Owner | Privacy``...): each row describes one source;
* a **schema registry** (``Schema ID | Version | Domain | Used By | Last Breaking Change``):
  each row is a schema and the jobs and models that use it;
* a **freshness requirements** table (a key column such as ``Consumer``/``Model``/``Job`` and
  a ``Freshness``/``SLA`` column): each row sets a required freshness on a node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from lineage.importers.c4_inference import documented_id, kind_of_documented_id, mode_of, normalize
from lineage.importers.markdown_doc import Table, TableRow
from lineage.importers.problems import LineProblem
from lineage.importers.safe_yaml import YamlProblem, compose

from lineage.freshness import parse_freshness
from lineage.model import Freshness, Kind, Mode, NodeId
from lineage.refs import kind_of_id, make_id, slug


@dataclass(frozen=True)
class InventoryEntry:
    id: NodeId
    name: str
    freshness: Freshness | None
    mode: Mode
    properties: Mapping[str, str] = field(default_factory=dict, hash=False)
    line: int = 0


@dataclass(frozen=True)
class SchemaUser:
    """One entry of a ``Used By`` cell: ``PL-001 (ingestion)``, ``MDL-SEARCH training``,
    ``All models (online + offline)``."""

    text: str
    documented_id: str | None
    all_models: bool = False


@dataclass(frozen=True)
class SchemaEntry:
    id: NodeId
    name: str
    users: tuple[SchemaUser, ...]
    properties: Mapping[str, str] = field(default_factory=dict, hash=False)
    line: int = 0


@dataclass(frozen=True)
class FreshnessRequirement:
    ref: str
    freshness: Freshness
    line: int


@dataclass(frozen=True)
class DocTables:
    inventory: tuple[InventoryEntry, ...] = ()
    schemas: tuple[SchemaEntry, ...] = ()
    requirements: tuple[FreshnessRequirement, ...] = ()
    problems: tuple[LineProblem, ...] = ()


# -- column names -----------------------------------------------------------------------------


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


INVENTORY_ID = _names("source id", "sourceid", "id", "ds id", "data source id")
INVENTORY_NAME = _names("name", "source name", "data source", "source", "dataset", "description")
INVENTORY_ID_OR_NAME = INVENTORY_ID | _names("source")
"""Without an ID column, the ``Source`` column is both the name and (slugged) the key."""
INVENTORY_TYPE = _names("type", "source type", "kind", "technology", "system", "format")
FRESHNESS = _names(
    "freshness", "latency", "update frequency", "refresh", "refresh rate", "cadence",
    "frequency", "freshness sla", "sla", "required freshness", "freshness requirement",
    "freshness req", "max staleness", "staleness budget", "staleness sla", "freshness target",
)  # fmt: skip
MODE = _names("processing mode", "mode", "processing", "ingestion mode", "processing type")
VOLUME = _names("volume", "throughput", "scale", "size", "rate")
OWNER = _names("owner", "owners", "team", "owning team", "owner team")
PRIVACY = _names("privacy", "pii", "classification", "sensitivity", "data classification")

SCHEMA_ID = _names("schema id", "schema", "subject", "schema name")
SCHEMA_USERS = _names("used by", "consumers", "users", "consumed by", "used in")
SCHEMA_NAME = _names("domain", "description", "fields", "name", "entity")
SCHEMA_VERSION = _names("version", "latest version", "current version")
SCHEMA_BREAKING = _names("last breaking change", "breaking change", "last breaking")

REQUIREMENT_KEY = _names(
    "consumer", "model", "node", "component", "dataset", "job", "feature", "pipeline",
    "system", "service", "asset", "feature set",
)  # fmt: skip
REQUIREMENT_FRESHNESS = FRESHNESS - _names("latency", "update frequency", "frequency", "cadence")


def column_name(header: str) -> str:
    """A header cell for matching: lower case, punctuation and extra spaces dropped."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


@dataclass(frozen=True)
class _Columns:
    index: Mapping[str, int]

    @classmethod
    def of(cls, table: Table) -> _Columns:
        index: dict[str, int] = {}
        for i, header in enumerate(table.header):
            index.setdefault(column_name(header), i)
        return cls(index)

    def find(self, names: frozenset[str]) -> int | None:
        return next((i for name, i in self.index.items() if name in names), None)

    def without(self, names: frozenset[str]) -> _Columns:
        return _Columns({name: i for name, i in self.index.items() if name not in names})

    def cell(self, row: TableRow, names: frozenset[str]) -> str:
        i = self.find(names)
        return row.cells[i].strip() if i is not None and i < len(row.cells) else ""


# -- reading ----------------------------------------------------------------------------------


def read_tables(tables: Iterable[Table]) -> DocTables:
    inventory: list[InventoryEntry] = []
    schemas: list[SchemaEntry] = []
    requirements: list[FreshnessRequirement] = []
    problems: list[LineProblem] = []
    for table in tables:
        columns = _Columns.of(table)
        if _is_schema_registry(columns):
            schemas.extend(_schemas(table, columns, problems))
        elif _is_inventory(columns):
            inventory.extend(_inventory(table, columns, problems))
        elif _is_requirements(columns):
            requirements.extend(_requirements(table, columns, problems))
    return DocTables(tuple(inventory), tuple(schemas), tuple(requirements), tuple(problems))


def _is_inventory(columns: _Columns) -> bool:
    has_id = columns.find(INVENTORY_ID_OR_NAME) is not None
    has_facts = columns.find(FRESHNESS) is not None or columns.find(MODE) is not None
    return has_id and has_facts


def _is_schema_registry(columns: _Columns) -> bool:
    return columns.find(SCHEMA_ID) is not None and columns.find(SCHEMA_USERS) is not None


def _is_requirements(columns: _Columns) -> bool:
    key = columns.find(REQUIREMENT_KEY)
    return key is not None and columns.find(REQUIREMENT_FRESHNESS) is not None


def _inventory(
    table: Table, columns: _Columns, problems: list[LineProblem]
) -> Iterable[InventoryEntry]:
    id_names = INVENTORY_ID if columns.find(INVENTORY_ID) is not None else INVENTORY_ID_OR_NAME
    id_column = columns.find(id_names)
    names = _Columns({k: i for k, i in columns.index.items() if i != id_column})
    for row in table.rows:
        raw_id = columns.cell(row, id_names)
        name = names.cell(row, INVENTORY_NAME)
        doc_id = documented_id(raw_id)
        if doc_id:
            node_id = make_id(kind_of_documented_id(doc_id), doc_id)
        elif slug(raw_id or name):
            node_id = make_id(
                Kind.SOURCE, raw_id if _is_identifier(raw_id) else slug(raw_id or name)
            )
        else:
            problems.append(LineProblem(row.line, "inventory row without a source id or name"))
            continue
        freshness_text = columns.cell(row, FRESHNESS)
        mode_text = columns.cell(row, MODE)
        properties = {
            key: value
            for key, names in (
                ("type", INVENTORY_TYPE),
                ("volume", VOLUME),
                ("owner", OWNER),
                ("privacy", PRIVACY),
                ("processing_mode", MODE),
            )
            if (value := columns.cell(row, names))
        }
        yield InventoryEntry(
            id=node_id,
            name=name or raw_id,
            freshness=parse_freshness(freshness_text) if freshness_text else None,
            mode=mode_of([mode_text, freshness_text, properties.get("type", "")]),
            properties=properties,
            line=row.line,
        )


def _is_identifier(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][\w.-]{0,63}", text))


def _schemas(table: Table, columns: _Columns, problems: list[LineProblem]) -> Iterable[SchemaEntry]:
    for row in table.rows:
        raw_id = columns.cell(row, SCHEMA_ID)
        key = raw_id if _is_identifier(raw_id) else slug(raw_id)
        if not key:
            problems.append(LineProblem(row.line, "schema registry row without a schema id"))
            continue
        properties = {
            name: value
            for name, names in (
                ("version", SCHEMA_VERSION),
                ("last_breaking_change", SCHEMA_BREAKING),
            )
            if (value := columns.cell(row, names))
        }
        name = columns.cell(row, SCHEMA_NAME) or raw_id
        users = tuple(_schema_users(columns.cell(row, SCHEMA_USERS)))
        yield SchemaEntry(make_id(Kind.SCHEMA, key), name, users, properties, row.line)


def _schema_users(cell: str) -> Iterable[SchemaUser]:
    for part in _split_outside_parentheses(cell):
        text = part.strip()
        if not text or text.lower() in ("-", "n/a", "none", "tbd"):
            continue
        all_models = bool(re.match(r"all\s+models?\b", text, re.IGNORECASE))
        yield SchemaUser(text, documented_id(text), all_models)


def _split_outside_parentheses(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch in ",;" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _requirements(
    table: Table, columns: _Columns, problems: list[LineProblem]
) -> Iterable[FreshnessRequirement]:
    for row in table.rows:
        ref = columns.cell(row, REQUIREMENT_KEY)
        text = columns.cell(row, REQUIREMENT_FRESHNESS)
        if not ref:
            problems.append(LineProblem(row.line, "freshness row without a node name"))
        elif text:
            yield FreshnessRequirement(ref, parse_freshness(text), row.line)


# -- the override block -----------------------------------------------------------------------

MAX_OVERRIDE_VALUES = 10_000
"""YAML values an override block may expand to through aliases; far above any real block."""


@dataclass(frozen=True)
class NodeOverride:
    kind: Kind | None = None
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Overrides:
    """A document's corrections: diagram ids or names (normalized) to kinds/ids, and the
    boxes to leave out."""

    nodes: Mapping[str, NodeOverride] = field(default_factory=dict, hash=False)
    ignore: frozenset[str] = frozenset()

    def lookup(self, *names: str) -> NodeOverride | None:
        return next((self.nodes[n] for n in map(normalize, names) if n in self.nodes), None)

    def ignores(self, *names: str) -> bool:
        return any(normalize(name) in self.ignore for name in names)


def read_overrides(
    text: str, first_line: int, *, nested: bool
) -> tuple[Overrides, tuple[LineProblem, ...]]:
    """Read a ```` ```yaml lineage ```` block (``nested=False``) or YAML front matter, where the
    block sits under a ``lineage:`` key (``nested=True``)."""
    try:
        root, loader = compose(text, max_values=MAX_OVERRIDE_VALUES)
        data = loader.construct_document(root) if root is not None else None
    except YamlProblem as problem:
        return Overrides(), (LineProblem(first_line + (problem.line or 0), problem.message),)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return Overrides(), (LineProblem(first_line, f"not valid YAML: {exc}"),)
    if nested:
        data = data.get("lineage") if isinstance(data, dict) else None
        if data is None:
            return Overrides(), ()
    return _overrides(data, first_line)


def _overrides(data: Any, line: int) -> tuple[Overrides, tuple[LineProblem, ...]]:
    if not isinstance(data, dict):
        return Overrides(), (LineProblem(line, "the lineage block must be a mapping"),)
    problems: list[LineProblem] = []
    unknown = sorted(str(key) for key in data if key not in ("nodes", "ignore"))
    if unknown:
        problems.append(LineProblem(line, f"unknown key {unknown[0]!r} (nodes, ignore)"))
    nodes: dict[str, NodeOverride] = {}
    raw_nodes = data.get("nodes") or {}
    if not isinstance(raw_nodes, dict):
        problems.append(LineProblem(line, "'nodes' must map diagram ids to kinds or ids"))
        raw_nodes = {}
    for ref, value in raw_nodes.items():
        override = _node_override(value)
        if override is None:
            problems.append(LineProblem(line, f"cannot read the override of {ref!r}"))
        else:
            nodes[normalize(str(ref))] = override
    raw_ignore = data.get("ignore") or []
    if isinstance(raw_ignore, str | int):
        raw_ignore = [raw_ignore]
    if not isinstance(raw_ignore, list):
        problems.append(LineProblem(line, "'ignore' must be a list of diagram ids"))
        raw_ignore = []
    ignore = frozenset(normalize(str(item)) for item in raw_ignore if item is not None)
    return Overrides(nodes, ignore), tuple(problems)


def _node_override(value: Any) -> NodeOverride | None:
    """``model``, ``model:recs`` or ``{kind: source, id: source:DS-001, name: ...}``."""
    if isinstance(value, str):
        value = {"id": value} if ":" in value else {"kind": value}
    if not isinstance(value, dict):
        return None
    kind_text, id_text, name = value.get("kind"), value.get("id"), value.get("name")
    try:
        kind = Kind(str(kind_text).strip().lower()) if kind_text is not None else None
    except ValueError:
        return None
    node_id = str(id_text).strip() if id_text is not None else None
    if node_id:
        prefixed = kind_of_id(node_id)
        if prefixed is None:
            if kind is None:
                return None
            node_id = f"{kind.value}:{node_id}"
        elif kind is not None and prefixed is not kind:
            return None
        kind = kind or prefixed
    return NodeOverride(kind, node_id or None, str(name) if name is not None else None)
