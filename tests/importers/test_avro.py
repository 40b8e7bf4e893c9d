"""The Avro importer: every layout registries and repositories use, one schema node per
subject with its versions and breaking steps, topics by naming strategy or ``schemas.yaml``,
and clear errors that import nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fastavro.schema
import pytest
from support import EXAMPLES
from support.cli import Cli

from lineage.errors import InputError, ParseError
from lineage.importers.avro import AvroImporter
from lineage.importers.base import ImportRequest
from lineage.model import Direction, EdgeType, ImportBatch, Node, NodeId
from lineage.service import import_files
from lineage.store.base import GraphStore


def record(
    name: str, *fields: dict[str, Any], namespace: str | None = "com.acme"
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "record", "name": name, "fields": list(fields)}
    if namespace:
        schema["namespace"] = namespace
    return schema


def field(name: str, type_: Any, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **more}


HAS_SCHEMA = frozenset({EdgeType.HAS_SCHEMA})
ORDER_V1 = record("Order", field("id", "long"), field("amount", "double"))
ORDER_V2 = record(
    "Order", field("id", "long"), field("amount", "double"), field("customer", "string")
)


def write(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2))
    return path


def read(path: Path) -> ImportBatch:
    (batch,) = AvroImporter().run(ImportRequest.of_paths([path]))
    return batch


def schema_node(batch: ImportBatch, subject: str) -> Node:
    return next(n for n in batch.nodes if n.id == NodeId(f"schema:{subject}"))


def has_schema(batch: ImportBatch) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in batch.edges if e.type is EdgeType.HAS_SCHEMA}


# -- layouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["v{n}.avsc", "{n}.avsc", "V{n}.avsc"])
def test_a_subject_folder_holds_its_versions(tmp_path: Path, style: str) -> None:
    write(tmp_path / "orders-value" / style.format(n=1), ORDER_V1)
    write(tmp_path / "orders-value" / style.format(n=2), ORDER_V2)
    node = schema_node(read(tmp_path), "orders-value")
    assert node.properties["version"] == 2
    assert [v["version"] for v in node.properties["versions"]] == [1, 2]
    assert [f["path"] for f in node.properties["fields"]] == ["id", "amount", "customer"]


def test_a_flat_folder_names_each_subject_by_its_file(tmp_path: Path) -> None:
    write(tmp_path / "orders-value.avsc", ORDER_V1)
    write(tmp_path / "payments.avsc", record("Payment", field("id", "long")))
    batch = read(tmp_path)
    assert {n.id for n in batch.nodes if n.kind.value == "schema"} == {
        "schema:orders-value",
        "schema:payments",
    }


def test_a_top_level_array_makes_each_named_type_a_subject(tmp_path: Path) -> None:
    types = [
        {"type": "enum", "name": "Currency", "namespace": "com.acme", "symbols": ["EUR", "USD"]},
        record("Price", field("amount", "double"), field("currency", "Currency")),
    ]
    batch = read(write(tmp_path / "types.avsc", types))
    price = schema_node(batch, "com.acme.Price")
    assert schema_node(batch, "com.acme.Currency").properties["record"] == "com.acme.Currency"
    assert {"path": "currency", "type": "com.acme.Currency"} in price.properties["fields"]


def test_a_registry_export_holds_subjects_versions_ids_and_references(tmp_path: Path) -> None:
    address = record("Address", field("city", "string"))
    customer = record("Customer", field("id", "long"), field("home", "com.acme.Address"))
    export = [
        {"subject": "address", "version": 1, "id": 7, "schema": json.dumps(address)},
        {
            "subject": "customers-value",
            "version": 3,
            "id": 12,
            "schemaType": "AVRO",
            "schema": json.dumps(customer),
            "references": [{"name": "com.acme.Address", "subject": "address", "version": 1}],
        },
        {"subject": "legacy-value", "version": 1, "id": 13, "schemaType": "PROTOBUF",
         "schema": "syntax = 'proto3';"},
    ]  # fmt: skip
    batch = read(write(tmp_path / "export.json", export))
    node = schema_node(batch, "customers-value")
    assert node.properties["versions"][0]["id"] == 12
    assert [f["path"] for f in node.properties["fields"]] == ["id", "home", "home.city"]
    assert [w.message for w in batch.warnings] == ["a PROTOBUF schema, not Avro"]


def test_one_exported_entry_as_an_object_reads_too(tmp_path: Path) -> None:
    entry = {"subject": "orders-value", "version": 4, "id": 99, "schema": json.dumps(ORDER_V1)}
    node = schema_node(read(write(tmp_path / "one.json", entry)), "orders-value")
    assert (node.properties["version"], node.properties["versions"][0]["id"]) == (4, 99)


def test_named_types_resolve_across_files_and_namespaces(tmp_path: Path) -> None:
    write(tmp_path / "common" / "address.avsc", record("Address", field("city", "string")))
    write(
        tmp_path / "people-value.avsc",
        record("Person", field("home", ["null", "Address"], default=None)),
    )  # a short name, resolved in the record's namespace
    node = schema_node(read(tmp_path), "people-value")
    assert "home.city" in [f["path"] for f in node.properties["fields"]]


# -- what a schema node holds --------------------------------------------------------------


def test_versions_carry_the_rabin_fingerprint_of_the_canonical_form(tmp_path: Path) -> None:
    node = schema_node(read(write(tmp_path / "orders-value.avsc", ORDER_V1)), "orders-value")
    canonical = fastavro.schema.to_parsing_canonical_form(fastavro.schema.parse_schema(ORDER_V1))
    expected = fastavro.schema.fingerprint(canonical, "CRC-64-AVRO")
    assert node.properties["versions"][0]["fingerprint"] == expected


def test_fields_keep_type_default_doc_and_aliases_nested_as_dotted_paths(tmp_path: Path) -> None:
    schema = record(
        "Event",
        field("at", {"type": "long", "logicalType": "timestamp-millis"}, doc="When."),
        field("who", record("Who", field("id", "long"),
                            field("tags", {"type": "array", "items": "string"}))),
        field("note", ["null", "string"], default=None, aliases=["comment"]),
    )  # fmt: skip
    node = schema_node(read(write(tmp_path / "events-value.avsc", schema)), "events-value")
    assert node.properties["fields"] == [
        {"path": "at", "type": "long (timestamp-millis)", "doc": "When."},
        {"path": "who", "type": "com.acme.Who"},
        {"path": "who.id", "type": "long"},
        {"path": "who.tags", "type": "array<string>"},
        {"path": "note", "type": "null | string", "default": None, "aliases": ["comment"]},
    ]


def test_each_breaking_step_between_versions_is_listed(tmp_path: Path) -> None:
    write(tmp_path / "orders-value" / "v1.avsc", ORDER_V1)
    write(tmp_path / "orders-value" / "v2.avsc", ORDER_V2)  # a field without a default
    v3 = record("Order", field("id", "long"), field("amount", "double"),
                field("customer", "string"), field("note", "string", default=""))  # fmt: skip
    write(tmp_path / "orders-value" / "v3.avsc", v3)  # compatible both ways
    node = schema_node(read(tmp_path), "orders-value")
    (step,) = node.properties["breaking_changes"]
    assert (step["version"], step["from_version"], step["field"]) == (2, 1, "customer")
    assert step["direction"] == "new reads old"
    assert "customer" in step["message"] and "no default" in step["message"]
    assert node.properties["last_breaking_change"] == 2


def test_topics_come_from_the_registry_naming_strategies(tmp_path: Path) -> None:
    write(tmp_path / "orders-value.avsc", ORDER_V1)
    write(tmp_path / "orders-key.avsc", '"long"')
    write(tmp_path / "payments-com.acme.Payment.avsc", record("Payment", field("id", "long")))
    write(tmp_path / "com.acme.Refund.avsc", record("Refund", field("id", "long")))
    assert has_schema(read(tmp_path)) == {
        ("topic:orders", "schema:orders-value"),
        ("topic:orders", "schema:orders-key"),
        ("topic:payments", "schema:payments-com.acme.Payment"),
    }  # RecordNameStrategy (the last) names no topic


def test_schemas_yaml_sets_topics_compatibility_and_aliases(tmp_path: Path) -> None:
    write(tmp_path / "orders-value.avsc", ORDER_V1)
    write(tmp_path / "billing.avsc", record("Bill", field("id", "long")))
    write(
        tmp_path / "schemas.yaml",
        "compatibility: forward_transitive\n"
        "subjects:\n"
        "  billing: {topics: [billing.events, billing.replay], aliases: [SCH-BILL]}\n"
        "  orders-value: {compatibility: FULL}\n",
    )
    batch = read(tmp_path)
    bill = schema_node(batch, "billing")
    assert bill.properties["compatibility"] == "FORWARD_TRANSITIVE"
    assert "SCH-BILL" in bill.aliases
    assert schema_node(batch, "orders-value").properties["compatibility"] == "FULL"
    assert ("topic:billing.replay", "schema:billing") in has_schema(batch)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("orders-value.avsc", '{"type": "record",\n"name": "O",\n"fields": [,]}', ":3: not valid"),
        ("orders-value.avsc", record("O", field("a", "Nope")), "unknown type 'Nope'"),
        ("orders-value.avsc", record("O", field("a", "int"), field("a", "long")), "already in use"),
        ("orders-value.avsc", record("O", field("a", "int", default="x")), "must match"),
        ("orders-value.avsc", {"type": "enum", "name": "E", "symbols": ["A", "A"]}, "Duplicate"),
        ("types.avsc", [{"type": "string"}], "not a named type"),
        (
            "export.json",
            [{"subject": "s", "version": 1, "schema": '"long"',
              "references": [{"name": "X", "subject": "gone", "version": 2}]}],
            "does not hold",
        ),
    ],
)  # fmt: skip
def test_invalid_avro_is_an_error_naming_the_file(
    tmp_path: Path, name: str, content: Any, expected: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ParseError) as raised:
        read(tmp_path)
    assert path.name in str(raised.value)
    assert expected in str(raised.value)


def test_a_version_given_twice_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "orders-value" / "v1.avsc", ORDER_V1)
    write(tmp_path / "orders-value" / "1.avsc", ORDER_V2)
    with pytest.raises(ParseError, match="version 1 twice"):
        read(tmp_path)


def test_a_folder_without_schemas_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no \.avsc or \.json"):
        read(tmp_path)


def test_a_bad_file_imports_nothing_and_exits_2(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "good" / "orders-value.avsc", ORDER_V1)
    write(tmp_path / "bad" / "broken-value.avsc", "{")
    before = cli("summary", "--json").stdout
    result = cli("import", "avro", tmp_path / "good", tmp_path / "bad")
    assert result.exit_code == 2
    assert "broken-value.avsc:1" in result.stderr
    assert cli("summary", "--json").stdout == before


# -- one thing, one node --------------------------------------------------------------------


def import_spec_then_schemas(
    store: GraphStore, tmp_path: Path, spec_nodes: str, aliases: str
) -> Path:
    """A lineage spec with ``spec_nodes``, then ``orders-value`` with ``aliases``."""
    spec = write(tmp_path / "spec.lineage.yaml", f"version: 1\nnodes:\n{spec_nodes}edges: []\n")
    import_files(store, "yaml", [spec])
    folder = tmp_path / "schemas"
    write(folder / "orders-value.avsc", ORDER_V1)
    write(folder / "schemas.yaml", f"subjects:\n  orders-value: {{aliases: [{aliases}]}}\n")
    import_files(store, "avro", [folder])
    return folder


def schema_ids(store: GraphStore) -> list[str]:
    return [node.id for node in store.list_nodes() if node.kind.value == "schema"]


def test_a_subject_joins_the_schema_a_document_named_by_its_alias(
    store: GraphStore, tmp_path: Path
) -> None:
    spec_nodes = "  - {id: schema:SCH-ORDER, name: Orders}\n"
    folder = import_spec_then_schemas(store, tmp_path, spec_nodes, "SCH-ORDER")
    node = store.get_nodes([NodeId("schema:SCH-ORDER")])[NodeId("schema:SCH-ORDER")]
    assert node.properties["subject"] == "orders-value"
    assert store.resolve("schema:orders-value") == [NodeId("schema:SCH-ORDER")]
    assert schema_ids(store) == ["schema:SCH-ORDER"]
    import_files(store, "avro", [folder])  # again: still the one node
    assert schema_ids(store) == ["schema:SCH-ORDER"]


def test_an_alias_naming_two_nodes_joins_neither(store: GraphStore, tmp_path: Path) -> None:
    spec_nodes = "  - {id: schema:A, aliases: [SHARED]}\n  - {id: schema:B, aliases: [SHARED]}\n"
    import_spec_then_schemas(store, tmp_path, spec_nodes, "SHARED")
    assert schema_ids(store) == ["schema:A", "schema:B", "schema:orders-value"]


def test_a_topic_a_document_knows_by_another_id_is_the_same_topic(
    store: GraphStore, tmp_path: Path
) -> None:
    spec_nodes = "  - {id: topic:order-stream, name: Order stream, aliases: [orders]}\n"
    import_spec_then_schemas(store, tmp_path, spec_nodes, "SCH-ORDER")
    assert [n.id for n in store.list_nodes() if n.kind.value == "topic"] == ["topic:order-stream"]
    edges = store.edges_of(
        [NodeId("schema:orders-value")], direction=Direction.UPSTREAM, types=HAS_SCHEMA
    )
    assert [e.source for e in edges] == [NodeId("topic:order-stream")]


def test_the_example_schemas_join_the_example_platform(store: GraphStore) -> None:
    import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
    import_files(store, "c4", [EXAMPLES / "docs"])
    import_files(store, "avro", [EXAMPLES / "avro"])
    view = store.get_nodes([NodeId("schema:SCH-VIEW")])[NodeId("schema:SCH-VIEW")]
    assert view.properties["subject"] == "views.raw-value"
    assert view.properties["version"] == 3
    edges = store.edges_of(
        [NodeId("schema:SCH-VIEW")], direction=Direction.UPSTREAM, types=HAS_SCHEMA
    )
    assert NodeId("topic:views.raw") in {e.source for e in edges}
