"""The scale benchmark's harness runs, so it cannot rot: a tiny size, every case measured,
its answers checked against the floor, a results file written. No time is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

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
    "staleness roll-up, whole graph",
    "staleness roll-up, doubled graph",
    "freshness conflicts, whole graph",
    "freshness conflicts, doubled graph",
}


def test_the_scale_benchmark_measures_every_case_on_a_tiny_graph(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--size", "XS", "--json",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["size"], result["nodes"], result["reached"]) == ("XS", 300, 299)
    assert {case["name"] for case in result["cases"]} == CASES
    assert all(case["seconds"] > 0 and case["floor_seconds"] > 0 for case in result["cases"])
    assert result["serve_peak_rss_mb"] > 0
    (written,) = tmp_path.glob("*-XS.json")
    assert json.loads(written.read_text())["cases"] == result["cases"]
