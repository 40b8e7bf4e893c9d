"""The ``lineage`` command, run as a user would: exit codes, JSON documents, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from support.cli import Cli, CliResult
from support.graphs import facts

from lineage.cli import cli as lineage_cli
from lineage.store import open_store
from lineage.store.base import GraphStore

SPEC = """\
version: 1
nodes:
  - {id: source:clicks, name: Click events, mode: streaming, freshness: sub-second, aliases: [CLK]}
  - {id: topic:clicks.raw, name: clicks.raw, mode: streaming, freshness: sub-second}
  - {id: job:enrich, name: Enrich clicks, mode: streaming, freshness: seconds}
  - {id: dataset:archive, name: Click archive, mode: batch, freshness: daily}
  - {id: model:ctr, name: CTR model, freshness: hourly, aliases: [CTR]}
  - {id: dataset:twin-a, name: Twin}
  - {id: dataset:twin-b, name: Twin}
edges:
  - {from: CLK, to: topic:clicks.raw, mode: streaming}
  - {from: topic:clicks.raw, to: job:enrich}
  - {from: job:enrich, to: CTR, role: serving, label: features}
  - {from: job:enrich, to: dataset:archive, role: archive}
  - {from: CTR, to: CLK, role: feedback, label: ranked results shown}
"""
"""A click-through model in the loop: clicks -> topic -> enrich -> model -> clicks."""

NODE_IDS = {
    "source:clicks",
    "topic:clicks.raw",
    "job:enrich",
    "dataset:archive",
    "model:ctr",
    "dataset:twin-a",
    "dataset:twin-b",
}


def ok(result: CliResult) -> CliResult:
    assert result.exit_code == 0, result.stderr
    return result


def as_json(result: CliResult) -> dict[str, Any]:
    ok(result)
    document = json.loads(result.stdout)  # one JSON document and nothing else
    assert isinstance(document, dict)
    return document


def failed(result: CliResult, exit_code: int) -> str:
    """The one-line error message of a command that failed as expected."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "clicks.yaml"
    path.write_text(SPEC)
    return path


@pytest.fixture
def loaded(cli: Cli, spec: Path) -> Cli:
    ok(cli("import", "yaml", spec))
    return cli


def node_ids(cli: Cli, *options: str) -> set[str]:
    return {n["id"] for n in as_json(cli("nodes", "--json", *options))["nodes"]}


@contextmanager
def opened(cli: Cli) -> Iterator[GraphStore]:
    """The store the command runs against, opened directly."""
    store = open_store(cli.settings)
    try:
        yield store
    finally:
        store.close()


def edge_pairs(cli: Cli) -> set[tuple[str, str]]:
    with opened(cli) as store:
        return {(e.source, e.target) for e in store.snapshot().edges}


# -- import ---------------------------------------------------------------------------------


def test_import_reports_what_it_read(cli: Cli, spec: Path) -> None:
    result = ok(cli("import", "yaml", spec))
    assert f"yaml:{spec.as_posix()}: 7 nodes, 5 edges" in result.stdout


def test_import_json_reports_each_origin(cli: Cli, spec: Path) -> None:
    document = as_json(cli("import", "yaml", spec, "--json"))
    assert document == {
        "imported": [
            {
                "origin": f"yaml:{spec.as_posix()}",
                "nodes": 7,
                "edges": 5,
                "nodes_removed": 0,
                "edges_removed": 0,
            }
        ],
        "warnings": [],
    }


def test_reimporting_the_same_file_changes_nothing(loaded: Cli, spec: Path) -> None:
    before = as_json(loaded("nodes", "--json")), edge_pairs(loaded)
    document = as_json(loaded("import", "yaml", spec, "--json"))
    assert (document["imported"][0]["nodes_removed"], document["imported"][0]["edges_removed"]) == (
        0,
        0,
    )
    assert (as_json(loaded("nodes", "--json")), edge_pairs(loaded)) == before


def test_an_edge_removed_from_the_file_is_removed_on_reimport(loaded: Cli, spec: Path) -> None:
    spec.write_text(
        SPEC.replace("  - {from: job:enrich, to: dataset:archive, role: archive}\n", "")
    )
    ok(loaded("import", "yaml", spec))
    assert ("job:enrich", "dataset:archive") not in edge_pairs(loaded)
    assert ("job:enrich", "model:ctr") in edge_pairs(loaded)


def test_the_same_file_imported_from_another_folder_is_the_same_origin(
    loaded: Cli, spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec.write_text(
        SPEC.replace("  - {from: job:enrich, to: dataset:archive, role: archive}\n", "")
    )
    monkeypatch.chdir(spec.parent)
    ok(loaded("import", "yaml", spec.name))  # a relative path this time
    assert ("job:enrich", "dataset:archive") not in edge_pairs(loaded)
    with opened(loaded) as store:
        assert [record.name for record in store.origins()] == [f"yaml:{spec.as_posix()}"]


def test_an_empty_folder_is_an_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = cli("import", "yaml", tmp_path / "empty")
    assert result.exit_code == 2
    assert "no .yaml/.yml files" in result.stderr


def test_an_edge_two_files_assert_survives_removal_from_one(
    loaded: Cli, spec: Path, tmp_path: Path
) -> None:
    other = tmp_path / "archive.yaml"
    other.write_text(
        "version: 1\nnodes: [{id: job:enrich}, {id: dataset:archive}]\n"
        "edges: [{from: job:enrich, to: dataset:archive}]\n"
    )
    ok(loaded("import", "yaml", other))
    spec.write_text(
        SPEC.replace("  - {from: job:enrich, to: dataset:archive, role: archive}\n", "")
    )
    ok(loaded("import", "yaml", spec))
    assert ("job:enrich", "dataset:archive") in edge_pairs(loaded)
    other.write_text("version: 1\n")
    ok(loaded("import", "yaml", other))
    assert ("job:enrich", "dataset:archive") not in edge_pairs(loaded)


BAD_FILES = [
    pytest.param("version: 1\nnodes:\n  - {id: x, kind: widget}\n", 3, id="unknown-kind"),
    pytest.param(
        "version: 1\nnodes: [{id: job:a}]\nedges:\n  - {from: job:a, to: job:nope}\n",
        4,
        id="missing-endpoint",
    ),
    pytest.param("version: 1\nnodes:\n  - {id: job:a}\n  - {id: job:a}\n", 4, id="duplicate-id"),
    pytest.param("version: 1\nnodes:\n  - {id: job:a, name: [1, 2]}\n", 3, id="wrong-type"),
]


@pytest.mark.parametrize(("text", "line"), BAD_FILES)
def test_bad_file_exits_2_naming_file_and_line_and_changes_nothing(
    loaded: Cli, tmp_path: Path, text: str, line: int
) -> None:
    before = as_json(loaded("nodes", "--json")), edge_pairs(loaded)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    message = failed(loaded("import", "yaml", bad), 2)
    assert f"{bad.as_posix()}:{line}:" in message
    assert (as_json(loaded("nodes", "--json")), edge_pairs(loaded)) == before


def test_one_bad_file_stops_the_whole_import(cli: Cli, spec: Path, tmp_path: Path) -> None:
    bad = tmp_path / "z-bad.yaml"
    bad.write_text("version: 1\nnodes:\n  - {id: x, kind: widget}\n")
    failed(cli("import", "yaml", spec, bad), 2)
    assert node_ids(cli) == set()


def test_import_of_a_missing_file_exits_2(cli: Cli, tmp_path: Path) -> None:
    assert "no such file" in failed(cli("import", "yaml", tmp_path / "nope.yaml"), 2)


# -- nodes and show -------------------------------------------------------------------------


def test_nodes_json_lists_every_node(loaded: Cli) -> None:
    nodes = {n["id"]: n for n in as_json(loaded("nodes", "--json"))["nodes"]}
    assert set(nodes) == NODE_IDS
    assert {"id", "kind", "name", "mode", "freshness_seconds", "aliases"} <= set(nodes["model:ctr"])
    assert (nodes["model:ctr"]["kind"], nodes["model:ctr"]["name"]) == ("model", "CTR model")
    assert (nodes["model:ctr"]["freshness_seconds"], nodes["model:ctr"]["aliases"]) == (
        3600.0,
        ["CTR"],
    )
    assert (nodes["source:clicks"]["mode"], nodes["source:clicks"]["freshness_seconds"]) == (
        "streaming",
        1.0,
    )


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["model"], {"model:ctr"}),
        (["dataset"], {"dataset:archive", "dataset:twin-a", "dataset:twin-b"}),
        (["source", "topic"], {"source:clicks", "topic:clicks.raw"}),
        (["schema"], set()),
    ],
)
def test_nodes_kind_filter(loaded: Cli, kinds: list[str], expected: set[str]) -> None:
    options = [arg for kind in kinds for arg in ("--kind", kind)]
    assert node_ids(loaded, *options) == expected


def test_nodes_table_names_the_nodes(loaded: Cli) -> None:
    table = ok(loaded("nodes", "--kind", "model")).stdout
    assert "model:ctr" in table and "CTR model" in table and "1h" in table


@pytest.mark.parametrize("ref", ["model:ctr", "CTR", "ctr", "CTR model", "model://ctr"])
def test_show_finds_a_node_by_id_alias_or_unique_name(loaded: Cli, ref: str) -> None:
    document = as_json(loaded("show", ref, "--json"))
    assert document["node"]["id"] == "model:ctr"
    assert [(e["from"], e["to"]) for e in document["inputs"]] == [("job:enrich", "model:ctr")]
    assert [(e["from"], e["to"], e["role"]) for e in document["outputs"]] == [
        ("model:ctr", "source:clicks", "feedback")
    ]


def test_show_prints_facts_and_provenance(loaded: Cli, spec: Path) -> None:
    text = ok(loaded("show", "CTR")).stdout
    assert "model:ctr" in text and "CTR model" in text and f"{spec.as_posix()}:7" in text


def test_ambiguous_name_exits_2_listing_candidates(loaded: Cli) -> None:
    message = failed(loaded("show", "Twin"), 2)
    assert "dataset:twin-a" in message and "dataset:twin-b" in message


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nothing"],
        ["upstream", "nothing"],
        ["downstream", "Twin"],
        ["loops", "--scope", "nothing"],
    ],
)
def test_a_node_that_cannot_be_named_exits_2(loaded: Cli, args: list[str]) -> None:
    assert failed(loaded(*args), 2).startswith("error: ")


# -- upstream and downstream ----------------------------------------------------------------


def test_downstream_json(loaded: Cli) -> None:
    document = as_json(loaded("downstream", "CLK", "--json"))
    assert {"root", "direction", "nodes", "truncated", "reason"} <= set(document)
    assert (document["root"], document["direction"]) == ("source:clicks", "downstream")
    assert (document["truncated"], document["reason"]) == (False, None)
    reached = {n["id"]: n for n in document["nodes"]}
    assert set(reached) == {"topic:clicks.raw", "job:enrich", "dataset:archive", "model:ctr"}
    assert "source:clicks" not in reached  # the root, though the loop comes back to it
    model = reached["model:ctr"]
    assert {key: model[key] for key in ("id", "kind", "name", "distance", "path")} == {
        "id": "model:ctr",
        "kind": "model",
        "name": "CTR model",
        "distance": 3,
        "path": ["source:clicks", "topic:clicks.raw", "job:enrich", "model:ctr"],
    }


def test_upstream_json_paths_start_at_the_root(loaded: Cli) -> None:
    document = as_json(loaded("upstream", "dataset:archive", "--json"))
    paths = {n["id"]: (n["distance"], n["path"]) for n in document["nodes"]}
    trail = ["dataset:archive", "job:enrich", "topic:clicks.raw", "source:clicks", "model:ctr"]
    assert paths == {
        node_id: (hops, trail[: hops + 1]) for hops, node_id in enumerate(trail) if hops
    }


def test_depth_cuts_the_walk_and_says_so(loaded: Cli) -> None:
    document = as_json(loaded("downstream", "source:clicks", "--depth", "2", "--json"))
    assert {n["id"] for n in document["nodes"]} == {"topic:clicks.raw", "job:enrich"}
    assert document["truncated"] is True
    assert "max_hops" in document["reason"]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [(["model"], {"model:ctr"}), (["model", "dataset"], {"model:ctr", "dataset:archive"})],
)
def test_kind_filter_on_lineage(loaded: Cli, kinds: list[str], expected: set[str]) -> None:
    options = [arg for kind in kinds for arg in ("--kind", kind)]
    document = as_json(loaded("downstream", "source:clicks", *options, "--json"))
    assert {n["id"] for n in document["nodes"]} == expected
    assert all(n["path"][0] == "source:clicks" for n in document["nodes"])


def test_lineage_table_shows_hops_and_truncation(loaded: Cli) -> None:
    text = ok(loaded("downstream", "CLK", "--depth", "1")).stdout
    assert "topic:clicks.raw" in text and "truncated" in text


# -- loops ----------------------------------------------------------------------------------


def test_loops_json(loaded: Cli) -> None:
    (loop,) = as_json(loaded("loops", "--json"))["loops"]
    assert {"kind", "nodes", "cycles", "models", "truncated"} <= set(loop)
    assert loop["kind"] == "ml-feedback"
    assert set(loop["nodes"]) == {"source:clicks", "topic:clicks.raw", "job:enrich", "model:ctr"}
    assert loop["cycles"] == [["model:ctr", "source:clicks", "topic:clicks.raw", "job:enrich"]]
    assert (loop["models"], loop["truncated"]) == (["model:ctr"], False)


def test_loops_on_a_graph_without_cycles(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "line.yaml"
    path.write_text(
        "version: 1\nnodes: [{id: job:a}, {id: job:b}]\nedges: [{from: job:a, to: job:b}]\n"
    )
    ok(cli("import", "yaml", path))
    assert as_json(cli("loops", "--json")) == {"loops": []}
    assert "0 feedback loop(s)" in ok(cli("loops")).stdout


def test_loops_text_names_the_models(loaded: Cli) -> None:
    text = ok(loaded("loops")).stdout
    assert "ml-feedback" in text and "model:ctr" in text


# -- every read command speaks JSON ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["nodes"],
        ["show", "CTR"],
        ["upstream", "CTR"],
        ["downstream", "CTR"],
        ["loops"],
        ["summary"],
    ],
)
def test_every_read_command_prints_one_json_document(loaded: Cli, args: list[str]) -> None:
    as_json(loaded(*args, "--json"))


def test_summary_counts_nodes_and_edges(loaded: Cli) -> None:
    document = as_json(loaded("summary", "--json"))
    assert (document["nodes"], document["edges"]) == (7, 5)
    assert document["nodes_by_kind"] == {
        "source": 1,
        "topic": 1,
        "dataset": 3,
        "job": 1,
        "model": 1,
    }


# -- export ---------------------------------------------------------------------------------


def test_export_to_stdout_is_a_lineage_spec(loaded: Cli) -> None:
    document = yaml.safe_load(ok(loaded("export", "yaml")).stdout)
    assert document["version"] == 1
    assert {n["id"] for n in document["nodes"]} == NODE_IDS
    assert len(document["edges"]) == 5


def test_export_round_trips_through_an_empty_store(loaded: Cli, spec: Path, tmp_path: Path) -> None:
    exported = tmp_path / "exported.yaml"
    ok(loaded("export", "yaml", "-o", exported))
    assert exported.read_text() == ok(loaded("export", "yaml")).stdout
    with opened(loaded) as store:
        before = facts(store)
        store.remove_origin(f"yaml:{spec.as_posix()}")
        assert store.snapshot().nodes == ()
    ok(loaded("import", "yaml", exported))
    with opened(loaded) as store:
        assert facts(store) == before


def test_export_of_a_merged_graph_round_trips(loaded: Cli, spec: Path, tmp_path: Path) -> None:
    """Two files describe overlapping nodes, with a shared alias; the export still imports."""
    other = tmp_path / "other.yaml"
    other.write_text(
        "version: 1\nnodes:\n"
        "  - {id: model:ctr, name: CTR model v2, aliases: [ranker]}\n"
        "  - {id: model:ctr-shadow, name: Shadow CTR, aliases: [ranker, CTR]}\n"
        "edges:\n  - {from: model:ctr, to: model:ctr-shadow, label: mirrored}\n"
    )
    ok(loaded("import", "yaml", other))
    exported = tmp_path / "exported.yaml"
    ok(loaded("export", "yaml", "-o", exported))
    with opened(loaded) as store:
        before = facts(store)
        store.remove_origin(f"yaml:{spec.as_posix()}")
        store.remove_origin(f"yaml:{other.as_posix()}")
    ok(loaded("import", "yaml", exported))
    with opened(loaded) as store:
        assert facts(store) == before


# -- usage and backends ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["nodes", "--kind", "widget"],
        ["downstream", "CTR", "--depth", "0"],
        ["downstream"],
        ["import", "yaml"],
        ["import", "csv", "x.csv"],
        ["--store", "oracle", "nodes"],
    ],
)
def test_usage_errors_exit_2(loaded: Cli, args: list[str]) -> None:
    failed(loaded(*args), 2)


def run_embedded(*args: str | Path, env: dict[str, str] | None = None) -> CliResult:
    result = CliRunner().invoke(
        lineage_cli,
        [str(a) for a in args],
        env={"LINEAGE_STORE": "embedded", **(env or {})},
        catch_exceptions=False,
    )
    return CliResult(result.exit_code, result.stdout, result.stderr)


def test_db_inside_a_regular_file_exits_3(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    message = failed(run_embedded("--db", blocker / "lineage.db", "nodes"), 3)
    assert str(blocker / "lineage.db") in message


def test_db_that_is_a_directory_exits_3(tmp_path: Path) -> None:
    failed(run_embedded("--db", tmp_path, "nodes", "--json"), 3)


def test_db_from_the_environment_that_is_a_directory_exits_3(tmp_path: Path) -> None:
    failed(run_embedded("nodes", env={"LINEAGE_DB": str(tmp_path)}), 3)


def test_db_that_is_not_a_store_exits_3(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an SQLite database, just some bytes" * 100)
    failed(run_embedded("--db", junk, "nodes"), 3)


def test_unreachable_neo4j_exits_3_naming_the_uri() -> None:
    result = run_embedded(
        "--store", "neo4j", "nodes", env={"NEO4J_URI": "bolt://127.0.0.1:9", "LINEAGE_STORE": ""}
    )
    failed(result, 3)
    assert "bolt://127.0.0.1:9" in result.stderr


def run_process(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    """``lineage`` in a real process of its own, as a shell runs it."""
    env = {**os.environ, "LINEAGE_DB": str(db), "LINEAGE_STORE": "embedded"}
    command = [sys.executable, "-c", "from lineage.cli import main; main()"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, env=env, timeout=60
    )


def test_a_real_process_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nnodes:\n  - {id: x, kind: widget}\n")
    done = run_process("import", "yaml", bad, db=tmp_path / "l.db")
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {bad.as_posix()}:3: unknown kind 'widget'; expected " + (
        "one of: source, topic, dataset, job, feature, model, schema"
    )
    assert done.stdout == ""


def test_export_to_a_missing_folder_exits_2_without_traceback(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.yaml"
    done = run_process("export", "yaml", "-o", target, db=tmp_path / "l.db")
    assert "Traceback" not in done.stderr
    assert (done.returncode, str(target) in done.stderr) == (2, True)


SLOW_IMPORTS = ("scipy", "networkx", "strawberry", "uvicorn", "neo4j", "fastavro", "httpx")
"""Packages only some commands need, each a tenth of a second or more to import: every
command's start-up would pay for them."""


def test_the_cli_starts_without_the_packages_only_some_commands_need() -> None:
    script = (
        "import sys, lineage.cli; "
        f"print(','.join(name for name in {SLOW_IMPORTS!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
