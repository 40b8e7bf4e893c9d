"""The Mermaid parser: flowchart and C4 syntax, warnings with file lines, and never raising."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lineage.importers.mermaid import (
    Diagram,
    DiagramKind,
    MermaidEdge,
    MermaidNode,
    ParseWarning,
    Subgraph,
    parse_mermaid,
)
from support import SEEDS
from support.mutations import mutated


def flowchart(body: str, header: str = "flowchart LR") -> Diagram:
    return parse_mermaid(header + "\n" + textwrap.dedent(body))


def nodes_by_id(diagram: Diagram) -> dict[str, MermaidNode]:
    return {node.id: node for node in diagram.nodes}


def edge_pairs(diagram: Diagram) -> list[tuple[str, str]]:
    return [(edge.source, edge.target) for edge in diagram.edges]


def only_edge(diagram: Diagram) -> MermaidEdge:
    assert diagram.warnings == ()
    assert len(diagram.edges) == 1, diagram.edges
    return diagram.edges[0]


# -- the result ------------------------------------------------------------------------------


def test_result_is_frozen_dataclasses_holding_tuples():
    diagram = flowchart("A[x] --> B")
    assert isinstance(diagram.nodes, tuple)
    assert isinstance(diagram.edges, tuple)
    assert isinstance(diagram.subgraphs, tuple)
    assert isinstance(diagram.warnings, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        diagram.nodes[0].label = "changed"  # type: ignore[misc]


# -- header ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "direction"),
    [
        ("graph LR", "LR"),
        ("graph RL", "RL"),
        ("flowchart TB", "TB"),
        ("flowchart TD", "TD"),
        ("graph BT", "BT"),
        ("graph", None),
        ("flowchart-elk LR", "LR"),
        ("graph >", "LR"),
        ("graph LR;", "LR"),
    ],
)
def test_flowchart_header_gives_kind_and_direction(header, direction):
    diagram = parse_mermaid(f"{header}\n  A --> B")
    assert diagram.kind is DiagramKind.FLOWCHART
    assert diagram.direction == direction
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [("A", "B")]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "%% just a comment", "---\ntitle: Orders\n---\n", "%%{init: {}}%%\n"],
    ids=["empty", "blank", "comment", "front-matter", "directive"],
)
def test_text_without_a_diagram_is_empty(text):
    assert parse_mermaid(text) == Diagram(DiagramKind.EMPTY, None, (), (), (), ())


@pytest.mark.parametrize(
    "keyword",
    ["sequenceDiagram", "classDiagram", "stateDiagram-v2", "erDiagram", "gantt", "pie", "journey"],
)
def test_non_lineage_diagrams_are_skipped_with_a_note(keyword):
    diagram = parse_mermaid(f"\n{keyword}\n  A->>B: hello\n", first_line=30)
    assert diagram.kind is DiagramKind.OTHER
    assert (diagram.nodes, diagram.edges, diagram.subgraphs) == ((), (), ())
    assert diagram.warnings == (ParseWarning(31, f"{keyword} is not a lineage diagram; skipped"),)


def test_unknown_header_is_skipped_with_a_warning():
    diagram = parse_mermaid("A --> B\nB --> C", first_line=5)
    assert diagram.kind is DiagramKind.OTHER
    assert [w.line for w in diagram.warnings] == [5]
    assert "not a Mermaid diagram type" in diagram.warnings[0].message


# -- node shapes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declaration", "shape", "label"),
    [
        ("N[Orders API]", "rect", "Orders API"),
        ("N(Orders API)", "round", "Orders API"),
        ("N([Orders API])", "stadium", "Orders API"),
        ("N[[Orders API]]", "subroutine", "Orders API"),
        ("N[(Orders DB)]", "database", "Orders DB"),
        ("N((Hub))", "circle", "Hub"),
        ("N(((Stop)))", "double_circle", "Stop"),
        ("N{Valid?}", "diamond", "Valid?"),
        ("N{{Prepare}}", "hexagon", "Prepare"),
        ("N>Flag]", "asymmetric", "Flag"),
        ("N[/Upload/]", "parallelogram", "Upload"),
        ("N[\\Download\\]", "parallelogram_alt", "Download"),
        ("N[/Priority\\]", "trapezoid", "Priority"),
        ("N[\\Manual/]", "trapezoid_alt", "Manual"),
        ('N["quoted"]', "rect", "quoted"),
        ('N[("quoted db")]', "database", "quoted db"),
        ('N@{ shape: cyl, label: "Orders DB" }', "database", "Orders DB"),
        ("N@{ shape: rect }", "rect", "N"),
        ('N@{ label: "Only label" }', "rect", "Only label"),
        ("N@{ shape: hex, label: Prep }", "hexagon", "Prep"),
        ("N[/api/v1]", "rect", "/api/v1"),
        ("N[(a) b]", "rect", "(a) b"),
        ("N[]", "rect", "N"),
    ],
)
def test_node_shapes(declaration, shape, label):
    diagram = flowchart(declaration)
    assert diagram.warnings == ()
    (node,) = diagram.nodes
    assert (node.id, node.shape, node.label) == ("N", shape, label)


def test_node_only_referenced_in_edges_has_id_as_label_and_default_shape():
    node = nodes_by_id(flowchart("A[Alpha] --> B"))["B"]
    assert (node.label, node.shape) == ("B", "default")


def test_first_declared_label_wins_over_references_and_later_declarations():
    diagram = flowchart(
        """
        A --> B
        B(Beta) --> C
        B[Other label]
        """
    )
    beta = nodes_by_id(diagram)["B"]
    assert (beta.label, beta.shape, beta.line) == ("Beta", "round", 4)
    assert [node.id for node in diagram.nodes] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("node_id", "statement"),
    [
        ("orders-db", "orders-db[(Orders)] --> x"),
        ("orders_db", "orders_db --> x"),
        ("v2.api", "v2.api --> x"),
        ("Zahlungsströme", "Zahlungsströme --> x"),
        ("42", "42 --> x"),
    ],
)
def test_node_ids(node_id, statement):
    diagram = flowchart(statement)
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [(node_id, "x")]


def test_class_suffix_on_nodes_is_ignored():
    diagram = flowchart("A:::hot --> B[Beta]:::cold & C:::cold")
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [("A", "B"), ("A", "C")]
    assert nodes_by_id(diagram)["B"].label == "Beta"


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declaration", "label"),
    [
        ('N["Store [FS] (hot)"]', "Store [FS] (hot)"),
        ('N("Topic (events) [raw]")', "Topic (events) [raw]"),
        ("N[Store [FS]]", "Store [FS]"),
        ("N[one<br>two<br/>three<br />four<BR/>five]", "one\ntwo\nthree\nfour\nfive"),
        ('N["a &amp; b &lt;c&gt;"]', "a & b <c>"),
        ('N["say #quot;hi#quot; #35;1"]', 'say "hi" #1'),
        ('N["#lt;tag#gt; #9829;"]', "<tag> ♥"),
        ('N["`**Bold** and *italic* and __strong__`"]', "Bold and italic and strong"),
        ('N["`snake_case_name`"]', "snake_case_name"),
        ('N["  padded   words  <br/>  next  "]', "padded words\nnext"),
        ('N["<b>bold</b> <i>it</i>"]', "bold it"),
        ("N[Quality & Schema]", "Quality & Schema"),
        ('N["x; y"]', "x; y"),
    ],
)
def test_label_cleaning(declaration, label):
    diagram = flowchart(declaration)
    assert diagram.warnings == ()
    assert diagram.nodes[0].label == label


def test_bracketed_label_may_span_several_lines():
    diagram = parse_mermaid(
        "flowchart LR\n"
        "    subgraph Ingest\n"
        "        Gateway[Edge Gateway\n"
        "(REST, gRPC)]\n"
        "        Loader[loader.py\n"
        "  (nightly batch)  ]\n"
        "    end\n"
        "    Gateway --> Loader\n",
        first_line=10,
    )
    assert diagram.warnings == ()
    gateway, loader = diagram.nodes
    assert (gateway.label, gateway.line, gateway.subgraph) == (
        "Edge Gateway\n(REST, gRPC)",
        12,
        "Ingest",
    )
    assert (loader.label, loader.line) == ("loader.py\n(nightly batch)", 14)
    assert diagram.edges[0].line == 17


def test_quoted_multi_line_label_in_a_node():
    diagram = flowchart('A["first\n   second"] --> B')
    assert diagram.warnings == ()
    assert diagram.nodes[0].label == "first\nsecond"


def test_an_unclosed_label_does_not_swallow_the_following_lines():
    diagram = parse_mermaid("graph TD\nA[never closed\nB --> C\nD[Delta]", first_line=1)
    assert edge_pairs(diagram) == [("B", "C")]
    assert nodes_by_id(diagram)["D"].label == "Delta"
    assert [w.line for w in diagram.warnings] == [2]


# -- arrows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrow", "bidirectional"),
    [
        ("-->", False),
        ("---", False),
        ("-.->", False),
        ("-.-", False),
        ("==>", False),
        ("===", False),
        ("--o", False),
        ("--x", False),
        ("--->", False),
        ("====>", False),
        ("-..->", False),
        ("~~~", False),
        ("<-->", True),
        ("<-.->", True),
        ("<==>", True),
        ("o--o", True),
        ("x--x", True),
    ],
)
def test_arrows(arrow, bidirectional):
    # `Ao--oB` would read as node `Ao`: circle and cross heads at the start need a space
    unspaced = [] if arrow[0] in "ox" else [f"A{arrow}B"]
    for statement in [f"A {arrow} B", *unspaced]:
        edge = only_edge(flowchart(statement))
        assert (edge.source, edge.target, edge.label) == ("A", "B", None)
        assert (edge.arrow, edge.bidirectional) == (arrow, bidirectional)


@pytest.mark.parametrize(
    ("statement", "arrow", "label", "bidirectional"),
    [
        ("A -->|writes| B", "-->", "writes", False),
        ("A-->|writes|B", "-->", "writes", False),
        ('A -->|"writes<br/>(hourly)"| B', "-->", "writes\n(hourly)", False),
        ("A ---|joins| B", "---", "joins", False),
        ("A -.->|maybe| B", "-.->", "maybe", False),
        ("A ==>|bulk| B", "==>", "bulk", False),
        ("A <-->|sync| B", "<-->", "sync", True),
        ("A -- writes --> B", "-->", "writes", False),
        ("A--writes-->B", "-->", "writes", False),
        ('A -- "a --> b" --> B', "-->", "a --> b", False),
        ("A -- joins --- B", "---", "joins", False),
        ("A -. maybe .-> B", "-.->", "maybe", False),
        ("A -. maybe .- B", "-.-", "maybe", False),
        ("A == bulk ==> B", "==>", "bulk", False),
        ("A == bulk === B", "===", "bulk", False),
        ("A <-- sync --> B", "<-->", "sync", True),
        ("A -- read-only --> B", "-->", "read-only", False),
        ("A -- orders &amp; refunds --> B", "-->", "orders & refunds", False),
        ("A --order events--> B", "-->", "order events", False),
        ("A e1@--> B", "-->", None, False),
    ],
)
def test_edge_labels_and_arrow_kinds(statement, arrow, label, bidirectional):
    edge = only_edge(flowchart(statement))
    assert (edge.source, edge.target) == ("A", "B")
    assert (edge.arrow, edge.label, edge.bidirectional) == (arrow, label, bidirectional)


def test_chain_gives_one_edge_per_arrow():
    diagram = flowchart("A --> B -.-> C ==>|done| D")
    assert [(e.source, e.target, e.arrow, e.label) for e in diagram.edges] == [
        ("A", "B", "-->", None),
        ("B", "C", "-.->", None),
        ("C", "D", "==>", "done"),
    ]


def test_ampersand_links_every_source_to_every_target():
    diagram = flowchart("A & B --> C & D")
    assert edge_pairs(diagram) == [("A", "C"), ("A", "D"), ("B", "C"), ("B", "D")]


def test_ampersand_in_a_chain_with_declarations():
    diagram = flowchart('A["Alpha"] & B[(Beta)] --> C --> D & E{Eps}')
    assert edge_pairs(diagram) == [("A", "C"), ("B", "C"), ("C", "D"), ("C", "E")]
    assert [(n.id, n.shape) for n in diagram.nodes] == [
        ("A", "rect"),
        ("B", "database"),
        ("C", "default"),
        ("D", "default"),
        ("E", "diamond"),
    ]


def test_nodes_declared_inline_in_edges():
    diagram = flowchart('Topic[("Orders topic")] -->|"cdc"| Lake[(Lake)]')
    assert diagram.warnings == ()
    assert [(n.id, n.label, n.shape) for n in diagram.nodes] == [
        ("Topic", "Orders topic", "database"),
        ("Lake", "Lake", "database"),
    ]
    assert diagram.edges[0].label == "cdc"


def test_semicolons_separate_statements():
    diagram = parse_mermaid("graph LR; A-->B; B-->C;\nC[Gamma]; D", first_line=3)
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [("A", "B"), ("B", "C")]
    assert [(n.id, n.line) for n in diagram.nodes] == [("A", 3), ("B", 3), ("C", 4), ("D", 4)]


def test_edge_ids_and_their_property_lines_are_ignored():
    diagram = flowchart("A e1@==> B\ne1@{ animate: true }")
    assert diagram.warnings == ()
    assert [n.id for n in diagram.nodes] == ["A", "B"]


# -- subgraphs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "subgraph_id", "title"),
    [
        ("subgraph ingest", "ingest", "ingest"),
        ("subgraph ingest [Ingestion Layer]", "ingest", "Ingestion Layer"),
        ('subgraph ingest["Ingestion Layer"]', "ingest", "Ingestion Layer"),
        ('subgraph ingest ["Ingestion [raw] (Kafka)"]', "ingest", "Ingestion [raw] (Kafka)"),
        ('subgraph "Ingestion Layer"', "ingestion-layer", "Ingestion Layer"),
        ("subgraph Ingestion Layer", "Ingestion Layer", "Ingestion Layer"),
        ('subgraph ingest ["Ingest<br/>hourly"]', "ingest", "Ingest\nhourly"),
    ],
)
def test_subgraph_headers(header, subgraph_id, title):
    diagram = flowchart(f"{header}\n  A --> B\nend")
    assert diagram.warnings == ()
    assert diagram.subgraphs == (Subgraph(subgraph_id, title, None, 2),)
    assert {node.subgraph for node in diagram.nodes} == {subgraph_id}


def test_nested_subgraphs_track_parents_and_innermost_membership():
    diagram = flowchart(
        """
        subgraph platform [Platform]
          direction TB
          Gateway
          subgraph store ["Feature Store"]
            direction LR
            subgraph online [Online]
              Redis[(Redis)]
            end
            Offline[(Parquet)]
          end
        end
        Outside --> Redis
        """
    )
    assert diagram.warnings == ()
    assert [(s.id, s.parent, s.line) for s in diagram.subgraphs] == [
        ("platform", None, 3),
        ("store", "platform", 6),
        ("online", "store", 8),
    ]
    membership = {node.id: node.subgraph for node in diagram.nodes}
    assert membership == {
        "Gateway": "platform",
        "Redis": "online",
        "Offline": "store",
        "Outside": None,
    }


def test_node_belongs_to_the_subgraph_it_is_first_mentioned_in():
    diagram = flowchart(
        """
        Source --> Sink
        subgraph sinks
          Sink[(Warehouse)]
        end
        subgraph other
          Sink
        end
        """
    )
    assert nodes_by_id(diagram)["Sink"].subgraph == "sinks"
    assert nodes_by_id(diagram)["Source"].subgraph is None


def test_id_less_subgraphs_get_unique_stable_ids():
    diagram = flowchart(
        'subgraph "Data Sources"\nA\nend\nsubgraph "Data Sources"\nB\nend\nsubgraph\nC\nend'
    )
    assert [s.id for s in diagram.subgraphs] == ["data-sources", "data-sources-2", "subgraph"]
    assert (
        parse_mermaid('graph LR\nsubgraph "Data Sources"\nA\nend').subgraphs[0].id == "data-sources"
    )


def test_edges_to_and_from_subgraphs_are_kept_without_inventing_nodes():
    diagram = flowchart(
        """
        subgraph sources [Sources]
          Clicks
        end
        subgraph sinks [Sinks]
          Lake
        end
        sources --> Router --> sinks
        """
    )
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [("sources", "Router"), ("Router", "sinks")]
    assert [node.id for node in diagram.nodes] == ["Clicks", "Lake", "Router"]


def test_subgraph_referenced_before_it_is_declared_is_not_a_node():
    diagram = flowchart("API --> backend\nsubgraph backend\n  DB[(db)]\nend")
    assert [node.id for node in diagram.nodes] == ["API", "DB"]
    assert edge_pairs(diagram) == [("API", "backend")]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("subgraph open\nA\n", 3, "not closed"),
        ("A --> B\nend\n", 4, "'end' without an open subgraph"),
    ],
)
def test_subgraph_nesting_errors_are_warnings(body, line, fragment):
    diagram = parse_mermaid("graph LR\n" + body, first_line=2)
    assert [w.line for w in diagram.warnings] == [line]
    assert fragment in diagram.warnings[0].message


# -- ignored statements ----------------------------------------------------------------------


IGNORED_LINES = [
    "%% a comment --> with an arrow",
    "%%{init: {'theme': 'forest'}}%%",
    "classDef store fill:#fff3e0,stroke:#e65100,stroke-width:2px",
    "class A,B store",
    "style A fill:#f9f,stroke:#333",
    "linkStyle 0 stroke:#ff3,stroke-width:4px",
    "linkStyle default interpolate basis",
    'click A "https://example.com/a" "Open A"',
    "click B callback",
    "accTitle: Order flow",
    "accDescr: How orders reach the warehouse",
    "accDescr {\n  A longer description\n  over lines\n}",
    "direction TB",
]


@pytest.mark.parametrize("line", IGNORED_LINES)
def test_styling_and_accessibility_statements_are_ignored(line):
    diagram = flowchart(f"A[Alpha] --> B\n{line}\nB --> C")
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [("A", "B"), ("B", "C")]
    assert [node.id for node in diagram.nodes] == ["A", "B", "C"]


def test_front_matter_and_directives_before_the_header_are_ignored():
    text = (
        '%%{init: {"flowchart": {"curve": "basis"}}}%%\n'
        "---\n"
        "title: Checkout lineage\n"
        "config:\n"
        "  theme: neutral\n"
        "---\n"
        "%%{\n"
        "  init: {'theme': 'dark'}\n"
        "}%%\n"
        "flowchart TD\n"
        "  Cart --> Orders\n"
    )
    diagram = parse_mermaid(text, first_line=20)
    assert (diagram.kind, diagram.direction, diagram.warnings) == (DiagramKind.FLOWCHART, "TD", ())
    assert diagram.edges[0].line == 30


def test_unclosed_front_matter_is_a_warning():
    diagram = parse_mermaid("---\ntitle: x\ngraph LR\nA-->B", first_line=7)
    assert diagram.kind is DiagramKind.EMPTY
    assert [w.line for w in diagram.warnings] == [7]


# -- unreadable lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("A -->", "missing a node"),
        ("A --> B -->", "missing a node"),
        ("A -> B", "expected an arrow"),
        ("A B", "expected an arrow"),
        ("A[open --> B", "unclosed node shape"),
        ("A -->|label B", "unclosed '|' edge label"),
        ("A -- label B", "expected an arrow"),
        ("--> B", "expected a node id"),
        ("A & --> B", "expected a node id"),
        ("A@{ shape: rect", "unclosed '@{'"),
    ],
)
def test_unreadable_statements_become_warnings_with_the_file_line(bad, fragment):
    diagram = parse_mermaid(
        f"graph LR\n  Good1 --> Good2\n  {bad}\n  Good2 --> Good3", first_line=41
    )
    assert edge_pairs(diagram) == [("Good1", "Good2"), ("Good2", "Good3")]
    assert len(diagram.warnings) == 1
    warning = diagram.warnings[0]
    assert warning.line == 43
    assert fragment in warning.message


def test_bad_direction_is_a_warning_but_the_diagram_is_read():
    diagram = parse_mermaid("graph sideways\nA --> B")
    assert diagram.direction is None
    assert [w.line for w in diagram.warnings] == [1]
    assert edge_pairs(diagram) == [("A", "B")]


# -- C4 --------------------------------------------------------------------------------------


def c4(body: str, header: str = "C4Container") -> Diagram:
    return parse_mermaid(header + "\n" + textwrap.dedent(body))


@pytest.mark.parametrize(
    "header", ["C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment"]
)
def test_c4_headers(header):
    diagram = c4('System(s, "Shop")', header=header)
    assert (diagram.kind, diagram.direction, diagram.warnings) == (DiagramKind.C4, None, ())
    assert diagram.nodes[0].c4_type == "System"


@pytest.mark.parametrize(
    ("statement", "c4_type", "label", "technology", "description", "shape"),
    [
        ('Person(buyer, "Buyer", "Buys things")', "Person", "Buyer", None, "Buys things", "person"),
        ('Person_Ext(ext, "Partner")', "Person_Ext", "Partner", None, None, "person"),
        ('System(shop, "Shop", "Sells")', "System", "Shop", None, "Sells", "rect"),
        ('System_Ext(psp, "PSP", "Payments")', "System_Ext", "PSP", None, "Payments", "rect"),
        ('SystemDb(dw, "Warehouse")', "SystemDb", "Warehouse", None, None, "database"),
        ('SystemDb_Ext(crm, "CRM DB")', "SystemDb_Ext", "CRM DB", None, None, "database"),
        ('SystemQueue(bus, "Bus")', "SystemQueue", "Bus", None, None, "queue"),
        (
            'SystemQueue_Ext(xbus, "Partner bus")',
            "SystemQueue_Ext",
            "Partner bus",
            None,
            None,
            "queue",
        ),
        (
            'Container(api, "Orders API", "Python, FastAPI", "Takes orders")',
            "Container",
            "Orders API",
            "Python, FastAPI",
            "Takes orders",
            "rect",
        ),
        (
            'ContainerDb(db, "Orders DB", "Postgres")',
            "ContainerDb",
            "Orders DB",
            "Postgres",
            None,
            "database",
        ),
        (
            'ContainerQueue(q, "Events", "Kafka", "CDC")',
            "ContainerQueue",
            "Events",
            "Kafka",
            "CDC",
            "queue",
        ),
        ('Container_Ext(x, "Legacy", "COBOL")', "Container_Ext", "Legacy", "COBOL", None, "rect"),
        ('Component(c, "Router", "Go", "Routes")', "Component", "Router", "Go", "Routes", "rect"),
        ('ComponentDb(cdb, "Cache", "Redis")', "ComponentDb", "Cache", "Redis", None, "database"),
        ('ComponentQueue_Ext(cq, "Q", "SQS")', "ComponentQueue_Ext", "Q", "SQS", None, "queue"),
        ('System(s, "S", "D", $tags="v1", $link="https://x")', "System", "S", None, "D", "rect"),
        (
            'Container(c, "C", $techn="Rust", $descr="Fast")',
            "Container",
            "C",
            "Rust",
            "Fast",
            "rect",
        ),
        ('System(s, "Name #amp; co<br/>two")', "System", "Name & co\ntwo", None, None, "rect"),
        ("System(bare)", "System", "bare", None, None, "rect"),
    ],
)
def test_c4_elements(statement, c4_type, label, technology, description, shape):
    diagram = c4(statement)
    assert diagram.warnings == ()
    (node,) = diagram.nodes
    assert (node.c4_type, node.label, node.technology, node.description, node.shape) == (
        c4_type,
        label,
        technology,
        description,
        shape,
    )


def test_c4_boundaries_nest_and_hold_their_elements():
    diagram = c4(
        """
        title Checkout
        Person(buyer, "Buyer")
        Enterprise_Boundary(corp, "Corp") {
          System_Boundary(shop, "Shop") {
            Container_Boundary(backend, "Backend") {
              Container(api, "API", "Go")
            }
            ContainerDb(db, "DB", "Postgres")
          }
          Boundary(b1, "Finance", "team") {
            System(ledger, "Ledger")
          }
        }
        Deployment_Node(aws, "AWS", "cloud") {
          Node(k8s, "Cluster") {
            Container(worker, "Worker")
          }
        }
        Rel(buyer, api, "Orders")
        """,
        header="C4Deployment",
    )
    assert diagram.warnings == ()
    assert [(s.id, s.title, s.parent) for s in diagram.subgraphs] == [
        ("corp", "Corp", None),
        ("shop", "Shop", "corp"),
        ("backend", "Backend", "shop"),
        ("b1", "Finance", "corp"),
        ("aws", "AWS", None),
        ("k8s", "Cluster", "aws"),
    ]
    membership = {node.id: node.subgraph for node in diagram.nodes}
    assert membership == {
        "buyer": None,
        "api": "backend",
        "db": "shop",
        "ledger": "b1",
        "worker": "k8s",
    }


@pytest.mark.parametrize(
    ("statement", "source", "target", "label", "technology", "bidirectional"),
    [
        ('Rel(a, b, "Reads")', "a", "b", "Reads", None, False),
        ('Rel(a, b, "Reads", "JDBC")', "a", "b", "Reads", "JDBC", False),
        (
            'Rel(a, b, "Reads, writes", "HTTPS/JSON")',
            "a",
            "b",
            "Reads, writes",
            "HTTPS/JSON",
            False,
        ),
        ("Rel(a, b)", "a", "b", None, None, False),
        ('BiRel(a, b, "Syncs")', "a", "b", "Syncs", None, True),
        ('Rel_U(a, b, "Up")', "a", "b", "Up", None, False),
        ('Rel_Up(a, b, "Up")', "a", "b", "Up", None, False),
        ('Rel_D(a, b, "Down", "gRPC")', "a", "b", "Down", "gRPC", False),
        ('Rel_Down(a, b, "Down")', "a", "b", "Down", None, False),
        ('Rel_L(a, b, "Left")', "a", "b", "Left", None, False),
        ('Rel_Left(a, b, "Left")', "a", "b", "Left", None, False),
        ('Rel_R(a, b, "Right")', "a", "b", "Right", None, False),
        ('Rel_Right(a, b, "Right")', "a", "b", "Right", None, False),
        ('Rel_Back(a, b, "Feeds")', "b", "a", "Feeds", None, False),
        ('Rel_Back(a, b, "Feeds", "Kafka")', "b", "a", "Feeds", "Kafka", False),
        ('RelIndex(1, a, b, "First")', "a", "b", "First", None, False),
        ('Rel(a, b, "Uses", $tags="async", $offsetX="10")', "a", "b", "Uses", None, False),
    ],
)
def test_c4_relationships(statement, source, target, label, technology, bidirectional):
    diagram = c4(f'System(a, "A")\nSystem(b, "B")\n{statement}', header="C4Dynamic")
    edge = only_edge(diagram)
    assert (edge.source, edge.target, edge.label, edge.technology) == (
        source,
        target,
        label,
        technology,
    )
    assert (edge.arrow, edge.bidirectional, edge.line) == ("rel", bidirectional, 4)


def test_c4_relationship_to_an_undeclared_element_references_it():
    diagram = c4('Rel(api, db, "Writes")\nContainerDb(db, "Orders DB")')
    api, db = diagram.nodes
    assert (api.label, api.shape, api.c4_type) == ("api", "default", None)
    assert (db.label, db.shape, db.c4_type, db.line) == ("Orders DB", "database", "ContainerDb", 3)


def test_c4_relationship_to_a_boundary_is_kept():
    diagram = c4('System_Boundary(shop, "Shop") {\n  System(api, "API")\n}\nRel(api, shop, "In")')
    assert edge_pairs(diagram) == [("api", "shop")]
    assert [node.id for node in diagram.nodes] == ["api"]


@pytest.mark.parametrize(
    "statement",
    [
        'UpdateElementStyle(api, $fontColor="red", $bgColor="grey")',
        'UpdateRelStyle(a, b, $textColor="blue", $offsetY="-10")',
        'UpdateLayoutConfig($c4ShapeInRow="3", $c4BoundaryInRow="1")',
        'UpdateBoundaryStyle(shop, $bgColor="white")',
        'AddElementTag("v1", $bgColor="#d73027")',
        "title Order flow (C4)",
        "%% comment",
    ],
)
def test_c4_style_and_title_statements_are_ignored(statement):
    diagram = c4(f'System(a, "A")\n{statement}\nSystem(b, "B")')
    assert diagram.warnings == ()
    assert [node.id for node in diagram.nodes] == ["a", "b"]


def test_c4_statement_spread_over_lines():
    diagram = c4(
        'Container(api, "Orders API",\n    "Python",\n    "Takes orders")\nRel(api, db, "x")'
    )
    assert diagram.warnings == ()
    assert (diagram.nodes[0].technology, diagram.nodes[0].line) == ("Python", 2)
    assert diagram.edges[0].line == 5


@pytest.mark.parametrize(
    ("statement", "fragment"),
    [
        ('Widget(w, "W")', "unknown C4 macro 'Widget'"),
        ("just words", "could not read C4 statement"),
        ("Rel(a)", "needs a source and a target"),
        ('System(, "No id")', "without an id"),
        ('System_Boundary(b, "open") {', "not closed with '}'"),
        ("}", "'end' without an open subgraph"),
    ],
)
def test_c4_unreadable_statements_are_warnings(statement, fragment):
    diagram = parse_mermaid(f"C4Context\n  {statement}\n", first_line=11)
    assert [w.line for w in diagram.warnings] == [12]
    assert fragment in diagram.warnings[0].message


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


def seed_documents() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def fenced_blocks(text: str, language: str) -> list[tuple[int, str]]:
    """(first line number, content) of each ```language block; a fence may be indented."""
    blocks: list[tuple[int, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == f"```{language}":
            end = i + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            blocks.append((i + 2, "\n".join(lines[i + 1 : end])))
            i = end
        i += 1
    return blocks


MUTATION_BASES = SAMPLES + [
    block for doc in seed_documents() for _, block in fenced_blocks(doc.read_text(), "mermaid")
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
        for line, block in fenced_blocks(doc.read_text(), "mermaid")
    ]


@needs_seeds
@pytest.mark.parametrize("doc", seed_documents(), ids=lambda path: path.name[:3])
def test_every_seed_diagram_parses_without_warnings(doc):
    for line, block in fenced_blocks(doc.read_text(), "mermaid"):
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
    assert (bidirectional.source, bidirectional.target, bidirectional.arrow) == (
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
    types = {n.id: n.c4_type for n in context.nodes}
    assert types["engineer"] == "Person" and types["runway"] == "System"
    assert types["pagerduty"] == "System_Ext"
    assert nodes_by_id(context)["runway"].description == "Model Lifecycle Management"
    assert ("runway", "metaflow") in edge_pairs(context)
    assert {e.arrow for e in context.edges} == {"rel"}


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
