"""The in-memory adjacency index: its walks and components agree with networkx on any graph,
and the embedded store rebuilds it after every write, its own or another process's."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.graphs import batch, nid

from lineage.model import Direction, EdgeType, Mode
from lineage.store.adjacency import MODES, Adjacency
from lineage.store.base import Walk
from lineage.store.embedded import EmbeddedStore

FEEDS = frozenset({EdgeType.FEEDS})
NODES = [f"dataset:n{i:02d}" for i in range(12)]

edge_lists = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(list(EdgeType)), st.sampled_from(NODES)),
    max_size=40,
    unique=True,
)


def _index(edges: list[tuple[str, EdgeType, str]]) -> Adjacency:
    return Adjacency.build(
        [(node, "unknown") for node in NODES], [(s, t.value, d, "unknown") for s, t, d in edges]
    )


def _digraph(edges: list[tuple[str, EdgeType, str]], direction: Direction) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(NODES)
    for source, edge_type, target in edges:
        if edge_type is EdgeType.FEEDS:
            pair = (source, target) if direction is Direction.DOWNSTREAM else (target, source)
            graph.add_edge(*pair)
    return graph


@settings(max_examples=150, deadline=None)
@given(
    edges=edge_lists,
    root=st.sampled_from(NODES),
    direction=st.sampled_from([Direction.DOWNSTREAM, Direction.UPSTREAM]),
    max_hops=st.integers(1, 6),
    limit=st.integers(1, 15),
)
def test_a_walk_is_the_nearest_nodes_of_a_breadth_first_search(
    edges: list[tuple[str, EdgeType, str]],
    root: str,
    direction: Direction,
    max_hops: int,
    limit: int,
) -> None:
    graph = _digraph(edges, direction)
    lengths = nx.single_source_shortest_path_length(graph, root, cutoff=max_hops)
    nearest = sorted(lengths.items(), key=lambda item: (item[1], item[0]))[1:]  # not the root
    distances, truncated, parents = _index(edges).walk(
        nid(root), direction=direction, types=FEEDS, max_hops=max_hops, limit=limit
    )
    assert distances == dict(nearest[:limit])
    assert truncated == (len(nearest) > limit)
    assert parents == {
        node: min(p for p in graph.predecessors(node) if lengths.get(p) == lengths[node] - 1)
        for node in distances
    }


@settings(max_examples=150, deadline=None)
@given(edges=edge_lists)
def test_strong_components_are_the_cycles_of_the_data_flow(
    edges: list[tuple[str, EdgeType, str]],
) -> None:
    graph = _digraph(edges, Direction.DOWNSTREAM)
    expected = {
        frozenset(component)
        for component in nx.strongly_connected_components(graph)
        if len(component) > 1 or graph.has_edge(*(next(iter(component)),) * 2)
    }
    index = _index(edges)
    components = index.strong_components(FEEDS)
    found = {frozenset(index.ids[n] for n in c.members.tolist()) for c in components}
    assert found == expected
    for component in components:
        inside = set(component.members.tolist())
        pairs = list(zip(component.sources.tolist(), component.targets.tolist(), strict=True))
        assert pairs == sorted(pairs) and all(a in inside and b in inside for a, b in pairs)
        assert set(pairs) == {
            (index.number[s], index.number[d])
            for s, t, d in edges
            if t is EdgeType.FEEDS and index.number[s] in inside and index.number[d] in inside
        }


def test_nodes_are_numbered_in_id_order() -> None:
    index = Adjacency.build(
        [("model:b", "batch"), ("dataset:z", "unknown"), ("model:a", "streaming")], []
    )
    assert index.ids == ["dataset:z", "model:a", "model:b"]
    assert [index.number[i] for i in index.ids] == [0, 1, 2]
    assert [MODES[code] for code in index.node_modes.tolist()] == [
        Mode.UNKNOWN,
        Mode.STREAMING,
        Mode.BATCH,
    ]


id_keys = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(keys=st.sets(id_keys, max_size=20), data=st.data())
def test_an_index_reads_back_the_arrays_it_saves_whatever_its_ids_hold(
    keys: set[str], data: st.DataObject
) -> None:
    """Ids with newlines, non-ASCII or both come back exactly; edges listed in any order
    give the same index."""
    nodes = [(f"dataset:{key}", "unknown") for key in keys]
    ids = [node_id for node_id, _ in nodes]
    pairs = (
        data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)))) if ids else []
    )
    rows = [(s, "FEEDS", d, "unknown") for s, d in pairs]
    index = Adjacency.build(nodes, rows)
    again = Adjacency.from_arrays(index.to_arrays())
    assert again.ids == sorted(ids)
    assert sorted(zip(again.sources.tolist(), again.targets.tolist(), strict=True)) == sorted(
        (index.number[s], index.number[d]) for s, d in pairs
    )
    shuffled = Adjacency.build(nodes, list(reversed(rows)))
    assert shuffled.sources.tolist() == index.sources.tolist()
    assert shuffled.targets.tolist() == index.targets.tolist()


def test_a_saved_index_of_another_layout_is_refused() -> None:
    arrays = Adjacency.build([("dataset:a", "unknown")], []).to_arrays()
    with pytest.raises(ValueError, match="laid out"):
        Adjacency.from_arrays({**arrays, "layout": arrays["layout"] + 1})
    del arrays["layout"]
    with pytest.raises(KeyError):
        Adjacency.from_arrays(arrays)


def _walk(store: EmbeddedStore, root: str) -> dict[str, int]:
    walk = Walk(nid(root), Direction.DOWNSTREAM, FEEDS, max_hops=10, limit=100)
    return store.reachable(walk).distances


def test_the_index_follows_this_store_s_writes(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(batch("a -> b", origin="one"))
        assert _walk(store, "a") == {nid("b"): 1}
        store.apply(batch("b -> c", origin="two"))
        assert _walk(store, "a") == {nid("b"): 1, nid("c"): 2}
        store.remove_origin("one")
        assert _walk(store, "b") == {nid("c"): 1}


def test_the_index_follows_another_process_s_writes(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as reader, EmbeddedStore(path) as writer:
        writer.apply(batch("a -> b", origin="one"))
        assert _walk(reader, "a") == {nid("b"): 1}
        first = reader.adjacency()
        assert reader.adjacency() is first, "no write, no rebuild"
        writer.apply(batch("b -> c", origin="two"))
        assert _walk(reader, "a") == {nid("b"): 1, nid("c"): 2}
        assert reader.adjacency() is not first


def test_a_batch_the_same_as_before_keeps_the_index_and_one_moved_up_replaces_it(
    tmp_path: Path,
) -> None:
    with EmbeddedStore(tmp_path / "lineage.db") as store:
        store.apply(batch("a -> b", origin="one"))
        first = store.adjacency()
        store.apply(batch("a -> b", origin="one"))  # a scheduled import of a file unchanged
        assert store.adjacency() is first
        store.apply(batch("b -> c", origin="two"))
        second = store.adjacency()
        assert second is not first
        store.apply(batch("a -> b", origin="one"))  # the same, now newer than "two"
        assert store.adjacency() is not second, "its facts now win where origins disagree"


def _refuse_to_build(store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("read the whole graph instead of the saved index")

    monkeypatch.setattr(store, "build_index", refuse)


def test_a_new_process_loads_the_saved_index_instead_of_reading_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as first:
        first.apply(batch("a -> b -> c", origin="one"))
        assert _walk(first, "a") == {nid("b"): 1, nid("c"): 2}
        assert first.index_path is not None and first.index_path.is_file()
    with EmbeddedStore(path) as second:
        _refuse_to_build(second, monkeypatch)
        assert _walk(second, "a") == {nid("b"): 1, nid("c"): 2}


def test_a_saved_index_of_older_contents_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as first:
        first.apply(batch("a -> b", origin="one"))
        first.adjacency()  # saved at this generation
    with EmbeddedStore(path) as writer:
        writer.apply(batch("b -> c", origin="two"))  # no index built: the saved one is stale
    with EmbeddedStore(path) as reader:
        assert _walk(reader, "a") == {nid("b"): 1, nid("c"): 2}


@pytest.mark.parametrize("damage", [b"", b"not an index", b"PK\x03\x04broken"])
def test_a_damaged_saved_index_is_rebuilt_and_replaced(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "lineage.db"
    with EmbeddedStore(path) as store:
        store.apply(batch("a -> b", origin="one"))
        assert store.index_path is not None
        store.index_path.write_bytes(damage)
    with EmbeddedStore(path) as store:
        assert _walk(store, "a") == {nid("b"): 1}
        assert store.index_path is not None and store.index_path.stat().st_size > len(damage)


def test_an_in_memory_store_saves_no_index() -> None:
    with EmbeddedStore(":memory:") as store:
        store.apply(batch("a -> b", origin="one"))
        assert (store.index_path, _walk(store, "a")) == (None, {nid("b"): 1})
