"""Strict JSON: what Python's ``json`` reads beyond JSON, or fails on with a traceback, is a
``ParseError`` naming the file and line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lineage.errors import ParseError
from lineage.importers.safe_json import parse_json

REFUSED = [
    ('{\n "a": NaN}', 2, "NaN is not a JSON value"),
    ('{"a": -Infinity}', 1, "-Infinity is not a JSON value"),
    ('{"a":\n\n 1e400}', 3, "the number 1e400 is too large to hold"),
    ('{"a": ' + "9" * 5000 + "}", 1, "an integer of 5,000 digits is too long to read"),
    ('{"a":\n "x\\ud800"}', 2, "a lone surrogate (\\ud800)"),
    ('{"\\uDC00": 1}', 1, "a lone surrogate (\\udc00)"),
    ('{"a": [1,\n 2', 2, "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, None, "JSON nested too deeply to read"),
]


@pytest.mark.parametrize(("text", "line", "message"), REFUSED)
def test_what_is_not_json_is_refused_at_its_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_json(text, "x.json")
    assert (caught.value.source, caught.value.line) == ("x.json", line)
    assert message in caught.value.message


def test_surrogate_pairs_and_escaped_backslashes_read_as_text() -> None:
    assert parse_json('["\\ud83d\\ude00", "\\\\ud800", 1.5e300, 12]', "x") == [
        "\U0001f600",
        "\\ud800",
        1.5e300,
        12,
    ]


PIECES = [
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    '"',
    "\\ud800",
    "\\udc00",
    "1e999",
    "NaN",
    "-",
    "9" * 40,
    "0",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)  # fmt: skip


@given(st.text(max_size=200) | st.builds("".join, st.lists(st.sampled_from(PIECES))))
def test_any_text_is_a_value_a_writer_can_write_or_a_parse_error(text: str) -> None:
    try:
        value = parse_json(text, "x")
    except ParseError as refused:
        assert refused.message
        return
    json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")  # no NaN, no lone half


@given(json_values)
def test_json_a_writer_wrote_reads_back(value: object) -> None:
    assert parse_json(json.dumps(value), "x") == value
