"""What things look like, the same in every format: a shape per kind, solid streaming and
dashed batch edges, labels with role and freshness, and colours for stale, conflicting and
loop elements. The legend lists exactly these."""

from __future__ import annotations

from lineage.model import Edge, Kind, Mode, Node, Role

MERMAID_SHAPES: dict[Kind, tuple[str, str]] = {
    Kind.SOURCE: ("([", "])"),
    Kind.TOPIC: ("[/", "/]"),
    Kind.DATASET: ("[(", ")]"),
    Kind.JOB: ("[", "]"),
    Kind.FEATURE: ("{{", "}}"),
    Kind.MODEL: ("((", "))"),
    Kind.SCHEMA: (">", "]"),
}
DOT_SHAPES: dict[Kind, str] = {
    Kind.SOURCE: "invhouse",
    Kind.TOPIC: "parallelogram",
    Kind.DATASET: "cylinder",
    Kind.JOB: "box",
    Kind.FEATURE: "hexagon",
    Kind.MODEL: "doubleoctagon",
    Kind.SCHEMA: "note",
}
STALE_COLOUR = "#d62728"
CONFLICT_COLOUR = "#ff7f0e"
LOOP_COLOUR = "#9467bd"
FOCUS_COLOUR = "#1f77b4"

ROLE_WORDS: dict[Role, str] = {
    Role.SERVING: "serving",
    Role.TRAINING: "training data",
    Role.FEEDBACK: "feedback",
    Role.ARCHIVE: "archive",
}
"""The words the C4 importer reads back as each role."""


def dashed(edge: Edge, source: Node) -> bool:
    """Batch (or event-driven) data flow is dashed; streaming, hybrid and unknown solid."""
    mode = edge.mode if edge.mode is not Mode.UNKNOWN else source.mode
    return mode in (Mode.BATCH, Mode.EVENT_DRIVEN)


def edge_label(edge: Edge, count: int | None = None) -> str:
    """Role and freshness: ``training data (freshness: daily)``; a collapsed edge its count."""
    if count is not None:
        return f"{count} edges" if count != 1 else ""
    parts = [ROLE_WORDS[edge.role]] if edge.role in ROLE_WORDS else []
    if edge.freshness is not None:
        parts.append(f"(freshness: {edge.freshness.text})")
    return " ".join(parts)


def node_details(node: Node) -> str:
    """The second line of a box: kind, mode and freshness."""
    parts = [node.kind.value]
    if node.mode is not Mode.UNKNOWN:
        parts.append(node.mode.value.replace("_", "-"))
    if node.freshness is not None:
        parts.append(f"freshness {node.freshness.text}")
    return " · ".join(parts)
