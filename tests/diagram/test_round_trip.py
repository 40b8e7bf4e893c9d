"""The Mermaid and C4-overlay diagrams import back with the C4 importer to the same nodes (ids,
kinds, modes, freshness) and data-flow edges (ends and roles): a property over generated graphs
whose names hold quotes, brackets, pipes, hashes, angle brackets and non-ASCII text, drawn with
and without subgraphs per group."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lineage.diagram import Format, GroupBy, View
from lineage.freshness import parse_freshness
from lineage.importers import ImportRequest, get_importer
from lineage.model import Edge, Kind, Mode, Node, NodeId, Role
from lineage.service.diagrams import draw

NAME_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 _-.\"[](){}|#<>&;:/'é中🙂")), min_size=1, max_size=24
).filter(lambda text: text.strip() != "")
KEYS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,11}", fullmatch=True)
PHRASES = st.sampled_from(
    [None, "daily", "5 seconds", "hourly", "Real-time (sub-second)", "weekly"]
)
ROLES = st.sampled_from([Role.OTHER, Role.SERVING, Role.TRAINING, Role.FEEDBACK, Role.ARCHIVE])


@st.composite
def graphs(draw_: st.DrawFn) -> View:
    count = draw_(st.integers(1, 12))
    keys = draw_(st.lists(KEYS, min_size=count, max_size=count, unique_by=str.lower))
    nodes = []
    for key in keys:
        kind = draw_(st.sampled_from(list(Kind)))
        phrase = draw_(PHRASES)
        nodes.append(
            Node(
                NodeId(f"{kind.value}:{key}"),
                kind,
                name=draw_(NAME_TEXT | st.just("")),
                mode=draw_(st.sampled_from(list(Mode))),
                freshness=parse_freshness(phrase) if phrase else None,
            )
        )
    pairs = draw_(
        st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=20)
    )
    edges: dict[tuple[NodeId, NodeId], Edge] = {}
    for a, b in pairs:
        if a != b:
            key = (nodes[a].id, nodes[b].id)
            edges[key] = Edge(*key, role=draw_(ROLES))
    group_by = draw_(st.sampled_from(list(GroupBy)))
    return View("generated", tuple(nodes), tuple(edges[key] for key in sorted(edges)), group_by)


def _imported(text: str, path: Path) -> tuple[dict, set]:
    path.write_text(text, encoding="utf-8")
    (batch,) = get_importer("c4").run(ImportRequest((str(path),)))
    assert batch.warnings == (), [str(w) for w in batch.warnings]
    nodes = {n.id: (n.kind, n.mode, n.freshness) for n in batch.nodes}
    return nodes, {(e.source, e.target, e.role) for e in batch.edges}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(view=graphs())
def test_mermaid_and_the_c4_overlay_import_back_to_the_same_graph(
    view: View, tmp_path: Path
) -> None:
    expected_nodes = {n.id: (n.kind, n.mode, n.freshness) for n in view.nodes}
    expected_edges = {(e.source, e.target, e.role) for e in view.edges}
    for output, name in ((Format.MERMAID, "view.mmd"), (Format.C4, "view.md")):
        nodes, edges = _imported(draw(view, output).decode("utf-8"), tmp_path / name)
        assert nodes == expected_nodes, output
        assert edges == expected_edges, output
