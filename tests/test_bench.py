"""The scale benchmark's harness runs, so it cannot rot: a tiny size, every case measured,
its answers checked against the floor, a results file written. No time is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import settings_for
from support import ROOT

from lineage.config import Backend

pytestmark = pytest.mark.slow

CASES = {
    "apply into an empty store",
    "re-apply, unchanged",
    "index build (snapshot)",
    "walk: reachable set + distances",
    "lineage, default bounds",
    "lineage, every node, JSON",
    "loops",
    "CLI downstream, default bounds",
    "CLI downstream, every node",
    "CLI loops",
    "re-apply, 1% of edges changed",
    "1% changed, against its floor",
    "1% changed in one region, against the floor",
    "staleness roll-up, whole graph",
    "staleness roll-up, doubled graph",
    "freshness conflicts, whole graph",
    "freshness conflicts, doubled graph",
}


NEO4J_CASES = {
    "neo4j walk: reachable set + distances",
    "neo4j lineage, default bounds",
    "neo4j lineage, every node, JSON",
    "neo4j loops",
    "neo4j apply, seconds per fact",
    "neo4j apply, seconds per edge",
    "neo4j re-apply, unchanged",
    "bare UNWIND MERGE, seconds per edge",
}


def _scale(out: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--size", "XS", "--json",
         "--out", str(out), *args],
        capture_output=True, text=True, timeout=600, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_scale_benchmark_measures_every_case_on_a_tiny_graph(tmp_path: Path) -> None:
    earlier = _runs_earlier_that_day(tmp_path, "XS")
    result = _scale(tmp_path)
    assert (result["size"], result["nodes"], result["reached"]) == ("XS", 300, 299)
    assert {case["name"] for case in result["cases"]} == CASES
    assert all(case["seconds"] > 0 and case["floor_seconds"] > 0 for case in result["cases"])
    assert result["serve_peak_rss_mb"] > 0
    assert all(result["log_bytes_of_1pct_change"][how] > 0 for how in ("scattered", "clustered"))
    (written,) = set(tmp_path.glob("*.json")) - set(earlier)
    assert written.name == f"{result['date'][:10]}-XS-2.json"
    assert json.loads(written.read_text())["cases"] == result["cases"]
    assert all(path.read_text() == "{}" for path in earlier)


def _runs_earlier_that_day(folder: Path, size: str) -> list[Path]:
    """Results files of an earlier run at ``size`` today and tomorrow (UTC: the run may pass
    midnight), which a new run must keep."""
    today = datetime.now(UTC).date()
    paths = [folder / f"{day.isoformat()}-{size}.json" for day in (today, today + timedelta(1))]
    for path in paths:
        path.write_text("{}")
    return paths


@pytest.mark.neo4j
def test_the_scale_benchmark_measures_the_neo4j_cases_on_a_real_server(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = settings_for(Backend.NEO4J, request, tmp_path)  # empty: the benchmark wipes it
    result = _scale(tmp_path, "--neo4j", env={**os.environ, "NEO4J_URI": settings.neo4j_uri})
    measured = {case["name"]: case for case in result["cases"]}
    assert set(measured) == CASES | NEO4J_CASES
    assert all(measured[name]["seconds"] > 0 for name in NEO4J_CASES)
