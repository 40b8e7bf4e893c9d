"""The Mermaid parser never raises, reads the sample diagrams cleanly, and reads the seed
documents' diagrams as a reader would."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.diagrams import edge_pairs, nodes_by_id
from support.documents import fenced_blocks, seed_documents
from support.mutations import mutated

from lineage.importers.diagram import Diagram, DiagramKind, Notation
from lineage.importers.mermaid import parse_mermaid

# -- never raising ---------------------------------------------------------------------------

SAMPLES = [
    textwrap.dedent(
        """\
        ---
        title: sample
        ---
        %%{init: {"theme": "base"}}%%
        flowchart LR
          subgraph src ["Sources [raw]"]
            direction TB
            Clicks["Clicks<br/>[Kafka]"] & Orders[(Orders DB)]
          end
          subgraph "Processing"
            Job[spark_job.py
        (Structured Streaming)]
          end
          Clicks -->|"events<br/>(seconds)"| Job
          Orders -- cdc --> Job -.-> Lake[(Lake)] ==> BI{{Dashboards}}
          Lake <-->|sync| Cache((Redis)) --o Z>flag] --x W[/io/]
          N@{ shape: cyl, label: "Ledger" }; Q:::hot --- R[\\trap/]
          classDef hot fill:#f00
          class Clicks hot
          click Job "https://example.com"
          linkStyle 0 stroke:#f00
        """
    ),
    textwrap.dedent(
        """\
        C4Container
          title Shop
          Person(buyer, "Buyer", "Buys")
          System_Boundary(shop, "Shop") {
            Container(api, "API", "Go, gRPC", "Takes orders", $tags="x")
            ContainerDb(db, "DB", "Postgres")
          }
          System_Ext(psp, "PSP")
          Rel(buyer, api, "Orders", "HTTPS")
          Rel_Back(db, api, "Reads")
          BiRel(api, psp, "Pays")
          RelIndex(1, api, db, "Writes")
          UpdateRelStyle(buyer, api, $offsetY="-20")
        """
    ),
    "sequenceDiagram\n  A->>B: hi\n",
]


MUTATION_BASES = SAMPLES + [
    block for doc in seed_documents() for _, _, block in fenced_blocks(doc.read_text(), "mermaid")
]


mutated_diagrams = mutated(MUTATION_BASES, inserts='[](){}<>-=.|&;:"`#@%ox\n ')


def check_well_formed(diagram: Diagram, first_line: int) -> None:
    assert isinstance(diagram.kind, DiagramKind)
    for item in (*diagram.nodes, *diagram.edges, *diagram.subgraphs, *diagram.warnings):
        assert item.line >= first_line
    for node in diagram.nodes:
        assert node.id and isinstance(node.label, str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), first_line=st.integers(1, 500))
def test_never_raises_on_arbitrary_text(text, first_line):
    for candidate in (text, "graph LR\n" + text, "C4Context\n" + text):
        check_well_formed(parse_mermaid(candidate, first_line=first_line), first_line)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_diagrams, first_line=st.integers(1, 500))
def test_never_raises_on_mutated_diagrams(text, first_line):
    check_well_formed(parse_mermaid(text, first_line=first_line), first_line)


@settings(max_examples=100, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            ["A", "B[", "]", "(", ")", "-->", "|x|", "&", ";", '"', "\n", " ", "--", "{", "}"]
        ),
        max_size=40,
    ).map("".join)
)
def test_never_raises_on_flowchart_token_soup(text):
    parse_mermaid("flowchart TD\n" + text)


def test_samples_parse_cleanly():
    flow, context, sequence = (parse_mermaid(sample) for sample in SAMPLES)
    assert flow.warnings == () and context.warnings == ()
    assert len(flow.edges) == 8
    assert {s.id for s in flow.subgraphs} == {"src", "processing"}
    assert sequence.kind is DiagramKind.OTHER


# -- the seed documents ----------------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not seed_documents(), reason="seed documents not available")


def seed_diagrams(prefix: str) -> list[Diagram]:
    (doc,) = [path for path in seed_documents() if path.name.startswith(prefix)]
    return [
        parse_mermaid(block, first_line=line)
        for line, _, block in fenced_blocks(doc.read_text(), "mermaid")
    ]


@needs_seeds
@pytest.mark.parametrize("doc", seed_documents(), ids=lambda path: path.name[:3])
def test_every_seed_diagram_parses_without_warnings(doc):
    for line, _, block in fenced_blocks(doc.read_text(), "mermaid"):
        diagram = parse_mermaid(block, first_line=line)
        if diagram.kind is DiagramKind.OTHER:
            assert [w.message for w in diagram.warnings] == [
                "sequenceDiagram is not a lineage diagram; skipped"
            ]
        else:
            assert diagram.warnings == (), (doc.name, line)
            assert diagram.nodes and diagram.edges


@needs_seeds
def test_seed_000_lineage_overlay():
    overlay, feedback = seed_diagrams("000")
    assert (overlay.kind, overlay.direction) == (DiagramKind.FLOWCHART, "LR")
    nodes = nodes_by_id(overlay)
    assert [n.id for n in overlay.nodes if n.subgraph == "Sources"] == [
        f"DS{i}" for i in range(1, 7)
    ]
    assert nodes["DS1"].label.split("\n")[:2] == ["DS-001: Viewing Events", "[Kafka Stream]"]
    titles = {s.id: s.title for s in overlay.subgraphs}
    assert titles["Sources"] == "Data Sources"
    assert titles["FeatureStore"] == "Amber Feature Store [FS]"
    labels = {(e.source, e.target): e.label for e in overlay.edges}
    assert labels[("FlinkFeature", "AmberOnline")] == "real-time features\n(freshness: seconds)"
    assert labels[("DS1", "KafkaTopics")] is None
    assert ("ImplicitFB", "DS1") in labels  # the feedback loop
    assert len(feedback.edges) == 7 and feedback.direction == "TD"
    assert feedback.edges[-1].target == feedback.edges[0].source  # a cycle


@needs_seeds
def test_seed_001_context_with_id_less_subgraph_and_bidirectional_edge():
    context, flows = seed_diagrams("001")
    (platform,) = context.subgraphs
    assert platform.title == "Netflix ML Platform"
    assert nodes_by_id(context)["MLP"].subgraph == platform.id
    (bidirectional,) = [e for e in context.edges if e.bidirectional]
    assert (bidirectional.source, bidirectional.target, bidirectional.arrow.text) == (
        "DW",
        "MLP",
        "<-->",
    )
    assert bidirectional.label == "training data /\nbatch predictions"
    assert {n.id for n in flows.nodes if n.subgraph} == {
        "Ingest",
        "Process",
        "Train",
        "Serve",
        "Monitor",
    }


@needs_seeds
def test_seed_002_design_flowcharts_and_c4_context():
    diagrams = seed_diagrams("002")
    overview = diagrams[0]
    assert overview.direction == "TB"
    parents = {s.id: s.parent for s in overview.subgraphs}
    assert parents["RegistryService"] == "Runway" and parents["Runway"] is None
    assert nodes_by_id(overview)["RegistryDB"].shape == "database"
    assert nodes_by_id(overview)["RegistryDB"].label == "Registry DB\n(PostgreSQL)"
    assert ("API", "RegistryService") in edge_pairs(overview)
    assert "RegistryService" not in nodes_by_id(overview)
    kinds = [d.kind for d in diagrams]
    assert kinds.count(DiagramKind.OTHER) == 4
    (context,) = [d for d in diagrams if d.kind is DiagramKind.C4]
    types = {n.id: str(n.c4) for n in context.nodes}
    assert types["engineer"] == "Person" and types["runway"] == "System"
    assert types["pagerduty"] == "System_Ext"
    assert nodes_by_id(context)["runway"].description == "Model Lifecycle Management"
    assert ("runway", "metaflow") in edge_pairs(context)
    assert {e.arrow.notation for e in context.edges} == {Notation.C4_REL}


@needs_seeds
def test_seed_004_indented_flowchart_with_multi_line_labels():
    (pipeline,) = seed_diagrams("004")
    nodes = nodes_by_id(pipeline)
    assert nodes["ClientApps"].label == "Client Apps\n(Web, Mobile, Devices)"
    assert nodes["SparkJob"].label == "spark_streaming_job.py\n(Spark Structured Streaming)"
    assert nodes["Kafka"].shape == "database" and nodes["Kafka"].label == "Kafka / Event Hub"
    assert {n.id for n in pipeline.nodes if n.shape == "database"} == {
        "Kafka",
        "Topics",
        "Bronze",
        "Silver",
        "Gold",
    }
    assert nodes["Kafka"].subgraph == "Streaming_Backbone"
    assert edge_pairs(pipeline)[:3] == [
        ("ClientApps", "ProducerSim"),
        ("ProducerSim", "Kafka"),
        ("Kafka", "Topics"),
    ]
