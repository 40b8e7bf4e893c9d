"""Configured jobs from the command line, on both stores: runs recorded with their outcome,
UNCHANGED when the input is, the roots enforced at run time, roll-ups with their history and
when a node became stale, and conflicts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support import EXAMPLES
from support.cli import Cli
from support.configs import write_config

from lineage.model import Edge, Freshness, ImportBatch, Kind, Node, NodeId
from lineage.service import latest_rollup, rollup_history, run_rollup
from lineage.store.base import GraphStore

SPEC = """\
version: 1
nodes:
  - {id: source:a, name: A, freshness: hourly}
  - {id: dataset:b}
edges:
  - {from: source:a, to: dataset:b}
"""


def _config(tmp_path: Path) -> Path:
    defaults = "freshness: {dataset: 1h}\n"
    return write_config(tmp_path, SPEC, schedule="15m", rollup="5m", extra=defaults, roots="docs/")


def test_jobs_run_records_each_run_and_an_unchanged_input_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    first = cli("--config", config, "jobs", "run", "--all", "--json")
    assert first.exit_code == 0, first.stderr
    runs = {run["name"]: run for run in json.loads(first.stdout)["runs"]}
    assert runs["spec"]["outcome"] == "SUCCEEDED" and runs["spec"]["nodes"] == 2
    assert runs["rollup"]["outcome"] == "SUCCEEDED"
    again = json.loads(cli("--config", config, "jobs", "run", "spec", "--json").stdout)
    assert again["runs"][0]["outcome"] == "UNCHANGED"
    listed = json.loads(cli("--config", config, "jobs", "--json").stdout)["jobs"]
    spec = next(job for job in listed if job["name"] == "spec")
    assert (spec["importer"], spec["schedule"], spec["last"]["outcome"]) == (
        "yaml",
        "15m",
        "UNCHANGED",
    )
    assert [run["outcome"] for run in spec["history"]] == ["UNCHANGED", "SUCCEEDED"]
    (tmp_path / "docs" / "spec.yaml").write_text(SPEC.replace("dataset:b", "dataset:c"))
    changed = json.loads(cli("--config", config, "jobs", "run", "spec", "--json").stdout)
    assert changed["runs"][0]["outcome"] == "SUCCEEDED"
    nodes = json.loads(cli("nodes", "--json").stdout)["nodes"]
    assert {node["id"] for node in nodes} == {"source:a", "dataset:c"}


def test_a_job_whose_files_lead_outside_the_roots_fails_and_imports_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    config = _config(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text(SPEC.replace("dataset:b", "dataset:secret"))
    (tmp_path / "docs" / "link.yaml").symlink_to(outside)
    result = cli("--config", config, "jobs", "run", "spec", "--json")
    assert result.exit_code == 1
    (run,) = json.loads(result.stdout)["runs"]
    assert run["outcome"] == "FAILED" and "outside the configured roots" in run["error"]
    assert json.loads(cli("nodes", "--json").stdout)["nodes"] == []
    listed = json.loads(cli("--config", config, "jobs", "--json").stdout)["jobs"]
    assert listed[0]["last"]["outcome"] == "FAILED"


def test_an_unknown_job_is_bad_input_naming_the_jobs(cli: Cli, tmp_path: Path) -> None:
    result = cli("--config", _config(tmp_path), "jobs", "run", "nightly")
    assert result.exit_code == 2
    assert "no import job named 'nightly' (jobs: spec)" in result.stderr


def test_the_rollup_keeps_its_history_and_when_each_node_became_stale(store: GraphStore) -> None:
    hourly = Freshness("hourly", 3600.0)
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    source = Node(NodeId("source:a"), Kind.SOURCE, freshness=hourly, last_updated=now)
    table = Node(NodeId("dataset:b"), Kind.DATASET, freshness=hourly, last_updated=now)
    store.apply(ImportBatch("doc", (source, table), (Edge(source.id, table.id),)))
    fresh = run_rollup(store, defaults={}, keep=10, at=now)
    assert fresh.counts == {"FRESH": 2, "UNKNOWN": 0, "STALE": 0} and fresh.stale == ()
    later = now + timedelta(hours=2)
    first = run_rollup(store, defaults={}, keep=10, at=later)
    assert {node.id: node.since for node in first.stale} == {
        "source:a": later.isoformat(),
        "dataset:b": later.isoformat(),
    }
    table_entry = next(node for node in first.stale if node.id == "dataset:b")
    assert (table_entry.own, table_entry.cause) == ("STALE", None)  # its own age, not a's
    after = run_rollup(store, defaults={}, keep=10, at=later + timedelta(minutes=5))
    assert {node.id: node.since for node in after.stale}["dataset:b"] == later.isoformat()
    assert after.stale_by_kind["dataset"] == 1 and after.stale_by_kind["source"] == 1
    assert [run.at for run in rollup_history(store, limit=5)] == [
        after.at,
        first.at,
        fresh.at,
    ]
    assert latest_rollup(store) == after


def test_the_rollup_command_runs_one_and_shows_the_history(cli: Cli, tmp_path: Path) -> None:
    config = _config(tmp_path)
    cli("--config", config, "jobs", "run", "spec")
    ran = json.loads(cli("--config", config, "rollup", "--json").stdout)["runs"]
    assert ran[0]["counts"]["UNKNOWN"] == 2  # nothing observed yet
    cli("observe", "source:a")
    cli("--config", config, "rollup")
    history = json.loads(cli("--config", config, "rollup", "--history", "5", "--json").stdout)
    counts = [run["counts"] for run in history["runs"]]
    assert counts[0]["FRESH"] == 1 and len(counts) == 2


def test_conflicts_reports_the_example_platform_on_each_store(cli: Cli) -> None:
    cli("import", "yaml", EXAMPLES / "platform.lineage.yaml")
    cli("import", "c4", EXAMPLES / "docs")
    result = cli("conflicts", "--json")
    assert result.exit_code == 0
    found = {c["id"]: c for c in json.loads(result.stdout)["conflicts"]}
    assert "model:content-quality" not in found
    recommendation = found["model:recommendation"]
    assert recommendation["edge"] == {
        "source": "job:flink-windowed-aggregation",
        "target": "job:flink-feature-computation",
    }
    assert recommendation["path"][-1] == "model:recommendation"
    only_models = json.loads(cli("conflicts", "--kind", "model", "--json").stdout)["conflicts"]
    assert [c["id"] for c in only_models] == ["model:recommendation"]
