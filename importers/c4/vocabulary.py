"""The words architecture documents use for each kind of thing: engines, streams, stores,
type tags, subgraph titles, head nouns and people.

The lists are vocabulary, not rules: :mod:`importers.c4.inference` decides in which order they
count.
"""

from __future__ import annotations

import re

from lineage.model import Kind


def words(*patterns: str) -> re.Pattern[str]:
    """A case-blind pattern matching any of ``patterns`` as whole words."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


ENGINES = words(
    "flink", "spark", "beam", "dataflow", "airflow", "dbt", "glue", "metaflow", "maestro",
    "databricks", "emr", "hadoop", "mapreduce", "presto", "trino", "storm", "samza",
)  # fmt: skip
STREAMS = words(
    "kafka", "kinesis", "pub/?sub", "event ?hubs?", "pulsar", "rabbitmq", "sqs", "sns",
    "nats", "event bus", "cdc", "debezium", "change data capture",
)  # fmt: skip
STORES = words(
    "s3", "gcs", "hdfs", "hive", "redis", "postgres(?:ql)?", "mysql", "snowflake", "bigquery",
    "redshift", "cassandra", "dynamodb", "elasticsearch", "delta", "iceberg", "parquet",
    "neo4j", "mongodb", "cache", "stores?",
)  # fmt: skip
FEATURE_STORE = words("feature ?stores?", "fs", "feast", "tecton")
SOURCE_API = words(r"(?:internal|external|third[- ]party|public) api", r"api")

# Head nouns: the last word of a title names what the thing is ("Training Dataset" is a
# dataset, "Model Training" a job, "Recommendation Model" a model).
HEAD_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
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
DATA_NOUN_KINDS = frozenset({Kind.DATASET, Kind.TOPIC, Kind.MODEL})
"""Heads that decide a ``Tech: Name`` title (``features`` is not one: ``Spark: Training
Features`` is the Spark job that computes them)."""

TAG_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.MODEL, words("ml", r"models?", "ai")),
    (Kind.FEATURE, words("fs", r"features?", "feature ?store")),
    (Kind.JOB, words(r"pipelines?", r"jobs?", "etl", "processing", "processor", "service")),
    (Kind.TOPIC, words("kafka", r"streams?", r"topics?", "queue", "kinesis")),
    (Kind.DATASET, words("db", "database", "dataset", "table", "storage", "store", "lake")),
    (Kind.SOURCE, words("api", "external", "source", "actor", "person", "user")),
)

SUBGRAPH_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.FEATURE, words("feature ?stores?", "fs", "features")),
    (Kind.MODEL, words(r"models?", "model consumption", "ml")),
    (Kind.SOURCE, words(r"(?:data )?sources?", r"producers?", r"inputs?", "external", "feedback")),
    (Kind.DATASET, words("storage", r"(?:data )?stores", "databases", "data lake", "warehouse")),
    (Kind.JOB, words("processing", r"pipelines?", "jobs", "transformation", "compute")),
    (Kind.TOPIC, words(r"topics", "streaming backbone", "event bus", "messaging")),
)

ACTOR_WORDS = words(
    "users?", "members?", "customers?", "teams?", "engineers?", "scientists?", "analysts?",
    "operators?", "ops", "people", "persons?", "stakeholders?", "admins?", "viewers?",
)  # fmt: skip

SCRIPT = re.compile(r"\.(?:py|scala|java|sql|jar|ipynb|sh|r|kt|go)\b", re.IGNORECASE)


def last_word(text: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return words[-1] if words else ""


def head_kind(text: str) -> Kind | None:
    """The kind the head noun (last word) of ``text`` names, if any."""
    head = last_word(text)
    for kind, pattern in HEAD_KINDS:
        if pattern.match(head):
            return kind
    if re.search(r"feature ?stores?$", text.strip(), re.IGNORECASE):
        return Kind.FEATURE
    return None
