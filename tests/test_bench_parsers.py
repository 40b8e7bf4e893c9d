"""The parser benchmark's harness runs, so it cannot rot: tiny sizes, every input measured at
every size, every doubling and the re-import case reported, a results file written. No time
is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow

ROWS = {
    "c4 mermaid: links",
    "c4 mermaid: boxes",
    "c4 folder: first import",
    "c4 folder: read (parse) only",
    "c4 folder: re-import, unchanged",
    "arrow text: lines",
    "arrow text: ↓ label, spaces, note",
    "arrow text: box border with title",
    "arrow text: row of | arrows",
    "yaml spec: parse",
    "yaml spec: apply into a fresh store",
}


def test_the_parser_benchmark_measures_every_case_at_tiny_sizes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "parsers.py"), "--size", "tiny", "--json",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = {row["name"]: row for row in result["rows"]}
    assert set(rows) == ROWS
    for row in rows.values():
        assert row["finished"] and row["notes"] == []
        assert all(seconds > 0 for seconds in row["seconds"])
        assert len(row["ratios"]) == len(row["sizes"]) - 1
    doublings = sum(len(row["sizes"]) - 1 for row in rows.values())
    assert len(result["cases"]) == doublings + 1  # and the re-import against the first import
    assert all(case["ratio"] is not None for case in result["cases"])
    (written,) = tmp_path.glob("*-parsers-tiny.json")
    assert json.loads(written.read_text())["cases"] == result["cases"]
