"""The Avro importer reading a live registry over its REST API (served from the project's own
schema files on 127.0.0.1): the same nodes as the files, paging, credentials, retries, and
clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import EXAMPLES
from support.cli import Cli
from support.registry import FakeRegistry, serving

from lineage.errors import InputError
from lineage.importers.avro import AvroImporter
from lineage.importers.avro import registry as registry_module
from lineage.importers.avro.registry import Registry
from lineage.importers.base import ImportRequest
from lineage.model import ImportBatch, Node

SCHEMAS = EXAMPLES / "avro"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_module, "BACKOFF", 0.01)


def read(url: str, **options: str) -> ImportBatch:
    (batch,) = AvroImporter().run(ImportRequest((url,), options))
    return batch


def schemas(batch: ImportBatch) -> dict[str, Node]:
    return {node.id: node for node in batch.nodes if node.kind.value == "schema"}


def test_a_registry_gives_the_nodes_its_schema_files_give() -> None:
    registry = FakeRegistry.of_folder(SCHEMAS)
    registry.levels["views.raw-value"] = "FULL"
    with serving(registry) as url:
        batch = read(url)
    from_files = schemas(AvroImporter().read(SCHEMAS))
    from_registry = schemas(batch)
    assert sorted(from_registry) == sorted(
        node_id for node_id in from_files if not node_id.startswith("schema:search")
    )  # the export file's subjects are not folders the fake registry serves
    for node_id, node in from_registry.items():
        expected = from_files[node_id]
        for key in ("fields", "record", "version", "breaking_changes"):
            assert node.properties[key] == expected.properties[key], (node_id, key)
        fingerprints = [v["fingerprint"] for v in node.properties["versions"]]
        assert fingerprints == [v["fingerprint"] for v in expected.properties["versions"]]
    view = from_registry["schema:views.raw-value"]
    assert view.properties["compatibility"] == "FULL"
    served = [entry.id for entry in registry.subjects["views.raw-value"]]
    assert [v["id"] for v in view.properties["versions"]] == served
    assert batch.origin == f"avro:{url}"


@pytest.mark.parametrize("pages", [True, False])
def test_many_subjects_are_read_whether_or_not_the_registry_pages(
    pages: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_module, "PAGE", 7)
    registry = FakeRegistry(pages=pages)
    for i in range(30):
        registry.add(f"t{i:02d}-value", {"type": "record", "name": f"R{i}", "fields": []})
    with serving(registry) as url:
        batch = read(url)
    assert len(schemas(batch)) == 30
    listings = [path for path in registry.requests if path == "/subjects"]
    assert len(listings) == (5 if pages else 1)


def test_registry_references_resolve() -> None:
    registry = FakeRegistry()
    registry.add("address", {"type": "record", "name": "Address", "namespace": "a",
                             "fields": [{"name": "city", "type": "string"}]})  # fmt: skip
    registry.add(
        "people-value",
        {"type": "record", "name": "P", "fields": [{"name": "home", "type": "a.Address"}]},
        references=[{"name": "a.Address", "subject": "address", "version": 1}],
    )
    with serving(registry) as url:
        node = schemas(read(url))["schema:people-value"]
    assert [f["path"] for f in node.properties["fields"]] == ["home", "home.city"]


def test_other_schema_types_are_skipped_with_a_warning() -> None:
    registry = FakeRegistry()
    registry.add("proto-value", "syntax = 'proto3';", schema_type="PROTOBUF")
    registry.add("avro-value", '"string"')
    with serving(registry) as url:
        batch = read(url)
    assert list(schemas(batch)) == ["schema:avro-value"]
    assert [w.message for w in batch.warnings] == ["a PROTOBUF schema, not Avro"]


def test_basic_credentials_and_bearer_tokens_are_sent() -> None:
    basic = FakeRegistry(user="ci", password="s3cret")
    basic.add("a-value", '"long"')
    with serving(basic) as url:
        assert schemas(read(url, auth="ci:s3cret"))
        with pytest.raises(InputError, match="refused the credentials"):
            read(url, auth="ci:wrong")
    bearer = FakeRegistry(token="t0ken")
    bearer.add("a-value", '"long"')
    with serving(bearer) as url:
        assert schemas(read(url, token="t0ken"))
        with pytest.raises(InputError, match="HTTP 401"):
            read(url)


def test_busy_and_failing_answers_are_retried_with_backoff() -> None:
    registry = FakeRegistry(failures=[(503, {}), (429, {"Retry-After": "0"}), (502, {})])
    registry.add("a-value", '"long"')
    with serving(registry) as url:
        assert schemas(read(url))
    assert registry.requests[:4] == ["/subjects"] * 4


def test_a_registry_that_keeps_failing_is_an_input_error() -> None:
    registry = FakeRegistry(failures=[(500, {})] * (registry_module.RETRIES + 1))
    with serving(registry) as url, pytest.raises(InputError, match="HTTP 500"):
        read(url)


def test_an_unreachable_registry_is_an_input_error() -> None:
    with serving(FakeRegistry()) as url:
        pass  # stopped: nothing listens there any more
    with pytest.raises(InputError, match="cannot reach the registry"):
        read(url)


def test_credentials_without_a_registry_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no registry URL"):
        AvroImporter().configure(ImportRequest((str(SCHEMAS),), {"auth": "a:b"}))
    with pytest.raises(InputError, match="user:password"):
        AvroImporter().configure(ImportRequest(("http://127.0.0.1:1",), {"auth": "nopassword"}))


def test_the_cli_imports_a_registry_and_reports_refused_credentials(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = FakeRegistry.of_folder(SCHEMAS)
    registry.user, registry.password = "ci", "pw"
    with serving(registry) as url:
        refused = cli("import", "avro", "--registry", url, "--registry-auth", "ci:nope")
        done = cli("import", "avro", "--registry", url, "--registry-auth", "ci:pw", "--json")
    assert refused.exit_code == 2 and "refused the credentials" in refused.stderr
    assert done.exit_code == 0, done.stderr
    (origin,) = json.loads(done.stdout)["imported"]
    assert origin["origin"] == f"avro:{url}" and origin["nodes"] > 0


def test_a_bearer_token_comes_from_the_environment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = FakeRegistry(token="from-env")
    registry.add("a-value", '"long"')
    monkeypatch.setenv("LINEAGE_REGISTRY_TOKEN", "from-env")
    with serving(registry) as url:
        assert cli("import", "avro", "--registry", url).exit_code == 0


def test_the_registry_url_keeps_no_credentials() -> None:
    assert (
        Registry("http://127.0.0.1:8081/apis/ccompat/v7/").name
        == "http://127.0.0.1:8081/apis/ccompat/v7"
    )
