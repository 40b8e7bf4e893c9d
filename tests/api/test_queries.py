"""The GraphQL queries and the mutation, through the real ASGI app, on both stores.

Each answer is checked against what ``lineage.analysis`` says directly, so the resolvers stay a
thin mapping over it.
"""

from __future__ import annotations

import json
from contextlib import closing
from typing import Any

import pytest
from support import EXAMPLES
from support.api import codes, load_examples, serve

from lineage.analysis.schema_impact import schema_change_impact
from lineage.analysis.traverse import lineage as lineage_of
from lineage.api import ServiceSettings
from lineage.api.types.connection import encode_cursor
from lineage.avro.modes import Mode as CompatibilityMode
from lineage.config import StoreSettings
from lineage.model import Direction, ImportBatch, Kind, Node, NodeId
from lineage.service import import_files
from lineage.store import open_store
from lineage.store.base import GraphStore
from lineage.wording import reason

pytestmark = pytest.mark.anyio


@pytest.fixture
def examples(store_settings: StoreSettings) -> StoreSettings:
    load_examples(store_settings)
    return store_settings


async def test_node_by_id_alias_uri_and_name(examples: StoreSettings) -> None:
    query = "query($id: ID!) { node(id: $id) { __typename id kind name aliases uri } }"
    async with serve(ServiceSettings(store=examples)) as api:
        for ref in (
            "model:recommendation",
            "MDL-REC",
            "model://recommendation",
            "recommendation models",
        ):
            node = (await api.data(query, {"id": ref}))["node"]
            assert node == {
                "__typename": "Model",
                "id": "model:recommendation",
                "kind": "MODEL",
                "name": "Recommendation models",
                "aliases": ["MDL-REC"],
                "uri": "model://recommendation",
            }


async def test_not_found_and_ambiguous_carry_codes(examples: StoreSettings) -> None:
    with _store(examples) as store:
        twins = (
            Node(NodeId("job:twin-a"), Kind.JOB, "Twin"),
            Node(NodeId("job:twin-b"), Kind.JOB, "Twin"),
        )
        store.apply(ImportBatch("test:twins", twins))
    query = "query($id: ID!) { node(id: $id) { id } }"
    async with serve(ServiceSettings(store=examples)) as api:
        missing = await api.graphql(query, {"id": "no-such-node"})
        ambiguous = await api.graphql(query, {"id": "twin"})
    assert missing["data"] == {"node": None}
    assert missing["errors"][0]["extensions"] == {"code": "NOT_FOUND", "ref": "no-such-node"}
    assert ambiguous["errors"][0]["extensions"] == {
        "code": "AMBIGUOUS",
        "ref": "twin",
        "candidates": ["job:twin-a", "job:twin-b"],
    }


async def test_nodes_pages_through_everything_once(examples: StoreSettings) -> None:
    query = """query($after: String) {
      nodes(first: 7, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
      }
    }"""
    with _store(examples) as store:
        expected = [node.id for node in store.list_nodes()]
    seen: list[str] = []
    after = None
    async with serve(ServiceSettings(store=examples)) as api:
        while True:
            page = (await api.data(query, {"after": after}))["nodes"]
            assert page["totalCount"] == len(expected)
            seen += [edge["node"]["id"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_nodes_cursor_of_a_node_since_removed(examples: StoreSettings) -> None:
    """A cursor means "ids after this one", whether or not that node still exists."""
    query = "query($after: String) { nodes(kind: MODEL, first: 2, after: $after) { nodes { id } } }"
    async with serve(ServiceSettings(store=examples)) as api:
        page = await api.data(query, {"after": encode_cursor("model:p")})
        last = await api.data(query, {"after": encode_cursor("model:zzz")})
    assert page["nodes"]["nodes"] == [
        {"id": "model:personalization"},
        {"id": "model:recommendation"},
    ]
    assert last["nodes"]["nodes"] == []


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            "kind: MODEL",
            {
                "model:content-quality",
                "model:personalization",
                "model:recommendation",
                "model:search-ranking",
            },
        ),
        ("mode: EVENT_DRIVEN", {"source:explicit-feedback"}),
        ('search: "amberonl"', {"feature:online-store"}),
        ('kind: TOPIC, search: "clicks"', {"topic:clicks.raw"}),
    ],
)
async def test_nodes_filters(examples: StoreSettings, arguments: str, expected: set[str]) -> None:
    async with serve(ServiceSettings(store=examples)) as api:
        data = await api.data(f"{{ nodes({arguments}) {{ totalCount nodes {{ id }} }} }}")
    assert {n["id"] for n in data["nodes"]["nodes"]} == expected
    assert data["nodes"]["totalCount"] == len(expected)


async def test_nodes_bad_cursor_and_page_bounds(examples: StoreSettings) -> None:
    settings = ServiceSettings(store=examples, max_nodes=5)
    async with serve(settings) as api:
        bad = await api.graphql('{ nodes(after: "not-a-cursor") { totalCount } }')
        negative = await api.graphql("{ nodes(first: -1) { totalCount } }")
        clamped = await api.data("{ nodes(first: 1000) { totalCount nodes { id } } }")
        count_only = await api.data("{ nodes(first: 0) { totalCount nodes { id } } }")
    assert codes(bad) == ["BAD_INPUT"] and codes(negative) == ["BAD_INPUT"]
    assert len(clamped["nodes"]["nodes"]) == 5
    assert count_only["nodes"] == {"totalCount": 31, "nodes": []}


LINEAGE = """query($id: ID!, $direction: Direction!, $maxHops: Int!, $kinds: [Kind!], $limit: Int) {
  lineage(id: $id, direction: $direction, maxHops: $maxHops, kinds: $kinds, limit: $limit) {
    root { id } nodes { node { id } distance path { nodes { id } edges { sourceId targetId } } }
    edges { sourceId targetId } truncated reason totalCount
    truncations { bound limit direction nodeId }
  }
}"""


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("kinds", [None, [Kind.MODEL, Kind.JOB]])
async def test_lineage_is_the_analysis_answer(
    examples: StoreSettings, direction: Direction, kinds: list[Kind] | None
) -> None:
    variables = {
        "id": "AmberOnline",
        "direction": direction.name,
        "maxHops": 4,
        "kinds": [k.name for k in kinds] if kinds else None,
    }
    async with serve(ServiceSettings(store=examples)) as api:
        answer = (await api.data(LINEAGE, variables))["lineage"]
    with _store(examples) as store:
        expected = lineage_of(store, "AmberOnline", direction=direction, max_hops=4, kinds=kinds)
    assert answer["root"]["id"] == expected.root.id
    assert [(r["node"]["id"], r["distance"]) for r in answer["nodes"]] == [
        (r.node.id, r.distance) for r in expected.nodes
    ]
    assert [[n["id"] for n in r["path"]["nodes"]] for r in answer["nodes"]] == [
        list(r.path) for r in expected.nodes
    ]
    assert len(answer["edges"]) == len(expected.edges)
    assert (answer["truncated"], answer["reason"], answer["totalCount"]) == (
        expected.truncated,
        reason(expected.truncations),
        expected.total_count,
    )
    assert answer["truncations"] == [
        {
            "bound": t.bound.name,
            "limit": t.limit,
            "direction": t.direction.name if t.direction else None,
            "nodeId": t.node,
        }
        for t in expected.truncations
    ]


PATHS_ONLY = """query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, maxHops: 4) {
  nodes { node { id } path { nodeIds length } } } }"""
EDGES_IN_A_FRAGMENT = """query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, maxHops: 4) {
  nodes { ...Reached } } }
fragment Reached on ReachedNode { node { id } path { length edges { sourceId targetId } } }"""


async def test_a_lineage_query_gets_witness_edges_only_where_it_selects_them(
    examples: StoreSettings,
) -> None:
    """The resolver asks for witness edges only when ``edges`` is selected (through a fragment
    too): both answers hold the same paths, and the one that selects edges has them all."""
    async with serve(ServiceSettings(store=examples)) as api:
        paths = (await api.data(PATHS_ONLY, {"id": "AmberOnline"}))["lineage"]["nodes"]
        edges = (await api.data(EDGES_IN_A_FRAGMENT, {"id": "AmberOnline"}))["lineage"]["nodes"]
    assert paths and [r["path"]["length"] for r in paths] == [r["path"]["length"] for r in edges]
    assert all(r["path"]["length"] == len(r["path"]["nodeIds"]) - 1 for r in paths)
    for reached in edges:
        steps = [(e["sourceId"], e["targetId"]) for e in reached["path"]["edges"]]
        assert len(steps) == reached["path"]["length"] and steps[-1][1] == reached["node"]["id"]


async def test_max_hops_is_clamped_and_limit_bounded(examples: StoreSettings) -> None:
    settings = ServiceSettings(store=examples, max_hops_clamp=2, max_nodes=2)
    variables: dict[str, Any] = {"id": "DS1", "direction": "DOWNSTREAM", "maxHops": 1000}
    async with serve(settings) as api:
        clamped = (await api.data(LINEAGE, variables))["lineage"]
        limited = (await api.data(LINEAGE, {**variables, "limit": 1}))["lineage"]
        bounded = (await api.data(LINEAGE, {**variables, "maxHops": 3, "limit": 99}))["lineage"]
        zero = await api.graphql(LINEAGE, {**variables, "maxHops": 0})
    assert max(r["distance"] for r in clamped["nodes"]) == 2
    assert clamped["truncated"] and "2 hops" in clamped["reason"]
    assert len(limited["nodes"]) == 1 and "max_nodes" in limited["reason"]
    assert len(bounded["nodes"]) == 2
    assert codes(zero) == ["BAD_INPUT"]


async def test_impact_groups_and_paths(examples: StoreSettings) -> None:
    query = """{ impact(id: "feature:offline-store") {
      root { id } byKind { kind count nodes { id } }
      models {
        model { id } distance path { nodeIds length } steps { node { id } via { targetId } }
      }
      truncated totalCount
    } }"""
    async with serve(ServiceSettings(store=examples)) as api:
        report = (await api.data(query))["impact"]
    groups = {group["kind"]: {n["id"] for n in group["nodes"]} for group in report["byKind"]}
    assert groups["MODEL"] >= {
        "model:content-quality",
        "model:recommendation",
        "model:search-ranking",
    }
    assert [g["kind"] for g in report["byKind"]] == [k.name for k in Kind if k.name in groups]
    quality = next(m for m in report["models"] if m["model"]["id"] == "model:content-quality")
    assert quality["path"] == {
        "nodeIds": ["feature:offline-store", "model:content-quality"],
        "length": 1,
    }
    assert quality["steps"][0]["via"] is None
    assert quality["steps"][1]["via"] == {"targetId": "model:content-quality"}


async def test_paths_and_loops(examples: StoreSettings) -> None:
    query = """{
      paths(from: "DS1", to: "MDL-REC", k: 2) { paths { length nodes { id } } truncated reason }
      loops: feedbackLoops(scope: "MDL-QUAL") { kind }
      all: feedbackLoops { kind models { id } cycles { length nodes { id } } truncated }
    }"""
    async with serve(ServiceSettings(store=examples)) as api:
        data = await api.data(query)
    lengths = [p["length"] for p in data["paths"]["paths"]]
    assert lengths == sorted(lengths) and len(lengths) == 2 and data["paths"]["truncated"]
    assert data["paths"]["paths"][0]["nodes"][0]["id"] == "source:DS-001"
    assert data["loops"] == []  # content quality is fed, but feeds nothing back
    (loop,) = data["all"]
    assert loop["kind"] == "ML_FEEDBACK"
    assert {m["id"] for m in loop["models"]} == {
        "model:personalization",
        "model:recommendation",
        "model:search-ranking",
    }
    assert all(c["length"] == len(c["nodes"]) for c in loop["cycles"])


IMPORT = """mutation($format: ImportFormat!, $content: String!, $origin: String!) {
  importDocument(format: $format, content: $content, origin: $origin) {
    origins nodes edges nodesRemoved edgesRemoved warnings { location message }
  }
}"""
DOC = """version: 1
nodes:
  - {id: source:a}
  - {id: model:b}
edges:
  - {from: source:a, to: model:b}
"""


async def test_import_document_then_reimport_replaces(store_settings: StoreSettings) -> None:
    variables = {"format": "YAML", "content": DOC, "origin": "docs/demo.yaml"}
    async with serve(ServiceSettings(store=store_settings)) as api:
        first = (await api.data(IMPORT, variables))["importDocument"]
        smaller = {**variables, "content": "version: 1\nnodes:\n  - {id: source:a}\n"}
        second = (await api.data(IMPORT, smaller))["importDocument"]
        after = await api.data("{ nodes { nodes { id } } }")
    assert first == {
        "origins": ["yaml:docs/demo.yaml"],
        "nodes": 2,
        "edges": 1,
        "nodesRemoved": 0,
        "edgesRemoved": 0,
        "warnings": [],
    }
    assert (second["nodesRemoved"], second["edgesRemoved"]) == (1, 1)
    assert after["nodes"]["nodes"] == [{"id": "source:a"}]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"format": "METAFLOW", "content": "x"}, "metaflow"),
        ({"format": "YAML", "content": "version: 1\nnodes: [ {id: 3"}, "docs/bad.yaml:2"),
        ({"format": "YAML", "content": DOC, "origin": "  "}, "origin"),
    ],
)
async def test_import_errors_are_bad_input(
    store_settings: StoreSettings, variables: dict[str, str], message: str
) -> None:
    async with serve(ServiceSettings(store=store_settings)) as api:
        answer = await api.graphql(IMPORT, {"origin": "docs/bad.yaml", **variables})
        count = await api.data("{ nodes { totalCount } }")
    assert codes(answer) == ["BAD_INPUT"]
    assert message in answer["errors"][0]["message"]
    assert count["nodes"]["totalCount"] == 0


def _store(settings: StoreSettings) -> closing[GraphStore]:
    """The test's own connection to the same store."""
    return closing(open_store(settings))


async def test_schema_change_impact_answers_what_the_analysis_says(
    store_settings: StoreSettings,
) -> None:
    with closing(open_store(store_settings)) as store:
        import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
        import_files(store, "avro", [EXAMPLES / "avro"])
        latest = json.loads((EXAMPLES / "avro" / "views.raw-value" / "v3.avsc").read_text())
        breaking = {**latest, "fields": [*latest["fields"], {"name": "customer", "type": "string"}]}
        expected = schema_change_impact(
            store, "views.raw-value", breaking, mode=CompatibilityMode.BACKWARD
        )
    query = """query ($s: String!) { schemaChangeImpact(subject: "views.raw-value", schema: $s,
        mode: BACKWARD) { subject compatible verdict rollout problems { field message }
        consumers { node { id } distance hit } } }"""
    async with serve(ServiceSettings(store=store_settings)) as api:
        data = (await api.data(query, {"s": json.dumps(breaking)}))["schemaChangeImpact"]
        bad = await api.graphql(query, {"s": "{not json"})
    assert (data["subject"], data["compatible"], data["verdict"]) == (
        "views.raw-value",
        False,
        "FAIL",
    )
    assert [p["field"] for p in data["problems"]] == ["customer"]
    assert [c["node"]["id"] for c in data["consumers"]] == [c.node.id for c in expected.consumers]
    assert codes(bad) == ["BAD_INPUT"]


async def test_staleness_answers_a_node_status_and_cause(store_settings: StoreSettings) -> None:
    spec = (
        "version: 1\nnodes:\n"
        "  - {id: dataset:raw, freshness: hourly, last_updated: '2026-12-02T08:00:00Z'}\n"
        "  - {id: model:m, freshness: daily, last_updated: '2026-12-02T11:00:00Z'}\n"
        "edges: [{from: dataset:raw, to: model:m}]\n"
    )
    query = """{ staleness(id: "model:m", at: "2026-12-02T12:00:00Z") { node { id } own
        effective ageSeconds boundSeconds cause causePath } }"""
    async with serve(ServiceSettings(store=store_settings)) as api:
        await api.data(IMPORT, {"format": "YAML", "content": spec, "origin": "docs/s.yaml"})
        data = (await api.data(query))["staleness"]
        missing = await api.graphql('{ staleness(id: "model:none") { own } }')
    assert data == {
        "node": {"id": "model:m"},
        "own": "FRESH",
        "effective": "STALE",
        "ageSeconds": 3600.0,
        "boundSeconds": 86400.0,
        "cause": "dataset:raw",
        "causePath": ["dataset:raw", "model:m"],
    }
    assert codes(missing) == ["NOT_FOUND"]
