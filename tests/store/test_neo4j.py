"""What only the Neo4j store has to prove; the shared contract suite runs on both stores.

- the Cypher files: headers, the label and relationship-type whitelist, the loader (and the
  one thing it writes into a query, a checked hop bound; a clear error without the files);
- injection safety: ids and names full of Cypher syntax are stored and found verbatim;
- atomicity: an apply failing part-way (in Python or on the server) changes nothing;
- the traversal plan: a pruned breadth-first expand bounded by max_hops, never path
  enumeration, with work linear in the nodes visited (db hits, never the clock);
- schema: constraints and indexes created idempotently, also by ``lineage neo4j init``;
- an unreachable server: exit 3, a message naming the URI, no traceback;
- parity: random import histories give the same answers as the embedded store;
- docker-compose.yml: valid, and wired as the design says.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import CYPHER, ROOT
from support.graphs import batch, chain, edge, nid, node

from lineage.config import Backend, StoreSettings
from lineage.errors import StoreError
from lineage.model import Direction, EdgeType, ImportBatch, Kind, Mode, Node, NodeId, Role
from lineage.store import neo4j as neo4j_module
from lineage.store import neo4j_cypher
from lineage.store.base import NodeFilter, Walk
from lineage.store.embedded import EmbeddedStore
from lineage.store.neo4j import Neo4jStore
from lineage.store.neo4j_cypher import (
    CYPHER_PACKAGE,
    HOPS_PLACEHOLDER,
    MAX_HOPS_BOUND,
    MISSING_FILES,
    bounded_query,
    edge_type_name,
    kind_label,
    query,
    schema_names,
    schema_query,
)

FEEDS = frozenset({EdgeType.FEEDS})
ALL_TYPES = frozenset(EdgeType)


@pytest.fixture
def neo4j_settings(neo4j_uri: str) -> StoreSettings:
    return StoreSettings(backend=Backend.NEO4J, neo4j_uri=neo4j_uri)


@pytest.fixture
def neo(neo4j_settings: StoreSettings) -> Iterator[Neo4jStore]:
    with Neo4jStore.connect(neo4j_settings) as store:
        store.wipe()
        yield store


def raw_graph(store: Neo4jStore) -> tuple[list[Any], list[Any]]:
    """Everything in the database, labels and properties included, in a stable order."""
    with store._driver.session() as session:
        nodes = session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").data()
        rels = session.run(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b,"
            " properties(r) AS props"
        ).data()
    key = repr
    return sorted(nodes, key=key), sorted(rels, key=key)


def plan_steps(store: Neo4jStore, text: str, **params: Any) -> list[dict[str, Any]]:
    """The operators ``EXPLAIN`` shows for a query, each a dict with ``operatorType`` and
    ``args`` (``Details``)."""
    with store._driver.session() as session:
        return _flatten(session.run("EXPLAIN " + text, params).consume().plan)


def plan_operators(store: Neo4jStore, text: str, **params: Any) -> list[str]:
    return [step["operatorType"] for step in plan_steps(store, text, **params)]


def profile(store: Neo4jStore, text: str, **params: Any) -> tuple[int, int, list[str]]:
    """Run a query with ``PROFILE``: its rows, its total db hits and its operators."""
    with store._driver.session() as session:
        result = session.run("PROFILE " + text, params)
        rows = len(list(result))
        steps = _flatten(result.consume().profile)
    return rows, sum(step.get("dbHits", 0) for step in steps), [s["operatorType"] for s in steps]


def _flatten(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [plan]
    while stack:
        step = stack.pop()
        found.append(step)
        stack.extend(step.get("children", []))
    return found


# -- the Cypher files -----------------------------------------------------------------------


CYPHER_DIR = CYPHER


def cypher_files() -> list[Path]:
    return sorted(CYPHER_DIR.glob("*.cypher"))


def test_the_installed_query_files_are_the_repository_files() -> None:
    installed = resources.files(CYPHER_PACKAGE)
    names = sorted(e.name for e in installed.iterdir() if e.name.endswith(".cypher"))
    assert names == [path.name for path in cypher_files()]


@pytest.mark.parametrize("path", cypher_files(), ids=lambda p: p.stem)
def test_every_cypher_file_has_a_header_naming_it_and_its_parameters(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("//")]
    assert text.startswith(f"// {path.stem}: "), "the first line names the query and its purpose"
    assert any("Parameters:" in line for line in header)


def test_the_loader_reads_by_name_once_and_refuses_paths() -> None:
    assert query("get_nodes") is query("get_nodes")
    assert "MATCH (n:LineageNode {id: id})" in query("get_nodes")
    for bad in ("../pyproject", "get_nodes.cypher", "Get_Nodes", ""):
        with pytest.raises(ValueError):
            query(bad)
        with pytest.raises(ValueError):
            bounded_query(bad, 3)


@pytest.mark.parametrize("name", ["reach_downstream", "reach_upstream"])
def test_the_hop_bound_is_the_only_text_written_into_a_query(name: str) -> None:
    text = (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("//"))
    assert body.count(HOPS_PLACEHOLDER) == 1
    assert f"*1..{HOPS_PLACEHOLDER}]" in body
    assert HOPS_PLACEHOLDER in text.split("MATCH")[0], "the header documents the placeholder"
    for hops in (1, 3, 50, MAX_HOPS_BOUND):
        rendered = bounded_query(name, hops)
        assert rendered == text.replace(f"*1..{HOPS_PLACEHOLDER}]", f"*1..{hops}]")
    with pytest.raises(ValueError, match="bounded_query"):
        query(name)  # never sent with the placeholder in it


@pytest.mark.parametrize(
    "bad", [0, -1, MAX_HOPS_BOUND + 1, True, False, 3.0, "3", "3]->(x) DETACH DELETE x //", None]
)
def test_a_hop_bound_that_is_not_a_small_positive_int_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="hop bound"):
        bounded_query("reach_downstream", bad)


def test_a_query_without_a_hop_placeholder_cannot_be_bounded() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        bounded_query("get_nodes", 3)


@pytest.fixture
def no_cypher_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As in a broken installation: the query files' package is not there."""
    monkeypatch.setattr(neo4j_cypher, "CYPHER_PACKAGE", "lineage.no_such_cypher_files")
    for cached in (neo4j_cypher._text, neo4j_cypher.query, neo4j_cypher.schema_names):
        cached.cache_clear()
    yield
    monkeypatch.undo()
    for cached in (neo4j_cypher._text, neo4j_cypher.query, neo4j_cypher.schema_names):
        cached.cache_clear()


@pytest.mark.usefixtures("no_cypher_files")
def test_missing_query_files_are_a_store_error_saying_how_to_install() -> None:
    for load in (
        lambda: neo4j_cypher.query("ping"),
        lambda: neo4j_cypher.bounded_query("reach_upstream", 2),
        neo4j_cypher.schema_names,
    ):
        with pytest.raises(StoreError, match=re.escape(MISSING_FILES)):
            load()


@pytest.mark.neo4j
@pytest.mark.usefixtures("no_cypher_files")
@pytest.mark.parametrize("args", [["--store", "neo4j", "nodes"], ["neo4j", "init"]])
def test_missing_query_files_exit_3_with_one_line_and_no_traceback(
    neo4j_uri: str, args: list[str]
) -> None:
    from click.testing import CliRunner

    from lineage.cli import cli

    env = {"NEO4J_URI": neo4j_uri, "LINEAGE_STORE": "embedded"}
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 3, result.output
    assert MISSING_FILES in result.stderr
    assert "reinstall" in result.stderr
    assert "Traceback" not in result.output


def test_kind_labels_in_write_nodes_are_exactly_the_kind_enum() -> None:
    branches = re.findall(
        r"row\.kind = '(\w+)' THEN \[1\] ELSE \[\] END \| SET n:(\w+)\)", query("write_nodes")
    )
    assert sorted(branches) == sorted((kind.value, kind_label(kind)) for kind in Kind)


def test_relationship_types_in_write_edges_are_exactly_the_edge_type_enum() -> None:
    text = query("write_edges")
    branches = re.findall(
        r"row\.type = '(\w+)' THEN \[1\] ELSE \[\] END \|\s+MERGE "
        r"\(a\)-\[r:(\w+)\]->\(b\)",
        text,
    )
    assert sorted(branches) == sorted((t.value, edge_type_name(t)) for t in EdgeType)


def test_no_query_file_names_a_label_or_type_outside_the_fixed_sets() -> None:
    allowed = (
        {kind_label(kind) for kind in Kind}
        | {
            "LineageNode",
            "NodeAssertion",
            "EdgeAssertion",
            "Origin",
            "LineageMeta",
            "LineageRun",
        }
        | {edge_type_name(t) for t in EdgeType}
    )
    for path in cypher_files():
        body = "\n".join(
            line for line in path.read_text().splitlines() if not line.startswith("//")
        )
        # (var:Label), (:Label), n:Label, [r:TYPE], [:A|B*1..]
        names = re.findall(r"(?<=[\w(\[]):(\w+)", body)
        names += re.findall(r"\|(\w+)", body)
        assert set(names) <= allowed, path.name


def test_schema_files_create_what_their_names_say_idempotently() -> None:
    assert schema_names()
    for name in schema_names():
        text = schema_query(name)
        assert re.search(rf"CREATE (CONSTRAINT|INDEX) {name} IF NOT EXISTS\s+FOR ", text)
        if "CONSTRAINT" in text:
            assert "REQUIRE" in text and "IS UNIQUE" in text


# -- injection safety -----------------------------------------------------------------------

HOSTILE = [
    'it\'s "quoted"',
    "back`tick`} ) DETACH DELETE n //",
    "}) DETACH DELETE n //",
    "'}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "$param {id: $id}",
    "line\nbreak\r\nand\ttab",
    "unicode: Ünïcødé ✓ 数据 🚀",
    "\\backslash\\' \\\"",
    "x:FEEDS|TRIGGERS*..]->(",
]


@pytest.mark.neo4j
def test_ids_and_names_full_of_cypher_syntax_are_stored_and_found_verbatim(
    neo: Neo4jStore,
) -> None:
    bystander = batch("a -> b", origin="bystander")
    neo.apply(bystander)
    nodes = tuple(
        Node(
            NodeId(f"dataset:{text}"),
            Kind.DATASET,
            name=f"name {text}",
            aliases=(f"alias {text}",),
            properties={"note": text, text: [text]},
            location=f"{text}:1",
        )
        for text in HOSTILE
    )
    edges = tuple(
        edge(a.id, b.id, label=text, role=Role.SERVING)
        for a, b, text in zip(nodes, nodes[1:], HOSTILE, strict=False)
    )
    hostile_origin = "origin '}) DETACH DELETE n //`"
    neo.apply(ImportBatch(hostile_origin, nodes, edges))

    stored = neo.get_nodes([n.id for n in nodes])
    for original in nodes:
        found = stored[original.id]
        assert (found.name, found.aliases, dict(found.properties), found.location) == (
            original.name,
            original.aliases,
            dict(original.properties),
            original.location,
        )
        assert neo.resolve(original.id) == [original.id]
        assert neo.resolve(original.name) == [original.id]
        assert neo.resolve(original.aliases[0]) == [original.id]
        assert original.id in {n.id for n in neo.list_nodes(NodeFilter(search=original.key))}
    assert [e.label for e in neo.edges_among(stored, types=FEEDS)] == [
        e.label for e in sorted(edges, key=lambda e: e.key)
    ]
    reach = neo.reachable(
        Walk(nodes[0].id, direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=50, limit=50)
    )
    assert set(reach.distances) == {n.id for n in nodes[1:]}
    assert [o.name for o in neo.origins()] == ["bystander", hostile_origin]

    # nothing else was touched, and no label or type came from the data
    assert {n.id for n in neo.list_nodes()} == {n.id for n in nodes} | {nid("a"), nid("b")}
    labels, rel_types = set(), set()
    for found in raw_graph(neo)[0]:
        labels.update(found["labels"])
    for rel in raw_graph(neo)[1]:
        rel_types.add(rel["type"])
    assert labels == {
        "LineageNode",
        "Dataset",
        "NodeAssertion",
        "EdgeAssertion",
        "Origin",
        "LineageMeta",
    }
    assert rel_types == {"FEEDS"}

    neo.remove_origin(hostile_origin)
    assert {n.id for n in neo.list_nodes()} == {nid("a"), nid("b")}


# -- atomicity ------------------------------------------------------------------------------


def _history(store: Neo4jStore) -> None:
    store.apply(batch("a -> b -> c", origin="one"))
    store.apply(batch("b -> c -> d", nodes=[node("b", "B", mode=Mode.BATCH)], origin="two"))


def _replacement() -> ImportBatch:
    # replaces origin one: drops a and a->b, adds e, renames c
    return batch("b -> c -> e", nodes=[node("c", "Renamed")], origin="one")


@pytest.mark.neo4j
def test_an_apply_that_fails_after_writing_leaves_the_graph_exactly_as_before(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(neo)
    before = raw_graph(neo), neo.snapshot(), neo.origins()
    ran: list[str] = []
    real_run = neo4j_module._run

    def run_then_fail(tx: Any, name: str, /, **params: Any) -> None:
        real_run(tx, name, **params)
        ran.append(name)
        if name == "write_nodes":  # assertions withdrawn and added, merged nodes written
            raise RuntimeError("injected failure after the first writes")

    monkeypatch.setattr(neo4j_module, "_run", run_then_fail)
    with pytest.raises(RuntimeError, match="injected"):
        neo.apply(_replacement())
    assert {"record_origin", "add_node_assertions", "write_nodes"} <= set(ran)
    assert (raw_graph(neo), neo.snapshot(), neo.origins()) == before

    monkeypatch.undo()
    neo.apply(_replacement())  # the same batch applies cleanly afterwards
    assert nid("e") in neo.get_nodes([nid("e")])
    assert nid("a") not in neo.get_nodes([nid("a")])


@pytest.mark.neo4j
def test_an_error_while_making_the_merged_rows_rolls_everything_back(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merged rows of an origin's own facts are made, with their assertion rows, in a
    second thread while the server adds the assertions; its failure must still abort the
    one transaction."""
    _history(neo)
    before = raw_graph(neo), neo.snapshot(), neo.origins()
    failed_in: list[threading.Thread] = []

    def broken_merge(*args: Any) -> Any:
        failed_in.append(threading.current_thread())
        raise RuntimeError("injected failure making the merged rows")

    monkeypatch.setattr(neo4j_module.rows, "sole_edge_rows", broken_merge)
    with pytest.raises(RuntimeError, match="injected"):
        neo.apply(_replacement())
    assert failed_in and threading.main_thread() not in failed_in
    assert (raw_graph(neo), neo.snapshot(), neo.origins()) == before


def test_rows_per_statement_below_one_is_refused() -> None:
    for bad in (0, -1, 1.5):
        with pytest.raises(ValueError, match="rows_per_statement"):
            Neo4jStore(None, uri="bolt://127.0.0.1:7687", rows_per_statement=bad)  # type: ignore[arg-type]


@pytest.mark.neo4j
def test_one_row_per_statement_leaves_what_batched_statements_leave(
    neo: Neo4jStore, neo4j_settings: StoreSettings
) -> None:
    """The benchmark's row-by-row baseline is the store itself sending each row alone."""
    _history(neo)
    neo.apply(_replacement())
    batched = raw_graph(neo), neo.snapshot()
    neo.wipe()
    with Neo4jStore.connect(neo4j_settings, rows_per_statement=1) as row_by_row:
        _history(row_by_row)
        row_by_row.apply(_replacement())
        assert (_without_times(raw_graph(row_by_row)), row_by_row.snapshot()) == (
            _without_times(batched[0]),
            batched[1],
        )


def _without_times(graph: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """The raw graph without the moment each origin was applied."""
    nodes, rels = graph
    timeless = [
        {**node, "props": {k: v for k, v in node["props"].items() if k != "applied_at"}}
        for node in nodes
    ]
    return sorted(timeless, key=repr), rels


@pytest.mark.neo4j
def test_a_server_error_late_in_an_apply_rolls_everything_back(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(neo)
    before = raw_graph(neo), neo.snapshot(), neo.origins()
    real_query = neo4j_module.query

    def broken_write_edges(name: str) -> str:
        if name == "write_edges":  # runs after nodes and assertions were written
            return "UNWIND $rows AS row RETURN 1 / 0 AS boom"
        return real_query(name)

    monkeypatch.setattr(neo4j_module, "query", broken_write_edges)
    with pytest.raises(StoreError, match="failed"):
        neo.apply(_replacement())
    with pytest.raises(StoreError):
        neo.remove_origin("two")
    assert (raw_graph(neo), neo.snapshot(), neo.origins()) == before


# -- traversal plan -------------------------------------------------------------------------


PRUNED = "VarLengthExpand(Pruning,BFS"
ENUMERATING = "VarLengthExpand(All)"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["reach_downstream", "reach_upstream"])
@pytest.mark.parametrize("types", [["FEEDS"], ["FEEDS", "TRIGGERS"], sorted(ALL_TYPES)])
@pytest.mark.parametrize("max_hops", [2, 3, 50, MAX_HOPS_BOUND])
def test_reachability_plans_as_a_pruned_breadth_first_expand_bounded_by_max_hops(
    neo: Neo4jStore, name: str, types: list[str], max_hops: int
) -> None:
    neo.ensure_schema()
    steps = plan_steps(neo, bounded_query(name, max_hops), root="dataset:a", types=types, limit=10)
    operators = [step["operatorType"] for step in steps]
    assert not any(op.startswith(ENUMERATING) for op in operators), operators
    assert any(op.startswith("NodeUniqueIndexSeek") for op in operators), operators
    (expand,) = [step for step in steps if step["operatorType"].startswith(PRUNED)]
    assert f"*..{max_hops}]" in expand["args"]["Details"]  # the walk stops at the bound


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["reach_downstream", "reach_upstream"])
def test_a_one_hop_reach_expands_only_the_roots_relationships(neo: Neo4jStore, name: str) -> None:
    """With a bound of 1 there is nothing to prune: Neo4j expands the root's relationships once
    (a ``VarLengthExpand(All)`` of exactly one hop, so no ``*`` range), which cannot enumerate
    more than the root's degree."""
    neo.ensure_schema()
    steps = plan_steps(neo, bounded_query(name, 1), root="dataset:a", types=["FEEDS"], limit=10)
    expands = [step for step in steps if "Expand" in step["operatorType"]]
    assert len(expands) == 1, [step["operatorType"] for step in steps]
    assert "*" not in expands[0]["args"]["Details"], expands[0]["args"]["Details"]
    assert any(step["operatorType"].startswith("NodeUniqueIndexSeek") for step in steps)


def diamonds(count: int) -> ImportBatch:
    """``count`` diamonds in series: 2**count paths from the first node to the last."""
    edges = []
    for i in range(count):
        top, left, right, bottom = f"d{i}", f"l{i}", f"r{i}", f"d{i + 1}"
        edges += chain(top, left, bottom) + chain(top, right, bottom)
    return batch(edges, origin="diamonds")


@pytest.mark.neo4j
def test_reachability_over_exponentially_many_paths_visits_each_node_once(
    neo: Neo4jStore,
) -> None:
    neo.apply(diamonds(40))  # 2**40 paths: enumerating them would never finish
    nodes = 40 * 3 + 1
    text = bounded_query("reach_downstream", 1000)
    params = {"root": nid("d0"), "types": ["FEEDS"], "limit": 10_000}
    # the plan first: a path-enumerating plan would not return, so it must fail here
    operators = plan_operators(neo, text, **params)
    assert any(op.startswith(PRUNED) for op in operators), operators
    assert not any(op.startswith(ENUMERATING) for op in operators), operators

    rows, db_hits, _ = profile(neo, text, **params)
    assert rows == nodes - 1
    assert db_hits < 20 * nodes  # linear in the nodes (measured: 686 on Neo4j 5.26)

    reach = neo.reachable(
        Walk(nid("d0"), direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=1000, limit=10_000)
    )
    assert len(reach.distances) == 40 * 3
    assert not reach.truncated
    assert reach.distances[nid("d40")] == 80
    assert reach.distances[nid("l39")] == 79
    up = neo.reachable(
        Walk(nid("d40"), direction=Direction.UPSTREAM, types=FEEDS, max_hops=4, limit=10_000)
    )
    assert up.distances == {
        nid("l39"): 1,
        nid("r39"): 1,
        nid("d39"): 2,
        nid("l38"): 3,
        nid("r38"): 3,
        nid("d38"): 4,
    }


@pytest.mark.neo4j
def test_the_hop_bound_cuts_the_work_and_a_small_limit_the_rows_sent(
    neo: Neo4jStore,
) -> None:
    neo.apply(diamonds(40))
    params = {"root": nid("d0"), "types": ["FEEDS"]}
    rows, near, operators = profile(neo, bounded_query("reach_downstream", 3), **params, limit=100)
    assert rows == 5  # l0, r0, d1, l1, r1
    assert near < 20 * 6  # the nodes within 3 hops, root included: the rest is never visited
    assert any(op.startswith(PRUNED) for op in operators), operators
    # A small limit sends limit + 1 rows. (Neo4j 5.26 usually also stops the walk early, as the
    # BFS yields nodes nearest first into a PartialTop, but that is the planner's choice, so
    # only the rows are asserted.)
    rows, _, _ = profile(neo, bounded_query("reach_downstream", 1000), **params, limit=5)
    assert rows == 6  # the limit and one more, which says the walk was cut

    reach = neo.reachable(
        Walk(nid("d0"), direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=1000, limit=5)
    )
    assert reach.truncated
    assert reach.distances == {
        nid("l0"): 1,
        nid("r0"): 1,
        nid("d1"): 2,
        nid("l1"): 3,
        nid("r1"): 3,
    }


@pytest.mark.neo4j
def test_the_cut_within_a_distance_orders_ids_as_the_embedded_store(
    neo: Neo4jStore, tmp_path: Path
) -> None:
    """Neo4j and Python order strings by code point, also beyond the BMP, so the node limit
    keeps the same ids on both stores."""
    names = ["Z", "a", "é", "\ue000", "\ufffd", "🚀", "\U0001d518", "a🚀", "a\uffff", "zz"]
    history = batch(*(f"root -> {name}" for name in names), "zz -> deeper")
    with EmbeddedStore(tmp_path / "lineage.db") as embedded:
        for store in (neo, embedded):
            store.apply(history)
        for limit in range(len(names) + 2):
            for hops in (1, 2):
                found = [
                    store.reachable(
                        Walk(
                            nid("root"),
                            direction=Direction.DOWNSTREAM,
                            types=FEEDS,
                            max_hops=hops,
                            limit=limit,
                        )
                    )
                    for store in (neo, embedded)
                ]
                assert found[0] == found[1], (limit, hops)
        assert neo.reachable(
            Walk(nid("root"), direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=0, limit=5)
        ) == embedded.reachable(
            Walk(nid("root"), direction=Direction.DOWNSTREAM, types=FEEDS, max_hops=0, limit=5)
        )


# -- schema ---------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_constraints_and_indexes_are_created_idempotently(
    neo: Neo4jStore, neo4j_settings: StoreSettings
) -> None:
    neo.ensure_schema()
    with neo._driver.session() as session:
        for name in schema_names():  # every statement again: no error, nothing new
            session.run(schema_query(name)).consume()
        indexes = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
        constraints = {r["name"]: r["type"] for r in session.run("SHOW CONSTRAINTS")}
    assert set(schema_names()) <= indexes
    assert constraints["lineage_node_id"] == "UNIQUENESS"
    with Neo4jStore.connect(neo4j_settings) as again:
        assert again.ensure_schema() == ()  # all present: nothing to create

    from click.testing import CliRunner

    from lineage.cli import cli

    env = {"NEO4J_URI": neo4j_settings.neo4j_uri, "LINEAGE_STORE": "embedded"}
    for _ in range(2):
        result = CliRunner().invoke(cli, ["neo4j", "init"], env=env)
        assert result.exit_code == 0, result.output
        assert "already exist" in result.stdout
    result = CliRunner().invoke(cli, ["neo4j", "init", "--json"], env=env)
    assert result.exit_code == 0
    assert '"created": []' in result.stdout


# -- unreachable server ---------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("args", [["--store", "neo4j", "nodes"], ["neo4j", "init"]])
def test_an_unreachable_server_exits_3_naming_the_uri_without_a_traceback(
    args: list[str],
) -> None:
    uri = f"bolt://127.0.0.1:{closed_port()}"
    env = {**os.environ, "NEO4J_URI": uri, "LINEAGE_STORE": "embedded"}
    result = subprocess.run(
        [sys.executable, "-c", "from lineage.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert uri in result.stderr
    assert "NEO4J_URI" in result.stderr  # says what to do
    assert "Traceback" not in result.stderr + result.stdout


def test_a_uri_that_is_not_bolt_is_refused_before_connecting() -> None:
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri="http://127.0.0.1:7474")
    with pytest.raises(StoreError, match="not a Bolt URI"):
        Neo4jStore.connect(settings)


# -- parity with the embedded store ---------------------------------------------------------

REFS = ["a", "b", "c", "d", "model:m", "job:j"]
ORIGINS = ["o1", "o2", "o3"]


@st.composite
def histories(draw: st.DrawFn) -> list[ImportBatch | str]:
    """A few applies (and removals) of small batches over a shared set of ids (an edge may
    be listed twice in a batch)."""
    steps: list[ImportBatch | str] = []
    for _ in range(draw(st.integers(1, 5))):
        origin = draw(st.sampled_from(ORIGINS))
        if draw(st.integers(0, 5)) == 0:
            steps.append(origin)
            continue
        pairs = draw(st.lists(st.tuples(st.sampled_from(REFS), st.sampled_from(REFS)), max_size=7))
        edges = [
            edge(
                a,
                b,
                type=draw(st.sampled_from(list(EdgeType))),
                role=draw(st.sampled_from(list(Role))),
                label=draw(st.sampled_from([None, "x"])),
            )
            for a, b in pairs
        ]
        named = [
            node(
                ref,
                draw(st.sampled_from(["", "Shared", f"N {ref}", "Été", "ÉTÉ"])),
                mode=draw(st.sampled_from(list(Mode))),
                aliases=tuple(draw(st.lists(st.sampled_from(["al", "AL", "x1"]), max_size=2))),
                properties={"p": draw(st.integers(0, 2))},
            )
            for ref in draw(st.lists(st.sampled_from(REFS), max_size=3, unique=True))
        ]
        steps.append(batch(*edges, nodes=named, origin=origin))
    return steps


def answers(store: Any) -> dict[str, Any]:
    snapshot = store.snapshot()
    found: dict[str, Any] = {
        "snapshot": snapshot,
        "origins": [(o.name, o.nodes, o.edges) for o in store.origins()],
        "search": {
            s: store.list_nodes(NodeFilter(search=s))
            for s in ["", "A", "shared", "al", "zz", "é", "É"]
        },
        "kinds": store.list_nodes(NodeFilter(kind=Kind.MODEL)),
        "resolve": {
            r: store.resolve(r)
            for r in ["dataset:a", "DATASET:A", "al", "a", "shared", "été", "ÉTÉ"]
        },
    }
    everything = [nid(ref) for ref in REFS]
    for direction in (Direction.UPSTREAM, Direction.DOWNSTREAM, Direction.BOTH):
        found[f"edges {direction}"] = store.edges_of(
            everything, direction=direction, types=ALL_TYPES
        )
    for root in everything:
        for direction in (Direction.UPSTREAM, Direction.DOWNSTREAM):
            for types in (FEEDS, ALL_TYPES):
                for hops, limit in ((1, 10), (3, 2), (10, 10)):
                    found[f"reach {root} {direction} {sorted(types)} {hops} {limit}"] = (
                        store.reachable(
                            Walk(root, direction=direction, types=types, max_hops=hops, limit=limit)
                        )
                    )
    found["among"] = store.edges_among(everything[:4], types=FEEDS)
    return found


@pytest.mark.neo4j
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=histories())
def test_random_histories_answer_as_the_embedded_store(
    neo4j_settings: StoreSettings,
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[ImportBatch | str],
) -> None:
    path = tmp_path_factory.mktemp("parity") / "lineage.db"
    with Neo4jStore.connect(neo4j_settings) as neo, EmbeddedStore(path) as embedded:
        neo.wipe()
        for step in steps:
            results = [
                store.remove_origin(step) if isinstance(step, str) else store.apply(step)
                for store in (neo, embedded)
            ]
            assert results[0] == results[1]
        assert answers(neo) == answers(embedded)


# -- docker compose -------------------------------------------------------------------------


def test_compose_file_runs_neo4j_and_the_service_as_designed() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "NEO4J_AUTH" in neo4j["environment"]
    assert "healthcheck" in neo4j
    assert any(volume.endswith(":/data") for volume in neo4j["volumes"])
    service = compose["services"]["lineage"]
    assert service["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert service["depends_on"]["neo4j"]["condition"] == "service_healthy"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "lineage serve --host 0.0.0.0" in dockerfile
    assert "pip wheel" in dockerfile and "pip install /dist/*.whl" in dockerfile
    assert "--editable" not in dockerfile and "pip install -e" not in dockerfile


def _compose_command() -> list[str]:
    if shutil.which("docker") is None:
        pytest.skip("no docker CLI")
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if probe.returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    message = "the docker CLI has no compose plugin and there is no docker-compose"
    if os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1":  # make test installs docker-compose
        pytest.fail(message)
    pytest.skip(message)


def test_docker_compose_config_accepts_the_compose_file() -> None:
    command = _compose_command()
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
