"""Every file importer and the configuration reader, fuzzed with Hypothesis: whatever a file
holds, reading it gives batches or one of the documented errors (``InputError``, whose
``ParseError`` names the file), never another exception. The Mermaid and C4 readers have
fuzzers of their own (``test_mermaid_robustness.py``, ``test_c4_fuzz.py``)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.config_file import load_config
from lineage.errors import InputError
from lineage.importers import ImportRequest, get_importer
from lineage.model import ImportBatch

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_PIECES = [
    "version: 1\n", "nodes:\n", "edges:\n", "  - ", "id: ", "topic:a", "job:b", "from: ", "to: ",
    "{", "}", "[", "]", ", ", ": ", "\n", "    ", "&x ", "*x", "<<: ", "!!str ", "!!python/object ",
    '"', "'", "\\ud800", "1e400", "9" * 30, "-", "? ", "|\n", ">\n", "#", "\t", "~", "null",
    "mode: streaming\n", "freshness: 1h\n", "last_updated: 2026-02-30\n", "\x00", "\ufeff",
]  # fmt: skip
JSON_PIECES = [
    "{", "}", "[", "]", ",", ":", '"', '"type"', '"record"', '"name"', '"fields"', '"items"',
    '"array"', '"map"', '"values"', '"union"', '"null"', '"string"', '"enum"', '"symbols"',
    '"namespace"', '"subject"', '"version"', '"schema"', '"references"', '"default"', "1",
    "NaN", "1e400", "9" * 30, "true", "null", '"\\ud800"', '"a.b"', '"logicalType"', " ",
    '"flows"', '"runs"', '"steps"', '"format"', '"graph"', '"decorators"', '"lineage"',
]  # fmt: skip


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=200),
        st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=5)), max_size=80).map("".join),
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    | st.sampled_from(["record", "array", "map", "enum", "fixed", "string", "long", "null"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(
        ["type", "name", "fields", "items", "values", "symbols", "size", "namespace", "default",
         "subject", "version", "schema", "flows", "runs", "steps", "graph", "lineage"]
    ), inner, max_size=5),
    max_leaves=20,
)  # fmt: skip
"""JSON of the right vocabulary in wrong shapes: what gets past the JSON reader."""


def _read(format_name: str, text: str, suffix: str, *, export_flag: bool = False) -> None:
    """Import ``text`` as a file of ``format_name``: batches, or a documented error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        importer = get_importer(format_name)
        target = f"export={path}" if export_flag else str(path)
        try:
            batches = list(importer.extract(importer.configure(ImportRequest((target,)))))
        except InputError as refused:
            assert str(refused)
            return
        assert all(isinstance(batch, ImportBatch) for batch in batches)


@SETTINGS
@given(_text(YAML_PIECES))
def test_the_yaml_spec_reader_never_raises_anything_else(text: str) -> None:
    _read("yaml", text, ".yaml")


@SETTINGS
@given(_text(JSON_PIECES) | json_values.map(json.dumps))
def test_the_avro_reader_never_raises_anything_else(text: str) -> None:
    _read("avro", text, ".avsc")


@SETTINGS
@given(
    json_values.map(lambda value: json.dumps([{"subject": "s", "version": 1, "schema": value}]))
    | json_values.map(lambda value: json.dumps([{"subject": "s", "version": 1,
                                                 "schema": json.dumps(value)}]))
)  # fmt: skip
def test_the_avro_registry_export_reader_never_raises_anything_else(text: str) -> None:
    _read("avro", text, ".json")


@SETTINGS
@given(_text(JSON_PIECES) | json_values.map(json.dumps))
def test_the_metaflow_export_reader_never_raises_anything_else(text: str) -> None:
    _read("metaflow", text, ".json", export_flag=True)


CONFIG_PIECES = [
    *YAML_PIECES, "store: ", "backend: ", "embedded", "neo4j", "roots: ", "./", "../", "imports: ",
    "name: ", "importer: ", "paths: ", "schedule: ", "15m", "* * * * *", "rollup: ", "keep: ",
    "api: ", "token_env: ", "freshness: ", "model: ", "1d",
]  # fmt: skip


@SETTINGS
@given(_text(CONFIG_PIECES))
def test_the_configuration_reader_never_raises_anything_else(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lineage.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_config(path, env={})
        except InputError as refused:
            assert str(refused)
