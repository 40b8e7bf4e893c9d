"""Whether a new version of a schema can replace the old ones, under a registry's modes.

The rules are the Avro specification's schema resolution, as the ``avro`` package's
``ReaderWriterCompatibilityChecker`` implements them; this module only chooses which pairs to
check for a mode (with Confluent Schema Registry's meaning) and says each problem in words
that name the field:

    BACKWARD     the new schema reads data written with the latest one (consumers first)
    FORWARD      the latest schema reads data written with the new one (producers first)
    FULL         both
    *_TRANSITIVE the same against every earlier version, not only the latest
    NONE         nothing is checked
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lineage.avro.modes import DEFAULT_MODE, Direction, Mode
from lineage.avro.schemas import Json, ParsedSchema, full_name, type_text

__all__ = ["DEFAULT_MODE", "Direction", "Mode", "Problem", "check"]


@dataclass(frozen=True)
class Problem:
    """One reason the new schema cannot replace version ``version``."""

    version: int
    direction: Direction
    field: str
    """The dotted path of the field it is about (empty for the schema as a whole)."""
    message: str


def check(
    new: ParsedSchema, earlier: Sequence[tuple[int, ParsedSchema]], mode: Mode
) -> list[Problem]:
    """Every problem the new schema has with the versions ``mode`` checks: the latest of
    ``earlier`` (oldest first), or all of them when the mode is transitive. Empty when it is
    compatible."""
    if not earlier or mode is Mode.NONE:
        return []
    against = earlier if mode.transitive else earlier[-1:]
    problems: list[Problem] = []
    for version, old in against:
        for direction in mode.directions:
            reader, writer = (new, old) if direction is Direction.NEW_READS_OLD else (old, new)
            problems.extend(_problems(reader, writer, version, direction))
    return problems


def _problems(
    reader: ParsedSchema, writer: ParsedSchema, version: int, direction: Direction
) -> Iterator[Problem]:
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

    result = ReaderWriterCompatibilityChecker().get_compatibility(reader.avro, writer.avro)
    if result.compatibility is SchemaCompatibilityType.compatible:
        return
    # the checker reports its problems' kinds, messages and places as separate collections;
    # each place says its kind by where it ends, so each is explained from the two schemas
    places = sorted(result.locations - {"/"})
    for location in places:
        yield _explained(location, reader.definition, writer.definition, version, direction)
    if not places:  # the checker lost the place (a union it could not resolve): find the field
        yield from _by_field(reader, writer, version, direction, sorted(result.messages))


def _by_field(
    reader: ParsedSchema,
    writer: ParsedSchema,
    version: int,
    direction: Direction,
    messages: list[str],
) -> Iterator[Problem]:
    """The checker's own messages, placed on the top-level fields it finds incompatible
    when asked about each field's type on its own."""
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

    checker = ReaderWriterCompatibilityChecker()
    found = False
    writer_fields = {f.name: f for f in getattr(writer.avro, "fields", ())}
    for field in getattr(reader.avro, "fields", ()):
        names = [field.name, *(field.other_props.get("aliases") or ())]
        match = next((writer_fields[n] for n in names if n in writer_fields), None)
        if match is None:
            continue
        result = checker.get_compatibility(field.type, match.type)
        if result.compatibility is not SchemaCompatibilityType.compatible:
            found = True
            text = "; ".join(sorted(result.messages))
            yield Problem(version, direction, field.name, f"field {field.name!r}: {text}")
    if not found:
        yield Problem(version, direction, "", "the schema: " + "; ".join(messages))


def _explained(
    location: str, reader: Json, writer: Json, version: int, direction: Direction
) -> Problem:
    tokens = [token for token in location.split("/") if token]
    path, reader_at, writer_at, last = _walk(tokens, reader, writer)
    field = ".".join(path)
    old_side = "old data" if direction is Direction.NEW_READS_OLD else "data in the new schema"
    readers = (
        "readers of the new schema"
        if direction is Direction.NEW_READS_OLD
        else ("readers still on the old schema")
    )
    if last == "missing_field":
        message = (
            f"field {field!r} has no default: {readers} cannot read {old_side}, which lacks it"
        )
    elif last == "symbols":
        message = (
            f"enum {_name(reader_at)} at {field or 'the top'} lacks symbols the writer uses, and "
            f"has no default: {readers} cannot read {old_side}"
        )
    elif last == "size":
        message = f"fixed {_name(reader_at)} changed size: {readers} cannot read {old_side}"
    elif last == "name":
        message = (
            f"type {_name(writer_at)} is now named {_name(reader_at)} without an alias: "
            f"{readers} cannot read {old_side}"
        )
    else:
        message = (
            f"{'field ' + repr(field) if field else 'the schema'} is {type_text(reader_at, '')} "
            f"for {readers}, {type_text(writer_at, '')} in {old_side}: not promotable"
        )
    return Problem(version, direction, field, message)


def _walk(tokens: list[str], reader: Json, writer: Json) -> tuple[list[str], Json, Json, str]:
    """Follow a checker location (in the reader's coordinates) through both schemas: the
    field names on the way, the sub-schemas it ends at, and what kind of place it is."""
    path: list[str] = []
    last = "type"
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "fields" and index + 1 < len(tokens):
            field = _record(reader)["fields"][int(tokens[index + 1])]
            path.append(str(field["name"]))
            writer_field = _writer_field(_record(writer), field)
            reader = field["type"]
            writer = writer_field["type"] if writer_field else None
            last = "missing_field" if writer_field is None else "type"
            index += 2
            continue
        if token in ("symbols", "size", "name"):
            last = token
        elif token in ("items", "values"):
            reader, writer = _inner(reader, token), _inner(writer, token)
            if path:
                path[-1] += "[]" if token == "items" else "{}"
        elif token.isdigit() and isinstance(writer, list):
            writer = writer[int(token)]  # the writer's union branch the reader lacks
        index += 1
    return path, reader, writer, last


def _record(node: Json) -> dict[str, Json]:
    if isinstance(node, list):  # a union: the record branch
        return next(branch for branch in node if isinstance(branch, dict) and "fields" in branch)
    return node  # type: ignore[no-any-return]


def _writer_field(writer: Json, reader_field: Json) -> Json | None:
    """The writer's field a reader's field reads: by name, or by one of its aliases."""
    names = {reader_field["name"], *reader_field.get("aliases", ())}
    if not isinstance(writer, dict):
        return None
    return next((f for f in writer.get("fields", []) if f["name"] in names), None)


def _inner(node: Json, key: str) -> Json:
    return node.get(key) if isinstance(node, dict) else node


def _name(node: Json) -> str:
    if isinstance(node, dict) and "name" in node:
        return repr(full_name(str(node["name"]), str(node.get("namespace") or "")))
    return repr(type_text(node, ""))
