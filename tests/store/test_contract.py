"""The ``GraphStore`` contract: every backend answers these the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support.graphs import (
    DEFAULT_ORIGIN,
    batch,
    edge,
    edge_keys,
    feeds,
    ids,
    load,
    nid,
    node,
    node_ids,
)

from lineage.config import StoreSettings
from lineage.model import (
    ApplyResult,
    Direction,
    EdgeKey,
    EdgeType,
    Freshness,
    ImportBatch,
    Kind,
    Mode,
    Provenance,
    Role,
)
from lineage.store import open_store
from lineage.store.base import GraphStore, NodeFilter, Page, RunRecord, Walk

ALL_TYPES = frozenset(EdgeType)
FEEDS = frozenset({EdgeType.FEEDS})

# -- apply and read back --------------------------------------------------------------------


def test_applied_nodes_read_back_with_their_origin(store: GraphStore) -> None:
    asserted = node(
        "source:DS-001",
        "Member Viewing Events",
        mode=Mode.STREAMING,
        freshness=Freshness("sub-second", 1.0),
        last_updated=datetime(2024, 5, 1, 10, tzinfo=UTC),
        aliases=("DS1",),
        properties={"owner": "playback", "tags": ["pii"], "replicas": 3},
        location="spec.yaml:3",
    )
    store.apply(ImportBatch("yaml:spec.yaml", (asserted,)))
    stored = store.get_nodes([asserted.id])[asserted.id]
    assert stored == _with_origins(asserted, Provenance("yaml:spec.yaml", "spec.yaml:3"))


def test_applied_edges_read_back_with_their_origin(store: GraphStore) -> None:
    asserted = edge(
        "source:a",
        "model:b",
        label="features",
        role=Role.SERVING,
        mode=Mode.STREAMING,
        freshness=Freshness("seconds", 60.0),
        properties={"owner": "x"},
        location="spec.yaml:9",
    )
    store.apply(batch(asserted, origin="doc"))
    (stored,) = store.snapshot().edges
    assert stored == _with_origins(asserted, Provenance("doc", "spec.yaml:9"))


def test_an_empty_location_reads_back_as_none(store: GraphStore) -> None:
    store.apply(batch(edge("job:a", "job:b", location=""), nodes=[node("job:a", location="")]))
    stored = store.get_nodes([nid("job:a")])[nid("job:a")]
    assert (stored.location, stored.origins) == (None, (Provenance(DEFAULT_ORIGIN, None),))
    (stored_edge,) = store.snapshot().edges
    assert (stored_edge.location, stored_edge.origins) == (
        None,
        (Provenance(DEFAULT_ORIGIN, None),),
    )


def test_get_nodes_leaves_unknown_ids_out(store: GraphStore) -> None:
    load(store, "a -> b")
    assert set(store.get_nodes([nid("a"), nid("nope")])) == {nid("a")}
    assert store.get_nodes([]) == {}


def test_apply_reports_what_it_changed(store: GraphStore) -> None:
    first = store.apply(batch("a -> b -> c", origin="doc"))
    second = store.apply(batch("a -> b", "b -> d", origin="doc"))
    assert first == ApplyResult("doc", nodes=3, edges=2, nodes_removed=0, edges_removed=0)
    assert second == ApplyResult("doc", nodes=3, edges=2, nodes_removed=1, edges_removed=1)


def test_snapshot_holds_every_node_and_edge_in_order(store: GraphStore) -> None:
    load(store, "c -> a -> b", edge("a", "c", type=EdgeType.TRIGGERS))
    snapshot = store.snapshot()
    assert [n.id for n in snapshot.nodes] == sorted(ids("a", "b", "c"))
    assert [e.key for e in snapshot.edges] == sorted(
        [
            EdgeKey(nid("a"), EdgeType.FEEDS, nid("b")),
            EdgeKey(nid("a"), EdgeType.TRIGGERS, nid("c")),
            EdgeKey(nid("c"), EdgeType.FEEDS, nid("a")),
        ]
    )


def test_store_is_durable_across_reopening(
    store: GraphStore, store_settings: StoreSettings
) -> None:
    load(store, "source:a -> job:b -> model:c", origin="one")
    before = store.snapshot()
    store.close()
    reopened = open_store(store_settings)
    try:
        assert reopened.snapshot() == before
        assert [o.name for o in reopened.origins()] == ["one"]
    finally:
        reopened.close()


def test_ping_answers_on_an_open_store(store: GraphStore) -> None:
    store.ping()


# -- replacing an origin --------------------------------------------------------------------


def test_reapplying_the_same_batch_changes_nothing(store: GraphStore) -> None:
    same = batch("a -> b -> c", nodes=[node("a", "A", aliases=("x",))], origin="doc")
    store.apply(same)
    before = store.snapshot()
    result = store.apply(same)
    assert store.snapshot() == before
    assert (result.nodes_removed, result.edges_removed) == (0, 0)


def test_reapplying_the_same_facts_listed_in_another_order_changes_nothing(
    store: GraphStore,
) -> None:
    first = batch("a -> b -> c", "a -> c", origin="doc")
    store.apply(first)
    before = store.snapshot()
    again = ImportBatch("doc", first.nodes[::-1], first.edges[::-1])
    result = store.apply(again)
    assert store.snapshot() == before
    assert (result.nodes, result.edges, result.nodes_removed, result.edges_removed) == (
        3,
        3,
        0,
        0,
    )


def test_reapplying_an_unchanged_origin_makes_it_the_newest(store: GraphStore) -> None:
    one = ImportBatch("one", (node("job:a", "One"),))
    store.apply(one)
    store.apply(ImportBatch("two", (node("job:a", "Two"),)))
    result = store.apply(one)
    assert store.get_nodes([nid("job:a")])[nid("job:a")].name == "One"
    assert (result.nodes, result.edges, result.nodes_removed) == (1, 0, 0)


def _folder(names: tuple[str, ...]) -> list[ImportBatch]:
    """Documents sharing nodes, disagreeing on their names, one removing what it said."""
    return [
        ImportBatch(f"doc{i}", (node("job:shared", name), node(f"job:own{i}", name)),
                    (edge("job:shared", f"job:own{i}"),))
        for i, name in enumerate(names)
    ]  # fmt: skip


def _state(store: GraphStore) -> tuple[Any, ...]:
    snapshot = store.snapshot()
    return (
        snapshot.nodes,
        snapshot.edges,
        sorted((o.name, o.nodes, o.edges) for o in store.origins()),
    )


def test_apply_all_is_applying_each_batch_in_order(store: GraphStore) -> None:
    first, again = _folder(("A", "B", "C")), _folder(("D", "E", "F"))[:2]
    for batch_ in first + again:
        store.apply(batch_)
    one_by_one = _state(store)
    for origin in ("doc0", "doc1", "doc2"):
        store.remove_origin(origin)
    results = store.apply_all(first)
    assert [r.nodes for r in results] == [2, 2, 2]
    store.apply_all(again)
    assert _state(store) == one_by_one
    assert store.get_nodes([nid("job:shared")])[nid("job:shared")].name == "E"
    store.apply_all(first)  # unchanged, each moved up again: the last one wins
    assert store.get_nodes([nid("job:shared")])[nid("job:shared")].name == "C"


def test_an_origin_keeps_the_state_its_last_batch_carried(store: GraphStore) -> None:
    assert store.origin_state("doc") is None
    store.apply(replace(batch("a -> b", origin="doc"), state='{"cursor": 1}'))
    assert store.origin_state("doc") == '{"cursor": 1}'
    store.apply(replace(batch("a -> b", origin="doc"), state='{"cursor": 2}'))  # same facts
    assert store.origin_state("doc") == '{"cursor": 2}'
    store.apply(batch("a -> b", origin="doc"))
    assert store.origin_state("doc") is None
    store.remove_origin("doc")
    assert store.origin_state("doc") is None


def _run(name: str, minute: int, kind: str = "job") -> RunRecord:
    started = datetime(2026, 12, 2, 10, minute, tzinfo=UTC)
    return RunRecord(kind, name, started, f'{{"minute": {minute}}}')


def test_the_run_log_gives_runs_back_newest_first_by_kind_and_name(store: GraphStore) -> None:
    for minute in range(3):
        store.record_run(_run("docs", minute), keep=10)
    store.record_run(_run("schemas", 5), keep=10)
    store.record_run(_run("rollup", 6, kind="rollup"), keep=10)
    assert [r.document for r in store.runs("job", "docs")] == [
        '{"minute": 2}',
        '{"minute": 1}',
        '{"minute": 0}',
    ]
    assert [r.name for r in store.runs("job")] == ["schemas", "docs", "docs", "docs"]
    assert store.runs("job", limit=1) == [_run("schemas", 5)]
    assert store.runs("rollup") == [_run("rollup", 6, kind="rollup")]
    assert store.runs("job", "nothing") == []


def test_the_run_log_keeps_only_the_newest_runs_of_each_name(store: GraphStore) -> None:
    for minute in range(5):
        store.record_run(_run("docs", minute), keep=2)
        store.record_run(_run("schemas", minute), keep=3)
    assert [r.started.minute for r in store.runs("job", "docs")] == [4, 3]
    assert [r.started.minute for r in store.runs("job", "schemas")] == [4, 3, 2]


def test_recording_a_run_leaves_the_graph_as_it_was(store: GraphStore) -> None:
    load(store, "a -> b")
    before = store.snapshot()
    store.record_run(_run("docs", 1), keep=5)
    assert store.snapshot() == before
    assert [record.name for record in store.origins()] == ["test:graph"]


def test_an_edge_removed_from_the_origin_disappears(store: GraphStore) -> None:
    load(store, "a -> b -> c", origin="doc")
    load(store, "a -> b", nodes=[node("c")], origin="doc")
    assert edge_keys(store) == feeds(("a", "b"))
    assert node_ids(store) == ids("a", "b", "c")


def test_a_node_removed_from_the_origin_disappears_with_its_aliases(store: GraphStore) -> None:
    load(store, "a -> b", nodes=[node("c", aliases=("sea",))], origin="doc")
    load(store, "a -> b", origin="doc")
    assert node_ids(store) == ids("a", "b")
    assert store.resolve("sea") == []


def test_an_edge_asserted_by_two_origins_survives_removal_from_one(store: GraphStore) -> None:
    load(store, "a -> b -> c", origin="one")
    load(store, "b -> c", origin="two")
    load(store, "a -> b", nodes=[node("c")], origin="one")
    assert edge_keys(store) == feeds(("a", "b"), ("b", "c"))
    (survivor,) = store.edges_of([nid("b")], direction=Direction.DOWNSTREAM, types=FEEDS)
    assert [p.origin for p in survivor.origins] == ["two"]


def test_a_node_asserted_by_two_origins_survives_removal_from_one(store: GraphStore) -> None:
    store.apply(batch(nodes=[node("a", "From one")], origin="one"))
    store.apply(batch(nodes=[node("a", "From two")], origin="two"))
    store.apply(batch(nodes=[node("b")], origin="two"))
    stored = store.get_nodes([nid("a")])[nid("a")]
    assert (stored.name, [p.origin for p in stored.origins]) == ("From one", ["one"])


def test_other_origins_are_untouched_by_an_apply(store: GraphStore) -> None:
    load(store, "x -> y", origin="other")
    before = {e.key: e for e in store.snapshot().edges}
    load(store, "a -> b", origin="doc")
    load(store, "a -> c", origin="doc")
    after = {e.key: e for e in store.snapshot().edges}
    assert (
        after[EdgeKey(nid("x"), EdgeType.FEEDS, nid("y"))]
        == before[EdgeKey(nid("x"), EdgeType.FEEDS, nid("y"))]
    )
    assert node_ids(store) == ids("x", "y", "a", "c")


def test_remove_origin_withdraws_only_its_assertions(store: GraphStore) -> None:
    load(store, "a -> b -> c", origin="one")
    load(store, "b -> c -> d", origin="two")
    result = store.remove_origin("one")
    assert result == ApplyResult("one", 0, 0, nodes_removed=3, edges_removed=2)
    assert node_ids(store) == ids("b", "c", "d")
    assert edge_keys(store) == feeds(("b", "c"), ("c", "d"))
    assert [o.name for o in store.origins()] == ["two"]


def test_remove_unknown_origin_changes_nothing(store: GraphStore) -> None:
    load(store, "a -> b", origin="one")
    before = store.snapshot()
    assert store.remove_origin("nobody") == ApplyResult("nobody", 0, 0, 0, 0)
    assert store.snapshot() == before


def test_origins_lists_each_origin_with_its_counts(store: GraphStore) -> None:
    started = datetime.now(UTC) - timedelta(seconds=5)
    load(store, "a -> b -> c", origin="b-doc")
    load(store, "x -> y", origin="a-doc")
    records = store.origins()
    assert [(o.name, o.nodes, o.edges) for o in records] == [("a-doc", 2, 1), ("b-doc", 3, 2)]
    assert all(o.applied_at >= started for o in records)


def test_a_failed_apply_changes_nothing(store: GraphStore) -> None:
    load(store, "a -> b", origin="doc")
    before = store.snapshot()
    circular: dict[str, Any] = {}
    circular["self"] = circular  # cannot be stored: the apply fails part-way
    broken = batch("a -> c", edge("c", "d", properties=circular), origin="doc")
    with pytest.raises(ValueError):
        store.apply(broken)
    assert store.snapshot() == before
    load(store, "a -> e", origin="doc")  # and the store still takes writes
    assert node_ids(store) == ids("a", "e")


def test_an_edge_listed_twice_in_a_batch_is_stored_once(store: GraphStore) -> None:
    twice = batch(edge("a", "b", label="first"), edge("a", "b", label="second"), origin="doc")
    result = store.apply(twice)
    (stored,) = store.snapshot().edges
    assert (result.edges, stored.label) == (1, "first")


# -- merging what several origins say --------------------------------------------------------


def test_newest_origin_wins_each_field_it_sets(store: GraphStore) -> None:
    older = node(
        "job:a",
        "Old name",
        mode=Mode.BATCH,
        freshness=Freshness("daily", 86400.0),
        properties={"owner": "old", "tier": "gold"},
    )
    newer = node("job:a", "New name", properties={"owner": "new"})
    store.apply(ImportBatch("one", (older,)))
    store.apply(ImportBatch("two", (newer,)))
    merged = store.get_nodes([older.id])[older.id]
    assert (merged.name, merged.mode, merged.freshness) == (
        "New name",
        Mode.BATCH,  # "two" does not say, so "one" still does
        Freshness("daily", 86400.0),
    )
    assert merged.properties == {"owner": "new", "tier": "gold"}
    assert [p.origin for p in merged.origins] == ["one", "two"]


def test_reapplying_an_origin_makes_it_the_newest(store: GraphStore) -> None:
    store.apply(ImportBatch("one", (node("job:a", "One"),)))
    store.apply(ImportBatch("two", (node("job:a", "Two"),)))
    store.apply(ImportBatch("one", (node("job:a", "One again"),)))
    assert store.get_nodes([nid("job:a")])[nid("job:a")].name == "One again"


def test_an_unnamed_stub_does_not_hide_a_name(store: GraphStore) -> None:
    store.apply(ImportBatch("one", (node("job:a", "Named"),)))
    store.apply(ImportBatch("two", (node("job:a"),)))
    merged = store.get_nodes([nid("job:a")])[nid("job:a")]
    assert (merged.name, merged.display_name) == ("Named", "Named")


def test_aliases_are_the_union_of_all_origins(store: GraphStore) -> None:
    store.apply(ImportBatch("one", (node("job:a", aliases=("x", "y")),)))
    store.apply(ImportBatch("two", (node("job:a", aliases=("y", "z")),)))
    assert store.get_nodes([nid("job:a")])[nid("job:a")].aliases == ("x", "y", "z")
    assert store.resolve("z") == [nid("job:a")]


def test_last_updated_is_the_latest_observation(store: GraphStore) -> None:
    early = datetime(2024, 5, 1, 10, tzinfo=UTC)
    late = datetime(2024, 5, 2, 10, tzinfo=UTC)
    store.apply(ImportBatch("one", (node("job:a", last_updated=late),)))
    store.apply(ImportBatch("two", (node("job:a", last_updated=early),)))
    assert store.get_nodes([nid("job:a")])[nid("job:a")].last_updated == late


def test_naive_and_aware_observations_merge(store: GraphStore) -> None:
    """A date-only ``last_updated`` (naive) and a ``...Z`` timestamp (aware) from two origins
    about one node must merge, not crash the apply."""
    naive = datetime(2024, 5, 1)
    aware = datetime(2024, 5, 2, 10, tzinfo=UTC)
    store.apply(ImportBatch("one", (node("job:a", last_updated=aware),)))
    store.apply(ImportBatch("two", (node("job:a", last_updated=naive),)))
    assert store.get_nodes([nid("job:a")])[nid("job:a")].last_updated == aware


def test_edge_facts_merge_across_origins(store: GraphStore) -> None:
    load(store, edge("a", "b", role=Role.TRAINING, label="old", mode=Mode.BATCH), origin="one")
    load(store, edge("a", "b", label="new"), origin="two")
    (merged,) = store.snapshot().edges
    assert (merged.role, merged.label, merged.mode) == (Role.TRAINING, "new", Mode.BATCH)
    assert [p.origin for p in merged.origins] == ["one", "two"]


# -- finding nodes --------------------------------------------------------------------------


@pytest.fixture
def named(store: GraphStore) -> GraphStore:
    store.apply(
        batch(
            nodes=[
                node("source:DS-001", "Member Viewing Events", aliases=("DS1",)),
                node("dataset:DS-001", "Viewing archive", mode=Mode.BATCH),
                node("model:recs", "Recommendations", mode=Mode.STREAMING, aliases=("MDL",)),
                node("model:rank", "Recommendations"),
                node("topic:views_raw", "views", mode=Mode.STREAMING),
                node("topic:viewsXraw", "other views"),
            ],
            origin="doc",
        )
    )
    return store


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("source:DS-001", ["source:DS-001"]),  # the id
        ("SOURCE:ds-001", ["source:DS-001"]),  # the id, ignoring case
        ("DS1", ["source:DS-001"]),  # an alias
        ("ds1", ["source:DS-001"]),  # an alias, ignoring case
        ("DS-001", ["dataset:DS-001", "source:DS-001"]),  # a key two nodes share
        ("recs", ["model:recs"]),  # the key
        ("viewing archive", ["dataset:DS-001"]),  # the name, ignoring case
        ("Recommendations", ["model:rank", "model:recs"]),  # a name two nodes share
        ("nothing", []),
    ],
)
def test_resolve(named: GraphStore, ref: str, expected: list[str]) -> None:
    assert named.resolve(ref) == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {},
            [
                "dataset:DS-001",
                "model:rank",
                "model:recs",
                "source:DS-001",
                "topic:viewsXraw",
                "topic:views_raw",
            ],
        ),
        ({"kind": Kind.MODEL}, ["model:rank", "model:recs"]),
        ({"mode": Mode.STREAMING}, ["model:recs", "topic:views_raw"]),
        ({"kind": Kind.TOPIC, "mode": Mode.STREAMING}, ["topic:views_raw"]),
        ({"search": "VIEWING"}, ["dataset:DS-001", "source:DS-001"]),  # names, any case
        ({"search": "mdl"}, ["model:recs"]),  # aliases
        ({"search": "model:"}, ["model:rank", "model:recs"]),  # ids
        ({"search": "views_raw"}, ["topic:views_raw"]),  # '_' is not a wildcard
        ({"search": "%"}, []),  # nor is '%'
    ],
)
def test_list_nodes_filters(
    named: GraphStore, options: dict[str, Any], expected: list[str]
) -> None:
    where = NodeFilter(**options)
    assert [n.id for n in named.list_nodes(where)] == expected
    assert named.count_nodes(where) == len(expected)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"limit": 2}, ["dataset:DS-001", "model:rank"]),
        ({"after": "model:rank", "limit": 2}, ["model:recs", "source:DS-001"]),
        (
            {"after": "model:rank"},
            ["model:recs", "source:DS-001", "topic:viewsXraw", "topic:views_raw"],
        ),
        ({"after": "model:ra", "limit": 1}, ["model:rank"]),  # after an id that is not there
        ({"after": "topic:views_raw", "limit": 5}, []),
        ({"kind": Kind.MODEL, "after": "model:rank"}, ["model:recs"]),
        ({"search": "views", "limit": 1}, ["topic:viewsXraw"]),
    ],
)
def test_list_nodes_pages_by_id(
    named: GraphStore, options: dict[str, Any], expected: list[str]
) -> None:
    where = NodeFilter(kind=options.get("kind"), search=options.get("search"))
    page = Page(after=options.get("after"), limit=options.get("limit"))
    assert [n.id for n in named.list_nodes(where, page)] == expected


# -- edges and reach ------------------------------------------------------------------------


@pytest.fixture
def wired(store: GraphStore) -> GraphStore:
    return load(
        store,
        "a -> b -> c",
        "x -> b",
        edge("b", "d", type=EdgeType.TRIGGERS),
        edge("b", "schema:s", type=EdgeType.HAS_SCHEMA),
    )


@pytest.mark.parametrize(
    ("direction", "types", "expected"),
    [
        (Direction.DOWNSTREAM, FEEDS, {("b", "c")}),
        (Direction.UPSTREAM, FEEDS, {("a", "b"), ("x", "b")}),
        (Direction.BOTH, FEEDS, {("a", "b"), ("x", "b"), ("b", "c")}),
        (Direction.DOWNSTREAM, ALL_TYPES, {("b", "c"), ("b", "d"), ("b", "schema:s")}),
        (Direction.DOWNSTREAM, frozenset({EdgeType.TRIGGERS}), {("b", "d")}),
    ],
)
def test_edges_of(
    wired: GraphStore, direction: Direction, types: frozenset[EdgeType], expected: set
) -> None:
    found = wired.edges_of([nid("b")], direction=direction, types=types)
    assert {(e.source, e.target) for e in found} == {(nid(a), nid(b)) for a, b in expected}


def test_edges_among_keeps_edges_with_both_ends_inside(wired: GraphStore) -> None:
    found = wired.edges_among(ids("a", "b", "d"), types=ALL_TYPES)
    assert {e.key for e in found} == {
        EdgeKey(nid("a"), EdgeType.FEEDS, nid("b")),
        EdgeKey(nid("b"), EdgeType.TRIGGERS, nid("d")),
    }


def test_edges_between_reads_the_edges_of_given_pairs(wired: GraphStore) -> None:
    pairs = [(nid("a"), nid("b")), (nid("b"), nid("d")), (nid("b"), nid("a")), (nid("x"), nid("b"))]
    found = wired.edges_between(pairs, types=ALL_TYPES)
    assert [e.key for e in found] == [
        EdgeKey(nid("a"), EdgeType.FEEDS, nid("b")),
        EdgeKey(nid("b"), EdgeType.TRIGGERS, nid("d")),
        EdgeKey(nid("x"), EdgeType.FEEDS, nid("b")),
    ]
    assert [e.key for e in wired.edges_between(pairs, types=FEEDS)] == [
        EdgeKey(nid("a"), EdgeType.FEEDS, nid("b")),
        EdgeKey(nid("x"), EdgeType.FEEDS, nid("b")),
    ]
    assert wired.edges_between([], types=FEEDS) == []


@pytest.mark.parametrize(
    ("root", "direction", "max_hops", "expected"),
    [
        ("a", Direction.DOWNSTREAM, 10, {"b": 1, "e": 1, "c": 2, "d": 3}),
        ("a", Direction.DOWNSTREAM, 2, {"b": 1, "e": 1, "c": 2}),
        ("d", Direction.UPSTREAM, 10, {"c": 1, "b": 2, "e": 2, "a": 3}),
        ("e", Direction.DOWNSTREAM, 10, {"a": 1, "c": 1, "b": 2, "d": 2}),
    ],
)
def test_reachable_gives_minimum_hop_distances(
    store: GraphStore, root: str, direction: Direction, max_hops: int, expected: dict
) -> None:
    load(store, "a -> b -> c -> d", "a -> e -> c", "e -> a")
    reach = store.reachable(
        Walk(nid(root), direction=direction, types=FEEDS, max_hops=max_hops, limit=100)
    )
    assert reach.distances == {nid(k): v for k, v in expected.items()}
    assert not reach.truncated


def test_reachable_stops_at_the_limit_nearest_first(store: GraphStore) -> None:
    load(store, "r -> a1 -> b1", "r -> a2", "r -> a3")
    reach = store.reachable(
        Walk(nid("r"), direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=5, limit=3)
    )
    assert (reach.distances, reach.truncated) == ({nid(f"a{i}"): 1 for i in (1, 2, 3)}, True)


def test_reachable_follows_only_the_given_types(wired: GraphStore) -> None:
    reach = wired.reachable(
        Walk(
            nid("a"),
            direction=Direction.DOWNSTREAM,
            types=frozenset({EdgeType.FEEDS, EdgeType.TRIGGERS}),
            max_hops=5,
            limit=100,
        )
    )
    assert set(reach.distances) == ids("b", "c", "d")


def _with_origins(value: Any, *origins: Provenance) -> Any:
    return replace(value, origins=origins)
