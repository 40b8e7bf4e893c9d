"""The Mermaid C4 reader: element, boundary and relationship macros."""

from __future__ import annotations

import textwrap

import pytest
from support.diagrams import edge_pairs, only_edge

from lineage.importers.diagram import (
    C4Element,
    C4Level,
    Diagram,
    DiagramKind,
    Notation,
    Shape,
)
from lineage.importers.mermaid import parse_mermaid

# -- C4 --------------------------------------------------------------------------------------


def c4(body: str, header: str = "C4Container") -> Diagram:
    return parse_mermaid(header + "\n" + textwrap.dedent(body))


@pytest.mark.parametrize(
    "header", ["C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment"]
)
def test_c4_headers(header):
    diagram = c4('System(s, "Shop")', header=header)
    assert (diagram.kind, diagram.direction, diagram.warnings) == (DiagramKind.C4, None, ())
    assert diagram.nodes[0].c4 == C4Element(C4Level.SYSTEM)


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
    assert (str(node.c4), node.label, node.technology, node.description, node.shape) == (
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
    assert (edge.arrow.notation, edge.bidirectional, edge.line) == (
        Notation.C4_REL,
        bidirectional,
        4,
    )


def test_c4_relationship_to_an_undeclared_element_references_it():
    diagram = c4('Rel(api, db, "Writes")\nContainerDb(db, "Orders DB")')
    api, db = diagram.nodes
    assert (api.label, api.shape, api.c4) == ("api", Shape.DEFAULT, None)
    assert (db.label, db.shape, str(db.c4), db.line) == (
        "Orders DB",
        Shape.DATABASE,
        "ContainerDb",
        3,
    )


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
