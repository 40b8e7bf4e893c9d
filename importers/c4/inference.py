"""What kind of node a diagram box is, decided by an **ordered rule table** (:data:`KIND_RULES`).

The first rule that decides wins, and the node records the rule's name (property
``inferred_by``), so a reader can see why ``Spark: Training Dataset`` became a dataset. Earlier
rules carry stronger evidence: what the author wrote down explicitly (an override, a documented
ID, a type tag) beats what the words suggest, which beats where the box sits (its subgraph, its
shape), which beats the graph position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lineage.importers.c4.evidence import Evidence
from lineage.importers.c4.names import documented_id, known_kind
from lineage.importers.c4.vocabulary import (
    ACTOR_WORDS,
    DATA_NOUN_KINDS,
    ENGINES,
    FEATURE_STORE,
    SCRIPT,
    SOURCE_API,
    STORES,
    STREAMS,
    SUBGRAPH_KINDS,
    TAG_KINDS,
    head_kind,
    last_word,
)
from lineage.importers.diagram import C4Level, C4Variant, Shape
from lineage.model import Kind


def split_title(title: str) -> tuple[str | None, str]:
    """``"Flink: Dedup + Validate"`` -> ``("Flink", "Dedup + Validate")``; no tech otherwise."""
    match = re.match(r"([A-Za-z][\w .+/-]{0,30}?)\s*:\s+(\S.*)\Z", title)
    if match and not documented_id(match[1]):
        return match[1], match[2]
    return None, title


def is_actor(ev: Evidence) -> bool:
    """A person or team: a C4 ``Person``, or a title whose head noun is a group of people."""
    if ev.c4 is not None:
        return ev.c4.level is C4Level.PERSON
    return bool(ACTOR_WORDS.fullmatch(last_word(ev.title)))


# -- the rule table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    """One row of the inference table: a name (recorded on the node) and a decision."""

    name: str
    doc: str
    decide: Callable[[Evidence], Kind | None]


def _override(ev: Evidence) -> Kind | None:
    return ev.override_kind


def _documented(ev: Evidence) -> Kind | None:
    return known_kind(ev.documented_id)


def _inventory(ev: Evidence) -> Kind | None:
    return Kind.SOURCE if ev.in_inventory else None


def _type_tag(ev: Evidence) -> Kind | None:
    for tag in ev.tags:
        for kind, pattern in TAG_KINDS:
            if pattern.search(tag):
                return kind
    return None


def _c4_store_type(ev: Evidence) -> Kind | None:
    if ev.c4 is None:
        return None
    if ev.c4.variant is C4Variant.DB:
        return Kind.DATASET
    if ev.c4.variant is C4Variant.QUEUE:
        return Kind.TOPIC
    if ev.c4.level is C4Level.PERSON or ev.c4.external:
        return Kind.SOURCE
    return None


def _actor(ev: Evidence) -> Kind | None:
    return Kind.SOURCE if is_actor(ev) else None


_TECHNOLOGY_KINDS = ((Kind.JOB, ENGINES), (Kind.TOPIC, STREAMS), (Kind.DATASET, STORES))
"""What the ``Tech`` of a ``Tech: Name`` title makes of the box, checked in order."""
_LABEL_WORD_KINDS = (
    (Kind.FEATURE, FEATURE_STORE),
    (Kind.TOPIC, STREAMS),
    (Kind.JOB, ENGINES),
    (Kind.DATASET, STORES),
)
"""What words anywhere in a label make of the box, checked in order: a feature store, a stream,
an engine, a store."""


def _first_named(text: str, table: tuple[tuple[Kind, re.Pattern[str]], ...]) -> Kind | None:
    return next((kind for kind, pattern in table if pattern.search(text)), None)


def _tech_name(ev: Evidence) -> Kind | None:
    tech, name = split_title(ev.title)
    if tech is None:
        return None
    named = head_kind(name)
    if named in DATA_NOUN_KINDS:
        return named
    return _first_named(tech, _TECHNOLOGY_KINDS) or named


def _script(ev: Evidence) -> Kind | None:
    return Kind.JOB if SCRIPT.search(ev.title) else None


def _head_noun(ev: Evidence) -> Kind | None:
    return head_kind(ev.title)


def _subgraph(ev: Evidence) -> Kind | None:
    for title in ev.subgraphs:
        words = title.replace("_", " ")
        for kind, pattern in SUBGRAPH_KINDS:
            if pattern.search(words):
                if kind is Kind.SOURCE and ev.has_inputs and "feedback" not in words.lower():
                    continue  # a "Producers" box fed by another box is a producing job
                return kind
    return None


def _label_words(ev: Evidence) -> Kind | None:
    text = ev.all_text
    if found := _first_named(text, _LABEL_WORD_KINDS):
        return found
    return Kind.SOURCE if SOURCE_API.search(text) and not ev.has_inputs else None


def _c4_element(ev: Evidence) -> Kind | None:
    if ev.c4 is not None and ev.c4.level is not C4Level.PERSON:
        return Kind.MODEL if head_kind(ev.title) is Kind.MODEL else Kind.JOB
    return None


_SHAPE_KINDS = {
    Shape.DATABASE: Kind.DATASET,
    Shape.DOCUMENT: Kind.DATASET,
    Shape.QUEUE: Kind.TOPIC,
    Shape.PERSON: Kind.SOURCE,
}


def _shape(ev: Evidence) -> Kind | None:
    return _SHAPE_KINDS.get(ev.shape)


def _position(ev: Evidence) -> Kind | None:
    return Kind.JOB if ev.has_inputs else Kind.SOURCE


KIND_RULES: tuple[KindRule, ...] = (
    KindRule("override", "the document's `yaml lineage` block or front matter says so", _override),
    KindRule("documented-id", "a documented ID in the label, or one a table or another label "
             "pairs with the box's name: DS- source, MDL- model, SCH- schema, FS-/FEAT- feature, "
             "PL-/JOB- job", _documented),
    KindRule("inventory", "the box's name is a row of the data-source inventory table: source",
             _inventory),
    KindRule("type-tag", "a bracketed type in the label: [ML] model, [FS] feature, "
             "[Batch Pipeline] job, [Kafka Stream] topic, [DB] dataset, [Internal API] source",
             _type_tag),
    KindRule("c4-type", "C4 element: Person or *_Ext source, *Db dataset, *Queue topic",
             _c4_store_type),
    KindRule("actor", "a person or group of people (Members, Data Scientists, ML Teams) is a "
             "source; one with no outgoing edges is left out of the graph", _actor),
    KindRule("tech-name", "a `Tech: Name` title: the Name decides when it is a data noun "
             "(dataset, archive, topic, model...), else an engine Tech (Flink, Spark) makes a job",
             _tech_name),
    KindRule("script", "a script or program file name (.py, .sql, .scala...) is a job", _script),
    KindRule("head-noun", "the title's last word: Model(s) model, Features feature, Topics/Stream "
             "topic, Dataset/Archive/DB/Warehouse dataset, Training/ETL/Pipeline/Service job",
             _head_noun),
    KindRule("subgraph", "the enclosing subgraph's title: Feature Store feature, Models model, "
             "Sources/Producers/Feedback source, Storage dataset, Processing job, Topics topic",
             _subgraph),
    KindRule("label-words", "words anywhere in the label: feature store, Kafka/Kinesis/CDC topic, "
             "Flink/Spark job, S3/Redis/Postgres/store dataset, an API with no inputs source",
             _label_words),
    KindRule("c4-element", "C4 System/Container/Component: job, or model when named so",
             _c4_element),
    KindRule("shape", "the node shape: database [( )] or document dataset, queue topic, person "
             "source", _shape),
    KindRule("position", "no inputs in the diagram: source; otherwise job", _position),
)  # fmt: skip


def infer_kind(ev: Evidence) -> tuple[Kind, str]:
    """The kind of a node and the name of the rule that decided it."""
    for rule in KIND_RULES:
        kind = rule.decide(ev)
        if kind is not None:
            return kind, rule.name
    raise AssertionError("the position rule always decides")  # pragma: no cover


_RANK = {rule.name: rank for rank, rule in enumerate(KIND_RULES)}


def rule_rank(name: str) -> int:
    """Position of a rule in the table (lower is stronger evidence)."""
    return _RANK[name]
