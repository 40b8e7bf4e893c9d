"""lineage.yaml: the example loads; every mistake is reported with its file and line (exit 2
from the CLI) before anything runs; settings order: flags, environment, file, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import EXAMPLES

from lineage.cli import cli
from lineage.config import Backend, StoreSettings
from lineage.config_file import EnvValue, load_config
from lineage.errors import ParseError
from lineage.model import Kind


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    path = tmp_path / "lineage.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_configuration_wires_every_importer_to_the_example_data() -> None:
    config = load_config(EXAMPLES / "lineage.yaml")
    assert {job.importer for job in config.imports} == {"yaml", "c4", "avro", "metaflow"}
    assert config.roots == (EXAMPLES.resolve(),)
    for job in config.imports:
        assert job.schedule is not None and job.paths
        assert all(path.exists() and not config.outside_roots(path) for path in job.paths)
    assert config.rollup.schedule is not None and config.rollup.schedule.every_seconds == 300
    assert config.store.db_path == (EXAMPLES / ".." / ".lineage" / "lineage.db").resolve()
    assert config.freshness[Kind.MODEL] == 86400


def test_the_shape_of_the_issue_reads_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
store: {backend: embedded, path: .lineage/lineage.db}
roots: [./]
imports:
  - {name: platform-docs, importer: c4, paths: [docs/], schedule: 15m}
  - {name: schemas, importer: avro, url: "http://127.0.0.1:8081", schedule: "*/30 * * * *"}
rollup: {schedule: 5m}
""",
    )
    config = load_config(path)
    docs, schemas = config.imports
    assert (docs.schedule and docs.schedule.every_seconds) == 900
    assert schemas.schedule and schemas.schedule.every_seconds is None
    assert schemas.urls == ("http://127.0.0.1:8081",)
    assert config.store.db_path == tmp_path.resolve() / ".lineage" / "lineage.db"


def test_options_take_lists_and_read_secrets_from_the_environment_when_run(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
roots: [./]
imports:
  - name: runs
    importer: metaflow
    url: http://127.0.0.1:9/
    options: {flow: [TrainFlow, FeatureFlow], auth_key: {env: MF_KEY}, since: 2026-11-01}
""",
    )
    (job,) = load_config(path).imports
    assert job.options["auth_key"] == EnvValue("MF_KEY")
    request = job.request({"MF_KEY": "s3cret"})
    assert request.options == {
        "flow": "TrainFlow,FeatureFlow",
        "auth_key": "s3cret",
        "since": "2026-11-01",
    }
    assert "auth_key" not in job.request({}).options


def test_the_token_comes_from_the_variable_the_file_names(tmp_path: Path) -> None:
    path = write(tmp_path, "api: {token_env: MY_TOKEN, require_token_for_reads: true}\n")
    config = load_config(path, {"MY_TOKEN": "t0k3n"})
    assert (config.api_token, config.require_token_for_reads) == ("t0k3n", True)
    assert "t0k3n" not in repr(config)


def test_cors_origins_are_read_as_browser_origins(tmp_path: Path) -> None:
    path = write(tmp_path, "api:\n  cors_origins: [http://127.0.0.1:3000/, https://d.example]\n")
    assert load_config(path).cors_origins == ("http://127.0.0.1:3000", "https://d.example")


BAD = [
    ("stores: {}\n", 1, "unknown key 'stores'"),
    ("store: {backend: oracle}\n", 1, "store.backend 'oracle' is not one of"),
    ("roots: [./]\nimports:\n  - {name: a, importer: c4, paths: [docs/], schedule: 15x}\n", 3,
     "neither an interval"),
    ("roots: [./]\nimports:\n  - {name: a, importer: c4, paths: [docs/], schedule: '61 * * * *'}\n",
     3, "cron expression '61 * * * *' is not valid"),
    ("roots: [./]\nimports:\n  - {name: a, importer: word, paths: [docs/]}\n", 3,
     "importer 'word' is not one of"),
    ("roots: [./]\nimports:\n  - {name: a, importer: c4}\n", 3, "reads nothing"),
    ("roots: [./docs]\nimports:\n  - {name: a, importer: c4, paths: [../]}\n", 3,
     "outside the roots"),
    ("imports:\n  - {name: a, importer: c4, paths: [docs/]}\n", 2, "no 'roots' allow any"),
    ("roots: [./]\nimports:\n  - {name: a, importer: c4, paths: [docs/]}\n"
     "  - {name: a, importer: yaml, paths: [docs/]}\n", 4, "the job name 'a' is taken"),
    ("roots: [./]\nimports:\n  - {name: rollup, importer: c4, paths: [docs/]}\n", 3, "is taken"),
    ("api: {token: x, token_env: Y}\n", 1, "not both"),
    ("api: {require_token_for_reads: true}\n", 1, "needs a token"),
    ("freshness: {modle: 1d}\n", 1, "'modle' is not a kind"),
    ("freshness: {model: whenever}\n", 1, "gives no time bound"),
    ("rollup: {schedule: 5m, keep: 0}\n", 1, "rollup.keep must be"),
    ("rollup: {schedule: 5m, every: 1}\n", 1, "unknown key 'every'"),
    ("imports: {name: a}\n", 1, "'imports' must be a list"),
    ("store: [1, 2]\n", 1, "store must be a mapping"),
    ("roots: [./]\nroots: [../]\n", 2, "appears twice"),
    ("store: {backend: embedded\n", 1, "not valid YAML"),
    ("api: {token: [a, b]}\n", 1, "api.token must be text"),
    ("api:\n  cors_origins:\n    - http://127.0.0.1:3000\n    - '*'\n", 4,
     "'*' is not a browser origin"),
    ("api: {cors_origins: http://a.example}\n", 1, "'cors_origins' must be a list"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), BAD, ids=[m for _, _, m in BAD])
def test_a_mistake_is_reported_with_its_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ParseError) as raised:
        load_config(path)
    assert raised.value.line == line
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_the_cli_refuses_a_bad_configuration_with_exit_2_before_touching_a_store(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "rollup: {schedule: sometimes}\n")
    db = tmp_path / "never.db"
    result = CliRunner().invoke(cli, ["--config", str(path), "--db", str(db), "summary"])
    assert result.exit_code == 2
    assert f"{path}:1:" in result.stderr and "neither an interval" in result.stderr
    assert not db.exists()
    from_env = CliRunner().invoke(cli, ["summary"], env={"LINEAGE_CONFIG": str(path)})
    assert from_env.exit_code == 2 and f"{path}:1:" in from_env.stderr


def test_flags_win_over_the_environment_which_wins_over_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "store: {backend: neo4j, uri: 'bolt://127.0.0.1:1', path: f.db}\n")
    file_settings = load_config(path).store
    assert StoreSettings.from_env({}, base=file_settings).backend is Backend.NEO4J
    from_env = StoreSettings.from_env(
        {"LINEAGE_STORE": "embedded", "LINEAGE_DB": "env.db"}, base=file_settings
    )
    assert (from_env.backend, from_env.db_path) == (Backend.EMBEDDED, Path("env.db"))
    flagged = StoreSettings.from_env(
        {"LINEAGE_DB": "env.db"}, backend="embedded", db_path="flag.db", base=file_settings
    )
    assert flagged.db_path == Path("flag.db")
    assert StoreSettings.from_env({}, base=file_settings).neo4j_uri == "bolt://127.0.0.1:1"
