"""The load test's harness runs, so it cannot rot: a tiny graph, two clients for two seconds,
every query kind, the import and the health prober answered, memory sampled, a results file
written. No time is asserted: figures come from ``make loadtest``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow


def test_the_load_test_runs_every_kind_of_request_without_errors(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "loadtest.py"), "--clients", "2", "--seconds",
         "2", "--nodes", "200", "--overhead-repeats", "5", "--json", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["errors"] == 0, result["first_errors"]
    assert set(result["latency_ms"]) == {"healthz", "impact", "import", "lineage", "node", "search"}
    assert all(latency["count"] >= 1 for latency in result["latency_ms"].values())
    assert result["rss_every_5s_mb"] and result["rss_mb"]["peak"] >= result["rss_mb"]["before"]
    assert result["overhead"]["http_median_ms"] > 0 and result["overhead"]["direct_median_ms"] > 0
    (written,) = tmp_path.glob("*-loadtest.json")
    assert json.loads(written.read_text())["requests"] == result["requests"]
