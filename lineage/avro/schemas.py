"""One Avro schema: parsed, checked, fingerprinted, and its fields listed.

A schema may name types another file or registry subject defines; :func:`parse` takes those
definitions and writes each into the schema at its first use, so what it checks and
fingerprints is self-contained (the Parsing Canonical Form of the specification inlines a
named type where it first appears). Two parsers read it: the ``avro`` package (names, field
and symbol duplicates, and the schema the compatibility checker needs) and fastavro (defaults
against their types, the canonical form and its CRC-64-AVRO Rabin fingerprint).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the Avro libraries load when a schema is parsed, not with the CLI
    import avro.schema

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
NAMED = frozenset({"record", "error", "enum", "fixed"})

Json = Any
"""A value as ``json.loads`` returns it."""


class SchemaError(ValueError):
    """Why a schema is not valid Avro, in words a schema's author can act on."""


@dataclass(frozen=True)
class SchemaField:
    """One field, nested records flattened: ``address.city`` is the field ``city`` of the
    record in the field ``address``."""

    path: str
    type: str
    """The type written out: ``string``, ``null | long``, ``array<string>``, a record's name."""
    has_default: bool
    default: Json
    doc: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ParsedSchema:
    name: str
    """The top type's full name (a primitive's type name when it has none)."""
    canonical: str
    """The Parsing Canonical Form, every referenced type written in."""
    fingerprint: str
    """The CRC-64-AVRO Rabin fingerprint of the canonical form, 16 hex digits."""
    fields: tuple[SchemaField, ...]
    definition: Json
    """The schema as JSON, every referenced type written in at its first use."""
    avro: avro.schema.Schema

    @property
    def defines(self) -> frozenset[str]:
        """The full names of the named types it holds."""
        return frozenset(name for name, _ in _named_types(self.definition, ""))


def parse(schema: Json, known: Mapping[str, Json] | None = None) -> ParsedSchema:
    """``schema`` (a JSON value) as a checked :class:`ParsedSchema`. ``known`` maps full
    names to the definitions of named types it may reference; ``SchemaError`` says what is
    wrong otherwise."""
    import avro.errors
    import avro.schema
    import fastavro.schema

    definition = _written_in(copy.deepcopy(schema), "", set(), known or {})
    try:
        checked = avro.schema.make_avsc_object(definition)
    except (avro.errors.AvroException, TypeError, KeyError, AttributeError) as exc:
        raise SchemaError(_avro_message(exc)) from exc
    try:
        parsed = fastavro.schema.parse_schema(copy.deepcopy(definition), _write_hint=False)
        canonical = fastavro.schema.to_parsing_canonical_form(parsed)
    except (fastavro.schema.SchemaParseException, fastavro.schema.UnknownType) as exc:
        raise SchemaError(_fastavro_message(exc)) from exc
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise SchemaError(f"not a valid Avro schema: {exc}") from exc
    return ParsedSchema(
        name=_top_name(definition),
        canonical=canonical,
        fingerprint=fastavro.schema.fingerprint(canonical, "CRC-64-AVRO"),
        fields=tuple(_fields(definition)),
        definition=definition,
        avro=checked,
    )


def named_types(schema: Json) -> Iterator[tuple[str, Json]]:
    """Every named type ``schema`` defines, with its full name, outermost first."""
    return _named_types(schema, "")


def referenced_names(schema: Json) -> frozenset[str]:
    """The full names of the types ``schema`` uses but does not define."""
    used: set[str] = set()
    _collect_references(schema, "", used)
    return frozenset(used) - {name for name, _ in _named_types(schema, "")}


def full_name(name: str, namespace: str) -> str:
    """A type's full name: ``name`` when it has a dot, else ``namespace.name``."""
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def _namespace_of(definition: Mapping[str, Json], enclosing: str) -> str:
    name = str(definition.get("name", ""))
    if "." in name:
        return name.rsplit(".", 1)[0]
    namespace = definition.get("namespace")
    return str(namespace) if isinstance(namespace, str) else enclosing


def _written_in(node: Json, namespace: str, defined: set[str], known: Mapping[str, Json]) -> Json:
    """``node`` with each referenced known type written in at its first use."""
    if isinstance(node, str):
        if node in PRIMITIVES:
            return node
        name = full_name(node, namespace)
        if name in defined or name not in known:
            return node  # a reference to an earlier definition, or unknown (reported later)
        definition = copy.deepcopy(known[name])
        definition["name"] = name  # its full name, so it reads the same wherever it lands
        definition.pop("namespace", None)
        return _written_in(definition, namespace, defined, known)
    if isinstance(node, list):
        return [_written_in(branch, namespace, defined, known) for branch in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    inner = namespace
    if _is_named(kind) and isinstance(node.get("name"), str):
        inner = _namespace_of(node, namespace)
        defined.add(full_name(node["name"], inner))
    if kind in ("record", "error") and isinstance(node.get("fields"), list):
        for field in node["fields"]:
            if isinstance(field, dict) and "type" in field:
                field["type"] = _written_in(field["type"], inner, defined, known)
    elif kind == "array" and "items" in node:
        node["items"] = _written_in(node["items"], inner, defined, known)
    elif kind == "map" and "values" in node:
        node["values"] = _written_in(node["values"], inner, defined, known)
    elif isinstance(kind, dict | list):
        node["type"] = _written_in(kind, inner, defined, known)
    return node


def _named_types(node: Json, namespace: str) -> Iterator[tuple[str, Json]]:
    if isinstance(node, list):
        for branch in node:
            yield from _named_types(branch, namespace)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    inner = namespace
    if _is_named(kind) and isinstance(node.get("name"), str):
        inner = _namespace_of(node, namespace)
        yield full_name(node["name"], inner), node
    for child in _children(node):
        yield from _named_types(child, inner)


def _collect_references(node: Json, namespace: str, used: set[str]) -> None:
    if isinstance(node, str):
        if node not in PRIMITIVES:
            used.add(full_name(node, namespace))
        return
    if isinstance(node, list):
        for branch in node:
            _collect_references(branch, namespace, used)
        return
    if not isinstance(node, dict):
        return
    inner = _namespace_of(node, namespace) if _is_named(node.get("type")) else namespace
    if isinstance(node.get("type"), dict | list):
        _collect_references(node["type"], inner, used)
    for child in _children(node):
        _collect_references(child, inner, used)


def _children(node: Mapping[str, Json]) -> Iterator[Json]:
    """The type positions directly inside a complex type."""
    kind = node.get("type")
    if kind in ("record", "error") and isinstance(node.get("fields"), list):
        yield from (f["type"] for f in node["fields"] if isinstance(f, dict) and "type" in f)
    elif kind == "array" and "items" in node:
        yield node["items"]
    elif kind == "map" and "values" in node:
        yield node["values"]
    elif isinstance(kind, dict | list):
        yield kind


def _is_named(kind: Json) -> bool:
    """Whether a ``type`` value makes a named type (it may be any JSON in a bad schema)."""
    return isinstance(kind, str) and kind in NAMED


def _top_name(definition: Json) -> str:
    if isinstance(definition, dict) and _is_named(definition.get("type")):
        return full_name(str(definition["name"]), _namespace_of(definition, ""))
    return type_text(definition, "")


def _fields(definition: Json) -> Iterator[SchemaField]:
    """The fields of a record, each record-typed field's fields after it (dotted), a named
    type used again by name included; a recursive type is listed down to its first repeat."""
    records = {name: node for name, node in _named_types(definition, "")}
    yield from _record_fields(definition, "", "", records, frozenset())


def _record_fields(
    node: Json, prefix: str, namespace: str, records: Mapping[str, Json], inside: frozenset[str]
) -> Iterator[SchemaField]:
    if not (isinstance(node, dict) and node.get("type") in ("record", "error")):
        return
    inner = _namespace_of(node, namespace)
    inside = inside | {full_name(str(node.get("name")), inner)}
    for field in node.get("fields", []):
        path = f"{prefix}{field['name']}"
        yield SchemaField(
            path=path,
            type=type_text(field["type"], inner),
            has_default="default" in field,
            default=field.get("default"),
            doc=field.get("doc"),
            aliases=tuple(field.get("aliases", ())),
        )
        for name, record in _records_in(field["type"], inner, records):
            if name not in inside:
                yield from _record_fields(record, f"{path}.", inner, records, inside)


def _records_in(
    node: Json, namespace: str, records: Mapping[str, Json]
) -> Iterator[tuple[str, Json]]:
    """The records a field's type is (itself, a union's branches), by definition or name."""
    if isinstance(node, str) and full_name(node, namespace) in records:
        record = records[full_name(node, namespace)]
        if record.get("type") in ("record", "error"):
            yield full_name(node, namespace), record
    elif isinstance(node, dict) and node.get("type") in ("record", "error"):
        yield full_name(str(node.get("name")), _namespace_of(node, namespace)), node
    elif isinstance(node, list):
        for branch in node:
            yield from _records_in(branch, namespace, records)


def type_text(node: Json, namespace: str) -> str:
    """A type in a few words: ``null | string``, ``array<long>``, ``long (timestamp-millis)``."""
    if isinstance(node, str):
        return node if node in PRIMITIVES else full_name(node, namespace)
    if isinstance(node, list):
        return " | ".join(type_text(branch, namespace) for branch in node)
    if not isinstance(node, dict):
        return json.dumps(node)
    kind = node.get("type")
    if _is_named(kind):
        text = full_name(str(node.get("name")), _namespace_of(node, namespace))
    elif kind == "array":
        text = f"array<{type_text(node.get('items'), namespace)}>"
    elif kind == "map":
        text = f"map<{type_text(node.get('values'), namespace)}>"
    else:
        text = type_text(kind, namespace)
    logical = node.get("logicalType")
    return f"{text} ({logical})" if logical else text


def _avro_message(exc: BaseException) -> str:
    text = str(exc)
    if "Could not make an Avro Schema object from" in text:
        name = text.rsplit("from ", 1)[-1].strip()
        return f"unknown type {name!r}: no file or subject defines it"
    return text


def _fastavro_message(exc: BaseException) -> str:
    import fastavro.schema

    if isinstance(exc, fastavro.schema.UnknownType):
        return f"unknown type {exc.name!r}: no file or subject defines it"
    return str(exc)
