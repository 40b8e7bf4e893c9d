"""The plain-text arrow diagram parser: chains, vertical flows, boxes, legends, never raising."""

from __future__ import annotations

import textwrap
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.diagrams import edge_pairs
from support.documents import fenced_blocks, seed_documents
from support.mutations import mutated

from lineage.importers.arrow_text import _Cell, _nearest, clean_name, parse_arrow_text
from lineage.importers.diagram import Diagram, DiagramKind, Head, Notation
from lineage.importers.problems import LineProblem

EMPTY = Diagram(DiagramKind.EMPTY)


def parse(text: str, first_line: int = 1) -> Diagram:
    return parse_arrow_text(textwrap.dedent(text).strip("\n"), first_line=first_line)


def groups(diagram: Diagram) -> dict[str, str | None]:
    """Each step and the step whose legend it is in (the title of its subgraph)."""
    titles = {subgraph.id: subgraph.title for subgraph in diagram.subgraphs}
    return {node.id: titles.get(node.subgraph or "") for node in diagram.nodes}


def legends(diagram: Diagram) -> dict[str, str | None]:
    """Each step and the legend items no arrow touches under it (its technology)."""
    return {node.id: node.technology for node in diagram.nodes}


def steps(diagram: Diagram) -> list[tuple[str, int, str]]:
    return [(node.id, node.line, node.label) for node in diagram.nodes]


# -- horizontal arrows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "arrow", ["→", "->", "-->", "--->", "⇒", "=>", "==>", "⟶", "➜", "──►", "──>", "►"]
)
def test_right_arrows(arrow):
    diagram = parse(f"Orders {arrow} Warehouse")
    (edge,) = diagram.edges
    assert (edge.source, edge.target, edge.label, edge.line) == ("Orders", "Warehouse", None, 1)
    assert (edge.arrow.notation, edge.arrow.start, edge.arrow.end) == (
        Notation.TEXT,
        Head.NONE,
        Head.ARROW,
    )
    assert steps(diagram) == [("Orders", 1, "Orders"), ("Warehouse", 1, "Warehouse")]
    assert diagram.kind is DiagramKind.ARROWS


@pytest.mark.parametrize("arrow", ["←", "<-", "<--", "⇐", "◄──"])
def test_left_arrows_point_from_right_to_left(arrow):
    assert edge_pairs(parse(f"Warehouse {arrow} Orders")) == [("Orders", "Warehouse")]


@pytest.mark.parametrize("arrow", ["↔", "←→", "<->", "<-->", "⇔"])
def test_two_way_arrows_give_one_bidirectional_edge(arrow):
    (edge,) = parse(f"Cache {arrow} Store").edges
    assert (edge.source, edge.target, edge.bidirectional) == ("Cache", "Store", True)


@pytest.mark.parametrize(
    "line",
    ["Cart→Orders", "[Cart]->[Orders]", "[Cart] --> [Orders]", "Cart  →  Orders"],
)
def test_spacing_around_arrows(line):
    assert edge_pairs(parse(line)) == [("Cart", "Orders")]


@pytest.mark.parametrize("text", ["a->b", "ptr->next", "x-->y", "rate <= limit", "a >= b"])
def test_ascii_arrows_inside_words_or_comparisons_are_not_arrows(text):
    assert parse(text) == EMPTY


def test_chain_gives_one_edge_per_arrow():
    diagram = parse("Events → Validation -> Enrichment ⇒ Feature Store")
    assert edge_pairs(diagram) == [
        ("Events", "Validation"),
        ("Validation", "Enrichment"),
        ("Enrichment", "Feature Store"),
    ]


def test_trailing_colon_text_labels_the_last_edge():
    diagram = parse("Clicks → Sessions → Lake: hourly parquet")
    assert [(e.source, e.target, e.label) for e in diagram.edges] == [
        ("Clicks", "Sessions", None),
        ("Sessions", "Lake", "hourly parquet"),
    ]


# -- step names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "note"),
    [
        ("[Kafka]", "Kafka", None),
        ("Offline Features (Postgres)", "Offline Features", "Postgres"),
        ("[Redis (online)]", "Redis", "online"),
        ("Ingestion:", "Ingestion", None),
        ("- Kafka", "Kafka", None),
        ("2. Spark", "Spark", None),
        ("**Delta Lake**", "Delta Lake", None),
        ("`orders_v2`", "orders_v2", None),
        ("Lake (S3) (parquet)", "Lake", "S3; parquet"),
        ("(optional)", "optional", None),
        ("  Mobile/Web   Apps  ", "Mobile/Web Apps", None),
    ],
)
def test_step_names_are_cleaned_and_parentheses_kept_as_notes(raw, name, note):
    assert clean_name(raw) == (name, note)


def test_a_note_is_kept_on_the_node():
    diagram = parse("Offline Store (Postgres) ←→ Registry")
    assert steps(diagram)[0] == ("Offline Store", 1, "Offline Store (Postgres)")


def test_same_name_with_and_without_brackets_is_one_node():
    diagram = parse("[Kafka] → Spark\nSpark → Kafka")
    assert [node.id for node in diagram.nodes] == ["Kafka", "Spark"]


# -- vertical flows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "connector",
    [["↓"], ["|", "v"], ["│", "▼"], ["v"], ["|"], ["⬇"]],
    ids=["arrow", "pipe-v", "box", "v", "pipe", "heavy"],
)
def test_vertical_flow_links_each_step_to_the_one_below(connector):
    lines = ["Raw Events", *(f"   {c}" for c in connector), "Validation"]
    lines += [*(f"   {c}" for c in connector), "Storage (S3)"]
    diagram = parse_arrow_text("\n".join(lines), first_line=10)
    assert edge_pairs(diagram) == [("Raw Events", "Validation"), ("Validation", "Storage")]
    assert steps(diagram) == [
        ("Raw Events", 10, "Raw Events"),
        ("Validation", 11 + len(connector), "Validation"),
        ("Storage", 12 + 2 * len(connector), "Storage (S3)"),
    ]
    assert diagram.edges[0].line == 11  # the arrow's line


def test_upward_arrow_points_from_below_to_above():
    assert edge_pairs(parse("Dashboard\n   ↑\nWarehouse")) == [("Warehouse", "Dashboard")]
    assert edge_pairs(parse("Dashboard\n   ^\nWarehouse")) == [("Warehouse", "Dashboard")]


def test_up_down_arrow_is_bidirectional():
    (edge,) = parse("Cache\n  ↕\nStore").edges
    assert (edge.source, edge.target, edge.bidirectional) == ("Cache", "Store", True)


def test_text_beside_a_vertical_arrow_labels_the_edge():
    diagram = parse("Ingestion:\n    ↓ nightly batch\nWarehouse:")
    assert [(e.source, e.target, e.label) for e in diagram.edges] == [
        ("Ingestion", "Warehouse", "nightly batch")
    ]


def test_vertical_arrows_link_by_column():
    diagram = parse(
        """
        Kafka → Flink → Redis
                  ↓
                Iceberg
        """
    )
    assert edge_pairs(diagram) == [("Kafka", "Flink"), ("Flink", "Redis"), ("Flink", "Iceberg")]


def test_a_blank_line_ends_a_vertical_flow():
    assert edge_pairs(parse("Orders\n   ↓\n\nBilling")) == []


def test_box_drawing_boxes_stacked_vertically():
    diagram = parse(
        """
        ┌──────────────┐
        │  Clickstream │
        └──────┬───────┘
               │
               ▼
        ┌──────────────┐
        │   Sessions   │
        └──────┬───────┘
               ▼
        ┌──────────────┐
        │  Warehouse   │
        └──────────────┘
        """
    )
    assert edge_pairs(diagram) == [("Clickstream", "Sessions"), ("Sessions", "Warehouse")]
    assert [(n.id, n.line) for n in diagram.nodes] == [
        ("Clickstream", 2),
        ("Sessions", 7),
        ("Warehouse", 11),
    ]


def test_box_drawing_boxes_side_by_side():
    diagram = parse(
        """
        ┌────────┐     ┌────────┐     ┌────────┐
        │ Kafka  │────►│ Spark  │◄────│ Config │
        └────────┘     └────────┘     └────────┘
        """
    )
    assert edge_pairs(diagram) == [("Kafka", "Spark"), ("Config", "Spark")]


def test_ascii_boxes():
    diagram = parse(
        """
        +--------+      +--------+
        | Orders | ---> | Ledger |
        +--------+      +--------+
             |
             v
        +--------+
        | Report |
        +--------+
        """
    )
    assert edge_pairs(diagram) == [("Orders", "Ledger"), ("Orders", "Report")]


# -- lines that continue each other ----------------------------------------------------------


def test_lines_starting_with_an_arrow_continue_from_the_step_above():
    diagram = parse(
        """
        Raw Events
          → Validation
          → Enrichment
        """
    )
    assert edge_pairs(diagram) == [("Raw Events", "Validation"), ("Validation", "Enrichment")]


def test_line_ending_with_an_arrow_continues_on_the_next_line():
    diagram = parse("Ingest →\n  Transform → Load")
    assert edge_pairs(diagram) == [("Ingest", "Transform"), ("Transform", "Load")]
    assert steps(diagram)[0] == ("Ingest", 1, "Ingest")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A → B\n\n→ C", 3, "arrow with nothing before it"),
        ("A → → B", 1, "arrow with nothing after it"),
        ("A → B →\n\nC", 1, "arrow leads nowhere"),
        ("A → B →", 1, "arrow leads nowhere"),
        ("A → B\nx = f(y) → z\nC → D", 2, "looks like code, not read"),
    ],
)
def test_arrows_that_cannot_be_read_are_warnings(text, line, message):
    diagram = parse_arrow_text(text, first_line=1)
    assert diagram.warnings == (LineProblem(line, message),)
    assert ("A", "B") in edge_pairs(diagram)


# -- legends: lists of items under the steps of a chain --------------------------------------


def test_bracketed_lists_under_a_chain_are_legends_of_its_steps():
    diagram = parse(
        """
        Sources   → Ingestion → Storage
           ↓           ↓          ↓
        [Clicks]  → [Kafka]   → [S3]
        [Orders]    [Kinesis]   [Redshift] [Snowflake]
        """,
        first_line=50,
    )
    assert diagram.warnings == ()
    assert edge_pairs(diagram) == [
        ("Sources", "Ingestion"),
        ("Ingestion", "Storage"),
        ("Clicks", "Kafka"),
        ("Kafka", "S3"),
    ]
    assert groups(diagram) == {
        "Sources": None,
        "Ingestion": None,
        "Storage": None,
        "Clicks": "Sources",
        "Kafka": "Ingestion",
        "S3": "Storage",
    }  # the items an arrow links are nodes of their step ...
    assert legends(diagram) == {
        "Sources": "Orders",
        "Ingestion": "Kinesis",
        "Storage": "Redshift, Snowflake",
        "Clicks": None,
        "Kafka": None,
        "S3": None,
    }  # ... the others describe it
    assert {n.id: n.line for n in diagram.nodes}["Kafka"] == 52
    assert {s.title: s.line for s in diagram.subgraphs} == {
        "Sources": 52,
        "Ingestion": 52,
        "Storage": 52,
    }


def test_legend_columns_follow_the_arrows_when_a_step_has_none():
    diagram = parse(
        """
        Apps → Gateway → Queue → Store
                 ↓         ↓       ↓
             [Auth]  → [Topics] → [Tables]
             [Limits]  [Offsets]
        """
    )
    assert groups(diagram)["Auth"] == "Gateway"
    assert legends(diagram)["Gateway"] == "Limits"
    assert legends(diagram)["Queue"] == "Offsets"
    assert groups(diagram)["Tables"] == "Store"


def test_upward_arrows_under_a_chain_also_make_a_legend():
    diagram = parse(
        """
        Offline (Postgres) ←→ Registry ←→ Online (Redis)
              ↑                  ↑              ↑
          [Batch ETL]        [Metadata]    [Stream Updates]
        """
    )
    assert legends(diagram) == {
        "Offline": "Batch ETL",
        "Registry": "Metadata",
        "Online": "Stream Updates",
    }
    assert [e.bidirectional for e in diagram.edges] == [True, True]


def test_unbracketed_steps_under_arrows_are_a_flow_not_a_legend():
    diagram = parse(
        """
        Orders → Payments
          ↓         ↓
        Ledger    Fraud
        """
    )
    assert ("Orders", "Ledger") in edge_pairs(diagram)
    assert ("Payments", "Fraud") in edge_pairs(diagram)
    assert set(groups(diagram).values()) == {None}


# -- key: value blocks -----------------------------------------------------------------------


def test_key_value_blocks_drop_the_key_before_the_first_step():
    diagram = parse(
        """
        Direction: Billing <- Ledger (read)
        Data: invoices, refunds
        Method: REST
        """,
        first_line=7,
    )
    assert edge_pairs(diagram) == [("Ledger", "Billing")]
    assert steps(diagram) == [("Billing", 7, "Billing"), ("Ledger", 7, "Ledger (read)")]


# -- text that is not an arrow diagram -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "Just a sentence.\nAnd another one.",
        '{"event": "click", "ids": [1, 2], "next": "a -> b"}',
        "[1, 2, 3]",
        "topics:\n  orders:\n    partitions: 12  # by id\n    retention: 7_days\n",
        "def enrich(event) -> dict:\n    return {**event, 'ok': True}\n",
        "class Pipeline:\n    def run(self) -> None:\n        pass\n",
        "SELECT a, b\nFROM orders o\nJOIN users u ON u.id = o.user_id\n",
        "const total = items.map((x) => x.price);\n",
        "fn main() -> Result<(), Error> {\n    Ok(())\n}\n",
        "| Step | Owner |\n|------|-------|\n| Ingest | data |\n",
        "---\n",
    ],
    ids=[
        "empty",
        "blank",
        "prose",
        "json",
        "json-list",
        "yaml",
        "python",
        "python-class",
        "sql",
        "js",
        "rust",
        "table",
        "rule",
    ],
)
def test_text_without_arrow_diagrams_is_empty(text):
    assert parse_arrow_text(text) == EMPTY


# -- never raising ---------------------------------------------------------------------------

SAMPLES = [
    textwrap.dedent(
        """\
        Sources  → Ingestion → Storage → Serving
           ↓          ↓           ↓         ↓
        [Clicks] → [Kafka]   → [S3]     → [API]
        [Orders]   [Kinesis]   [Redis]    [Cache]

        Raw (json)
           |
           v
        Clean: → Features ⇒ Model: scores
          → Registry
        """
    ),
    textwrap.dedent(
        """\
        ┌────────┐     ┌────────┐
        │ Kafka  │────►│ Spark  │
        └───┬────┘     └────────┘
            │
            ▼
        +--------+
        | Lake   | <-> Catalog ←→ Search
        +--------+
        Direction: A <- B (read)
        """
    ),
]


MUTATION_BASES = SAMPLES + [
    block
    for doc in seed_documents()
    for _, info, block in fenced_blocks(doc.read_text())
    if info != "mermaid"
]


mutated_diagrams = mutated(MUTATION_BASES, inserts="→↓↑←↔|v^[](){}:;=-<>│┬─►\n\t ")


def check_well_formed(diagram: Diagram, first_line: int) -> None:
    names = {node.id for node in diagram.nodes}
    for edge in diagram.edges:
        assert {edge.source, edge.target} <= names
    for item in (*diagram.nodes, *diagram.edges, *diagram.subgraphs, *diagram.warnings):
        assert item.line >= first_line
    assert all(node.id and node.label for node in diagram.nodes)
    subgraphs = {subgraph.id for subgraph in diagram.subgraphs}
    assert {node.subgraph for node in diagram.nodes} - {None} <= subgraphs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300), first_line=st.integers(1, 500))
def test_never_raises_on_arbitrary_text(text, first_line):
    check_well_formed(parse_arrow_text(text, first_line=first_line), first_line)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(
            ["A", "[B]", "(c)", " ", "  ", "→", "->", "↓", "|", "v", "\n", ":", "│", "──►"]
        ),
        max_size=60,
    ).map("".join),
    first_line=st.integers(1, 50),
)
def test_never_raises_on_arrow_token_soup(text, first_line):
    check_well_formed(parse_arrow_text(text, first_line=first_line), first_line)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_diagrams, first_line=st.integers(1, 500))
def test_never_raises_on_mutated_diagrams(text, first_line):
    check_well_formed(parse_arrow_text(text, first_line=first_line), first_line)


def test_samples_parse_cleanly():
    layers, boxes = (parse_arrow_text(sample) for sample in SAMPLES)
    assert layers.warnings == () and boxes.warnings == ()
    assert legends(layers)["Serving"] == "Cache"
    assert ("Raw", "Clean") in edge_pairs(layers) and ("Features", "Registry") not in edge_pairs(
        layers
    )
    assert ("Model", "Registry") in edge_pairs(layers)
    assert [e.label for e in layers.edges if e.target == "Model"] == ["scores"]
    assert ("Kafka", "Spark") in edge_pairs(boxes) and ("Kafka", "Lake") in edge_pairs(boxes)


# -- the seed documents ----------------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not seed_documents(), reason="seed documents not available")


def seed_blocks(prefix: str) -> list[tuple[int, str, Diagram]]:
    (doc,) = [path for path in seed_documents() if path.name.startswith(prefix)]
    return [
        (line, info, parse_arrow_text(block, first_line=line))
        for line, info, block in fenced_blocks(doc.read_text())
        if info != "mermaid"
    ]


@needs_seeds
def test_seed_003_arrow_diagrams_read_without_warnings_and_code_blocks_are_empty():
    blocks = seed_blocks("003")
    for _, info, diagram in blocks:
        assert diagram.warnings == ()
        if info in ("json", "yaml", "python", "sql"):
            assert diagram == EMPTY, info
        else:
            assert diagram.edges, info
    line, _, overall = blocks[0]
    stages = ["Data Sources", "Ingestion", "Processing", "Storage", "Serving", "Analytics"]
    assert edge_pairs(overall)[:5] == list(pairwise(stages))
    assert groups(overall)["Mobile Apps"] == "Data Sources"
    assert groups(overall)["Kinesis"] == "Ingestion"
    assert groups(overall)["Tableau"] == "Analytics"
    assert ("Mobile Apps", "Kafka") in edge_pairs(overall)
    assert all(node.line >= line for node in overall.nodes)


@needs_seeds
def test_seed_003_feature_store_layout():
    (diagram,) = [
        d for _, _, d in seed_blocks("003") if any(n.id == "Feature Registry" for n in d.nodes)
    ]
    labels = {node.id: node.label for node in diagram.nodes}
    assert labels["Offline Features"] == "Offline Features (PostgreSQL)"
    assert labels["Online Features"] == "Online Features (Redis)"
    assert all(edge.bidirectional for edge in diagram.edges)
    assert legends(diagram)["Feature Registry"] == "Metadata, Lineage, Validation"


@needs_seeds
def test_seed_002_integration_blocks_read_as_single_edges():
    directions = [d for _, info, d in seed_blocks("002") if d.edges]
    assert [edge_pairs(d) for d in directions] == [
        [("Metaflow", "Runway")],
        [("Runway", "Maestro")],
        [("Axion", "Runway")],
    ]


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=1, max_size=12),
    st.integers(0, 80),
)
def test_the_nearest_cell_is_the_leftmost_of_the_closest(gaps: list, column: int) -> None:
    """``_nearest`` looks only around the column; a scan of every cell agrees."""
    cells, at = [], 0
    for gap, width in gaps:
        cells.append(_Cell(f"c{at}", None, 1, at + gap, at + gap + width, False))
        at += gap + width

    def distance(cell: _Cell) -> int:
        inside = cell.start <= column < cell.end
        return 0 if inside else min(abs(cell.start - column), abs(cell.end - 1 - column))

    assert _nearest(tuple(cells), column) == min(cells, key=distance)
