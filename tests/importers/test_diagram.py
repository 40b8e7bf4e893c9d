"""The diagram value types every reader yields: C4 element types, arrows, and the builder's
rules for ids, declarations and subgraphs."""

from __future__ import annotations

import pytest

from lineage.importers.diagram import (
    Arrow,
    C4Element,
    C4Level,
    C4Variant,
    DiagramBuilder,
    DiagramKind,
    DiagramNode,
    Head,
    Notation,
    Shape,
)


@pytest.mark.parametrize(
    ("macro", "element"),
    [
        ("Person", C4Element(C4Level.PERSON)),
        ("Person_Ext", C4Element(C4Level.PERSON, external=True)),
        ("SystemDb", C4Element(C4Level.SYSTEM, C4Variant.DB)),
        ("ContainerQueue_Ext", C4Element(C4Level.CONTAINER, C4Variant.QUEUE, external=True)),
        ("Component", C4Element(C4Level.COMPONENT)),
    ],
)
def test_c4_element_macros_read_and_write_back(macro: str, element: C4Element) -> None:
    assert C4Element.from_macro(macro) == element
    assert str(element) == macro


@pytest.mark.parametrize("macro", ["PersonDb", "Widget", "System_Boundary", "Rel", "container"])
def test_other_macros_are_not_elements(macro: str) -> None:
    assert C4Element.from_macro(macro) is None


@pytest.mark.parametrize(
    ("start", "end", "bidirectional"),
    [
        (Head.NONE, Head.ARROW, False),
        (Head.NONE, Head.NONE, False),
        (Head.ARROW, Head.ARROW, True),
        (Head.CIRCLE, Head.CROSS, True),
    ],
)
def test_an_arrow_with_heads_at_both_ends_is_bidirectional(
    start: Head, end: Head, bidirectional: bool
) -> None:
    assert Arrow(Notation.FLOWCHART, start, end).bidirectional is bidirectional


def test_the_first_declaration_wins_and_a_box_keeps_its_first_subgraph() -> None:
    builder = DiagramBuilder()
    builder.reference("a", 1)
    builder.open_subgraph("g", "Group", 2)
    builder.declare(DiagramNode("a", "Alpha", Shape.DATABASE, 3, None))
    builder.declare(DiagramNode("a", "Other", Shape.RECT, 4, None))
    builder.close_subgraph(5)
    (node,) = builder.finish(DiagramKind.FLOWCHART).nodes
    assert (node.label, node.shape, node.line, node.subgraph) == ("Alpha", Shape.DATABASE, 3, "g")


def test_id_less_subgraphs_get_ids_unique_among_subgraphs_and_boxes() -> None:
    builder = DiagramBuilder()
    builder.reference("sources", 1)
    for line in (2, 4, 6):
        builder.open_subgraph(None, "Sources", line)
        builder.close_subgraph(line + 1)
    diagram = builder.finish(DiagramKind.FLOWCHART)
    assert [s.id for s in diagram.subgraphs] == ["sources-2", "sources-3", "sources-4"]
