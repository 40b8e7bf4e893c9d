"""The C4/Mermaid document importer on small documents: ids, aliases, modes, subgraph edges,
overrides, tables, warnings with file:line and --strict."""

from __future__ import annotations

import textwrap
from pathlib import Path

from support.cli import Cli

from lineage.importers import get_importer
from lineage.importers.c4 import C4Importer
from lineage.model import EdgeType, ImportBatch, Kind, Mode, Role


def parse(text: str, source: str = "doc.md") -> ImportBatch:
    return C4Importer().parse(textwrap.dedent(text), source=source)


def mermaid(body: str, source: str = "doc.md") -> ImportBatch:
    return parse("```mermaid\n" + textwrap.dedent(body) + "```\n", source)


def node(batch: ImportBatch, node_id: str):
    found = {n.id: n for n in batch.nodes}
    assert node_id in found, sorted(found)
    return found[node_id]


def edges(batch: ImportBatch, type_: EdgeType = EdgeType.FEEDS) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in batch.edges if e.type is type_}


# -- diagrams -----------------------------------------------------------------------------------


def test_ids_aliases_mode_and_freshness_from_labels() -> None:
    batch = mermaid(
        """\
        graph LR
            subgraph S ["Streaming Path (Flink)"]
                K["Kafka Topics<br/>views.raw, clicks.raw"]
                F["Flink: Dedup + Validate"]
            end
            M["Recommendation Models [ML]<br/>Freshness req: seconds"]
            K --> F -->|"online features"| M
        """
    )
    topic = node(batch, "topic:kafka-topics")
    assert {"K", "views.raw", "clicks.raw"} <= set(topic.aliases)
    job = node(batch, "job:flink-dedup-validate")
    assert job.mode is Mode.STREAMING and job.properties["inferred_by"] == "tech-name"
    model = node(batch, "model:recommendation-models")
    assert model.freshness is not None and model.freshness.seconds == 60.0
    assert job.location == "doc.md:5"
    edge = next(e for e in batch.edges if e.target == model.id)
    assert edge.role is Role.SERVING and edge.location == "doc.md:8"


def test_subgraph_edges_connect_entry_and_exit_nodes() -> None:
    batch = mermaid(
        """\
        flowchart LR
            In["Clicks Topic"]
            subgraph P [Processing]
                A["Parse Job"] --> B["Enrich Job"]
                C["Audit Job"]
            end
            Out[("Warehouse")]
            In --> P
            P --> Out
        """
    )
    assert edges(batch) >= {
        ("topic:clicks-topic", "job:parse-job"),
        ("topic:clicks-topic", "job:audit-job"),
        ("job:enrich-job", "dataset:warehouse"),
        ("job:audit-job", "dataset:warehouse"),
    }
    assert ("topic:clicks-topic", "job:enrich-job") not in edges(batch)


def test_bidirectional_edges_and_c4_read_relations() -> None:
    batch = mermaid(
        """\
        C4Container
            Container(app, "Scoring Service", "Python")
            ContainerDb(db, "Feature DB", "Postgres")
            SystemQueue(bus, "Event Bus")
            Rel(app, db, "Reads features")
            BiRel(app, bus, "events")
        """
    )
    assert edges(batch) == {
        ("dataset:feature-db", "job:scoring-service"),
        ("job:scoring-service", "topic:event-bus"),
        ("topic:event-bus", "job:scoring-service"),
    }


def test_boxes_named_alike_are_one_node_across_diagrams() -> None:
    batch = parse(
        """\
        ```mermaid
        graph LR
            A["Recommendation Models [ML]"] --> B["Homepage"]
        ```

        ```mermaid
        graph TD
            R["Recommendation Model"] --> H["Homepage"]
        ```
        """
    )
    models = [n for n in batch.nodes if n.kind is Kind.MODEL]
    assert [m.id for m in models] == ["model:recommendation-models"]
    assert {"A", "R"} <= set(models[0].aliases)


def test_actors_that_only_consume_are_left_out() -> None:
    batch = mermaid(
        """\
        graph LR
            U["Data Scientists"] --> P["ML Platform"]
            P --> T["Product Teams"]
        """
    )
    ids = {n.id for n in batch.nodes}
    assert "source:data-scientists" in ids and not any("product-teams" in i for i in ids)


def test_non_lineage_diagrams_are_skipped_without_a_warning() -> None:
    batch = parse("```mermaid\nsequenceDiagram\n    A->>B: hi\n```\n")
    assert batch.nodes == () and batch.warnings == ()


def test_unreadable_lines_are_warnings_with_file_and_line() -> None:
    batch = parse("# Doc\n\n```mermaid\ngraph LR\n    A --> B\n    A -->\n```\n", "docs/x.md")
    assert [w.location for w in batch.warnings] == ["docs/x.md:6"]
    assert edges(batch) == {("source:a", "job:b")}


def test_arrow_text_blocks_become_edges() -> None:
    batch = parse("```\n[Kafka] → [Spark] → Training Dataset\n```\n")
    assert edges(batch) == {("topic:kafka", "job:spark"), ("job:spark", "dataset:training-dataset")}


def test_bare_mmd_and_indented_documents(tmp_path: Path) -> None:
    bare = C4Importer().parse("graph LR\n  A[Kafka Topics] --> B[Spark: ETL]\n", source="x.mmd")
    assert edges(bare) == {("topic:kafka-topics", "job:spark-etl")}
    indented = parse(
        "# Title\n\n    Intro.\n\n    ```mermaid\n    flowchart LR\n"
        "        A[Client\n(web)] --> B[(Store)]\n    ```\n"
    )
    assert node(indented, "dataset:store").location == "doc.md:7"


# -- overrides and tables ---------------------------------------------------------------------


def test_yaml_lineage_block_overrides_and_ignores() -> None:
    batch = parse(
        """\
        ```mermaid
        graph LR
            DS1["Viewing events"] --> H["Homepage"] --> MDL_REC["Recs"]
        ```

        ```yaml lineage
        nodes:
          DS1: {kind: source, id: source:DS-001}
          MDL_REC: model:recs
        ignore: [Homepage]
        ```
        """
    )
    assert {n.id for n in batch.nodes} == {"source:DS-001", "model:recs"}
    assert node(batch, "model:recs").properties["inferred_by"] == "override"


def test_front_matter_overrides() -> None:
    batch = parse(
        "---\ntitle: x\nlineage:\n  nodes:\n    A: dataset\n---\n"
        "```mermaid\ngraph LR\n  A --> B\n```\n"
    )
    assert node(batch, "dataset:a").properties["inferred_by"] == "override"


def test_a_bad_override_block_is_a_warning() -> None:
    batch = parse("```yaml lineage\nnodes: [oops\n```\n", "o.md")
    assert batch.warnings and batch.warnings[0].location.startswith("o.md:")


INVENTORY_DOC = """\
## Inventory

| Owner | Processing Mode | Source ID | Name | Freshness |
|-------|-----------------|-----------|------|-----------|
| team-a | Streaming (Flink) | DS-001 | Member Viewing Events | Real-time (sub-second) |
| team-b | Batch (Spark) | DS-007 | Member Profiles | Daily aggregation |

```mermaid
graph LR
    DS1["DS-001: Viewing Events"] --> J["Flink: Sessionize"]
    P["Member Profiles"] --> J
    J --> MDL_SEARCH["Search Models [ML]"]
```

| Schema ID | Version | Domain | Used By | Last Breaking Change |
|-----------|---------|--------|---------|----------------------|
| SCH-VIEW | v4 | Views | PL-001 (ingestion), MDL-SEARCH training | v4.0 |
| SCH-ALL | v1 | Vectors | All models (online + offline) | v1 |

| Consumer | Freshness SLA |
|----------|---------------|
| MDL-SEARCH | 5 seconds |

| Feature Type | Streaming Freshness | Batch Freshness |
|--------------|---------------------|-----------------|
| recent views | < 5 seconds | 24 hours |
"""


def test_inventory_schema_registry_and_freshness_tables() -> None:
    batch = parse(INVENTORY_DOC)
    viewing = node(batch, "source:DS-001")
    assert viewing.name == "Member Viewing Events" and viewing.mode is Mode.STREAMING
    assert viewing.properties["owner"] == "team-a"
    profiles = node(batch, "source:DS-007")  # named by the diagram, typed by the table
    assert profiles.mode is Mode.BATCH and "P" in profiles.aliases
    assert node(batch, "job:PL-001").name == ""  # a stub
    assert edges(batch, EdgeType.HAS_SCHEMA) == {
        ("job:PL-001", "schema:SCH-VIEW"),
        ("model:search-models", "schema:SCH-VIEW"),
        ("model:search-models", "schema:SCH-ALL"),
    }
    assert node(batch, "schema:SCH-VIEW").properties["version"] == "v4"
    assert node(batch, "model:search-models").freshness.seconds == 5.0
    assert batch.warnings == ()  # the "Feature Type" table is context, not a problem


def test_a_freshness_row_naming_no_node_is_a_warning() -> None:
    batch = parse("| Model | Freshness |\n|---|---|\n| Ghost | daily |\n", "f.md")
    assert [str(w) for w in batch.warnings] == ["f.md:3: 'Ghost' names no node of this document"]


def test_registered_as_the_c4_format() -> None:
    assert isinstance(get_importer("c4"), C4Importer)


def test_strict_fails_on_warnings_and_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("```mermaid\ngraph LR\n    A --> B\n    A -->\n```\n")
    result = cli("import", "c4", "--strict", bad)
    assert result.exit_code == 2 and "bad.md:4" in result.stderr
    assert "source:a" not in cli("nodes").stdout
    skipped = tmp_path / "seq.md"
    skipped.write_text("```mermaid\nsequenceDiagram\n  A->>B: x\n```\n")
    assert cli("import", "c4", "--strict", skipped).exit_code == 0


def test_invisible_links_only_place_boxes() -> None:
    batch = mermaid(
        """\
        flowchart LR
            A["Clicks Topic"] --> B["Sessionizer Job"]
            B ~~~ C["Warehouse DB"]
        """
    )
    assert edges(batch) == {("topic:clicks-topic", "job:sessionizer-job")}
    assert node(batch, "dataset:warehouse-db").kind is Kind.DATASET


def test_a_fence_never_closed_is_read_to_the_end_with_a_warning() -> None:
    batch = parse("# Flow\n\n```mermaid\nflowchart LR\n  A[Orders] --> B[Ledger]\n")
    assert len(batch.edges) == 1
    assert [(w.location, w.message) for w in batch.warnings] == [
        ("doc.md:3", "this code block is never closed: read to the end of the file")
    ]


def test_fences_closed_by_longer_or_tilde_fences_give_no_warning() -> None:
    batch = parse("```mermaid\nflowchart LR\nA-->B\n````\n\n~~~\nflowchart LR\nC-->D\n~~~\n")
    assert len(batch.edges) == 2 and not batch.warnings
