"""Responses are always well-formed: a request body that is not a JSON object is a 400 with a
reason, never a 500; a float that is not a number in imported data is null in the response,
never the non-JSON NaN or Infinity."""

from __future__ import annotations

import json

import pytest
from support.api import serve

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.service import import_text, open_store

pytestmark = pytest.mark.anyio

BODIES = [b"[]", b'"query"', b"123", b"null", b"\xff\xfe{}", b"[" * 100_000, b"{"]


@pytest.mark.parametrize(
    "body", BODIES, ids=["array", "string", "number", "null", "not utf-8", "deep", "cut"]
)
async def test_a_body_that_is_not_a_json_object_is_a_400(
    store_settings: StoreSettings, body: bytes
) -> None:
    async with serve(ServiceSettings(store=store_settings)) as api:
        response = await api.client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400, response.text
    assert len(response.text) < 200  # a reason, not the body echoed


def _strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


async def test_not_a_number_in_imported_properties_is_null(store_settings: StoreSettings) -> None:
    store = open_store(store_settings)
    try:
        spec = "version: 1\nnodes:\n  - {id: dataset:odd, ratio: .nan, cap: .inf, floor: -.inf}\n"
        import_text(store, "yaml", spec, origin="odd.yaml")
    finally:
        store.close()
    async with serve(ServiceSettings(store=store_settings)) as api:
        response = await api.client.post(
            "/graphql", json={"query": '{ node(id: "dataset:odd") { properties } }'}
        )
    answer = _strict(response.text)
    assert answer == {"data": {"node": {"properties": {"ratio": None, "cap": None, "floor": None}}}}


async def test_a_huge_search_text_is_bad_input_not_an_unavailable_store(
    store_settings: StoreSettings,
) -> None:
    query = "query($s: String!) { nodes(search: $s) { totalCount } }"
    async with serve(ServiceSettings(store=store_settings)) as api:
        answer = await api.graphql(query, {"s": "x" * 50_000})
        fine = await api.graphql(query, {"s": "x" * 500})
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["BAD_INPUT"]
    assert "50000 characters" in answer["errors"][0]["message"]
    assert len(answer["errors"][0]["message"]) < 200  # the text is not echoed back
    assert "errors" not in fine
