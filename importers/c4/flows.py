"""The data flows of one diagram, and the evidence each of its boxes gives.

A diagram's edges are drawn between boxes and subgraphs, in the direction the notation reads;
a flow is between two boxes, in the direction data moves:

* an edge to a subgraph goes to its entry boxes (no incoming edge from inside it), an edge from
  a subgraph leaves from its exit boxes (no outgoing edge to inside it);
* a two-headed arrow (``<-->``, ``BiRel``, ``↔``) is two flows;
* a C4 ``Rel(a, b, "Reads ...")`` says who calls whom, so the data flows from b to a;
* an invisible link (Mermaid ``~~~``) is layout, not a flow.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lineage.importers.c4.evidence import Evidence
from lineage.importers.diagram import Diagram, DiagramEdge, DiagramNode, Notation, Stroke

_READ_VERBS = re.compile(
    r"^\s*(?:reads?|receives?|fetch(?:es)?|pulls?|consumes?|quer(?:y|ies)|gets?|loads? from"
    r"|subscribes? to|polls?|downloads?|imports?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Link:
    """One data flow between two boxes of a diagram (subgraphs expanded, direction fixed)."""

    source: str
    target: str
    label: str
    line: int


def reads_from_target(label: str | None) -> bool:
    """A C4 ``Rel(a, b, "Reads ...")`` says who calls whom: the data flows from b to a."""
    return bool(label and _READ_VERBS.match(label))


def diagram_links(diagram: Diagram) -> list[Link]:
    """The data flows between the boxes of ``diagram``, in edge order."""
    nesting = _Nesting(diagram)
    links: list[Link] = []
    for edge in diagram.edges:
        if edge.arrow.stroke is Stroke.INVISIBLE:
            continue
        label = " ".join((edge.label or "").split())
        sources = nesting.ends(edge.source, exits=True)
        targets = nesting.ends(edge.target, exits=False)
        if edge.arrow.notation is Notation.C4_REL and reads_from_target(label):
            sources, targets = targets, sources
        for source in sources:
            for target in targets:
                links.append(Link(source, target, label, edge.line))
                if edge.bidirectional:
                    links.append(Link(target, source, label, edge.line))
    return links


def diagram_evidence(diagram: Diagram, links: list[Link]) -> list[tuple[DiagramNode, Evidence]]:
    """Every box of a diagram with its evidence: label, subgraph titles (innermost first), C4
    element, shape and whether data flows into and out of it."""
    chains = _chains(diagram)
    titles = {s.id: s.title for s in diagram.subgraphs}
    has_inputs = {link.target for link in links}
    has_outputs = {link.source for link in links}
    return [
        (
            node,
            Evidence(
                diagram_id=node.id,
                label=node.label,
                subgraphs=tuple(titles[group] for group in chains[node.id]),
                c4=node.c4,
                technology=node.technology,
                description=node.description,
                shape=node.shape,
                has_inputs=node.id in has_inputs,
                has_outputs=node.id in has_outputs,
            ),
        )
        for node in diagram.nodes
    ]


class _Nesting:
    """Which subgraphs hold which boxes, and which boxes an edge inside a subgraph links.

    Built in one pass over the boxes and one over the edges (each times the nesting depth), so
    expanding every edge that touches a subgraph stays linear in the diagram.
    """

    def __init__(self, diagram: Diagram) -> None:
        self._chains = _chains(diagram)
        self._members: dict[str, list[str]] = {s.id: [] for s in diagram.subgraphs}
        for node_id, chain in self._chains.items():
            for group in chain:
                self._members[group].append(node_id)
        self._fed_inside: dict[str, set[str]] = defaultdict(set)
        self._feeding_inside: dict[str, set[str]] = defaultdict(set)
        for edge in diagram.edges:
            self._note_inner(edge)

    def _note_inner(self, edge: DiagramEdge) -> None:
        ends = (edge.source, edge.target)
        if edge.arrow.stroke is Stroke.INVISIBLE or not all(e in self._chains for e in ends):
            return
        around_target = set(self._chains[edge.target])
        for group in self._chains[edge.source]:
            if group in around_target:
                self._feeding_inside[group].add(edge.source)
                self._fed_inside[group].add(edge.target)

    def ends(self, ref: str, *, exits: bool) -> list[str]:
        """The boxes an edge end stands for: the box itself, or a subgraph's exits (``exits``)
        or entries."""
        if ref not in self._members:
            return [ref]
        linked = self._feeding_inside if exits else self._fed_inside
        return sorted(set(self._members[ref]) - linked[ref])


def _chains(diagram: Diagram) -> dict[str, tuple[str, ...]]:
    """Each box's subgraphs, innermost first."""
    parents = {s.id: s.parent for s in diagram.subgraphs}
    return {node.id: _ancestors(node.subgraph, parents) for node in diagram.nodes}


def _ancestors(group: str | None, parents: dict[str, str | None]) -> tuple[str, ...]:
    chain: list[str] = []
    while group is not None and group in parents and group not in chain:
        chain.append(group)
        group = parents[group]
    return tuple(chain)
