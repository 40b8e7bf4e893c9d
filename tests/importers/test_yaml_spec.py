"""The native lineage spec importer: documents in, ``ImportBatch`` out, errors at file:line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from support.graphs import facts

from lineage.errors import InputError, ParseError
from lineage.importers import get_importer
from lineage.importers.yaml_spec import YamlSpecImporter, dump_spec
from lineage.model import (
    Edge,
    EdgeType,
    Freshness,
    ImportBatch,
    Kind,
    Mode,
    Node,
    NodeId,
    Role,
)
from lineage.service import import_files
from lineage.store.base import GraphStore

SOURCE = "spec.yaml"


def parse(text: str) -> ImportBatch:
    return YamlSpecImporter().parse(text, source=SOURCE)


def parse_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(text)
    return caught.value


def without_locations(batch: ImportBatch) -> tuple[tuple[Node, ...], tuple[Edge, ...]]:
    return (
        tuple(replace(n, location=None) for n in batch.nodes),
        tuple(replace(e, location=None) for e in batch.edges),
    )


DESIGN_EXAMPLE = """\
version: 1
nodes:
  - {id: source:DS-001, name: Member Viewing Events, mode: streaming, freshness: "sub-second", aliases: [DS1]}
  - {id: model:recs, name: Recommendation model, freshness: seconds}
edges:
  - {from: source:DS-001, to: model:recs, role: serving, label: "viewing features"}
"""  # noqa: E501


def test_design_example_reads_to_the_expected_batch() -> None:
    ds1, recs = NodeId("source:DS-001"), NodeId("model:recs")
    assert parse(DESIGN_EXAMPLE) == ImportBatch(
        origin="yaml:spec.yaml",
        nodes=(
            Node(
                ds1,
                Kind.SOURCE,
                name="Member Viewing Events",
                mode=Mode.STREAMING,
                freshness=Freshness("sub-second", 1.0),
                aliases=("DS1",),
                location="spec.yaml:3",
            ),
            Node(
                recs,
                Kind.MODEL,
                name="Recommendation model",
                freshness=Freshness("seconds", 60.0),
                location="spec.yaml:4",
            ),
        ),
        edges=(
            Edge(
                ds1,
                recs,
                label="viewing features",
                role=Role.SERVING,
                location="spec.yaml:6",
            ),
        ),
    )


def test_yaml_is_the_registered_format() -> None:
    assert isinstance(get_importer("yaml"), YamlSpecImporter)
    with pytest.raises(InputError, match="unknown import format 'csv'"):
        get_importer("csv")


# -- what a document may say ----------------------------------------------------------------


def test_kind_key_completes_a_bare_id() -> None:
    batch = parse("version: 1\nnodes:\n  - {id: DS-9, kind: source}\n")
    assert [n.id for n in batch.nodes] == ["source:DS-9"]


def test_edges_may_name_nodes_by_alias() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: source:DS-001, aliases: [DS1, Viewing]}
  - {id: model:recs, aliases: MDL}
edges:
  - {from: Viewing, to: MDL}
"""
    )
    assert [(e.source, e.target) for e in batch.edges] == [("source:DS-001", "model:recs")]
    assert batch.nodes[1].aliases == ("MDL",)


def test_extra_keys_become_properties_with_safe_load_values() -> None:
    text = """\
version: 1
nodes:
  - id: dataset:a
    owner: team-a
    replicas: 3
    public: yes
    since: 2024-01-02
    properties: {tier: gold}
"""
    (node,) = parse(text).nodes
    loaded = yaml.safe_load(text)["nodes"][0]
    assert node.properties == {
        "owner": loaded["owner"],
        "replicas": loaded["replicas"],
        "public": loaded["public"],
        "since": loaded["since"].isoformat(),
        "tier": "gold",
    }
    assert node.properties["public"] is True


def test_mode_comes_from_freshness_when_not_given() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: job:a, freshness: nightly}
  - {id: job:b, freshness: "Streaming (Flink)"}
  - {id: job:c, freshness: nightly, mode: streaming}
  - {id: job:d}
"""
    )
    assert [n.mode for n in batch.nodes] == [
        Mode.BATCH,
        Mode.STREAMING,
        Mode.STREAMING,
        Mode.UNKNOWN,
    ]


def test_freshness_as_seconds_or_text_with_seconds() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: job:a, freshness: 300}
  - {id: job:b, freshness: {text: "when the vendor sends it", seconds: 7200}}
  - {id: job:c, freshness: whenever}
"""
    )
    assert [n.freshness for n in batch.nodes] == [
        Freshness("300s", 300.0),
        Freshness("when the vendor sends it", 7200.0),
        Freshness("whenever", None),
    ]


def test_last_updated_accepts_yaml_timestamps_and_iso_text() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: job:a, last_updated: 2024-05-01T10:00:00Z}
  - {id: job:b, last_updated: "2024-05-01T10:00:00+00:00"}
  - {id: job:c, last_updated: 2024-05-01}
"""
    )
    moment = datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert [n.last_updated for n in batch.nodes] == [moment, moment, datetime(2024, 5, 1)]


def test_edge_type_role_and_mode_are_read() -> None:
    batch = parse(
        """\
version: 1
nodes: [{id: topic:t}, {id: schema:s}, {id: job:a}, {id: job:b}]
edges:
  - {from: topic:t, to: schema:s, type: HAS_SCHEMA}
  - {from: job:a, to: job:b, type: triggers, role: Feedback, mode: event-driven}
  - {from: topic:t, to: schema:s, type: has-schema}
"""
    )
    assert [(e.type, e.role, e.mode) for e in batch.edges] == [
        (EdgeType.HAS_SCHEMA, Role.OTHER, Mode.UNKNOWN),
        (EdgeType.TRIGGERS, Role.FEEDBACK, Mode.EVENT_DRIVEN),
    ]


def test_an_edge_listed_twice_is_one_edge() -> None:
    batch = parse(
        """\
version: 1
nodes: [{id: job:a}, {id: job:b}]
edges:
  - {from: job:a, to: job:b, label: first}
  - {from: job:a, to: job:b, label: second}
"""
    )
    assert [e.label for e in batch.edges] == ["first"]


@pytest.mark.parametrize("text", ["version: 1\n", "version: 1\nnodes:\nedges: ~\n"])
def test_empty_sections_make_an_empty_batch(text: str) -> None:
    assert parse(text) == ImportBatch("yaml:spec.yaml")


def test_merge_keys_read_as_safe_load_reads_them() -> None:
    text = """\
version: 1
nodes:
  - &streaming {id: topic:a, mode: streaming, freshness: sub-second, owner: data-eng}
  - {<<: *streaming, id: topic:b, owner: platform}
"""
    nodes = parse(text).nodes
    loaded = yaml.safe_load(text)["nodes"][1]
    assert nodes[1].id == loaded["id"] == "topic:b"
    assert (nodes[1].mode, nodes[1].freshness) == (Mode.STREAMING, Freshness("sub-second", 1.0))
    assert nodes[1].properties == {"owner": loaded["owner"]} == {"owner": "platform"}


def test_nodes_may_share_an_alias_that_no_edge_uses() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: model:recs-v1, aliases: [recs]}
  - {id: model:recs-v2, aliases: [recs]}
"""
    )
    assert [n.aliases for n in batch.nodes] == [("recs",), ("recs",)]


# -- errors name the file and the line ------------------------------------------------------

ERRORS = [
    pytest.param("version: true\n", 1, "unsupported version True", id="version-bool"),
    pytest.param("version: 1.0\n", 1, "unsupported version 1.0", id="version-float"),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a, freshness: -5}\n",
        3,
        "finite, non-negative number of seconds",
        id="negative-freshness",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a, freshness: {text: always, seconds: .inf}}\n",
        3,
        "finite, non-negative number of seconds",
        id="infinite-freshness",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: thing, kind: widget}\n",
        3,
        "unknown kind 'widget'",
        id="unknown-kind",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: widget:x\n",
        3,
        "needs a 'kind'",
        id="unknown-kind-prefix",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: source:x\n    kind: model\n",
        4,
        "says kind source but 'kind' says model",
        id="conflicting-kind",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a}\nedges:\n  - from: job:a\n    to: job:missing\n",
        6,
        "edge endpoint 'job:missing' is not declared",
        id="missing-endpoint",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a}\nedges:\n  - {from: job:a}\n",
        5,
        "an edge needs 'to'",
        id="edge-without-to",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a}\n  - {name: x}\n",
        4,
        "a node needs an 'id'",
        id="node-without-id",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n  - id: job:b\n  - id: job:a\n",
        5,
        "duplicate node id 'job:a' (first declared on line 3)",
        id="duplicate-id",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    name: [x, y]\n",
        4,
        "'name' must be text, got list",
        id="name-not-text",
    ),
    pytest.param(
        "version: 1\nnodes:\n  job:a: {}\n",
        2,
        "'nodes' must be a list",
        id="nodes-not-a-list",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - job:a\n",
        3,
        "a node must be a mapping",
        id="node-not-a-mapping",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    aliases: {x: 1}\n",
        4,
        "'aliases' must be a list",
        id="aliases-not-a-list",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    freshness: [1]\n",
        4,
        "'freshness' must be text",
        id="freshness-wrong-type",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    freshness: {text: x, seconds: soon}\n",
        4,
        "'freshness.seconds' must be a number",
        id="freshness-seconds-not-a-number",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    last_updated: yesterday\n",
        4,
        "'last_updated' must be an ISO timestamp",
        id="bad-timestamp",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    mode: fast\n",
        4,
        "unknown mode 'fast'",
        id="unknown-mode",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    properties: [x]\n",
        4,
        "'properties' must be a mapping",
        id="properties-not-a-mapping",
    ),
    pytest.param(
        "version: 1\nnodes: [{id: job:a}, {id: job:b}]\nedges:\n  - {from: job:a, to: job:b,"
        " role: boss}\n",
        4,
        "unknown role 'boss'",
        id="unknown-role",
    ),
    pytest.param(
        "version: 1\nnodes: [{id: job:a}, {id: job:b}]\nedges:\n  - from: job:a\n    to: job:b\n"
        "    type: USES\n",
        6,
        "unknown type 'USES'",
        id="unknown-edge-type",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - id: job:a\n    id: job:b\n",
        4,
        "key 'id' appears twice",
        id="duplicate-key",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a, 7: x}\n",
        3,
        "keys must be text",
        id="key-not-text",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {id: model:a, aliases: [m]}\n  - {id: model:b, aliases: [m]}\n"
        "edges:\n  - {from: m, to: model:a}\n",
        6,
        "'m' names several nodes: model:a, model:b",
        id="ambiguous-alias-endpoint",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - {<<: 5, id: job:a}\n",
        3,
        "cannot merge these keys",
        id="bad-merge-key",
    ),
    pytest.param(
        "version: 1\nnodes:\n  - &a {id: job:a}\n  - {<<: *a, id: job:b, id: job:c}\n",
        4,
        "key 'id' appears twice",
        id="duplicate-key-beside-merge",
    ),
    pytest.param("version: 2\n", 1, "unsupported version 2", id="unsupported-version"),
    pytest.param("nodes: []\n", 1, "missing 'version: 1'", id="missing-version"),
    pytest.param("version: 1\nnotes: hi\n", 2, "unknown top-level key 'notes'", id="unknown-key"),
    pytest.param("- just\n- a list\n", 1, "the document must be a mapping", id="not-a-mapping"),
    pytest.param("", 1, "the document is empty", id="empty"),
    # an error at the end of the text is on its last line (libyaml points past it)
    pytest.param("version: 1\nnodes: [\n  {id: job:a\n", 3, "not valid YAML", id="bad-yaml"),
    pytest.param(
        "version: 1\nnodes:\n  - {id: job:a, run: !!python/object/apply:os.system [echo hi]}\n",
        3,
        "cannot read this value",
        id="python-tag-refused",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_bad_document_names_file_line_and_problem(text: str, line: int, message: str) -> None:
    error = parse_error(text)
    assert (error.source, error.line) == (SOURCE, line)
    assert message in error.message
    assert str(error).startswith(f"{SOURCE}:{line}: ")


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
        previous = name
    body = "\n".join(f"      {line}" for line in lines)
    return f"version: 1\nnodes:\n  - id: dataset:x\n    lol:\n{body}\n"


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        pytest.param(billion_laughs(), 1, "alias expansion", id="billion-laughs"),
        pytest.param(
            "version: 1\nnodes: &loop [*loop]\n", 2, "recursive aliases", id="self-referencing"
        ),
    ],
)
def test_alias_bomb_is_refused_without_expanding_it(
    text: str, line: int, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused from the composed tree alone: no value of the document is ever constructed."""
    from lineage.importers.safe_yaml import Loader

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a value was constructed before the aliases were measured")

    monkeypatch.setattr(Loader, "construct_object", never)
    error = parse_error(text)
    assert "aliases" in error.message and "refusing" in error.message and says in error.message
    assert error.line == line


def test_a_large_spec_without_aliases_is_not_an_alias_bomb() -> None:
    """Larger than the alias budget (200,000 values) on its own, and no alias in it."""
    count = 25_000  # 25k edges of 4 values each, plus their keys: over 200k values
    nodes = "".join(f"  - {{id: dataset:n{i}}}\n" for i in range(count + 1))
    edges = "".join(f"  - {{from: dataset:n{i}, to: dataset:n{i + 1}}}\n" for i in range(count))
    batch = parse(f"version: 1\nnodes:\n{nodes}edges:\n{edges}")
    assert (len(batch.nodes), len(batch.edges)) == (count + 1, count)


def test_aliases_count_only_what_they_add() -> None:
    """A document may be large and use aliases, as long as the aliases add little."""
    padding = "".join(f"  - {{id: dataset:p{i}, tags: *tags}}\n" for i in range(30_000))
    batch = parse(f"version: 1\nnodes:\n  - {{id: dataset:a, tags: &tags [pii]}}\n{padding}")
    assert len(batch.nodes) == 30_001
    assert batch.nodes[-1].properties["tags"] == ["pii"]


def test_libyaml_reads_the_spec_when_pyyaml_has_it() -> None:
    import yaml

    from lineage.importers.safe_yaml import Loader

    assert yaml.__with_libyaml__, "the test environment's PyYAML is built with libyaml"
    assert issubclass(Loader, yaml.CSafeLoader)


def test_modest_alias_use_is_read() -> None:
    batch = parse(
        """\
version: 1
nodes:
  - {id: dataset:a, tags: &tags [pii, gold]}
  - {id: dataset:b, tags: *tags}
"""
    )
    assert [n.properties["tags"] for n in batch.nodes] == [["pii", "gold"], ["pii", "gold"]]


# -- files ----------------------------------------------------------------------------------


def test_extract_reads_spec_files_in_folders_in_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.yaml").write_text("version: 1\nnodes: [{id: job:b}]\n")
    (tmp_path / "sub" / "a.yml").write_text("version: 1\nnodes: [{id: job:a}]\n")
    (tmp_path / "notes.txt").write_text("not a spec")
    batches = list(YamlSpecImporter().extract([tmp_path]))
    assert [b.nodes[0].id for b in batches] == ["job:b", "job:a"]
    assert [b.origin for b in batches] == [
        f"yaml:{(tmp_path / 'b.yaml').as_posix()}",
        f"yaml:{(tmp_path / 'sub' / 'a.yml').as_posix()}",
    ]


def test_extract_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(YamlSpecImporter().extract([tmp_path / "missing.yaml"]))


def test_a_file_that_is_not_utf8_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nnodes: [{id: job:caf\xe9}]\n".encode("latin-1"))
    with pytest.raises(ParseError, match="not UTF-8") as caught:
        list(YamlSpecImporter().extract([path]))
    assert caught.value.source.endswith("latin1.yaml")


def test_locations_name_the_file_as_given(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(DESIGN_EXAMPLE)
    (batch,) = YamlSpecImporter().extract([path])
    assert [n.location for n in batch.nodes] == [f"{path.as_posix()}:3", f"{path.as_posix()}:4"]


# -- a bad file leaves the store as it was --------------------------------------------------


def test_bad_file_in_an_import_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    good = tmp_path / "a.yaml"
    good.write_text(DESIGN_EXAMPLE)
    import_files(store, "yaml", [good])
    before = store.snapshot()
    good.write_text("version: 1\nnodes: [{id: job:replacement}]\n")
    bad = tmp_path / "b.yaml"
    bad.write_text("version: 1\nnodes:\n  - {id: thing, kind: widget}\n")
    with pytest.raises(ParseError, match=r"b\.yaml:3: unknown kind"):
        import_files(store, "yaml", [good, bad])
    assert store.snapshot() == before


# -- writing a spec back ---------------------------------------------------------------------

ROUND_TRIP = """\
version: 1
nodes:
  - {id: source:DS-001, name: "Member: Viewing [Events]", mode: streaming, freshness: "Real-time (sub-second)", aliases: [DS1, "123"], owner: playback}
  - {id: topic:views.raw, freshness: {text: "vendor SLA", seconds: 90}, properties: {id: inner, properties: {deep: 1}}}
  - {id: dataset:s3://events/raw, name: "yes", last_updated: 2024-05-01T10:00:00Z, since: 2024-01-02}
  - {id: model:recs, name: Recommendations, freshness: whenever, mode: hybrid}
  - {id: schema:views, name: "Ünïcödé schema"}
edges:
  - {from: DS1, to: topic:views.raw, mode: streaming, freshness: "5s intervals", label: "null"}
  - {from: topic:views.raw, to: dataset:s3://events/raw, role: archive, retention: 30d}
  - {from: dataset:s3://events/raw, to: model:recs, role: training, type: TRIGGERS}
  - {from: topic:views.raw, to: schema:views, type: HAS_SCHEMA}
  - {from: model:recs, to: DS1, role: feedback, properties: {from: x}}
"""  # noqa: E501


def test_dump_spec_reads_back_to_the_same_batch() -> None:
    batch = parse(ROUND_TRIP)
    again = parse(dump_spec(batch.nodes, batch.edges))
    assert without_locations(again) == without_locations(batch)


def test_dump_spec_of_nodes_sharing_an_alias_reads_back() -> None:
    """Two origins may give two nodes the same alias; the merged graph must still export."""
    nodes = (
        Node(NodeId("model:recs-v1"), Kind.MODEL, aliases=("recs",)),
        Node(NodeId("model:recs-v2"), Kind.MODEL, aliases=("recs",)),
        Node(NodeId("dataset:t"), Kind.DATASET, aliases=("model:recs-v1",)),
    )
    edges = (Edge(nodes[2].id, nodes[0].id),)
    again = parse(dump_spec(nodes, edges))
    assert without_locations(again) == (nodes, edges)


def test_exported_store_reimports_to_the_same_graph(store: GraphStore, tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text(ROUND_TRIP)
    import_files(store, "yaml", [first])
    before = facts(store)
    exported = tmp_path / "exported.yaml"
    snapshot = store.snapshot()
    exported.write_text(dump_spec(snapshot.nodes, snapshot.edges))
    store.remove_origin(f"yaml:{first.as_posix()}")
    assert store.snapshot().nodes == ()
    import_files(store, "yaml", [exported])
    assert facts(store) == before


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param("9" * 5000, "an integer of 5000 characters is too large", id="long-int"),
        pytest.param("1" + "0" * 400 + ".5", "too large to read", id="float-overflow"),
        pytest.param("2026-02-30", "'2026-02-30' is not a date or time", id="impossible-date"),
    ],
)
def test_a_scalar_python_cannot_hold_is_refused_at_its_line(value: str, says: str) -> None:
    error = parse_error(f"version: 1\nnodes:\n  - id: dataset:a\n    p: {value}\n")
    assert says in error.message and error.line == 4
    assert "<unicode string>" not in error.message


def test_a_quoted_long_number_and_an_explicit_infinity_are_read() -> None:
    batch = parse(f'version: 1\nnodes:\n  - {{id: dataset:a, n: "{"9" * 5000}", m: .inf}}\n')
    assert batch.nodes[0].properties["n"] == "9" * 5000


@pytest.mark.parametrize("character", ["\x01", "\x7f", "\ufffe"])
def test_a_control_character_anywhere_is_refused_with_its_line(character: str) -> None:
    error = parse_error(f"version: 1\nnodes:\n  - id: dataset:a  # note {character}\n")
    assert "not valid YAML" in error.message and f"U+{ord(character):04X}" in error.message
    assert error.line == 3
