"""The domain values validate themselves; ids, slugs and lineage URIs map onto each other."""

from __future__ import annotations

import pytest

from lineage.errors import AmbiguousNode, NodeNotFound, ParseError, StoreUnavailable
from lineage.model import (
    Edge,
    EdgeKey,
    EdgeType,
    Freshness,
    ImportBatch,
    Kind,
    Node,
    NodeId,
    Provenance,
)
from lineage.refs import id_from_uri, kind_of_id, make_id, node_uri, slug

# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("node_id", "kind"),
    [
        ("source:DS-001", Kind.SOURCE),
        ("topic:views.raw", Kind.TOPIC),
        ("dataset:s3://events/raw", Kind.DATASET),
        ("job:flink-dedup-validate", Kind.JOB),
        ("feature:online-store", Kind.FEATURE),
        ("model:recs", Kind.MODEL),
        ("schema:views.raw-value", Kind.SCHEMA),
        ("model:a:b", Kind.MODEL),
        ("widget:x", None),  # not a kind
        ("Source:DS-001", None),  # kinds are lowercase
        ("source:", None),  # no key
        ("DS-001", None),  # no prefix
        ("kafka://views.raw", None),  # a URI, not an id
        ("model://recs", None),  # a URI whose scheme is also a kind
    ],
)
def test_kind_of_id(node_id: str, kind: Kind | None) -> None:
    assert kind_of_id(node_id) is kind


def test_make_id_joins_kind_and_trimmed_key() -> None:
    assert make_id(Kind.TOPIC, " views.raw ") == "topic:views.raw"


@pytest.mark.parametrize("key", ["", "   "])
def test_make_id_refuses_empty_key(key: str) -> None:
    with pytest.raises(ValueError, match="non-empty key"):
        make_id(Kind.SOURCE, key)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flink: Dedup + Validate", "flink-dedup-validate"),
        ("Member Viewing Events", "member-viewing-events"),
        ("views.raw", "views.raw"),
        ("Raw event archive (S3)", "raw-event-archive-s3"),
        ("Ünïcödé  Näme", "unicode-name"),
        ("  --Edge--  ", "edge"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


# -- lineage URIs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "node_id"),
    [
        ("kafka://views.raw", "topic:views.raw"),
        ("KAFKA://views.raw", "topic:views.raw"),
        ("topic://views.raw", "topic:views.raw"),
        ("s3://events/raw/", "dataset:s3://events/raw"),
        ("gs://bucket/x", "dataset:gs://bucket/x"),
        ("hdfs://nn/warehouse", "dataset:hdfs://nn/warehouse"),
        ("dataset://training", "dataset:training"),
        ("feature://online-store", "feature:online-store"),
        ("model://recs", "model:recs"),
        ("job://etl", "job:etl"),
        ("source://DS-001", "source:DS-001"),
        ("schema://views.raw-value", "schema:views.raw-value"),
        ("http://example.com", None),
        ("kafka://", None),
        ("views.raw", None),
        ("topic:views.raw", None),
    ],
)
def test_id_from_uri(uri: str, node_id: str | None) -> None:
    assert id_from_uri(uri) == node_id


@pytest.mark.parametrize(
    "node_id",
    ["topic:views.raw", "dataset:s3://events/raw", "model:recs", "source:DS-001", "job:etl"],
)
def test_node_uri_reads_back_to_the_same_id(node_id: str) -> None:
    assert id_from_uri(node_uri(node_id)) == node_id


def test_topic_uri_uses_the_kafka_scheme() -> None:
    assert node_uri("topic:views.raw") == "kafka://views.raw"


# -- nodes, edges, batches ------------------------------------------------------------------


def test_node_refuses_an_id_of_another_kind() -> None:
    with pytest.raises(ValueError, match="does not start with its kind"):
        Node(NodeId("source:x"), Kind.MODEL)


def test_node_key_and_display_name_fall_back_to_the_key() -> None:
    unnamed = Node(NodeId("dataset:s3://events/raw"), Kind.DATASET)
    named = Node(NodeId("model:recs"), Kind.MODEL, name="Recommendations")
    assert (unnamed.key, unnamed.display_name) == ("s3://events/raw", "s3://events/raw")
    assert (named.key, named.display_name) == ("recs", "Recommendations")


def test_node_freshness_seconds() -> None:
    node = Node(NodeId("model:m"), Kind.MODEL, freshness=Freshness("hourly", 3600.0))
    assert node.freshness_seconds == 3600.0
    assert Node(NodeId("model:m"), Kind.MODEL).freshness_seconds is None


def test_edges_with_the_same_ends_and_type_share_a_key() -> None:
    a, b = NodeId("source:a"), NodeId("model:b")
    labelled = Edge(a, b, label="features")
    assert labelled.key == Edge(a, b).key == EdgeKey(a, EdgeType.FEEDS, b)
    assert Edge(a, b, type=EdgeType.TRIGGERS).key != labelled.key


def _node(node_id: str) -> Node:
    return Node(NodeId(node_id), kind_of_id(node_id) or Kind.DATASET)


def test_batch_refuses_a_node_asserted_twice() -> None:
    with pytest.raises(ValueError, match=r"twice: \['source:a'\]"):
        ImportBatch("doc", (_node("source:a"), _node("source:a")))


def test_batch_refuses_an_edge_to_a_node_it_does_not_assert() -> None:
    with pytest.raises(ValueError, match="endpoint model:b is not a node"):
        ImportBatch("doc", (_node("source:a"),), (Edge(NodeId("source:a"), NodeId("model:b")),))


def test_an_edge_listed_twice_is_one_edge_its_first_listing_in_first_order() -> None:
    a, b, c = _node("source:a"), _node("job:b"), _node("model:c")
    first = Edge(a.id, b.id, label="first")
    other_type = Edge(a.id, b.id, EdgeType.TRIGGERS)
    later = Edge(b.id, c.id)
    again = Edge(a.id, b.id, label="again")
    batch = ImportBatch("doc", (a, b, c), (first, other_type, later, again))
    assert batch.distinct_edges == (first, other_type, later)
    assert ImportBatch("doc", (a, b, c), (first, later)).distinct_edges == (first, later)


def test_batch_needs_an_origin() -> None:
    with pytest.raises(ValueError, match="origin"):
        ImportBatch("", ())


def test_batch_summary_counts() -> None:
    a, b = _node("source:a"), _node("model:b")
    assert ImportBatch("doc", (a, b), (Edge(a.id, b.id),)).summary == (
        "2 nodes, 1 edges, 0 warnings"
    )


def test_provenance_reads_origin_and_location() -> None:
    assert str(Provenance("yaml:a.yaml", "a.yaml:3")) == "yaml:a.yaml (a.yaml:3)"
    assert str(Provenance("metaflow:run/1")) == "metaflow:run/1"


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "exit_code", "code"),
    [
        (ParseError("bad", source="a.yaml", line=3), 2, "BAD_INPUT"),
        (NodeNotFound("x"), 2, "NOT_FOUND"),
        (AmbiguousNode("x", ["a", "b"]), 2, "AMBIGUOUS"),
        (StoreUnavailable("down"), 3, "UNAVAILABLE"),
    ],
)
def test_errors_map_to_exit_codes(error: Exception, exit_code: int, code: str) -> None:
    assert (error.exit_code, error.code) == (exit_code, code)  # type: ignore[attr-defined]


def test_parse_error_names_file_and_line() -> None:
    assert str(ParseError("unknown kind", source="a.yaml", line=7)) == "a.yaml:7: unknown kind"
    assert str(ParseError("not UTF-8", source="a.yaml")) == "a.yaml: not UTF-8"


def test_ambiguous_node_lists_candidates() -> None:
    assert "model:a, model:b" in str(AmbiguousNode("A", ["model:a", "model:b"]))
