"""Finding Avro schemas in files and folders, in the layouts registries and repositories use.

    <subject>/v<N>.avsc, <subject>/<N>.avsc   the versions of one subject, one file each
    <subject>.avsc                            a flat folder: the file name is the subject
    [ {named type}, {named type}, ... ]       a top-level array: each named type its own
                                              subject, named by its full name
    *.json                                    a Schema Registry export: an object or a list
                                              of {subject, version, id, schema (a string),
                                              schemaType?, references?}; a .json holding a
                                              plain schema reads like an .avsc

Each schema comes out as a :class:`SchemaDocument`; nothing is parsed as Avro here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lineage.avro.schemas import Json, named_types
from lineage.errors import InputError, ParseError
from lineage.importers.base import display_path, read_text
from lineage.importers.safe_json import parse_json

SUFFIXES = (".avsc", ".json")
_VERSION_FILE = re.compile(r"v?(\d+)", re.IGNORECASE)
_EXPORT_KEYS = frozenset({"subject", "schema"})


@dataclass(frozen=True)
class Reference:
    """A registry reference: the named type ``name`` is defined by ``subject``'s version."""

    name: str
    subject: str
    version: int | None


@dataclass(frozen=True)
class SchemaDocument:
    """One version of one subject's schema, as found."""

    subject: str
    version: int
    schema: Json
    location: str
    """Where it was read: a file, with the line of the entry for an export."""
    registry_id: int | None = None
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An entry that is no Avro schema (a registry export's PROTOBUF or JSON schema)."""

    location: str
    reason: str


def documents(root: Path) -> Iterator[SchemaDocument | Skipped]:
    """The schema documents of a file, or of every schema file under a folder, in path order."""
    if root.is_file():
        yield from _of_file(root)
        return
    if not root.is_dir():
        raise InputError(f"{root}: no such file or folder")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise InputError(f"{root}: no .avsc or .json schema files in this folder")
    for path in files:
        yield from _of_file(path)


def _of_file(path: Path) -> Iterator[SchemaDocument | Skipped]:
    source = display_path(path)
    value = read_json(path)
    if _is_export(value):
        yield from _export_entries(value, source)
    elif isinstance(value, list):
        yield from _type_list(value, source)
    else:
        subject, version = _subject_of(path)
        yield SchemaDocument(subject, version, value, source)


def _subject_of(path: Path) -> tuple[str, int]:
    """``<subject>/v<N>.avsc`` gives (subject, N); any other file (subject = its name, 1)."""
    numbered = _VERSION_FILE.fullmatch(path.stem)
    if numbered and path.parent.name:
        return path.parent.name, int(numbered.group(1))
    return path.stem, 1


def _type_list(value: list[Json], source: str) -> Iterator[SchemaDocument]:
    """A top-level array of named types: each is a subject of its own, by its full name."""
    for position, item in enumerate(value):
        names = list(named_types(item))
        if not names:
            raise ParseError(
                f"item {position} of the top-level array is not a named type (record, enum "
                "or fixed), so it names no subject",
                source=source,
            )
        yield SchemaDocument(names[0][0], 1, item, source)


def _is_export(value: Json) -> bool:
    entries = value if isinstance(value, list) else [value]
    return bool(entries) and all(
        isinstance(entry, dict) and entry.keys() >= _EXPORT_KEYS for entry in entries
    )


def _export_entries(value: Json, source: str) -> Iterator[SchemaDocument | Skipped]:
    entries = value if isinstance(value, list) else [value]
    for position, entry in enumerate(entries):
        yield export_entry(entry, f"{source} (entry {position})")


def export_entry(entry: Json, where: str) -> SchemaDocument | Skipped:
    """One registry entry ``{subject, version, id, schema, schemaType?, references?}``, as an
    export file or the registry's API holds it."""
    if not isinstance(entry, dict) or not entry.keys() >= _EXPORT_KEYS:
        raise ParseError("expected {subject, version, id, schema}", source=where)
    kind = str(entry.get("schemaType") or "AVRO").upper()
    if kind != "AVRO":
        return Skipped(where, f"a {kind} schema, not Avro")
    text = entry["schema"]
    return SchemaDocument(
        subject=_text(entry, "subject", where),
        version=_number(entry, "version", where, default=1) or 1,
        schema=parse_json(text, where) if isinstance(text, str) else text,
        location=where,
        registry_id=_number(entry, "id", where, default=None),
        references=tuple(_reference(r, where) for r in entry.get("references") or ()),
    )


def _reference(value: Json, where: str) -> Reference:
    if not isinstance(value, dict):
        raise ParseError(f"a reference is {value!r}, not {{name, subject, version}}", source=where)
    version = value.get("version")
    return Reference(
        name=_text(value, "name", where),
        subject=_text(value, "subject", where),
        version=None if version in (None, -1, "latest") else _number(value, "version", where),
    )


def _text(entry: dict[str, Json], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"{key!r} must be a non-empty string, not {value!r}", source=where)
    return value.strip()


def _number(entry: dict[str, Json], key: str, where: str, default: int | None = None) -> int | None:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | None):
        raise ParseError(f"{key!r} must be a whole number, not {value!r}", source=where)
    return value


def read_json(path: Path) -> Json:
    """A JSON file's value; ``ParseError`` naming the file and line when it does not parse."""
    return parse_json(read_text(path), display_path(path))
