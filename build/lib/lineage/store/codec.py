"""Nodes and edges to and from plain JSON-able dicts, for stores that keep them as documents.

Both stores keep each origin's assertion verbatim (so replacing an origin never loses another
origin's facts) and use these functions to write and read them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from lineage.model import Edge, EdgeType, Freshness, Kind, Mode, Node, NodeId, Provenance, Role


def node_to_dict(node: Node) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": node.id,
            "kind": node.kind.value,
            "name": node.name,
            "mode": node.mode.value,
            "freshness": _freshness_to_dict(node.freshness),
            "last_updated": node.last_updated.isoformat() if node.last_updated else None,
            "aliases": list(node.aliases),
            "properties": dict(node.properties),
            "location": node.location,
            "origins": [_provenance_to_list(p) for p in node.origins],
        }
    )


def node_from_dict(data: dict[str, Any]) -> Node:
    return Node(
        id=NodeId(data["id"]),
        kind=Kind(data["kind"]),
        name=data.get("name", ""),
        mode=Mode(data.get("mode", Mode.UNKNOWN.value)),
        freshness=_freshness_from_dict(data.get("freshness")),
        last_updated=_datetime(data.get("last_updated")),
        aliases=tuple(data.get("aliases", ())),
        properties=data.get("properties", {}),
        location=data.get("location"),
        origins=tuple(_provenance_from_list(p) for p in data.get("origins", ())),
    )


def edge_to_dict(edge: Edge) -> dict[str, Any]:
    return _drop_empty(
        {
            "source": edge.source,
            "target": edge.target,
            "type": edge.type.value,
            "label": edge.label,
            "role": edge.role.value,
            "mode": edge.mode.value,
            "freshness": _freshness_to_dict(edge.freshness),
            "properties": dict(edge.properties),
            "location": edge.location,
            "origins": [_provenance_to_list(p) for p in edge.origins],
        }
    )


def edge_from_dict(data: dict[str, Any]) -> Edge:
    return Edge(
        source=NodeId(data["source"]),
        target=NodeId(data["target"]),
        type=EdgeType(data.get("type", EdgeType.FEEDS.value)),
        label=data.get("label"),
        role=Role(data.get("role", Role.OTHER.value)),
        mode=Mode(data.get("mode", Mode.UNKNOWN.value)),
        freshness=_freshness_from_dict(data.get("freshness")),
        properties=data.get("properties", {}),
        location=data.get("location"),
        origins=tuple(_provenance_from_list(p) for p in data.get("origins", ())),
    )


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def loads(text: str) -> dict[str, Any]:
    return json.loads(text)


def _freshness_to_dict(freshness: Freshness | None) -> dict[str, Any] | None:
    if freshness is None:
        return None
    return {"text": freshness.text, "seconds": freshness.seconds}


def _freshness_from_dict(data: dict[str, Any] | None) -> Freshness | None:
    return Freshness(text=data["text"], seconds=data.get("seconds")) if data else None


def _provenance_to_list(provenance: Provenance) -> list[str | None]:
    return [provenance.origin, provenance.location]


def _provenance_from_list(data: list[str | None]) -> Provenance:
    return Provenance(origin=str(data[0]), location=data[1])


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
