"""A proposed new version of a subject's schema: is it compatible, and what changes.

The subject's versions are the ones the Avro importer stored on its schema node
(``versions``, each with its schema); the proposed schema is checked against them under a
mode (the subject's own level by default) and compared field by field with the latest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from lineage.analysis.lookup import get_node
from lineage.avro.compatibility import Mode, Problem, check
from lineage.avro.schemas import Json, ParsedSchema, SchemaError, SchemaField, named_types, parse
from lineage.errors import InputError
from lineage.model import Kind, Node
from lineage.store.base import GraphStore


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    TYPE_CHANGED = "type changed"
    DEFAULT_ADDED = "default added"
    DEFAULT_REMOVED = "default removed"
    DOC_ONLY = "doc only"


@dataclass(frozen=True)
class FieldChange:
    change: Change
    field: str
    """The field's dotted path in the new schema (the old one for a removed field)."""
    before: str | None = None
    """The old type, default or name, in words."""
    after: str | None = None


@dataclass(frozen=True)
class SchemaCheck:
    subject: str
    schema_node: Node
    mode: Mode
    problems: tuple[Problem, ...]
    diff: tuple[FieldChange, ...]
    latest_version: int

    @property
    def compatible(self) -> bool:
        return not self.problems


def check_schema_change(
    store: GraphStore, subject: str, proposed: Json, *, mode: Mode | None = None
) -> SchemaCheck:
    """Check ``proposed`` (a schema as JSON) against the stored versions of ``subject`` (a
    subject name, or any reference to its schema node). ``InputError`` when the subject has
    no stored versions or the proposal is not valid Avro."""
    node = get_node(store, subject)
    versions = _stored_versions(node)
    latest = versions[-1][1]
    try:
        new = parse(proposed, dict(named_types(latest.definition)))
    except SchemaError as exc:
        raise InputError(f"the proposed schema is not valid Avro: {exc}") from exc
    chosen = mode or Mode(node.properties.get("compatibility") or Mode.BACKWARD)
    return SchemaCheck(
        subject=str(node.properties.get("subject") or subject),
        schema_node=node,
        mode=chosen,
        problems=tuple(check(new, versions, chosen)),
        diff=tuple(field_changes(latest, new)),
        latest_version=versions[-1][0],
    )


def _stored_versions(node: Node) -> list[tuple[int, ParsedSchema]]:
    if node.kind is not Kind.SCHEMA or not node.properties.get("versions"):
        raise InputError(
            f"{node.id} holds no Avro versions: import the subject's schemas first "
            "(lineage import avro PATH)"
        )
    found = []
    for version in node.properties["versions"]:
        try:
            found.append((int(version["version"]), parse(json.loads(version["schema"]))))
        except (KeyError, TypeError, ValueError, SchemaError) as exc:
            raise InputError(f"{node.id}: a stored version cannot be read ({exc})") from exc
    return sorted(found, key=lambda pair: pair[0])


def field_changes(old: ParsedSchema, new: ParsedSchema) -> list[FieldChange]:
    """What changed, field by field: a new field that lists an old one's name among its
    aliases renames it; a field whose only change is its doc is ``DOC_ONLY``."""
    before = {field.path: field for field in old.fields}
    after = {field.path: field for field in new.fields}
    renamed = {
        alias_path: path
        for path, field in after.items()
        if path not in before
        for alias_path in _alias_paths(path, field)
        if alias_path in before and alias_path not in after
    }
    renamed_to = {new: old for old, new in renamed.items()}
    changes: list[FieldChange] = []
    for path, field in after.items():
        if path in before:
            changes.extend(_changed(before[path], field))
        elif path in renamed_to:
            old_path = renamed_to[path]
            changes.append(FieldChange(Change.RENAMED, path, old_path, path))
            changes.extend(_changed(before[old_path], field, path=path, doc=False))
        else:
            changes.append(FieldChange(Change.ADDED, path, after=field.type))
    for path, field in before.items():
        if path not in after and path not in renamed:
            changes.append(FieldChange(Change.REMOVED, path, before=field.type))
    return changes


def _alias_paths(path: str, field: SchemaField) -> list[str]:
    parent = path.rsplit(".", 1)[0] + "." if "." in path else ""
    return [f"{parent}{alias}" for alias in field.aliases]


def _changed(
    old: SchemaField, new: SchemaField, *, path: str | None = None, doc: bool = True
) -> list[FieldChange]:
    where = path or new.path
    found = []
    if old.type != new.type:
        found.append(FieldChange(Change.TYPE_CHANGED, where, old.type, new.type))
    if old.has_default and not new.has_default:
        found.append(FieldChange(Change.DEFAULT_REMOVED, where, _text(old.default), None))
    elif new.has_default and not old.has_default:
        found.append(FieldChange(Change.DEFAULT_ADDED, where, None, _text(new.default)))
    if doc and not found and old.doc != new.doc:
        found.append(FieldChange(Change.DOC_ONLY, where, old.doc, new.doc))
    return found


def _text(value: Any) -> str:
    return json.dumps(value)
