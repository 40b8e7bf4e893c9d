"""The GraphQL schema: queries and the one mutation, each a thin call into ``lineage.service``
(resolvers clamp and map arguments, call one use case and wrap the answer, nothing more).

``lineage schema`` prints the SDL; ``graphql/schema.graphql`` is that output, and a test fails
when it is stale.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.types import ExecutionContext

from lineage import bounds, model, service
from lineage.api.auth import CanRead, CanWrite
from lineage.api.cost import cost_limit_rule
from lineage.api.diagram_route import drawn
from lineage.api.documents import CachedDocuments, DocumentCache
from lineage.api.errors import ErrorCodes, log_errors
from lineage.api.selection import selects_anywhere
from lineage.api.settings import ServiceSettings
from lineage.api.types.common import Direction, ImportFormat, Kind, Mode
from lineage.api.types.connection import NodeConnection, decode_cursor
from lineage.api.types.diagram import Diagram, DiagramFormat, DiagramGroupBy
from lineage.api.types.impact import Impact
from lineage.api.types.imports import ImportResult
from lineage.api.types.jobs import Job, JobRun
from lineage.api.types.lineage import Lineage
from lineage.api.types.loops import FeedbackLoop
from lineage.api.types.node import NODE_TYPES, Info, Node
from lineage.api.types.path import PathSearch
from lineage.api.types.schema_change import CompatibilityMode, SchemaChangeImpact
from lineage.api.types.staleness import FreshnessConflict, NodeStaleness, RollupRun, StaleRollup
from lineage.diagram import Format, GroupBy
from lineage.diagram.view import DEFAULT_LIMIT
from lineage.errors import InputError

READ = [CanRead]


@strawberry.type
class Query:
    @strawberry.field(
        description="One node by id, alias, URI or unique name.", permission_classes=READ
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return Node.from_domain(await info.context.store.call(service.get_node, id))

    @strawberry.field(description="Nodes ordered by id, a page at a time.", permission_classes=READ)
    async def nodes(
        self,
        info: Info,
        kind: Kind | None = None,
        mode: Mode | None = None,
        search: str | None = None,
        first: int = bounds.DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> NodeConnection:
        size = info.context.settings.page(first)
        last_seen = model.NodeId(decode_cursor(after)) if after is not None else None
        page = await info.context.store.call(
            service.list_nodes,
            kinds=[kind] if kind else [],
            mode=mode,
            search=search,
            first=size,
            after=last_seen,
        )
        info.context.loaders.remember(page.nodes)
        return NodeConnection.from_page(page)

    @strawberry.field(description="Bounded up- or downstream lineage.", permission_classes=READ)
    async def lineage(
        self,
        info: Info,
        id: strawberry.ID,
        direction: Direction,
        max_hops: int = bounds.DEFAULT_MAX_HOPS,
        kinds: list[Kind] | None = None,
        limit: int | None = None,
    ) -> Lineage | None:
        settings = info.context.settings
        result = await info.context.store.call(
            service.lineage,
            id,
            direction=direction,
            max_hops=settings.hops(max_hops),
            max_nodes=settings.nodes(limit),
            kinds=kinds,
            witness_edges=selects_anywhere(info, "edges"),
        )
        info.context.loaders.remember([result.root, *(r.node for r in result.nodes)])
        return Lineage.from_domain(result)

    @strawberry.field(description="What a change to a node reaches.", permission_classes=READ)
    async def impact(
        self,
        info: Info,
        id: strawberry.ID,
        max_hops: int = bounds.DEFAULT_MAX_HOPS,
        limit: int | None = None,
        include_triggers: bool = False,
    ) -> Impact | None:
        settings = info.context.settings
        report = await info.context.store.call(
            service.impact,
            id,
            max_hops=settings.hops(max_hops),
            max_nodes=settings.nodes(limit),
            include_triggers=include_triggers,
        )
        info.context.loaders.remember([report.root, *report.affected])
        return Impact.from_domain(report)

    @strawberry.field(
        description="What a proposed Avro schema for a subject breaks downstream: the "
        "compatibility verdict under the mode, the field diff, the consumers it hits, the "
        "rollout order, and PASS / WARN / FAIL.",
        permission_classes=READ,
    )
    async def schema_change_impact(
        self,
        info: Info,
        subject: str,
        schema: str,
        mode: CompatibilityMode | None = None,  # type: ignore[valid-type]
        max_hops: int = bounds.DEFAULT_MAX_HOPS,
        limit: int | None = None,
    ) -> SchemaChangeImpact:
        settings = info.context.settings
        report = await info.context.store.call(
            service.schema_change_impact,
            subject,
            service.parse_schema_text(schema),
            mode=mode,
            max_hops=settings.hops(max_hops),
            max_nodes=settings.nodes(limit),
        )
        return SchemaChangeImpact.from_domain(report)

    @strawberry.field(
        description="A node's own and effective freshness status at `at` (now when null), "
        "and the nearest upstream node that makes it stale.",
        permission_classes=READ,
    )
    async def staleness(
        self, info: Info, id: strawberry.ID, at: datetime | None = None
    ) -> NodeStaleness:
        defaults = info.context.settings.config.freshness
        entry = await info.context.store.call(service.node_staleness, id, at=at, defaults=defaults)
        return NodeStaleness.from_domain(entry)

    @strawberry.field(
        description="The latest staleness roll-up of the whole graph and the `limit` before "
        "it, newest first: when each node became stale, and the conflicts then.",
        permission_classes=READ,
    )
    async def stale_rollup(self, info: Info, limit: int = 20) -> StaleRollup:
        count = info.context.settings.page(limit)
        runs = await info.context.store.call(service.rollup_history, limit=count)
        history = [RollupRun.from_domain(run) for run in runs]
        return StaleRollup(latest=history[0] if history else None, history=history)

    @strawberry.field(
        description="Consumers whose required freshness their serving path cannot deliver, "
        "with the offending (slowest) edge, judged now.",
        permission_classes=READ,
    )
    async def freshness_conflicts(self, info: Info) -> list[FreshnessConflict]:
        defaults = info.context.settings.config.freshness
        found = await info.context.store.call(service.freshness_conflicts, defaults=defaults)
        return [FreshnessConflict.from_domain(service.conflict_entry(c)) for c in found]

    @strawberry.field(
        description="A diagram: around `root` (up, down or both ways, `depth` hops), one "
        "feedback loop (`loop`, 1-based), the stale set, or the whole graph; collapsed by group "
        "beyond `limit` nodes.",
        permission_classes=READ,
    )
    async def diagram(
        self,
        info: Info,
        format: DiagramFormat = Format.SVG,  # type: ignore[valid-type]
        # the Python name is not `root`: strawberry passes the parent object by that name
        around: Annotated[strawberry.ID | None, strawberry.argument(name="root")] = None,
        direction: Direction = model.Direction.BOTH,  # type: ignore[valid-type]
        depth: int = 2,
        loop: int | None = None,
        stale: bool = False,
        kinds: list[Kind] | None = None,  # type: ignore[valid-type]
        group_by: DiagramGroupBy = GroupBy.NONE,  # type: ignore[valid-type]
        limit: int = DEFAULT_LIMIT,
        legend: bool = True,
    ) -> Diagram:
        request = service.ViewRequest(
            root=around,
            direction=model.Direction(direction),
            depth=depth,
            loop=loop,
            stale=stale,
            kinds=frozenset(model.Kind(kind) for kind in kinds or ()),
            group_by=GroupBy(group_by),
            limit=limit,
            legend=legend,
        )
        output = Format(format)
        context = info.context
        drawing = await drawn(context.settings, context.store, request, output)
        return Diagram.from_domain(drawing, output)

    @strawberry.field(
        description="The configured import jobs and the roll-up, with their recent runs.",
        permission_classes=READ,
    )
    async def jobs(self, info: Info, limit: int = 20) -> list[Job]:
        config, count = info.context.settings.config, info.context.settings.page(limit)
        statuses = await info.context.store.call(service.job_statuses, config, limit=count)
        return [Job.from_domain(status) for status in statuses]

    @strawberry.field(description="Up to k shortest data-flow paths.", permission_classes=READ)
    async def paths(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        k: int = bounds.DEFAULT_K,
        max_length: int = bounds.DEFAULT_MAX_LENGTH,
    ) -> PathSearch | None:
        settings = info.context.settings
        search = await info.context.store.call(
            service.paths,
            from_,
            to,
            k=settings.paths(k),
            max_length=settings.hops(max_length, argument="maxLength"),
        )
        info.context.loaders.remember(search.nodes.values())
        return PathSearch.from_domain(search)

    @strawberry.field(
        description="Cycles in the data flow, ML feedback first.", permission_classes=READ
    )
    async def feedback_loops(
        self,
        info: Info,
        scope: strawberry.ID | None = None,
        max_cycles: int = bounds.DEFAULT_MAX_CYCLES,
    ) -> list[FeedbackLoop]:
        cycles = info.context.settings.cycles(max_cycles)
        loops = await info.context.store.call(
            service.find_feedback_loops, scope=scope, max_cycles=cycles
        )
        return [FeedbackLoop.from_domain(loop) for loop in loops]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Import one document; it replaces what `origin` asserted before.",
        permission_classes=[CanWrite],
    )
    async def import_document(
        self, info: Info, format: ImportFormat, content: str, origin: str
    ) -> ImportResult:
        if not origin.strip():
            raise InputError("origin must name the document, e.g. `docs/platform.yaml`")
        report = await info.context.store.call(
            service.import_text, format.value, content, origin=origin
        )
        return ImportResult.from_domain(report)

    @strawberry.mutation(
        description="Record that a node was updated at `at` (now when null), as `source` "
        "reports it; kept apart from what imports say, so a later import does not erase it.",
        permission_classes=[CanWrite],
    )
    async def mark_updated(
        self,
        info: Info,
        id: strawberry.ID,
        at: datetime | None = None,
        reported_by: Annotated[str, strawberry.argument(name="source")] = "api",
    ) -> Node:
        # the Python name is not `source`: strawberry's permission check takes one of its own
        node = await info.context.store.call(service.observe, id, at=at, source=reported_by)
        return Node.from_domain(node)

    @strawberry.mutation(
        description="Run a configured job now (an import job, or `rollup`), recorded as a "
        "scheduled run is; a failure is the run's outcome, not an error.",
        permission_classes=[CanWrite],
    )
    async def run_job(self, info: Info, name: str) -> JobRun:
        config = info.context.settings.config
        service.require_job(config, name)
        run = await info.context.store.call(service.run_job, config, name)
        return JobRun.from_domain(run)


class LineageSchema(strawberry.Schema):
    """Logs unexpected errors with their traceback; expected ones in one line."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context)


def build_schema(settings: ServiceSettings | None = None) -> strawberry.Schema:
    """The schema with the request limits of ``settings`` (the defaults when ``None``)."""
    limits = settings or ServiceSettings()
    documents = DocumentCache()
    return LineageSchema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=[
            lambda: AddValidationRules([cost_limit_rule(limits.max_query_cost, limits.max_nodes)]),
            lambda: QueryDepthLimiter(max_depth=limits.max_query_depth),
            lambda: MaxTokensLimiter(max_token_count=limits.max_query_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
            lambda: CachedDocuments(documents),
            ErrorCodes,
        ],
    )


def schema_sdl() -> str:
    """The SDL, as ``graphql/schema.graphql`` holds it."""
    return build_schema().as_str() + "\n"
