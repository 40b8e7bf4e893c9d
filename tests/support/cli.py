"""Run ``lineage`` in-process against one store, as a user would from a shell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from lineage.config import Backend, StoreSettings


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Cli:
    """``cli("downstream", "DS1", "--json")`` runs the command on ``settings``' store."""

    settings: StoreSettings

    def env(self) -> dict[str, str]:
        env = {
            "LINEAGE_STORE": self.settings.backend.value,
            "LINEAGE_DB": str(self.settings.db_path),
        }
        if self.settings.backend is Backend.NEO4J:
            env["NEO4J_URI"] = self.settings.neo4j_uri
        return env

    def __call__(self, *args: str | Path) -> CliResult:
        from lineage.cli import cli

        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], env=self.env(), catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)
