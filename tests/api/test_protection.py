"""What the API refuses, and how: tokens, request limits, error codes, no internals leaked."""

from __future__ import annotations

import itertools
import json
import logging
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.api import codes, load_examples, serve

from lineage.api import ServiceSettings
from lineage.api.auth import authenticate
from lineage.config import Backend, StoreSettings
from lineage.config_file import LineageConfig
from lineage.errors import InputError
from lineage.store import open_store
from lineage.store.base import GraphStore

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-token"
READ = '{ node(id: "DS1") { id } }'
WRITE = """mutation { importDocument(format: YAML, origin: "docs/x.yaml",
  content: "version: 1\\nnodes:\\n  - {id: source:x}\\n") { nodes } }"""


@pytest.fixture
def examples(store_settings: StoreSettings) -> StoreSettings:
    load_examples(store_settings)
    return store_settings


@pytest.mark.parametrize(
    ("reads_need_token", "token", "can_read", "can_write"),
    [
        (False, None, True, False),
        (False, "wrong", True, False),
        (False, TOKEN, True, True),
        (True, None, False, False),
        (True, TOKEN[:-1], False, False),
        (True, TOKEN, True, True),
    ],
)
async def test_token_guards_mutations_and_optionally_reads(
    examples: StoreSettings,
    reads_need_token: bool,
    token: str | None,
    can_read: bool,
    can_write: bool,
) -> None:
    settings = ServiceSettings(
        store=examples, api_token=TOKEN, require_token_for_reads=reads_need_token
    )
    async with serve(settings) as api:
        read = await api.graphql(READ, token=token)
        write = await api.graphql(WRITE, token=token)
    assert codes(read) == ([] if can_read else ["UNAUTHENTICATED"])
    assert codes(write) == ([] if can_write else ["UNAUTHENTICATED"])
    if not can_write:
        assert "Bearer" in write["errors"][0]["message"]


async def test_tokens_never_reach_a_log_or_a_response(
    examples: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:
    """Every logger at DEBUG while the right token and a near miss are sent to reads,
    writes, a failing write, /metrics and a body that is not JSON."""
    caplog.set_level(logging.DEBUG)
    near_miss = TOKEN[:-1] + "X"
    bad_write = WRITE.replace("source:x", "nowhere")  # an id without a kind: BAD_INPUT
    settings = ServiceSettings(store=examples, api_token=TOKEN, require_token_for_reads=True)
    bodies = []
    async with serve(settings) as api:
        for token in (TOKEN, near_miss, None):
            for query in (READ, WRITE, bad_write):
                bodies.append(json.dumps(await api.graphql(query, token=token)))
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            bodies.append((await api.client.get("/metrics", headers=headers)).text)
            bodies.append((await api.client.post("/graphql", content=b"[1", headers=headers)).text)
    logged = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert len(caplog.records) > 0  # the requests were logged, without their tokens
    for secret in (TOKEN, near_miss):
        assert secret not in logged
        assert not [body for body in bodies if secret in body]


async def test_without_a_token_everything_is_open(examples: StoreSettings) -> None:
    async with serve(ServiceSettings(store=examples)) as api:
        assert codes(await api.graphql(WRITE)) == []


@pytest.mark.parametrize(
    ("header", "valid"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (f"Basic {TOKEN}", False),
        (TOKEN, False),
        ("Bearer", False),
        (None, False),
    ],
)
def test_bearer_header_parsing(header: str | None, valid: bool) -> None:
    settings = ServiceSettings(api_token=TOKEN, require_token_for_reads=True)
    assert authenticate(settings, header).can_write is valid


def test_reads_cannot_need_a_token_nobody_set() -> None:
    with pytest.raises(InputError, match="LINEAGE_API_TOKEN"):
        ServiceSettings(require_token_for_reads=True)


NINE_LEVELS = '{ node(id: "DS1") { ' + "neighbours { " * 9 + "id" + " }" * 9 + " } }"


@pytest.mark.parametrize(
    ("query", "message", "expected"),
    [
        (NINE_LEVELS, "depth", {"BAD_INPUT", "COST_LIMIT"}),  # too deep, and too costly
        ("{ " + " ".join(f'a{i}: node(id: "DS1") {{ id }}' for i in range(40)) + " }", "alias",
         {"BAD_INPUT"}),
        ("{ " + " ".join("__typename" for _ in range(3000)) + " }", "token", {"BAD_INPUT"}),
        ("{ node(id: ", "Syntax Error", {"BAD_INPUT"}),
        ('{ lineage(id: "DS1", direction: SIDEWAYS) { truncated } }', "SIDEWAYS", {"BAD_INPUT"}),
    ],
    ids=["depth", "aliases", "tokens", "syntax", "bad-enum"],
)  # fmt: skip
async def test_request_limits_and_bad_documents(
    tmp_path: Path, query: str, message: str, expected: set[str]
) -> None:
    settings = ServiceSettings(store=StoreSettings(db_path=tmp_path / "l.db"), max_query_depth=8)
    async with serve(settings) as api:
        answer = await api.graphql(query)
    assert codes(answer) and set(codes(answer)) == expected
    assert message.lower() in answer["errors"][0]["message"].lower()


class BrokenStore:
    """A real store whose node reads fail the way a bug would."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def get_nodes(self, ids: Any) -> Any:
        raise RuntimeError("secret detail at /srv/private/lineage.db")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


async def test_unexpected_errors_are_masked(examples: StoreSettings) -> None:
    def broken(settings: StoreSettings) -> GraphStore:
        return BrokenStore(open_store(settings))  # type: ignore[return-value]

    async with serve(ServiceSettings(store=examples), store_factory=broken) as api:
        response = await api.client.post("/graphql", json={"query": READ})
    text = response.text
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL"}
    assert "secret" not in text and "Traceback" not in text and "RuntimeError" not in text


def _secrets(settings: StoreSettings) -> list[str]:
    """What a response must not show of the backend: where it is, and operator hints."""
    where = (
        str(settings.db_path)
        if settings.backend is Backend.EMBEDDED
        else settings.neo4j_uri.partition("://")[2]
    )
    return [where, "bolt://", "NEO4J_URI", "LINEAGE_DB", "Traceback", "sqlite", "Neo4j at"]


async def _store_failure(settings: StoreSettings) -> dict[str, Any]:
    """The answer to a read from a store that fails, checked with ``/readyz`` to leak nothing."""
    async with serve(ServiceSettings(store=settings)) as api:
        answer = await api.graphql(READ)
        ready = await api.client.get("/readyz")
        health = await api.client.get("/healthz")
    _assert_not_ready_and_silent(settings, answer, ready)
    assert health.status_code == 200
    return answer


def _assert_not_ready_and_silent(
    settings: StoreSettings, answer: dict[str, Any], ready: httpx.Response
) -> None:
    for text in (json.dumps(answer), ready.text):
        assert not [secret for secret in _secrets(settings) if secret in text], text
    assert codes(answer) == ["UNAVAILABLE"]
    assert answer["data"] == {"node": None}
    assert (ready.status_code, ready.json()) == (
        503,
        {"status": "unavailable", "store": settings.backend.value},
    )


async def test_store_down_is_unavailable_and_not_ready(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unusable = StoreSettings(db_path=tmp_path)  # a folder: SQLite cannot open it
    answer = await _store_failure(unusable)
    assert answer["errors"][0]["message"] == "the graph store is unavailable"
    assert str(tmp_path) in caplog.text  # the operator still learns what failed


async def test_neo4j_refusing_connections_is_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = StoreSettings(backend=Backend.NEO4J, neo4j_uri=f"bolt://127.0.0.1:{port}")
    answer = await _store_failure(closed)
    assert answer["errors"][0]["message"] == "the graph store is unavailable"
    assert f"127.0.0.1:{port}" in caplog.text


async def test_store_failing_underneath_is_unavailable(
    examples: StoreSettings, caplog: pytest.LogCaptureFixture
) -> None:
    opened: list[GraphStore] = []

    def recording(settings: StoreSettings) -> GraphStore:
        opened.append(open_store(settings))
        return opened[-1]

    async with serve(ServiceSettings(store=examples), store_factory=recording) as api:
        assert codes(await api.graphql(READ)) == []
        opened[0].close()  # the database connection (or driver) goes away under the service
        answer = await api.graphql(READ)
        ready = await api.client.get("/readyz")
    _assert_not_ready_and_silent(examples, answer, ready)
    assert answer["errors"][0]["message"].startswith("the graph store failed")
    assert _secrets(examples)[0] in caplog.text


@pytest.mark.neo4j
async def test_neo4j_server_error_is_unavailable(
    neo4j_uri: str, caplog: pytest.LogCaptureFixture
) -> None:
    missing = StoreSettings(
        backend=Backend.NEO4J, neo4j_uri=neo4j_uri, neo4j_database="no-such-database"
    )
    answer = await _store_failure(missing)
    assert "no-such-database" not in answer["errors"][0]["message"]
    assert "no-such-database" in caplog.text


async def test_oversized_bodies_are_refused(tmp_path: Path) -> None:
    settings = ServiceSettings(store=StoreSettings(db_path=tmp_path / "l.db"), max_body_bytes=1000)
    async with serve(settings) as api:
        response = await api.client.post("/graphql", json={"query": READ, "pad": "x" * 2000})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "query",
    ["{ __schema { queryType { name } } }", '{ __type(name: "Node") { name } }',
     "query Sneaky { a: __schema { types { name } } }"],
    ids=["schema", "type", "aliased"],
)  # fmt: skip
async def test_introspection_and_metrics_need_the_token_when_reads_do(
    tmp_path: Path, query: str
) -> None:
    store = StoreSettings(db_path=tmp_path / "l.db")
    settings = ServiceSettings(store=store, api_token=TOKEN, require_token_for_reads=True)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    async with serve(settings) as api:
        refused = await api.graphql(query)
        allowed = await api.graphql(query, token=TOKEN)
        metrics = await api.client.get("/metrics")
        metrics_with_token = await api.client.get("/metrics", headers=bearer)
    assert codes(refused) == ["UNAUTHENTICATED"] and refused["data"] is None
    assert "errors" not in allowed
    assert metrics.status_code == 401 and TOKEN not in metrics.text
    assert metrics_with_token.status_code == 200


async def test_introspection_and_metrics_stay_open_when_only_writes_need_the_token(
    tmp_path: Path,
) -> None:
    settings = ServiceSettings(store=StoreSettings(db_path=tmp_path / "l.db"), api_token=TOKEN)
    async with serve(settings) as api:
        answer = await api.graphql("{ __schema { queryType { name } } }")
        metrics = await api.client.get("/metrics")
    assert answer["data"]["__schema"]["queryType"]["name"] == "Query"
    assert metrics.status_code == 200


PAGE = "http://127.0.0.1:3000"
PREFLIGHT = {"Origin": PAGE, "Access-Control-Request-Method": "POST"}


async def test_cors_is_off_unless_origins_are_configured(examples: StoreSettings) -> None:
    async with serve(ServiceSettings(store=examples)) as api:
        preflight = await api.client.options("/graphql", headers=PREFLIGHT)
        answer = await api.client.post("/graphql", json={"query": READ}, headers={"Origin": PAGE})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code != 200
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


async def test_cors_allows_the_configured_origins_and_no_other(examples: StoreSettings) -> None:
    settings = ServiceSettings(store=examples, cors_origins=(PAGE,))
    async with serve(settings) as api:
        allowed = await api.client.options("/graphql", headers=PREFLIGHT)
        other = await api.client.options(
            "/graphql", headers={**PREFLIGHT, "Origin": "http://evil.example"}
        )
        answer = await api.client.post("/graphql", json={"query": READ}, headers={"Origin": PAGE})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == PAGE
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    assert answer.headers["access-control-allow-origin"] == PAGE


def test_cors_origins_come_from_the_environment_before_the_configuration() -> None:
    config = LineageConfig(cors_origins=("https://dash.example.com",))
    store = StoreSettings()
    from_config = ServiceSettings.from_env(store, {}, config=config)
    from_env = ServiceSettings.from_env(
        store, {"LINEAGE_CORS_ORIGINS": f"{PAGE}/, https://b.example:8443"}, config=config
    )
    assert from_config.cors_origins == ("https://dash.example.com",)
    assert from_env.cors_origins == (PAGE, "https://b.example:8443")


@pytest.mark.parametrize("origin", ["*", "127.0.0.1:3000", "http://a.example/path", "ftp://x"])
def test_an_origin_that_is_not_scheme_host_port_is_refused(origin: str) -> None:
    with pytest.raises(InputError, match="is not a browser origin"):
        ServiceSettings.from_env(StoreSettings(), {"LINEAGE_CORS_ORIGINS": origin})


@pytest.mark.parametrize(
    ("host", "token", "warned"),
    [
        ("127.0.0.1", None, False),
        ("127.0.0.2", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("::", None, True),
        ("10.1.2.3", None, True),
        ("lineage.internal", None, True),
        ("0.0.0.0", TOKEN, False),
    ],
)
def test_serving_beyond_this_machine_without_a_token_warns(
    host: str, token: str | None, warned: bool
) -> None:
    warning = ServiceSettings(host=host, api_token=token).exposure_warning()
    assert (warning is not None) == warned
    if warning:
        assert host in warning and "LINEAGE_API_TOKEN" in warning


IMPORT = """mutation($content: String!) {
  importDocument(format: YAML, origin: "docs/large.yaml", content: $content) { nodes } }"""


def _large_spec(count: int) -> str:
    ids = [f"dataset:large-{i:05d}" for i in range(count)]
    nodes = "".join(f"  - {{id: {i}, name: a dataset named at length, {i}}}\n" for i in ids)
    edges = "".join(f"  - {{from: {a}, to: {b}}}\n" for a, b in itertools.pairwise(ids))
    return f"version: 1\nnodes:\n{nodes}edges:\n{edges}"


@pytest.mark.neo4j
async def test_an_import_too_large_for_a_store_transaction_is_too_large_and_changes_nothing(
    small_transaction_neo4j: str,
) -> None:
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=small_transaction_neo4j)
    with open_store(settings) as store:
        store.wipe()
    load_examples(settings)
    count = "{ nodes(first: 0) { totalCount } }"
    async with serve(ServiceSettings(store=settings, scheduler=False)) as api:
        before = await api.data(count)
        answer = await api.graphql(IMPORT, {"content": _large_spec(5_000)})
        after = await api.data(count)
    assert codes(answer) == ["TOO_LARGE"]
    message = answer["errors"][0]["message"]
    assert "nothing was changed" in message and small_transaction_neo4j not in message
    assert after == before
