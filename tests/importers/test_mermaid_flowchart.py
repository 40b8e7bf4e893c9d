"""The Mermaid flowchart reader: headers, shapes, labels, arrows, subgraphs, ignored and
unreadable statements, each with its file line."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest
from support.diagrams import edge_pairs, nodes_by_id, only_edge

from lineage.importers.diagram import (
    MAX_LABEL,
    MAX_SUBGRAPH_DEPTH,
    Diagram,
    DiagramKind,
    FlowDirection,
    Head,
    Notation,
    Shape,
    Stroke,
    Subgraph,
)
from lineage.importers.mermaid import parse_mermaid
from lineage.importers.problems import LineProblem


def flowchart(body: str, header: str = "flowchart LR") -> Diagram:
    return parse_mermaid(header + "\n" + textwrap.dedent(body))


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
    assert direction is None or isinstance(diagram.direction, FlowDirection)
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
    assert diagram.warnings == (LineProblem(31, f"{keyword} is not a lineage diagram; skipped"),)


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


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("cyl", Shape.DATABASE),
        ("lin-cyl", Shape.DATABASE),
        ("bow-rect", Shape.DATABASE),
        ("win-pane", Shape.DATABASE),
        ("docs", Shape.DOCUMENT),
        ("stadium", Shape.STADIUM),
        ("bolt", Shape.OTHER),
    ],
)
def test_named_shapes_of_mermaid_11_are_read_by_what_they_draw(name, shape):
    (node,) = flowchart(f"N@{{ shape: {name} }}").nodes
    assert node.shape is shape


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
        assert (edge.arrow.text, edge.bidirectional) == (arrow, bidirectional)


@pytest.mark.parametrize(
    ("statement", "start", "end", "stroke"),
    [
        ("A --> B", Head.NONE, Head.ARROW, Stroke.SOLID),
        ("A --- B", Head.NONE, Head.NONE, Stroke.SOLID),
        ("A -.-> B", Head.NONE, Head.ARROW, Stroke.DOTTED),
        ("A -. maybe .-> B", Head.NONE, Head.ARROW, Stroke.DOTTED),
        ("A ==> B", Head.NONE, Head.ARROW, Stroke.THICK),
        ("A <--> B", Head.ARROW, Head.ARROW, Stroke.SOLID),
        ("A o--o B", Head.CIRCLE, Head.CIRCLE, Stroke.SOLID),
        ("A --x B", Head.NONE, Head.CROSS, Stroke.SOLID),
        ("A ~~~ B", Head.NONE, Head.NONE, Stroke.INVISIBLE),
    ],
)
def test_arrows_are_typed_by_their_heads_and_stroke(statement, start, end, stroke):
    arrow = only_edge(flowchart(statement)).arrow
    assert (arrow.notation, arrow.start, arrow.end, arrow.stroke) == (
        Notation.FLOWCHART,
        start,
        end,
        stroke,
    )


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
    assert (edge.arrow.text, edge.label, edge.bidirectional) == (arrow, label, bidirectional)


def test_chain_gives_one_edge_per_arrow():
    diagram = flowchart("A --> B -.-> C ==>|done| D")
    assert [(e.source, e.target, e.arrow.text, e.label) for e in diagram.edges] == [
        ("A", "B", "-->", None),
        ("B", "C", "-.->", None),
        ("C", "D", "==>", "done"),
    ]


def test_ampersand_links_every_source_to_every_target():
    diagram = flowchart("A & B --> C & D")
    assert edge_pairs(diagram) == [("A", "C"), ("A", "D"), ("B", "C"), ("B", "D")]


def test_ampersand_fan_beyond_the_bound_is_a_warning_and_the_rest_is_read():
    wide = " & ".join(f"N{i}" for i in range(101))
    diagram = flowchart(f"{wide} --> {wide.replace('N', 'M')} --> Z\nA --> B")
    assert edge_pairs(diagram) == [*((f"M{i}", "Z") for i in range(101)), ("A", "B")]
    (warning,) = diagram.warnings
    assert warning.line == 2 and "10,201 edges, more than the 10,000" in warning.message
    assert len(diagram.nodes) == 101 * 2 + 3


def test_ampersand_fan_at_the_bound_is_read_whole():
    wide = " & ".join(f"N{i}" for i in range(100))
    diagram = flowchart(f"{wide} --> {wide.replace('N', 'M')}")
    assert len(diagram.edges) == 10_000 and not diagram.warnings


def test_subgraphs_nested_too_deep_are_read_into_the_deepest_allowed_with_one_warning():
    depth = MAX_SUBGRAPH_DEPTH + 50
    opened = "".join(f"subgraph S{i}\n" for i in range(depth))
    diagram = flowchart(opened + "A --> B\n" + "end\n" * depth + "C --> D\n")
    assert len(diagram.subgraphs) == MAX_SUBGRAPH_DEPTH
    nodes = nodes_by_id(diagram)
    assert nodes["A"].subgraph == f"S{MAX_SUBGRAPH_DEPTH - 1}" and nodes["C"].subgraph is None
    (warning,) = diagram.warnings
    assert warning.line == MAX_SUBGRAPH_DEPTH + 2 and "nested more than" in warning.message


def test_a_label_longer_than_the_bound_is_cut_with_a_warning():
    diagram = flowchart(f'A["{"x" * (MAX_LABEL * 3)}"] --> B')
    assert nodes_by_id(diagram)["A"].label == "x" * MAX_LABEL + "…"
    (warning,) = diagram.warnings
    assert f"a label of {MAX_LABEL * 3:,} characters is cut" in warning.message


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
