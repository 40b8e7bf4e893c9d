"""How documents name things: documented IDs anywhere in a label, names without them, table cells
that name a node by ID, by ID and name, or by name; each case finds the diagram's node."""

from __future__ import annotations

import textwrap

import pytest

from lineage.importers.c4 import C4Importer
from lineage.importers.c4.evidence import Evidence
from lineage.importers.c4.names import IdDirectory, Reference, read_reference, same_thing_key
from lineage.model import ImportBatch, Kind, Node


def parse(text: str) -> ImportBatch:
    return C4Importer().parse(textwrap.dedent(text), source="doc.md")


def nodes(batch: ImportBatch) -> dict[str, Node]:
    return {node.id: node for node in batch.nodes}


# -- IDs and names in a label (the table of docs/importers/c4.md) -----------------------------


@pytest.mark.parametrize(
    ("label", "doc_id", "name"),
    [
        ("DS-001: Viewing Events", "DS-001", "Viewing Events"),
        ("DS-001 Viewing Events", "DS-001", "Viewing Events"),
        ("ds-001: Viewing Events", "DS-001", "Viewing Events"),
        ("[Model] MDL-CHURN", "MDL-CHURN", "MDL-CHURN"),
        ("[ML Model]\nCHURN-SCORER", "CHURN-SCORER", "CHURN-SCORER"),
        ("Churn Scorer (MDL-017)", "MDL-017", "Churn Scorer"),
        ("Churn Scorer — MDL-017", "MDL-017", "Churn Scorer"),
        ("MDL-017 (Churn Scorer)", "MDL-017", "Churn Scorer"),
        ("[Event Stream] DS-009\nArtwork Impressions", "DS-009", "Artwork Impressions"),
        ("[Event Stream] DS-001\nMember Viewing Events\n100K/s", "DS-001", "Member Viewing Events"),
        ("Churn Scorer\nMDL-017", "MDL-017", "Churn Scorer"),
        ("Churn Scorer\n(MDL-017)", "MDL-017", "Churn Scorer"),
        ("Churn Scorer\nID: MDL-017", "MDL-017", "Churn Scorer"),
        ("[Kafka Stream]\nDS-002: UI Interactions", "DS-002", "UI Interactions"),
        ("INV-204: Invoices", "INV-204", "Invoices"),
        ("MDL-017\nFreshness: daily", "MDL-017", "MDL-017"),
    ],
)
def test_a_documented_id_anywhere_in_a_label_is_the_key(label: str, doc_id: str, name: str):
    evidence = Evidence("box", label)
    assert (evidence.documented_id, evidence.name) == (doc_id, name)


@pytest.mark.parametrize(
    "label",
    [
        "Encoder (UTF-8)",
        "Tokenizer (GPT-4)",
        "Real-time Scoring",
        "Flink: Dedup + Validate",
        "Batch ETL\nsub-second p99",
        "Search Models\nConsumes: query + member features",
    ],
)
def test_upper_case_codes_elsewhere_are_not_ids(label: str):
    assert Evidence("box", label).documented_id is None


# -- table cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "reference"),
    [
        ("MDL-017", ("MDL-017", None, False)),
        ("MDL-017 (Churn Scorer)", ("MDL-017", "Churn Scorer", True)),
        ("Churn Scorer (MDL-017)", ("MDL-017", "Churn Scorer", True)),
        ("MDL-017: Churn Scorer", ("MDL-017", "Churn Scorer", True)),
        ("CHURN-SCORER (Churn Scorer)", ("CHURN-SCORER", "Churn Scorer", True)),
        ("MDL-SEARCH training", ("MDL-SEARCH", "training", False)),  # an ID and a note
        ("Churn Scorer", (None, "Churn Scorer", False)),
        ("MDL_REC", (None, "MDL_REC", False)),
    ],
)
def test_a_cell_names_a_node_by_id_by_id_and_name_or_by_name(cell: str, reference: tuple):
    assert read_reference(cell) == Reference(cell, *reference)


def test_a_name_paired_with_two_ids_pairs_with_none():
    directory = IdDirectory()
    directory.pair("Ingestion", "PL-001")
    directory.pair("Ranker", "MDL-001")
    directory.pair("ingestion", "PL-005")
    directory.pair("Rankers", "MDL-001")
    assert (directory.id_of("Ingestion"), directory.id_of("Ranker")) == (None, "MDL-001")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Recommendation Model", "Recommendation Models"),
        ("Search Query", "Search Queries"),
        ("Movie", "Movies"),
        ("MDL_SEARCH", "mdl-search"),
    ],
)
def test_plurals_case_and_punctuation_do_not_make_another_thing(one: str, other: str):
    assert same_thing_key(one) == same_thing_key(other)


# -- every kind of table finds the diagram's node by ID, by ID (Name) and by name -------------

DIAGRAM = """\
    ```mermaid
    flowchart LR
        src["Billing Events (DS-008)"] --> job["Churn Feature Job"]
        job --> fs["[Feature Set] Churn Features"]
        fs --> scorer["Churn Scorer"]
    ```
    """


@pytest.mark.parametrize("cell", ["MDL-017 (Churn Scorer)", "Churn Scorer (MDL-017)"])
def test_a_freshness_row_pairing_id_and_name_gives_the_box_its_id(cell: str):
    batch = parse(DIAGRAM + f"\n| Model | Freshness SLA |\n|---|---|\n| {cell} | 1 day |\n")
    scorer = nodes(batch)["model:MDL-017"]
    assert (scorer.name, scorer.freshness.seconds, batch.warnings) == ("Churn Scorer", 86400.0, ())
    assert "scorer" in scorer.aliases
    assert not any(node_id.endswith("churn-scorer") for node_id in nodes(batch))


@pytest.mark.parametrize("cell", ["DS-008", "Billing Events", "DS-008 (Billing Events)"])
def test_a_freshness_row_finds_a_node_by_id_or_by_name(cell: str):
    batch = parse(DIAGRAM + f"\n| Node | Freshness |\n|---|---|\n| {cell} | 5 minutes |\n")
    assert nodes(batch)["source:DS-008"].freshness.seconds == 300.0
    assert batch.warnings == ()


@pytest.mark.parametrize(
    ("cell", "user"),
    [
        ("FS-CHURN (Churn Features)", "feature:FS-CHURN"),
        ("Churn Feature Job", "job:churn-feature-job"),
        ("DS-008", "source:DS-008"),
        ("MDL-017 (Churn Scorer)", "model:MDL-017"),
    ],
)
def test_a_used_by_entry_finds_the_diagrams_node(cell: str, user: str):
    batch = parse(DIAGRAM + f"\n| Schema ID | Used By |\n|---|---|\n| SCH-BILL | {cell} |\n")
    assert [(e.source, e.target) for e in batch.edges if e.target == "schema:SCH-BILL"] == [
        (user, "schema:SCH-BILL")
    ]
    assert batch.warnings == ()
    assert len([n for n in batch.nodes if n.kind is not Kind.SCHEMA]) == 4  # no stub


@pytest.mark.parametrize(
    "row",
    [
        "| DS-008 | Billing Events | hourly |",
        "| DS-008 | Billing Event Stream | hourly |",  # by ID: the table renames the box
        "| DS-008 (Billing Events) | | hourly |",
    ],
)
def test_an_inventory_row_finds_the_diagrams_source(row: str):
    batch = parse(DIAGRAM + f"\n| Source ID | Name | Freshness |\n|---|---|---|\n{row}\n")
    sources = [n for n in batch.nodes if n.kind is Kind.SOURCE]
    assert [(n.id, n.freshness.seconds) for n in sources] == [("source:DS-008", 3600.0)]


def test_an_inventory_naming_by_name_only_types_and_enriches_the_box():
    batch = parse(
        DIAGRAM.replace("Billing Events (DS-008)", "Billing Events")
        + "\n| Source | Owner | Refresh |\n|---|---|---|\n| Billing Events | payments | hourly |\n"
    )
    billing = nodes(batch)["source:billing-events"]
    assert (billing.properties["inferred_by"], billing.freshness.seconds) == ("inventory", 3600.0)
    assert billing.properties["owner"] == "payments"


def test_a_name_found_for_an_id_of_another_kind_is_not_that_node():
    batch = parse(
        """\
        ```mermaid
        graph LR
            A["Search Logs"] --> T["Training"]
        ```

        | Schema ID | Used By |
        |---|---|
        | SCH-Q | MDL-SEARCH training |
        """
    )
    users = {e.source for e in batch.edges if e.target == "schema:SCH-Q"}
    assert users == {"model:MDL-SEARCH"}  # a stub: the job box "Training" is not a model
    assert nodes(batch)["job:training"].aliases == ("T", "Training")


def test_a_node_found_by_name_learns_the_id_as_an_alias():
    batch = parse(DIAGRAM + "\n| Node | Freshness |\n|---|---|\n| Churn Feature Job | 1 day |\n")
    assert nodes(batch)["job:churn-feature-job"].freshness.seconds == 86400.0
    batch = parse(
        DIAGRAM.replace('scorer["Churn Scorer"]', 'MDL_17["Churn Scorer [ML]"]').replace(
            "fs --> scorer", "fs --> MDL_17"
        )
        + "\n| Model | Freshness |\n|---|---|\n| MDL-17 | 1 day |\n"
    )
    scorer = next(n for n in batch.nodes if n.kind is Kind.MODEL)
    assert {"MDL_17", "MDL-17"} <= set(scorer.aliases)
    assert scorer.freshness.seconds == 86400.0


def test_boxes_named_alike_in_two_diagrams_share_the_id_one_of_them_gives():
    batch = parse(
        """\
        ```mermaid
        graph LR
            A["Churn Scorer (MDL-017)"] --> B["Offer Service"]
        ```

        ```mermaid
        graph TD
            F["Churn Features"] --> S["Churn Scorer"]
        ```
        """
    )
    models = [n for n in batch.nodes if n.kind is Kind.MODEL]
    assert [(m.id, set(m.aliases) >= {"A", "S"}) for m in models] == [("model:MDL-017", True)]
