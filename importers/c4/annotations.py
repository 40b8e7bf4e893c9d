"""What a label says besides the kind: processing mode, freshness, an edge's role, and the
topic names a topic box lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lineage.freshness import infer_mode, parse_freshness
from lineage.importers.c4.evidence import Evidence
from lineage.importers.c4.vocabulary import SCRIPT, words
from lineage.model import Freshness, Mode, Role

_TOPIC_NAME = re.compile(r"(?<![\w./-])([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+)(?![\w/-])")
_ENGINE_MODES = re.compile(r"\b(?:kafka|flink|kinesis|spark|airflow|metaflow)\b", re.IGNORECASE)
_FRESHNESS_LINE = re.compile(
    r"^\s*(?:freshness(?:\s+(?:req(?:uirement)?|sla|target))?|sla|latency|staleness|refresh(?:ed)?"
    r"|updated?)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_CADENCE = re.compile(
    r"real-?\s?time|realtime|sub-?\s?(?:second|ms)|nightly|daily|hourly|weekly|monthly"
    r"|quarterly|yearly|annual|every \d+\s*\w+|\brefresh",
    re.IGNORECASE,
)
_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.FEEDBACK, words("feedback", r"becomes? (?:future )?training", "future training")),
    (Role.ARCHIVE, words("archived?", "archival", "archiving")),
    (Role.TRAINING, words("training", "train", "labels?", "labelled", "labeled")),
    (Role.SERVING, words("serving", "served", "serve", "online features?", "shown", "inference")),
)
"""Checked in order: "becomes future training data" is feedback, not training."""


def topic_names(ev: Evidence) -> tuple[str, ...]:
    """Topic names listed after a label's title or in a C4 description: ``views.raw,
    clicks.raw``."""
    lines = [*ev.details, *(ev.description or "").split("\n")]
    found = (m[1] for line in lines for m in _TOPIC_NAME.finditer(line))
    return tuple(dict.fromkeys(name for name in found if not SCRIPT.search(name)))


def mode_of(texts: Iterable[str]) -> Mode:
    """The mode the first text that says one implies; texts are given strongest first.

    A text's explicit words win over the engines it names: "Spark Structured Streaming" is
    streaming, "Batch (Spark) + event-driven" hybrid.
    """
    for text in texts:
        if not text.strip():
            continue
        explicit = infer_mode(_ENGINE_MODES.sub(" ", text))
        if explicit is not Mode.UNKNOWN:
            return explicit
        implied = infer_mode(text)
        if implied is not Mode.UNKNOWN:
            return implied
    return Mode.UNKNOWN


def node_mode(ev: Evidence) -> Mode:
    """Mode from the label (its details, then the title line and tags), the technology, then
    the subgraph titles, innermost first."""
    texts = ["\n".join(ev.details), ev.title_line, " ".join(ev.tags), ev.technology or ""]
    texts += [title.replace("_", " ") for title in ev.subgraphs]
    return mode_of(texts)


def freshness_of_label(ev: Evidence) -> Freshness | None:
    """``Freshness: seconds`` / ``Freshness req: daily`` lines first, then a line that states a
    cadence (``Real-time, sub-second``, ``Quarterly refresh``, ``Nightly pipeline``)."""
    lines = [*ev.details, *(ev.description or "").split("\n")]
    for line in lines:
        match = _FRESHNESS_LINE.match(line)
        if match:
            return parse_freshness(match[1])
    for line in lines:
        if _CADENCE.search(line):
            freshness = parse_freshness(line)
            if freshness.seconds is not None:
                return freshness
    return None


def edge_role(label: str) -> Role:
    for role, pattern in _ROLES:
        if pattern.search(label):
            return role
    return Role.OTHER


def edge_mode(label: str) -> Mode:
    return mode_of([label])


def edge_freshness(label: str) -> Freshness | None:
    """``(freshness: seconds)`` first, then a parenthetical that states a time or cadence
    (``(batch, daily)``, ``(sync, sub-ms)``)."""
    explicit = re.search(r"freshness\s*[:=]\s*([^()\n]+)", label, re.IGNORECASE)
    if explicit:
        return parse_freshness(explicit[1])
    for inner in re.findall(r"\(([^()]*)\)", label):
        freshness = parse_freshness(inner)
        if freshness.seconds is not None and not re.fullmatch(r"\s*batch\s*", inner, re.I):
            return freshness
    return None
