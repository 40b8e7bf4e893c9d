"""Node ids, slugs and lineage URIs.

A node id is ``<kind>:<key>``: ``source:DS-001``, ``topic:views.raw``. The key is the identifier
the input gives, else a lowercase slug of the display name. Lineage URIs (``kafka://views.raw``,
``s3://bucket/path``, ``feature://name``, ``model://name``) are accepted wherever an id is, and
map onto the same ids.
"""

from __future__ import annotations

import re
import unicodedata

from lineage.model import Kind, NodeId, kind_of_id

__all__ = ["id_from_uri", "kind_of_id", "make_id", "node_uri", "slug"]

_URI_SCHEMES: dict[str, Kind] = {
    "kafka": Kind.TOPIC,
    "topic": Kind.TOPIC,
    "s3": Kind.DATASET,
    "gs": Kind.DATASET,
    "hdfs": Kind.DATASET,
    "hive": Kind.DATASET,
    "file": Kind.DATASET,
    "dataset": Kind.DATASET,
    "feature": Kind.FEATURE,
    "model": Kind.MODEL,
    "job": Kind.JOB,
    "metaflow": Kind.JOB,
    "source": Kind.SOURCE,
    "schema": Kind.SCHEMA,
}


def make_id(kind: Kind, key: str) -> NodeId:
    key = key.strip()
    if not key:
        raise ValueError(f"a {kind} id needs a non-empty key")
    return NodeId(f"{kind.value}:{key}")


def slug(text: str) -> str:
    """A lowercase, dash-separated key for a display name: ``"Flink: Dedup + Validate"`` ->
    ``"flink-dedup-validate"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")


_KEEPS_SCHEME = frozenset({"s3", "gs", "hdfs", "hive", "file"})
"""Storage URIs keep their scheme in the key: ``s3://b/p`` and ``gs://b/p`` differ."""


def id_from_uri(uri: str) -> NodeId | None:
    """Map a lineage URI onto a node id: ``kafka://views.raw`` -> ``topic:views.raw``,
    ``s3://bucket/raw/`` -> ``dataset:s3://bucket/raw``. ``None`` for anything else."""
    scheme, sep, rest = uri.partition("://")
    kind = _URI_SCHEMES.get(scheme.lower()) if sep else None
    rest = rest.rstrip("/")
    if kind is None or not rest:
        return None
    if scheme.lower() in _KEEPS_SCHEME:
        return make_id(kind, f"{scheme.lower()}://{rest}")
    return make_id(kind, rest)


def node_uri(node_id: str) -> str:
    """The lineage URI of a node id, the inverse of :func:`id_from_uri` for native schemes."""
    kind, _, key = node_id.partition(":")
    if "://" in key:
        return key
    scheme = "kafka" if kind == Kind.TOPIC.value else kind
    return f"{scheme}://{key}"
