"""The real scheduler on short intervals: an import job picks up a changed file at its next
tick and records UNCHANGED between, a failing job is recorded and does not stop the roll-up,
and runs of one job never overlap."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.configs import write_config

from lineage.config import StoreSettings
from lineage.config_file import load_config
from lineage.errors import StoreUnavailable
from lineage.scheduler import JobScheduler
from lineage.service import JobRun, Outcome, job_history, open_store
from lineage.store.base import GraphStore

SPEC = """\
version: 1
nodes:
  - {{id: source:a, name: A}}
  - {{id: dataset:{name}, name: B}}
edges:
  - {{from: source:a, to: dataset:{name}}}
"""


def _config(tmp_path: Path, spec_schedule: str = "1s") -> Path:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.yaml").write_text("version: 1\nnodes: [\n")
    return write_config(
        tmp_path,
        SPEC.format(name="b"),
        schedule=spec_schedule,
        rollup="1s",
        extra="store: {backend: embedded, path: lineage.db}\n",
        jobs="  - {name: broken, importer: yaml, paths: [bad/], schedule: 1s}\n",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    opened = open_store(StoreSettings(db_path=tmp_path / "lineage.db"))
    yield opened
    opened.close()


def wait_for(
    found: Callable[[], list[JobRun]], *, enough: int, timeout: float = 30
) -> list[JobRun]:
    """Poll the run log until ``found()`` holds ``enough`` runs (a bound, not a measure)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = found()
        if len(runs) >= enough:
            return runs
        time.sleep(0.1)
    raise AssertionError(f"only {len(found())} run(s) after {timeout}s")


@contextmanager
def scheduled(
    tmp_path: Path, store: GraphStore, *, now: bool = False, spec_schedule: str = "1s"
) -> Iterator[JobScheduler]:
    """The real scheduler on the test's configuration and store, shut down afterwards."""
    scheduler = JobScheduler(load_config(_config(tmp_path, spec_schedule)), lambda: store)
    scheduler.start(now=now)
    try:
        yield scheduler
    finally:
        scheduler.shutdown()


def test_an_import_job_picks_up_a_changed_file_at_its_next_tick(
    tmp_path: Path, store: GraphStore
) -> None:
    with scheduled(tmp_path, store):
        first = wait_for(lambda: job_history(store, "spec"), enough=2)
        assert [run.outcome for run in reversed(first)][:2] == [
            Outcome.SUCCEEDED,
            Outcome.UNCHANGED,
        ]
        assert {n.id for n in store.list_nodes()} == {"source:a", "dataset:b"}
        (tmp_path / "docs" / "spec.yaml").write_text(SPEC.format(name="c"))
        changed = wait_for(
            lambda: [
                r for r in job_history(store, "spec", limit=500) if r.outcome is Outcome.SUCCEEDED
            ],
            enough=2,
        )
    assert changed[0].nodes == 2
    assert {n.id for n in store.list_nodes()} == {"source:a", "dataset:c"}


def test_a_failing_job_is_recorded_and_does_not_stop_the_rollup(
    tmp_path: Path, store: GraphStore
) -> None:
    with scheduled(tmp_path, store):
        failed = wait_for(lambda: job_history(store, "broken"), enough=2)
        rollups = wait_for(lambda: job_history(store, "rollup"), enough=3)
    assert all(run.outcome is Outcome.FAILED for run in failed)
    assert "broken.yaml:" in (failed[0].error or "")
    assert all(run.outcome is Outcome.SUCCEEDED for run in rollups)
    assert [n.id for n in store.list_nodes()] != []  # the good job ran alongside


def test_runs_of_one_job_never_overlap_and_missed_runs_coalesce(
    tmp_path: Path, store: GraphStore
) -> None:
    with scheduled(tmp_path, store) as scheduler:
        jobs = {job.id: job for job in scheduler._scheduler.get_jobs()}
    assert set(jobs) == {"spec", "broken", "rollup"}
    for job in jobs.values():
        assert (job.max_instances, job.coalesce) == (1, True)
        assert job.misfire_grace_time == 300


def test_start_now_runs_every_scheduled_job_at_once(tmp_path: Path, store: GraphStore) -> None:
    with scheduled(tmp_path, store, now=True, spec_schedule="1h"):
        (first,) = wait_for(lambda: job_history(store, "spec"), enough=1)
    assert first.outcome is Outcome.SUCCEEDED


def test_runs_while_the_store_is_down_fail_and_are_written_once_it_is_back(
    tmp_path: Path, store: GraphStore
) -> None:
    config = load_config(_config(tmp_path))
    down = True

    def opener() -> GraphStore:
        if down:
            raise StoreUnavailable("down for the test")
        return store

    scheduler = JobScheduler(config, opener)
    during = [scheduler.run("spec"), scheduler.run("rollup")]
    assert [run.outcome for run in during] == [Outcome.FAILED, Outcome.FAILED]
    assert "the graph store is unavailable" in (during[0].error or "")
    assert job_history(store, "spec") == []
    down = False
    after = scheduler.run("spec")
    assert after.outcome is Outcome.SUCCEEDED
    assert [run.outcome for run in job_history(store, "spec")] == [
        Outcome.SUCCEEDED,
        Outcome.FAILED,
    ]
    assert [run.outcome for run in job_history(store, "rollup")] == [Outcome.FAILED]
    assert scheduler.unrecorded == []
