"""Nodes and edges to and from plain JSON-able dicts, for stores that keep them as documents.

Both stores keep each origin's assertion verbatim (so replacing an origin never loses another
origin's facts) and use these functions to write and read them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any

from lineage.model import Edge, EdgeType, Freshness, Kind, Mode, Node, NodeId, Provenance, Role


def node_to_dict(node: Node) -> dict[str, Any]:
    return _to_dict(node)


def node_from_dict(data: dict[str, Any]) -> Node:
    return Node(**fields_from_dict(data))


def edge_to_dict(edge: Edge) -> dict[str, Any]:
    return _to_dict(edge)


def edge_from_dict(data: dict[str, Any]) -> Edge:
    return Edge(**fields_from_dict(data))


def _to_dict(value: Node | Edge) -> dict[str, Any]:
    """Every field by its name, as JSON values; empty ones left out (the defaults)."""
    return fields_to_dict(value, _names(type(value)))


def fields_to_dict(value: Node | Edge, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields ``names`` of a node or edge as JSON values, empty ones left out."""
    encoded = {}
    for name, encode in _encoders(names):
        item = getattr(value, name)
        if item is None:  # most optional fields: nothing to encode
            continue
        item = encode(item) if encode else item
        if item not in _EMPTY:
            encoded[name] = item
    return encoded


_EMPTY = (None, "", [], {})


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(cls))


@functools.cache
def _encoders(names: tuple[str, ...]) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """Each field name with its encoder, ``None`` for a value written as it is."""
    return tuple((name, _ENCODERS.get(name)) for name in names)


def _enum_value(value: Enum) -> Any:
    return value.value


def origins_value(provenances: Iterable[Provenance]) -> list[list[str | None]]:
    """A fact's origins as JSON: ``[[origin, location], ...]``."""
    return [origin_entry(p.origin, p.location) for p in provenances]


def origin_entry(origin: str, location: str | None) -> list[str | None]:
    """One origin of a fact as JSON, as :func:`origins_value` lists it."""
    return [origin, location]


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "kind": _enum_value,
    "type": _enum_value,
    "role": _enum_value,
    "mode": _enum_value,
    "freshness": lambda f: {"text": f.text, "seconds": f.seconds},
    "last_updated": datetime.isoformat,
    "aliases": list,
    "properties": dict,
    "origins": origins_value,
}


def fields_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``Node`` or ``Edge``: each stored field decoded by its name."""
    return {key: _DECODERS.get(key, _same)(value) for key, value in data.items()}


def _same(value: Any) -> Any:
    return value


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "id": NodeId,
    "source": NodeId,
    "target": NodeId,
    "kind": Kind,
    "type": EdgeType,
    "role": Role,
    "mode": Mode,
    "freshness": lambda data: Freshness(text=data["text"], seconds=data.get("seconds")),
    "last_updated": datetime.fromisoformat,
    "aliases": tuple,
    "origins": lambda rows: tuple(Provenance(origin=str(o), location=at) for o, at in rows),
}


def node_body(node: Node) -> str:
    """A node as the JSON text both stores keep."""
    return dumps(node_to_dict(node))


def edge_body(edge: Edge) -> str:
    """An edge as the JSON text both stores keep."""
    return dumps(edge_to_dict(edge))


def node_from_body(body: str) -> Node:
    return node_from_dict(loads(body))


def edge_from_body(body: str) -> Edge:
    return edge_from_dict(loads(body))


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)
"""Made once: ``json.dumps`` with any option set makes a new encoder per call, a quarter of
the time of encoding a small fact, and every fact a store writes is encoded once or twice."""


def dumps(data: Any) -> str:
    return _ENCODER.encode(data)


def loads(text: str) -> dict[str, Any]:
    return json.loads(text)
