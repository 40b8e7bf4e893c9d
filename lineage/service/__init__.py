"""The use cases: every question and command the CLI, the API and the scheduler offer.

The outer layers parse arguments, call one function from here and render its answer; none of
them talks to a store's methods or to ``lineage.analysis`` directly. They open and close a
store (``open_store``) and pass it in.

    imports    import_files, import_targets, import_text,      -> ImportReport
               import_formats
    queries    lineage, impact, paths, find_feedback_loops,     -> the analysis' answers
               check_schema_change, schema_change_impact, read_schema_file,
               list_nodes, describe_node, get_node, summary,
               nodes_by_id, edges_touching, check_ready
    admin      export_spec, init_neo4j, export_metaflow, observe
    rollups    run_rollup, latest_rollup, rollup_history           -> RollupRun
    jobs       run_job, job_statuses, job_history, job_names       -> JobRun, JobStatus
    diagrams   diagram, draw                                       -> Drawing
"""

from __future__ import annotations

from lineage.analysis.conflicts import FreshnessConflict
from lineage.analysis.graph import GraphSummary
from lineage.analysis.impact import AffectedModel, ImpactReport, PathStep
from lineage.analysis.loops import FeedbackLoop, LoopKind
from lineage.analysis.paths import FlowPath, PathSearch
from lineage.analysis.schema_change import Change, FieldChange, SchemaCheck
from lineage.analysis.schema_impact import Consumer, SchemaImpact, Verdict
from lineage.analysis.staleness import NodeStaleness, StalenessReport, Status
from lineage.analysis.traverse import Lineage, ReachedNode
from lineage.service.admin import (
    Neo4jSchema,
    SpecExport,
    export_metaflow,
    export_spec,
    init_neo4j,
    observe,
)
from lineage.service.diagrams import DIRECTIONS, Drawing, ViewRequest, diagram, direction_of
from lineage.service.imports import (
    ImportReport,
    ImportRequest,
    Progress,
    import_files,
    import_formats,
    import_targets,
    import_text,
    parse_schema_text,
    read_schema_file,
)
from lineage.service.jobs import (
    JobRun,
    JobStatus,
    Outcome,
    job_history,
    job_names,
    job_statuses,
    record_job_run,
    require_job,
    run_job,
)
from lineage.service.queries import (
    NodeDescription,
    NodePage,
    check_ready,
    check_schema_change,
    describe_node,
    edges_touching,
    find_feedback_loops,
    freshness_conflicts,
    get_node,
    impact,
    lineage,
    list_nodes,
    node_staleness,
    nodes_by_id,
    paths,
    schema_change_impact,
    staleness,
    summary,
)
from lineage.service.rollups import (
    ConflictEntry,
    ModelAge,
    RollupRun,
    StaleNode,
    conflict_entry,
    latest_rollup,
    rollup_history,
    run_rollup,
)
from lineage.store import open_store

__all__ = [
    "DIRECTIONS",
    "AffectedModel",
    "Change",
    "ConflictEntry",
    "Consumer",
    "Drawing",
    "FeedbackLoop",
    "FieldChange",
    "FlowPath",
    "FreshnessConflict",
    "GraphSummary",
    "ImpactReport",
    "ImportReport",
    "ImportRequest",
    "JobRun",
    "JobStatus",
    "Lineage",
    "LoopKind",
    "ModelAge",
    "Neo4jSchema",
    "NodeDescription",
    "NodePage",
    "NodeStaleness",
    "Outcome",
    "PathSearch",
    "PathStep",
    "Progress",
    "ReachedNode",
    "RollupRun",
    "SchemaCheck",
    "SchemaImpact",
    "SpecExport",
    "StaleNode",
    "StalenessReport",
    "Status",
    "Verdict",
    "ViewRequest",
    "check_ready",
    "check_schema_change",
    "conflict_entry",
    "describe_node",
    "diagram",
    "direction_of",
    "edges_touching",
    "export_metaflow",
    "export_spec",
    "find_feedback_loops",
    "freshness_conflicts",
    "get_node",
    "impact",
    "import_files",
    "import_formats",
    "import_targets",
    "import_text",
    "init_neo4j",
    "job_history",
    "job_names",
    "job_statuses",
    "latest_rollup",
    "lineage",
    "list_nodes",
    "node_staleness",
    "nodes_by_id",
    "observe",
    "open_store",
    "parse_schema_text",
    "paths",
    "read_schema_file",
    "record_job_run",
    "require_job",
    "rollup_history",
    "run_job",
    "run_rollup",
    "schema_change_impact",
    "staleness",
    "summary",
]
