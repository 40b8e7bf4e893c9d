"""Hypothesis strategies for single nodes and edges with every field varied: empty and
non-empty texts, each mode and role, freshness or none, naive and aware timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from lineage.model import Edge, EdgeType, Freshness, Kind, Mode, Node, NodeId, Provenance, Role

texts = st.sampled_from(["", "x", "job:a"])
locations = st.sampled_from([None, "", "doc.md:3"])
freshness = st.sampled_from([None, Freshness(text="1h", seconds=3600), Freshness(text="daily")])
properties = st.dictionaries(st.sampled_from(["owner", "tier"]), st.sampled_from(["a", "b", 1]))

nodes = st.builds(
    Node,
    id=st.just(NodeId("job:a")),
    kind=st.just(Kind.JOB),
    name=texts,
    mode=st.sampled_from(list(Mode)),
    freshness=freshness,
    last_updated=st.sampled_from([None, datetime(2026, 12, 3), datetime(2026, 12, 3, tzinfo=UTC)]),
    aliases=st.lists(texts).map(tuple),
    properties=properties,
    location=locations,
)
edges = st.builds(
    Edge,
    source=st.just(NodeId("job:a")),
    target=st.just(NodeId("dataset:b")),
    type=st.sampled_from(list(EdgeType)),
    label=st.sampled_from([None, "", "reads"]),
    role=st.sampled_from(list(Role)),
    mode=st.sampled_from(list(Mode)),
    freshness=freshness,
    properties=properties,
    location=locations,
)

provenances = st.lists(
    st.builds(Provenance, st.sampled_from(["one", "two"]), locations), max_size=2
).map(tuple)
