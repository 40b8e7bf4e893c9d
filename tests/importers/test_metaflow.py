"""The Metaflow importer on real runs of the example flows: the graph exactly, triggers,
declared lineage in its three forms, run status, the export, filters, untrusted dumps."""

from __future__ import annotations

import gzip
import json
import pickle
import shutil
from pathlib import Path

import pytest
from support import EXAMPLES
from support.cli import Cli
from support.metaflow_runs import Datastore, example_runs
from support.metaflow_service import FakeService, serving

from lineage.errors import ParseError
from lineage.importers import ImportRequest, run_import
from lineage.importers.metaflow.graph import flow_facts
from lineage.importers.metaflow.records import FlowRecord
from lineage.model import EdgeType, ImportBatch, Mode, Node, NodeId
from lineage.service import import_files, import_targets
from lineage.store.base import GraphStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Datastore:
    return example_runs(tmp_path_factory.mktemp("metaflow"))


@pytest.fixture
def copy(runs: Datastore, tmp_path: Path) -> Datastore:
    """A copy of the example datastore a test may change."""
    shutil.copytree(runs.folder, tmp_path / "copy", ignore=shutil.ignore_patterns("client-cache"))
    return Datastore(tmp_path / "copy")


def read(*targets: str, **options: str) -> ImportBatch:
    (batch,) = run_import("metaflow", ImportRequest(targets, options))
    return batch


def nodes(batch: ImportBatch) -> dict[str, Node]:
    return {node.id: node for node in batch.nodes}


def edges(batch: ImportBatch, kind: EdgeType = EdgeType.FEEDS) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in batch.edges if e.type is kind}


def both(a: str, b: str, c: str) -> list[tuple[str, str]]:
    """``both(node, Flow, step)``: edges from a node into a step and its flow;
    ``both(Flow, step, node)``: edges out of them to a node."""
    if ":" in a:
        return [(a, f"job:{b}.{c}"), (a, f"job:{b}")]
    return [(f"job:{a}.{b}", c), (f"job:{a}", c)]


def steps(flow: str, *pairs: tuple[str, str]) -> set[tuple[str, str]]:
    return {(f"job:{flow}.{a}", f"job:{flow}.{b}") for a, b in pairs}


def test_the_graph_of_the_example_flows(runs: Datastore) -> None:
    batch = read(f"datastore={runs.folder}")
    assert edges(batch, EdgeType.TRIGGERS) == {
        ("job:IngestFlow", "job:FeatureFlow"),  # @trigger_on_finish(flow=...)
        ("job:FeatureFlow", "job:TrainFlow"),  # @trigger_on_finish(flows=[...])
        ("source:catalog_updated", "job:TrainFlow"),  # @trigger(event=...)
    }
    dag = steps("IngestFlow", ("start", "land"), ("land", "end"))
    dag |= steps(
        "FeatureFlow",
        ("start", "sessions"), ("start", "titles"), ("sessions", "merge"), ("titles", "merge"),
        ("merge", "fan_out"), ("fan_out", "score"), ("score", "collect"), ("collect", "end"),
    )  # fmt: skip
    dag |= steps("TrainFlow", ("start", "train"), ("train", "end"))
    declared = {
        # @lineage(reads=..., writes=...) on a step: into and out of the step and its flow
        *both("topic:views.raw", "IngestFlow", "land"),
        *both("IngestFlow", "land", "dataset:s3://lake/views"),
        # what the step added at run time (its _lineage artifact)
        *both("IngestFlow", "land", "dataset:s3://lake/views/dt=2026-12-01"),
        # a run tag: the flow only
        ("dataset:hive://catalog.titles", "job:IngestFlow"),
        *both("dataset:s3://lake/views", "FeatureFlow", "sessions"),
        # the decorator on join steps
        *both("FeatureFlow", "merge", "feature:member-sessions"),
        *both("FeatureFlow", "collect", "feature:member-scores"),
        *both("feature:member-sessions", "TrainFlow", "train"),
        *both("feature:member-scores", "TrainFlow", "train"),
        *both("TrainFlow", "train", "model:recommendation"),
        ("job:TrainFlow", "model:recommendation-candidate"),  # the successful run's tag
    }
    assert edges(batch) == dag | declared
    found = nodes(batch)
    assert found["job:FeatureFlow.merge"].properties["flow"] == "FeatureFlow"
    modes = {flow: found[f"job:{flow}"].mode for flow in ("IngestFlow", "FeatureFlow", "TrainFlow")}
    assert modes == {
        "IngestFlow": Mode.BATCH, "FeatureFlow": Mode.EVENT_DRIVEN, "TrainFlow": Mode.EVENT_DRIVEN,
    }  # fmt: skip
    assert batch.warnings == ()


def test_no_flow_is_linked_to_its_own_steps(runs: Datastore) -> None:
    batch = read(f"datastore={runs.folder}")
    for source, target in edges(batch):
        flow, _, step = target.partition(".")
        assert not (step and source == flow), (source, target)


def test_runs_set_status_counts_and_the_last_success(runs: Datastore) -> None:
    found = nodes(read(f"datastore={runs.folder}"))
    train = found["job:TrainFlow"]
    assert (train.properties["run_count"], train.properties["last_status"]) == (2, "failed")
    assert train.properties["last_failure"]["steps"] == ["train"]
    feature = found["job:FeatureFlow"]
    assert feature.properties["last_status"] == "succeeded"  # every shard's retry succeeded
    assert "last_failure" not in feature.properties
    ingest_run = sorted(p.name for p in (runs.root / "TrainFlow").iterdir() if p.name.isdigit())[0]
    assert train.last_updated is not None
    assert train.last_updated.timestamp() > int(ingest_run) / 1e6  # after the successful run began


def test_an_export_reads_the_same_as_its_datastore(
    runs: Datastore, tmp_path: Path, cli: Cli
) -> None:
    output = tmp_path / "export.json"
    assert cli("metaflow", "export", "--datastore", runs.folder, "-o", output).exit_code == 0
    from_export, from_store = read(f"export={output}"), read(f"datastore={runs.folder}")
    assert nodes(from_export) == nodes(from_store) and set(from_export.edges) == set(
        from_store.edges
    )
    assert "pickle" not in output.read_text() and json.loads(output.read_text())["version"] == 1


def test_filters_choose_flows_runs_and_tags(runs: Datastore) -> None:
    only = read(f"datastore={runs.folder}", flow="TrainFlow")
    assert {n.id for n in only.nodes if n.properties.get("engine") == "metaflow"} == {
        "job:TrainFlow", "job:TrainFlow.start", "job:TrainFlow.train", "job:TrainFlow.end",
    }  # fmt: skip
    tagged = nodes(read(f"datastore={runs.folder}", tag="lineage.reads:hive://catalog.titles"))
    assert tagged["job:IngestFlow"].properties["run_count"] == 1
    assert tagged["job:TrainFlow"].properties["run_count"] == 0
    later = nodes(read(f"datastore={runs.folder}", since="2999-01-01"))
    assert later["job:IngestFlow"].properties["run_count"] == 0
    mine = nodes(read(f"datastore={runs.folder}", namespace="user:tester"))
    assert mine["job:TrainFlow"].properties["run_count"] == 2
    theirs = nodes(read(f"datastore={runs.folder}", namespace="user:someone-else"))
    assert theirs["job:TrainFlow"].properties["run_count"] == 0


def test_a_new_run_updates_last_updated_without_duplicating(
    copy: Datastore, store: GraphStore
) -> None:
    request = ImportRequest((f"datastore={copy.folder}",))
    import_targets(store, "metaflow", request)
    before = store.get_nodes([NodeId("job:IngestFlow")])[NodeId("job:IngestFlow")]
    count = len(store.snapshot().edges)
    copy.run("ingest_flow.py", "--tag", "lineage.reads:hive://catalog.titles")
    import_targets(store, "metaflow", request)
    after = store.get_nodes([NodeId("job:IngestFlow")])[NodeId("job:IngestFlow")]
    assert after.last_updated > before.last_updated
    assert after.properties["run_count"] == 2
    assert len(store.snapshot().edges) == count


class _Boom:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (Path(_Boom.marker),))

    marker = ""


def test_a_crafted_dag_pickle_is_refused_and_runs_nothing(copy: Datastore, tmp_path: Path) -> None:
    run = next(p for p in (copy.root / "IngestFlow").iterdir() if p.name.isdigit())
    index = json.loads((run / "_parameters" / "0" / "0.data.json").read_text())
    sha = index["objects"]["_graph_info"]
    blob = copy.root / "IngestFlow" / "data" / sha[:2] / sha
    _Boom.marker = str(tmp_path / "ran")
    blob.write_bytes(gzip.compress(pickle.dumps(_Boom(), protocol=4)))
    with pytest.raises(ParseError) as refused:
        read(f"datastore={copy.folder}")
    assert str(blob) in str(refused.value) and "only plain data" in str(refused.value)
    assert not (tmp_path / "ran").exists()


def test_a_damaged_json_file_is_a_warning_and_the_rest_imports(copy: Datastore) -> None:
    run = next(p for p in (copy.root / "TrainFlow").iterdir() if p.name.isdigit())
    damaged = run / "_meta" / "_self.json"
    damaged.write_text("{not json")
    batch = read(f"datastore={copy.folder}")
    assert any(w.location == str(damaged) for w in batch.warnings)
    assert "job:IngestFlow" in nodes(batch) and "job:TrainFlow" in nodes(batch)


def test_the_cli_imports_a_datastore_and_refuses_a_missing_one(
    cli: Cli, runs: Datastore, tmp_path: Path
) -> None:
    done = cli("import", "metaflow", "--datastore", runs.folder, "--json")
    assert done.exit_code == 0, done.stderr
    (origin,) = json.loads(done.stdout)["imported"]
    assert origin["origin"] == f"metaflow:datastore:{runs.root.resolve().as_posix()}"
    missing = cli("import", "metaflow", "--datastore", tmp_path / "nowhere")
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    assert cli("import", "metaflow").exit_code == 2


def test_flows_join_the_nodes_documents_name(
    runs: Datastore, store: GraphStore, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.lineage.yaml"
    spec.write_text(
        "version: 1\nnodes: [{id: topic:views.raw, name: Views}, {id: job:TrainFlow}]\n"
        "edges: [{from: topic:views.raw, to: job:TrainFlow}]\n"
    )
    import_files(store, "yaml", [spec])
    import_targets(store, "metaflow", ImportRequest((f"datastore={runs.folder}",)))
    train = store.get_nodes([NodeId("job:TrainFlow")])[NodeId("job:TrainFlow")]
    assert {p.origin.split(":")[0] for p in train.origins} == {"yaml", "metaflow"}


def test_the_checked_in_export_of_the_example_flows_imports(store: GraphStore) -> None:
    """``make run`` imports it: regenerate it with ``lineage metaflow export --datastore DIR
    -o examples/metaflow/export.json --name examples/metaflow`` after running the flows."""
    export = EXAMPLES / "metaflow" / "export.json"
    report = import_targets(store, "metaflow", ImportRequest((f"export={export}",)))
    assert report.warnings == ()
    train = store.get_nodes([NodeId("job:TrainFlow")])[NodeId("job:TrainFlow")]
    assert train.properties["run_count"] == 2 and train.last_updated is not None
    assert "/tmp" not in export.read_text()


# -- the metadata service -------------------------------------------------------------------

RUNTIME_ONLY = {  # a task's _lineage record is an artifact: the service does not hold it
    ("job:IngestFlow.land", "dataset:s3://lake/views/dt=2026-12-01"),
    ("job:IngestFlow", "dataset:s3://lake/views/dt=2026-12-01"),
}


@pytest.mark.parametrize("page", [None, 1])
def test_a_service_gives_what_its_runs_datastore_gives(runs: Datastore, page: int | None) -> None:
    service = FakeService(runs.root, page=page)
    with serving(service) as url:
        from_service = read(f"service={url}")
    from_store = read(f"datastore={runs.folder}")
    assert edges(from_service) == edges(from_store) - RUNTIME_ONLY
    assert edges(from_service, EdgeType.TRIGGERS) == edges(from_store, EdgeType.TRIGGERS)
    for flow in ("IngestFlow", "FeatureFlow", "TrainFlow"):
        ours, theirs = nodes(from_service)[f"job:{flow}"], nodes(from_store)[f"job:{flow}"]
        assert ours.last_updated == theirs.last_updated
        assert {k: ours.properties[k] for k in ("run_count", "last_status")} == {
            k: theirs.properties[k] for k in ("run_count", "last_status")
        }
    if page:
        assert service.requests.count("/flows/TrainFlow/runs") == 2  # two runs, a page each


def test_the_service_key_retries_and_a_missing_dag(runs: Datastore, cli: Cli) -> None:
    service = FakeService(runs.root, auth_key="k3y", failures=[503, 429])
    with serving(service) as url:
        refused = cli("import", "metaflow", "--service", url)
        done = cli("import", "metaflow", "--service", url, "--service-auth-key", "k3y")
    assert refused.exit_code == 2 and "refused the key" in refused.stderr
    assert done.exit_code == 0, done.stderr
    without_dag = FakeService(runs.root, dag=False)
    with serving(without_dag) as url:
        batch = read(f"service={url}")
    assert any("no DAG" in w.message for w in batch.warnings)
    assert "job:TrainFlow.train" in nodes(batch) and not edges(batch) & steps(
        "TrainFlow", ("start", "train")
    )


def test_an_export_can_come_from_a_service(runs: Datastore, cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "from-service.json"
    with serving(FakeService(runs.root)) as url:
        assert cli("metaflow", "export", "--service", url, "-o", output).exit_code == 0
    assert edges(read(f"export={output}")) == edges(read(f"datastore={runs.folder}")) - RUNTIME_ONLY


def test_a_resumed_run_succeeds_where_its_origin_failed(tmp_path: Path) -> None:
    store = Datastore(tmp_path)
    store.run("train_flow.py", "--fail", "true", ok=False)
    (failed,) = [p.name for p in (store.root / "TrainFlow").iterdir() if p.name.isdigit()]
    (tmp_path / "train-fixed").touch()
    store.resume("train_flow.py")
    train = nodes(read(f"datastore={store.folder}"))["job:TrainFlow"]
    assert (train.properties["run_count"], train.properties["last_status"]) == (2, "succeeded")
    assert train.properties["last_run_resumed_from"] == failed
    assert train.properties["last_failure"]["run"] == failed
    assert train.last_updated is not None


def test_a_service_says_which_run_a_run_resumed(tmp_path: Path) -> None:
    store = Datastore(tmp_path)
    store.run("train_flow.py", "--fail", "true", ok=False)
    (tmp_path / "train-fixed").touch()
    store.resume("train_flow.py")
    with serving(FakeService(store.root)) as url:
        train = nodes(read(f"service={url}"))["job:TrainFlow"]
    assert train.properties["last_status"] == "succeeded"
    assert "last_run_resumed_from" in train.properties


# -- re-imports read only what is new -------------------------------------------------------


def test_a_reimport_reads_only_the_runs_started_since(
    copy: Datastore, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lineage.importers.metaflow import datastore as datastore_module

    read_runs: list[str] = []
    original = datastore_module.Datastore._run

    def counting(self, flow, folder):  # type: ignore[no-untyped-def]
        read_runs.append(f"{flow.name}/{folder.name}")
        return original(self, flow, folder)

    monkeypatch.setattr(datastore_module.Datastore, "_run", counting)
    request = ImportRequest((f"datastore={copy.folder}",))
    import_targets(store, "metaflow", request)
    assert len(read_runs) == 4  # every run, the first time
    read_runs.clear()
    edges_before = len(store.snapshot().edges)
    copy.run(
        "ingest_flow.py",
        "--tag", "lineage.reads:hive://catalog.titles",  # as the first run said
        "--tag", "lineage.writes:s3://lake/extra",
    )  # fmt: skip
    import_targets(store, "metaflow", request)
    assert len(read_runs) == 1 and read_runs[0].startswith("IngestFlow/")
    assert len(store.snapshot().edges) == edges_before + 1  # the new run's tag, nothing twice
    fresh = read(f"datastore={copy.folder}")
    assert {n.id for n in store.list_nodes()} == set(nodes(fresh))
    ingest = store.get_nodes([NodeId("job:IngestFlow")])[NodeId("job:IngestFlow")]
    assert ingest.properties["run_count"] == 2
    assert ingest.last_updated == nodes(fresh)["job:IngestFlow"].last_updated


def test_a_service_reimport_asks_only_for_new_runs(copy: Datastore, store: GraphStore) -> None:
    service = FakeService(copy.root)
    with serving(service) as url:
        request = ImportRequest((f"service={url}",))
        import_targets(store, "metaflow", request)
        service.requests.clear()
        import_targets(store, "metaflow", request)
    assert not [path for path in service.requests if path.endswith("/metadata")]


# -- the forms a flow may declare ----------------------------------------------------------


def _flow(decorators: list[dict], steps: dict) -> FlowRecord:  # type: ignore[type-arg]
    return FlowRecord("Down", {"decorators": decorators, "steps": steps}, ())


@pytest.mark.parametrize(
    "attributes",
    [
        {"flow": "Up", "flows": [], "options": {}},
        {"flow": None, "flows": ["Up"]},
        {"flow": "lineage_demo.user.tester.Up"},  # project-qualified
        {"flow": {"name": "Up", "project": "p", "project_branch": "b"}},
        {"flows": [{"name": "Up"}]},
    ],
)
def test_trigger_on_finish_in_every_form_names_the_upstream_flow(attributes: dict) -> None:  # type: ignore[type-arg]
    facts = flow_facts([_flow([{"name": "trigger_on_finish", "attributes": attributes}], {})], "s")
    assert {(e.source, e.target) for e in facts.edges if e.type is EdgeType.TRIGGERS} == {
        ("job:Up", "job:Down")
    }


def test_refs_in_every_form_and_the_fields_an_edge_reads() -> None:
    decorator = {
        "name": "lineage.integrations.metaflow.lineage",
        "attributes": {
            "_args": [],
            "reads": ["topic:views.raw", "gs://b/raw/", "hive://db.t", "file:///data/x.csv",
                      "metaflow://Up", "not a ref"],
            "writes": "model://churn",
            "fields": ["member_id", "title_id"],
        },
    }  # fmt: skip
    facts = flow_facts(
        [_flow([], {"s": {"name": "s", "next": [], "decorators": [decorator]}})], "x"
    )
    into_step = {e.source: e for e in facts.edges if e.target == "job:Down.s"}
    assert set(into_step) == {
        "topic:views.raw", "dataset:gs://b/raw", "dataset:hive://db.t",
        "dataset:file:///data/x.csv", "job:Up",
    }  # fmt: skip
    assert into_step["topic:views.raw"].properties["fields"] == ["member_id", "title_id"]
    assert ("job:Down.s", "model:churn") in {(e.source, e.target) for e in facts.edges}
    assert [w.message for w in facts.warnings] == [
        "'not a ref' names no node: use an id (topic:views.raw) or a URI "
        "(kafka://, s3://, feature://, model://, metaflow://)"
    ]
