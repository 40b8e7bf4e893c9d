"""What a diagram node is: kind, key, mode and freshness, from the evidence a document gives.

The kind comes from an **ordered rule table** (:data:`KIND_RULES`): the first rule that
decides wins, and the node records the rule's name (property ``inferred_by``), so a reader can
see why ``Spark: Training Dataset`` became a dataset. Earlier rules carry stronger evidence:
what the author wrote down explicitly (an override, a documented ID, a type tag) beats what the
words suggest, which beats where the box sits (its subgraph, its shape), which beats the graph
position.

Mode, freshness and edge roles are smaller helpers at the end of the module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lineage.importers.arrow_text import ArrowDiagram
from lineage.importers.mermaid import Diagram, DiagramKind, MermaidEdge, MermaidNode, Subgraph

from lineage.freshness import infer_mode, parse_freshness
from lineage.model import Freshness, Kind, Mode, Role

# -- evidence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Everything a document says about one diagram node."""

    diagram_id: str
    label: str
    """The cleaned label; lines separated by ``"\\n"``."""
    subgraphs: tuple[str, ...] = ()
    """Titles of the subgraphs the node sits in, innermost first."""
    c4_type: str | None = None
    technology: str | None = None
    description: str | None = None
    shape: str = "default"
    has_inputs: bool = False
    has_outputs: bool = False
    inventory_id: str | None = None
    """The documented ID of the inventory row whose name is this node's title."""
    override_kind: Kind | None = None

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.label.split("\n") if line.strip())

    @property
    def short_title(self) -> str:
        """The title's first line alone (``Metaflow`` for ``Metaflow<br/>Workflow Framework``)."""
        return self.title.split(" ", 1)[0] if self.title != self._first_line else self.title

    @property
    def _first_line(self) -> str:
        first = _TAG.sub(" ", self.lines[0] if self.lines else self.diagram_id)
        return " ".join(re.sub(r"\([^()]*\)\s*$", " ", first).split()) or self.diagram_id

    @property
    def title(self) -> str:
        """The first label line, without type tags and a trailing parenthetical.

        A label wrapped after a single word (``Stream<br/>Join``) reads as one title when the
        next line is one or two plain words: ``Stream Join``, not ``Stream``.
        """
        lines = self.lines
        first = self._first_line
        if len(first.split()) == 1 and len(lines) > 1 and _WRAPPED.fullmatch(lines[1].strip()):
            first = f"{first} {lines[1].strip()}"
        return first

    @property
    def tags(self) -> tuple[str, ...]:
        """Bracketed type tags anywhere in the label: ``[Kafka Stream]``, ``[ML]``."""
        return tuple(" ".join(t.split()) for t in _TAG_TEXT.findall(self.label))

    @property
    def all_text(self) -> str:
        parts = (self.label, self.technology or "", self.description or "")
        return "\n".join(p for p in parts if p)


_TAG = re.compile(r"\[[^\[\]\n]{1,40}\]")
_WRAPPED = re.compile(r"[A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*)?")
_TAG_TEXT = re.compile(r"\[([^\[\]\n]{1,40})\]")

# -- documented ids ---------------------------------------------------------------------------

ID_PREFIXES: dict[str, Kind] = {
    "DS": Kind.SOURCE,
    "MDL": Kind.MODEL,
    "SCH": Kind.SCHEMA,
    "FS": Kind.FEATURE,
    "FEAT": Kind.FEATURE,
    "PL": Kind.JOB,
    "JOB": Kind.JOB,
}
_DOCUMENTED_ID = re.compile(
    r"(?<![\w-])(" + "|".join(ID_PREFIXES) + r")-([A-Z0-9][A-Z0-9_.-]*[A-Z0-9]|[A-Z0-9])(?![\w-])",
    re.IGNORECASE,
)


def documented_id(text: str) -> str | None:
    """The first documented ID in ``text`` (``DS-001``, ``MDL-SEARCH``), upper-cased."""
    match = _DOCUMENTED_ID.search(text)
    return f"{match[1].upper()}-{match[2].upper()}" if match else None


def kind_of_documented_id(doc_id: str) -> Kind:
    return ID_PREFIXES.get(doc_id.split("-", 1)[0].upper(), Kind.SOURCE)


def split_title(title: str) -> tuple[str | None, str]:
    """``"Flink: Dedup + Validate"`` -> ``("Flink", "Dedup + Validate")``; no tech otherwise."""
    match = re.match(r"([A-Za-z][\w .+/-]{0,30}?)\s*:\s+(\S.*)\Z", title)
    if match and not documented_id(match[1]):
        return match[1], match[2]
    return None, title


def display_name(title: str) -> str:
    """A title without a leading documented ID: ``"DS-001: Viewing Events"`` ->
    ``"Viewing Events"``."""
    stripped = _DOCUMENTED_ID.sub("", title, count=1).strip(" :-\u2013\u2014")
    return stripped or title


# -- vocabulary -------------------------------------------------------------------------------


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


ENGINES = _words(
    "flink", "spark", "beam", "dataflow", "airflow", "dbt", "glue", "metaflow", "maestro",
    "databricks", "emr", "hadoop", "mapreduce", "presto", "trino", "storm", "samza",
)  # fmt: skip
STREAMS = _words(
    "kafka", "kinesis", "pub/?sub", "event ?hubs?", "pulsar", "rabbitmq", "sqs", "sns",
    "nats", "event bus",
)  # fmt: skip
STORES = _words(
    "s3", "gcs", "hdfs", "hive", "redis", "postgres(?:ql)?", "mysql", "snowflake", "bigquery",
    "redshift", "cassandra", "dynamodb", "elasticsearch", "delta", "iceberg", "parquet",
    "neo4j", "mongodb", "cache", "stores?",
)  # fmt: skip
MODEL_WORDS = _words(r"models?", "ml", "classifier", "ranker", "recommender", "llm", "embedder")
FEATURE_STORE = _words("feature ?stores?", "fs", "feast", "tecton")
SOURCE_API = _words(r"(?:internal|external|third[- ]party|public) api", r"api")

# Head nouns: the last word of a title names what the thing is ("Training Dataset" is a
# dataset, "Model Training" a job, "Recommendation Model" a model).
_HEAD_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.MODEL, re.compile(r"^(?:models?|classifiers?|rankers?|recommenders?|llms?)$", re.I)),
    (Kind.FEATURE, re.compile(r"^(?:features|embeddings)$", re.I)),
    (Kind.TOPIC, re.compile(r"^(?:topics?|streams?|queues?|bus|channels?)$", re.I)),
    (
        Kind.DATASET,
        re.compile(
            r"^(?:datasets?|data|archives?|tables?|lakes?|lakehouses?|warehouses?|buckets?|dbs?"
            r"|databases?|snapshots?|files|parquet|marts?|views?|logs|history|labels|samples)$",
            re.I,
        ),
    ),
    (
        Kind.JOB,
        re.compile(
            r"^(?:training|retraining|serving|inference|etl|elt|pipelines?|jobs?|processing"
            r"|processors?|aggregation|aggregator|computation|ingestion|validation|validate"
            r"|dedup|deduplication|join|joins|enrichment|transform|transformation|parser"
            r"|builder|engine|scheduler|services?|gateway|controller|coordinator|manager"
            r"|monitor|monitoring|logger|collector|calculator|evaluator|workers?|producer"
            r"|consumer|sampling|generation|tracking|registry|platform|orchestrator"
            r"|alerting|analytics|compute|loader|exporter|importer|connector|router)$",
            re.I,
        ),
    ),
)
_DATA_NOUN_KINDS = frozenset({Kind.DATASET, Kind.TOPIC, Kind.MODEL})
"""Heads that decide a ``Tech: Name`` title (``features`` is not one: ``Spark: Training
Features`` is the Spark job that computes them)."""

_TAG_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.MODEL, _words("ml", r"models?", "ai")),
    (Kind.FEATURE, _words("fs", r"features?", "feature ?store")),
    (Kind.JOB, _words(r"pipelines?", r"jobs?", "etl", "processing", "processor", "service")),
    (Kind.TOPIC, _words("kafka", r"streams?", r"topics?", "queue", "kinesis")),
    (Kind.DATASET, _words("db", "database", "dataset", "table", "storage", "store", "lake")),
    (Kind.SOURCE, _words("api", "external", "source", "actor", "person", "user")),
)

_SUBGRAPH_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.FEATURE, _words("feature ?stores?", "fs", "features")),
    (Kind.MODEL, _words(r"models?", "model consumption", "ml")),
    (Kind.SOURCE, _words(r"(?:data )?sources?", r"producers?", r"inputs?", "external", "feedback")),
    (Kind.DATASET, _words("storage", r"(?:data )?stores", "databases", "data lake", "warehouse")),
    (Kind.JOB, _words("processing", r"pipelines?", "jobs", "transformation", "compute")),
    (Kind.TOPIC, _words(r"topics", "streaming backbone", "event bus", "messaging")),
)

_ACTOR_WORDS = _words(
    "users?", "members?", "customers?", "teams?", "engineers?", "scientists?", "analysts?",
    "operators?", "ops", "people", "persons?", "stakeholders?", "admins?", "viewers?",
)  # fmt: skip

_SCRIPT = re.compile(r"\.(?:py|scala|java|sql|jar|ipynb|sh|r|kt|go)\b", re.IGNORECASE)


def _head(text: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return words[-1] if words else ""


def head_kind(text: str) -> Kind | None:
    """The kind the head noun (last word) of ``text`` names, if any."""
    head = _head(text)
    for kind, pattern in _HEAD_KINDS:
        if pattern.match(head):
            return kind
    if re.search(r"feature ?stores?$", text.strip(), re.IGNORECASE):
        return Kind.FEATURE
    return None


def is_actor(ev: Evidence) -> bool:
    """A person or team: a C4 ``Person``, or a title whose head noun is a group of people."""
    if ev.c4_type and ev.c4_type.startswith("Person"):
        return True
    return ev.c4_type is None and bool(_ACTOR_WORDS.fullmatch(_head(ev.title)))


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
    found = documented_id(ev.lines[0]) if ev.lines else None
    return kind_of_documented_id(found) if found else None


def _inventory(ev: Evidence) -> Kind | None:
    return kind_of_documented_id(ev.inventory_id) if ev.inventory_id else None


def _type_tag(ev: Evidence) -> Kind | None:
    for tag in ev.tags:
        for kind, pattern in _TAG_KINDS:
            if pattern.search(tag):
                return kind
    return None


def _c4_store_type(ev: Evidence) -> Kind | None:
    if not ev.c4_type:
        return None
    base = ev.c4_type.removesuffix("_Ext")
    if base.endswith("Db"):
        return Kind.DATASET
    if base.endswith("Queue"):
        return Kind.TOPIC
    if base == "Person" or ev.c4_type.endswith("_Ext"):
        return Kind.SOURCE
    return None


def _actor(ev: Evidence) -> Kind | None:
    return Kind.SOURCE if is_actor(ev) else None


def _tech_name(ev: Evidence) -> Kind | None:
    tech, name = split_title(ev.title)
    if tech is None:
        return None
    named = head_kind(name)
    if named in _DATA_NOUN_KINDS:
        return named
    if ENGINES.search(tech):
        return Kind.JOB
    if STREAMS.search(tech):
        return Kind.TOPIC
    if STORES.search(tech):
        return Kind.DATASET
    return named


def _script(ev: Evidence) -> Kind | None:
    return Kind.JOB if _SCRIPT.search(ev.title) else None


def _head_noun(ev: Evidence) -> Kind | None:
    return head_kind(ev.title)


def _subgraph(ev: Evidence) -> Kind | None:
    for title in ev.subgraphs:
        words = title.replace("_", " ")
        for kind, pattern in _SUBGRAPH_KINDS:
            if pattern.search(words):
                if kind is Kind.SOURCE and ev.has_inputs and "feedback" not in words.lower():
                    continue  # a "Producers" box fed by another box is a producing job
                return kind
    return None


def _label_words(ev: Evidence) -> Kind | None:
    text = ev.all_text
    if FEATURE_STORE.search(text):
        return Kind.FEATURE
    if STREAMS.search(text):
        return Kind.TOPIC
    if ENGINES.search(text):
        return Kind.JOB
    if STORES.search(text):
        return Kind.DATASET
    if SOURCE_API.search(text) and not ev.has_inputs:
        return Kind.SOURCE
    return None


def _c4_element(ev: Evidence) -> Kind | None:
    if ev.c4_type and ev.c4_type.startswith(("System", "Container", "Component")):
        return Kind.MODEL if head_kind(ev.title) is Kind.MODEL else Kind.JOB
    return None


def _shape(ev: Evidence) -> Kind | None:
    return {"database": Kind.DATASET, "queue": Kind.TOPIC, "person": Kind.SOURCE}.get(ev.shape)


def _position(ev: Evidence) -> Kind | None:
    return Kind.JOB if ev.has_inputs else Kind.SOURCE


KIND_RULES: tuple[KindRule, ...] = (
    KindRule("override", "the document's `yaml lineage` block or front matter says so", _override),
    KindRule("documented-id", "an ID on the label's first line: DS- source, MDL- model, "
             "SCH- schema, FS-/FEAT- feature, PL-/JOB- job", _documented),
    KindRule("inventory", "the title names a row of the data-source inventory table", _inventory),
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
    KindRule("label-words", "words anywhere in the label: feature store, Kafka/Kinesis topic, "
             "Flink/Spark job, S3/Redis/Postgres/store dataset, an API with no inputs source",
             _label_words),
    KindRule("c4-element", "C4 System/Container/Component: job, or model when named so",
             _c4_element),
    KindRule("shape", "the node shape: database [( )] dataset, queue topic, person source",
             _shape),
    KindRule("position", "no inputs in the diagram: source; otherwise job", _position),
)  # fmt: skip


def infer_kind(ev: Evidence) -> tuple[Kind, str]:
    """The kind of a node and the name of the rule that decided it."""
    for rank, rule in enumerate(KIND_RULES):
        kind = rule.decide(ev)
        if kind is not None:
            return kind, KIND_RULES[rank].name
    raise AssertionError("the position rule always decides")  # pragma: no cover


def rule_rank(name: str) -> int:
    """Position of a rule in the table (lower is stronger evidence)."""
    names = [rule.name for rule in KIND_RULES]
    return names.index(name) if name in names else len(names)


# -- names ------------------------------------------------------------------------------------

_TOPIC_NAME = re.compile(r"(?<![\w./-])([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+)(?![\w/-])")


def topic_names(ev: Evidence) -> tuple[str, ...]:
    """Topic names listed in a label after its title: ``views.raw, clicks.raw``."""
    found = (m[1] for line in ev.lines[1:] for m in _TOPIC_NAME.finditer(line))
    return tuple(dict.fromkeys(name for name in found if not _SCRIPT.search(name)))


def normalize(name: str) -> str:
    """A name for matching: case, spaces, ``-`` and ``_`` (and other punctuation but dots)
    ignored: ``MDL_SEARCH``, ``mdl-search`` and ``MDL Search`` are one name."""
    return re.sub(r"[^a-z0-9.]", "", name.lower())


def same_thing_key(name: str) -> str:
    """A name for deciding that two boxes are one thing: also ignores a plural ``s``, so
    ``Recommendation Model`` and ``Recommendation Models`` are one node."""
    key = normalize(name)
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


# -- mode and freshness -----------------------------------------------------------------------

_ENGINE_MODES = re.compile(r"\b(?:kafka|flink|kinesis|spark|airflow|metaflow)\b", re.IGNORECASE)


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
    """Mode from the label (lines after the title, then the title and tags), the C4
    technology, then the subgraph titles, innermost first."""
    texts = ["\n".join(ev.lines[1:]), ev.title, " ".join(ev.tags), ev.technology or ""]
    texts += [title.replace("_", " ") for title in ev.subgraphs]
    return mode_of(texts)


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


def freshness_of_label(ev: Evidence) -> Freshness | None:
    """``Freshness: seconds`` / ``Freshness req: daily`` lines first, then a line that states a
    cadence (``Real-time, sub-second``, ``Quarterly refresh``, ``Nightly pipeline``)."""
    lines = [*ev.lines[1:], *(ev.description or "").split("\n")]
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


# -- edges ------------------------------------------------------------------------------------

_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (Role.FEEDBACK, _words("feedback", r"becomes? (?:future )?training", "future training")),
    (Role.ARCHIVE, _words("archived?", "archival", "archiving")),
    (Role.TRAINING, _words("training", "train", "labels?", "labelled", "labeled")),
    (Role.SERVING, _words("serving", "served", "serve", "online features?", "shown", "inference")),
)
"""Checked in order: "becomes future training data" is feedback, not training."""


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


# -- C4 relationship direction ----------------------------------------------------------------

_READ_VERBS = re.compile(
    r"^\s*(?:reads?|receives?|fetch(?:es)?|pulls?|consumes?|quer(?:y|ies)|gets?|loads? from"
    r"|subscribes? to|polls?|downloads?|imports?)\b",
    re.IGNORECASE,
)


def reads_from_target(label: str | None) -> bool:
    """A C4 ``Rel(a, b, "Reads ...")`` says who calls whom: the data flows from b to a."""
    return bool(label and _READ_VERBS.match(label))


# -- data flows of one diagram ----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One data flow between two boxes of a diagram (subgraphs expanded, direction fixed)."""

    source: str
    target: str
    label: str
    line: int


def diagram_links(diagram: Diagram) -> list[Link]:
    """Data flows between boxes: an edge to or from a subgraph connects to its entry nodes (no
    incoming edge from inside) or its exit nodes (no outgoing edge to inside); ``<-->`` is two
    flows; a C4 ``Rel(a, b, "Reads ...")`` flows from b to a."""
    box_ids = {n.id for n in diagram.nodes}
    members = _members(diagram)
    plain = [e for e in diagram.edges if e.source in box_ids and e.target in box_ids]
    links: list[Link] = []
    for edge in diagram.edges:
        label = " ".join((edge.label or "").split())
        sources = _ends(edge.source, members, plain, exits=True)
        targets = _ends(edge.target, members, plain, exits=False)
        if edge.arrow == "rel" and reads_from_target(label):
            sources, targets = targets, sources
        for source in sources:
            for target in targets:
                links.append(Link(source, target, label, edge.line))
                if edge.bidirectional:
                    links.append(Link(target, source, label, edge.line))
    return links


def _members(diagram: Diagram) -> dict[str, set[str]]:
    parents = {s.id: s.parent for s in diagram.subgraphs}
    members: dict[str, set[str]] = {s.id: set() for s in diagram.subgraphs}
    for node in diagram.nodes:
        group, seen = node.subgraph, set()
        while group is not None and group in members and group not in seen:
            members[group].add(node.id)
            seen.add(group)
            group = parents.get(group)
    return members


def _ends(
    ref: str, members: dict[str, set[str]], plain: list[MermaidEdge], *, exits: bool
) -> list[str]:
    if ref not in members:
        return [ref]
    inside = members[ref]
    linked = {
        (e.source if exits else e.target)
        for e in plain
        if e.source in inside and e.target in inside
    }
    return sorted(inside - linked)


def diagram_from_arrows(arrows: ArrowDiagram) -> Diagram:
    """An arrow diagram as a flowchart: a legend item's step above it acts as its subgraph.

    Legend items no arrow touches (``[Kafka]`` under ``Query Events``) describe their step:
    they become its technology (evidence for its kind and mode), not nodes."""
    linked = {end for e in arrows.edges for end in (e.source, e.target)}
    kept = [n for n in arrows.nodes if n.group is None or n.name in linked]
    legends: dict[str, list[str]] = {}
    for n in arrows.nodes:
        if n.group is not None and n.name not in linked:
            legends.setdefault(n.group, []).append(n.name)
    groups = {n.group: Subgraph(f"\0{n.group}", n.group, None, n.line) for n in kept if n.group}
    nodes = tuple(
        MermaidNode(n.name, n.name, "default", n.line, f"\0{n.group}" if n.group else None,
                    technology=", ".join(filter(None, [n.note, *legends.get(n.name, [])])) or None)
        for n in kept
    )  # fmt: skip
    edges = tuple(
        MermaidEdge(e.source, e.target, e.label, "->", e.line, e.bidirectional)
        for e in arrows.edges
    )
    return Diagram(DiagramKind.FLOWCHART, None, nodes, edges, tuple(groups.values()))


def diagram_evidence(diagram: Diagram, links: list[Link]) -> dict[str, Evidence]:
    """The evidence of every box of a diagram: its label, subgraph titles (innermost first),
    C4 type, shape and whether data flows into and out of it."""
    titles = {s.id: s for s in diagram.subgraphs}
    has_inputs = {link.target for link in links}
    has_outputs = {link.source for link in links}
    found: dict[str, Evidence] = {}
    for node in diagram.nodes:
        chain, group, seen = [], node.subgraph, set()
        while group in titles and group not in seen:
            seen.add(group)
            chain.append(titles[group].title)
            group = titles[group].parent
        found[node.id] = Evidence(
            diagram_id=node.id,
            label=node.label,
            subgraphs=tuple(chain),
            c4_type=node.c4_type,
            technology=node.technology,
            description=node.description,
            shape=node.shape,
            has_inputs=node.id in has_inputs,
            has_outputs=node.id in has_outputs,
        )
    return found
