"""A query text that validated once is neither parsed nor validated again; an invalid one is
refused every time, with its errors; the cache stays bounded."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse
from strawberry.schema import schema as strawberry_schema

from lineage.api.documents import DocumentCache
from lineage.api.schema import build_schema
from lineage.api.settings import ServiceSettings

pytestmark = pytest.mark.anyio


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts strawberry's validations (the call every request without a cached document
    makes)."""
    seen: list[str] = []
    validate = strawberry_schema.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        seen.append("validated")
        return validate(schema, document, rules)

    monkeypatch.setattr(strawberry_schema, "validate_document", counting)
    return seen


async def test_a_valid_query_is_validated_once(validations: list[str]) -> None:
    schema = build_schema()
    first = await schema.execute("{ __typename }")
    second = await schema.execute("{ __typename }")
    assert first.errors is None and second.errors is None
    assert first.data == second.data == {"__typename": "Query"}
    assert validations == ["validated"]


async def test_an_invalid_query_is_refused_every_time(validations: list[str]) -> None:
    schema = build_schema()
    answers = [await schema.execute("{ noSuchField }") for _ in range(2)]
    assert all(answer.errors for answer in answers)
    assert validations == ["validated", "validated"]


async def test_a_query_over_the_cost_limit_is_refused_every_time() -> None:
    schema = build_schema(ServiceSettings(max_query_cost=5))
    query = "{ nodes(first: 50) { nodes { id name } } }"
    for _ in range(2):
        answer = await schema.execute(query)
        assert answer.errors
        assert answer.errors[0].extensions["code"] == "COST_LIMIT"


def test_the_cache_keeps_the_most_recently_used() -> None:
    cache = DocumentCache(size=2)
    for query in ("{ a }", "{ b }"):
        cache.put(query, parse(query))
    assert cache.get("{ a }") is not None  # "{ b }" is now the least recently used
    cache.put("{ c }", parse("{ c }"))
    assert len(cache) == 2
    assert cache.get("{ b }") is None
    assert cache.get("{ a }") is not None and cache.get("{ c }") is not None


def test_long_query_texts_are_not_kept() -> None:
    cache = DocumentCache(max_chars=10)
    query = "{ aVeryLongFieldName }"
    cache.put(query, parse(query))
    assert len(cache) == 0
