"""Real Metaflow runs of the example flows (``examples/metaflow/``) into a new datastore."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support import EXAMPLES

FLOWS = EXAMPLES / "metaflow"


@dataclass(frozen=True)
class Datastore:
    """A folder holding ``.metaflow``, and how to run an example flow into it."""

    folder: Path

    def run(self, script: str, *args: str, ok: bool = True) -> None:
        self._metaflow(script, "run", *args, ok=ok)

    def resume(self, script: str, *args: str, ok: bool = True) -> None:
        """``resume`` the flow's latest run: finished steps cloned, the rest run again."""
        self._metaflow(script, "resume", *args, ok=ok)

    def _metaflow(self, script: str, command: str, *args: str, ok: bool) -> None:
        env = {
            **os.environ,
            "METAFLOW_DATASTORE_SYSROOT_LOCAL": str(self.folder),
            "METAFLOW_DEFAULT_METADATA": "local",
            "METAFLOW_DEFAULT_DATASTORE": "local",
            "METAFLOW_CLIENT_CACHE_PATH": str(self.folder / "client-cache"),
            "USERNAME": "tester",
            "LINEAGE_EXAMPLE_MARKERS": str(self.folder),
        }
        done = subprocess.run(
            [sys.executable, str(FLOWS / script), "--no-pylint", command, *args],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert (done.returncode == 0) == ok, done.stdout + done.stderr

    @property
    def root(self) -> Path:
        return self.folder / ".metaflow"


def example_runs(folder: Path) -> Datastore:
    """Every example flow run once, the training flow twice (the second run fails), each with
    a run tag of what it read."""
    store = Datastore(folder)
    store.run("ingest_flow.py", "--tag", "lineage.reads:hive://catalog.titles")
    store.run("feature_flow.py")
    store.run("train_flow.py", "--tag", "lineage.writes:model://recommendation-candidate")
    store.run("train_flow.py", "--fail", "true", ok=False)
    return store
