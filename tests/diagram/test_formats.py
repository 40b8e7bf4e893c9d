"""Every format's structure, on views whose names need escaping: the DOT parses (Graphviz reads
it back), the SVG is XML holding every node's label, the Mermaid front matter maps every box;
styling that carries meaning; large views collapse and say what they hid; `dot` missing is a
clear error with exit 3."""

from __future__ import annotations

import itertools
import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml
from click.testing import CliRunner

from lineage.diagram import Format, GroupBy, View
from lineage.diagram.dot import to_dot
from lineage.diagram.style import CONFLICT_COLOUR, LOOP_COLOUR, STALE_COLOUR
from lineage.diagram.view import collapse
from lineage.freshness import parse_freshness
from lineage.model import Edge, Kind, Mode, Node, NodeId, Role
from lineage.service.diagrams import draw

ODD = ['say "hi"', "[Kafka] stream", "a | b", "#1 <top> & more", "Ünïcode 中文", "back\\slash"]


def odd_view() -> View:
    nodes = tuple(
        Node(
            NodeId(f"{kind.value}:n{i}"),
            kind,
            name=ODD[i % len(ODD)],
            mode=Mode.BATCH if i % 2 else Mode.STREAMING,
            freshness=parse_freshness("daily") if i % 3 == 0 else None,
        )
        for i, kind in enumerate(Kind)
    )
    ids = [node.id for node in nodes]
    edges = tuple(Edge(a, b, role=Role.TRAINING) for a, b in itertools.pairwise(ids))
    return View(
        "odd names",
        nodes,
        edges,
        stale=frozenset({ids[0]}),
        conflicts=frozenset({ids[1]}),
        loop_edges=frozenset({(ids[2], ids[3])}),
    )


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_dot_parses_and_names_every_node() -> None:
    view = odd_view()
    parsed = subprocess.run(
        ["dot", "-Tjson"], input=to_dot(view).encode(), capture_output=True, check=True
    )
    names = {obj["name"] for obj in json.loads(parsed.stdout)["objects"] if "name" in obj}
    assert {str(node.id) for node in view.nodes} <= names
    labels = [obj.get("label") or "" for obj in json.loads(parsed.stdout)["objects"]]
    read_back = [label.replace("\\\\", "\\") for label in labels]  # DOT's escaped backslash
    for node in view.nodes:
        assert any(label.startswith(node.name) for label in read_back), node.name


def test_the_svg_is_xml_with_every_label() -> None:
    view = odd_view()
    texts = _svg_texts(draw(view, Format.SVG))
    for node in view.nodes:
        assert node.name in texts, node.name
    assert "Legend" in texts


def test_png_is_a_png() -> None:
    assert draw(odd_view(), Format.PNG)[:8] == b"\x89PNG\r\n\x1a\n"


def test_styling_carries_meaning() -> None:
    view = odd_view()
    dot = to_dot(view)
    by_id = {line.split(" [", 1)[0].strip(): line for line in dot.splitlines() if " [" in line}
    assert STALE_COLOUR in by_id['"source:n0"']
    assert CONFLICT_COLOUR in by_id['"topic:n1"']
    assert "shape=cylinder" in by_id['"dataset:n2"']
    loop = next(line for line in dot.splitlines() if '"dataset:n2" -> "job:n3"' in line)
    assert LOOP_COLOUR in loop
    batch = next(line for line in dot.splitlines() if '"topic:n1" -> "dataset:n2"' in line)
    streaming = next(line for line in dot.splitlines() if '"source:n0" -> "topic:n1"' in line)
    assert "style=dashed" in batch and "style=dashed" not in streaming
    assert 'label="training data"' in batch
    mermaid = draw(view, Format.MERMAID).decode()
    assert "class n0 stale" in mermaid and "class n1 conflict" in mermaid
    assert f"linkStyle 2 stroke:{LOOP_COLOUR}" in mermaid
    assert "n1 -.->" in mermaid and "n0 -->" in mermaid


def test_mermaid_front_matter_maps_every_box_and_labels_are_escaped() -> None:
    view = odd_view()
    text = draw(view, Format.MERMAID).decode()
    _, matter, body = text.split("---\n", 2)
    boxes = yaml.safe_load(matter)["lineage"]["nodes"]
    assert {box["id"] for box in boxes.values()} == {node.id for node in view.nodes}
    assert "say #quot;hi#quot;" in body and "#35;1 #lt;top#gt;" in body
    assert '"' not in body.split("n0", 1)[1].split('"', 1)[1].split('"')[0]


def test_a_view_beyond_its_limit_collapses_by_group_and_says_so() -> None:
    nodes = tuple(
        Node(NodeId(f"{Kind.JOB.value if i % 2 else Kind.DATASET.value}:n{i}"),
             Kind.JOB if i % 2 else Kind.DATASET)
        for i in range(400)
    )  # fmt: skip
    edges = tuple(Edge(nodes[i].id, nodes[i + 1].id) for i in range(399))
    view = collapse(View("big", nodes, edges), limit=150)
    assert len(view.nodes) == 2 and view.group_by is GroupBy.KIND
    assert view.hidden == "400 nodes collapsed into 2 groups by kind"
    assert sorted(view.edge_counts.values()) == [199, 200]
    svg = draw(view, Format.SVG)
    assert "dataset: 200 nodes" in _svg_texts(svg)
    assert "400 nodes collapsed" in draw(view, Format.MERMAID).decode()
    small = View("small", nodes[:10], edges[:9])
    assert collapse(small, limit=150) is small


def test_graphviz_missing_is_a_clear_error_with_exit_3(tmp_path: pytest.TempPathFactory) -> None:
    from lineage.cli import cli

    db = str(tmp_path / "lineage.db")  # type: ignore[operator]
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "observe", "x"])  # an empty store is enough
    result = runner.invoke(
        cli, ["--db", db, "diagram", "--format", "svg"], env={"PATH": str(tmp_path)}
    )
    assert result.exit_code == 3
    assert "Graphviz's `dot` is not installed" in result.stderr
    text = runner.invoke(cli, ["--db", db, "diagram", "--format", "dot"], env={"PATH": ""})
    assert text.exit_code == 0 and text.stdout.startswith("digraph lineage {")


def test_the_readme_holds_the_current_diagram_of_the_example_platform() -> None:
    import importlib.util

    from support import ROOT

    spec = importlib.util.spec_from_file_location(
        "readme_diagram", ROOT / "scripts" / "readme_diagram.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mermaid, _ = module.drawings()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.readme_with(mermaid, readme) == readme, "run `make diagram`"
    assert mermaid.startswith("flowchart LR")  # no front matter: the README needs no corrections


def test_group_by_draws_a_subgraph_per_group_in_mermaid_and_dot() -> None:
    from dataclasses import replace

    view = replace(odd_view(), group_by=GroupBy.MODE)
    mermaid = draw(view, Format.MERMAID).decode()
    assert mermaid.count("subgraph group") == 2  # batch and streaming
    assert 'subgraph group0["batch"]' in mermaid
    dot = to_dot(view)
    assert 'label="batch"; style=rounded;' in dot and 'label="streaming"; style=rounded;' in dot
