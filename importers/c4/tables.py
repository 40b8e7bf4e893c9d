"""The tables of an architecture document that carry lineage facts.

Three kinds are recognised by their header (columns in any order, with the variant names
different authors use); every other table is context and is ignored without a warning:

* a **data-source inventory** (``Source ID | Name | Type | Freshness | Volume | Processing
  Mode | Owner | Privacy``...): each row describes one source;
* a **schema registry** (``Schema ID | Version | Domain | Used By | Last Breaking Change``):
  each row is a schema and the jobs and models that use it;
* a **freshness requirements** table (a key column such as ``Consumer``/``Model``/``Job`` and
  a ``Freshness``/``SLA`` column): each row sets a required freshness on a node.

A cell that names a node may give its ID, its name, or both (:func:`names.read_reference`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from lineage.freshness import parse_freshness
from lineage.importers.c4.annotations import mode_of
from lineage.importers.c4.names import Reference, known_kind, name_part, read_reference
from lineage.importers.markdown_doc import Table, TableRow
from lineage.importers.problems import LineProblem
from lineage.model import Freshness, Kind, Mode, NodeId
from lineage.refs import make_id, slug


@dataclass(frozen=True)
class DocTables:
    """The lineage facts of a document's tables, and the rows that could not be read."""

    inventory: tuple[InventoryEntry, ...] = ()
    schemas: tuple[SchemaEntry, ...] = ()
    requirements: tuple[FreshnessRequirement, ...] = ()
    problems: tuple[LineProblem, ...] = ()

    @property
    def references(self) -> Iterator[Reference]:
        """Every cell that names a node: what pairs IDs with names across the document."""
        yield from (entry.reference for entry in self.inventory)
        for schema in self.schemas:
            yield from (user.reference for user in schema.users)
        yield from (requirement.reference for requirement in self.requirements)


@dataclass(frozen=True)
class InventoryEntry:
    """One row of the data-source inventory: the node it describes and the facts it gives."""

    kind: Kind
    key: str
    reference: Reference
    """How the row names its source: the ID it gives (if any) and its name."""
    freshness: Freshness | None
    mode: Mode
    line: int
    properties: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def id(self) -> NodeId:
        return make_id(self.kind, self.key)

    @property
    def name(self) -> str:
        return self.reference.name or self.key


@dataclass(frozen=True)
class SchemaUser:
    """One entry of a ``Used By`` cell: ``PL-001 (ingestion)``, ``MDL-SEARCH training``,
    ``All models (online + offline)``."""

    reference: Reference
    all_models: bool = False


@dataclass(frozen=True)
class SchemaEntry:
    """One row of a schema registry: the schema and who uses it."""

    key: str
    name: str
    users: tuple[SchemaUser, ...]
    line: int
    properties: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def id(self) -> NodeId:
        return make_id(Kind.SCHEMA, self.key)


@dataclass(frozen=True)
class FreshnessRequirement:
    """One row of a freshness requirements table: the node it names, the bound it sets."""

    reference: Reference
    """The cell that names the node: ``MDL-017 (Churn Scorer)``, ``Ranking Models``."""
    freshness: Freshness
    line: int


# -- column names -----------------------------------------------------------------------------


def _names(*names: str) -> frozenset[str]:
    return frozenset(names)


INVENTORY_ID = _names("source id", "sourceid", "id", "ds id", "data source id")
INVENTORY_NAME = _names("name", "source name", "data source", "source", "dataset", "description")
INVENTORY_ID_OR_NAME = INVENTORY_ID | _names("source")
"""Without an ID column, the ``Source`` column is both the name and (slugged) the key..."""
INVENTORY_LABEL = INVENTORY_NAME - _names("description")
"""... unless a name column other than ``Description`` names the source."""
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
    "system", "service", "asset", "feature set", "building block", "element", "container",
)  # fmt: skip
REQUIREMENT_FRESHNESS = FRESHNESS - _names("latency", "update frequency", "frequency", "cadence")

_INVENTORY_PROPERTIES = (
    ("type", INVENTORY_TYPE),
    ("volume", VOLUME),
    ("owner", OWNER),
    ("privacy", PRIVACY),
    ("processing_mode", MODE),
)
_SCHEMA_PROPERTIES = (("version", SCHEMA_VERSION), ("last_breaking_change", SCHEMA_BREAKING))
_NO_ENTRY = frozenset({"-", "n/a", "none", "tbd"})


def column_name(header: str) -> str:
    """A header cell for matching: lower case, punctuation and extra spaces dropped."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


@dataclass(frozen=True)
class _Columns:
    index: Mapping[str, int]
    """Column name -> position; the first column of a name wins."""

    @classmethod
    def of(cls, table: Table) -> _Columns:
        index: dict[str, int] = {}
        for i, header in enumerate(table.header):
            index.setdefault(column_name(header), i)
        return cls(index)

    def find(self, names: frozenset[str]) -> int | None:
        """The leftmost column with one of ``names``."""
        return next((i for name, i in self.index.items() if name in names), None)

    def without(self, position: int | None) -> _Columns:
        return _Columns({name: i for name, i in self.index.items() if i != position})

    def cell(self, row: TableRow, names: frozenset[str]) -> str:
        i = self.find(names)
        return row.cells[i].strip() if i is not None and i < len(row.cells) else ""

    def properties(
        self, row: TableRow, wanted: tuple[tuple[str, frozenset[str]], ...]
    ) -> dict[str, str]:
        """The non-empty cells of ``wanted`` columns, by property name."""
        return {key: value for key, names in wanted if (value := self.cell(row, names))}


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
    has_id_column = columns.find(INVENTORY_ID) is not None
    id_names = INVENTORY_ID if has_id_column else INVENTORY_ID_OR_NAME
    others = columns.without(columns.find(id_names))
    for row in table.rows:
        raw = columns.cell(row, id_names)
        named = others.cell(row, INVENTORY_NAME if has_id_column else INVENTORY_LABEL)
        doc_id = read_reference(raw).id or read_reference(named).id
        name = (name_part(named, doc_id) or name_part(raw, doc_id)).strip("()[] ")
        given = doc_id or (raw if has_id_column and _is_identifier(raw) else None)
        key = given or slug(raw or name)
        if not key:
            problems.append(LineProblem(row.line, "inventory row without a source id or name"))
            continue
        freshness_text = columns.cell(row, FRESHNESS)
        properties = columns.properties(row, _INVENTORY_PROPERTIES)
        yield InventoryEntry(
            kind=known_kind(doc_id) or Kind.SOURCE,
            key=key,
            reference=Reference(raw or name, given, name or None, pairs=bool(given and name)),
            freshness=parse_freshness(freshness_text) if freshness_text else None,
            mode=mode_of([columns.cell(row, MODE), freshness_text, properties.get("type", "")]),
            line=row.line,
            properties=properties,
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
        name = columns.cell(row, SCHEMA_NAME) or raw_id
        users = tuple(_schema_users(columns.cell(row, SCHEMA_USERS)))
        properties = columns.properties(row, _SCHEMA_PROPERTIES)
        yield SchemaEntry(key, name, users, row.line, properties)


def _schema_users(cell: str) -> Iterable[SchemaUser]:
    for part in _split_outside_parentheses(cell):
        text = part.strip()
        if not text or text.lower() in _NO_ENTRY:
            continue
        all_models = bool(re.match(r"all\s+models?\b", text, re.IGNORECASE))
        yield SchemaUser(read_reference(text), all_models)


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
            yield FreshnessRequirement(read_reference(ref), parse_freshness(text), row.line)
