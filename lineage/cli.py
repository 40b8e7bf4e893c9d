"""The ``lineage`` command.

Each command parses its options, calls one function from ``lineage.service`` and renders the
answer (``--json``: one JSON document on stdout); none talks to a store or to analysis.
Errors the service expects are printed as one line on stderr with the design's exit codes:
2 bad input or usage, 3 a backend unavailable, 1 a finding a command was asked to gate on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from lineage import bounds
from lineage import cli_output as out
from lineage.avro.modes import Mode as CompatibilityMode
from lineage.config import Backend, StoreSettings
from lineage.config_file import CONFIG_ENV, LineageConfig, load_config
from lineage.diagram import Format, GroupBy
from lineage.diagram.view import DEFAULT_LIMIT as DEFAULT_DIAGRAM_LIMIT
from lineage.errors import InputError, LineageError
from lineage.freshness import parse_moment
from lineage.model import Direction, Kind, Mode
from lineage.service.imports import ImportReport, import_formats
from lineage.store.base import GraphStore
from lineage.terminal import SafeConsole

# Markup off: node names such as "[Kafka Stream]" must print as written; control characters
# in them print as escapes (lineage.terminal).
stdout = SafeConsole(soft_wrap=True, markup=False, highlight=False)
stderr = SafeConsole(stderr=True, soft_wrap=True, markup=False, highlight=False)


@dataclass
class AppContext:
    """What every command needs: the configuration, the store settings, and the store opened
    on first use."""

    settings: StoreSettings
    config: LineageConfig = field(default_factory=LineageConfig)
    _store: GraphStore | None = field(default=None, repr=False)

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            from lineage.service import open_store

            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
kind_option = click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([k.value for k in Kind]),
    help="Only nodes of this kind (repeatable).",
)
depth_option = click.option(
    "--depth",
    "max_hops",
    default=bounds.DEFAULT_MAX_HOPS,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Follow at most this many edges.",
)
max_nodes_option = click.option(
    "--max-nodes",
    default=bounds.DEFAULT_MAX_NODES,
    show_default=True,
    type=click.IntRange(1),
    help="Return at most this many nodes, nearest first.",
)


class LineageGroup(click.Group):
    """Turns the errors the service expects into one line on stderr and the design's exit
    code, for every command, so no traceback ever reaches a user for bad input."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LineageError as exc:
            stderr.print(Text.assemble(("error: ", "red"), str(exc)))
            ctx.exit(exc.exit_code)


@click.group(cls=LineageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "backend",
    type=click.Choice([b.value for b in Backend]),
    help="Graph backend [env LINEAGE_STORE; default embedded].",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    help="Embedded store file [env LINEAGE_DB; default .lineage/lineage.db].",
)
@click.option(
    "--config",
    "config_path",
    envvar=CONFIG_ENV,
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"lineage.yaml: store, token, import jobs, schedules [env {CONFIG_ENV}].",
)
@click.version_option(package_name="lineage")
@click.pass_context
def cli(ctx: click.Context, backend: str | None, db: Path | None, config_path: Path | None) -> None:
    """Lineage and impact analysis for ML and data platforms.

    Settings come from the flags, then the environment, then --config, then the defaults."""
    config = LineageConfig()
    if config_path is not None:
        try:
            config = load_config(config_path)
        except LineageError as exc:
            stderr.print(Text.assemble(("error: ", "red"), str(exc)))
            ctx.exit(exc.exit_code)
    settings = StoreSettings.from_env(backend=backend, db_path=db, base=config.store)
    app = AppContext(settings, config)
    ctx.obj = app
    ctx.call_on_close(app.close)


# -- import / export ----------------------------------------------------------------------


@cli.group("import")
def import_group() -> None:
    """Import lineage from documents (one origin per file; re-importing replaces it)."""


def _import_command(format_name: str) -> click.Command:
    @click.command(format_name, help=f"Import {format_name} files or folders.")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--strict", is_flag=True, help="Treat warnings as errors; import nothing.")
    @json_option
    @pass_app
    def command(app: AppContext, paths: tuple[Path, ...], strict: bool, as_json: bool) -> None:
        from lineage.service import import_files

        with _progress(quiet=as_json) as progress:
            report = import_files(app.store, format_name, paths, strict=strict, progress=progress)
        _show_import(report, as_json=as_json)

    return command


for _format in import_formats():
    if _format not in ("avro", "metaflow"):
        import_group.add_command(_import_command(_format))


@import_group.command("avro")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--registry",
    "registries",
    multiple=True,
    metavar="URL",
    help="A Confluent-compatible Schema Registry to read (repeatable).",
)
@click.option(
    "--registry-auth",
    metavar="USER:PASSWORD",
    help="HTTP basic credentials for the registry [or a bearer token in LINEAGE_REGISTRY_TOKEN].",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors; import nothing.")
@json_option
@pass_app
def import_avro_command(
    app: AppContext,
    paths: tuple[Path, ...],
    registries: tuple[str, ...],
    registry_auth: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Import Avro schemas: files and folders (subject folders, flat files, registry exports),
    or a live registry's subjects with --registry."""
    import os

    if not paths and not registries:
        raise InputError("give schema files or folders, or --registry URL")
    options = {"auth": registry_auth or "", "token": os.environ.get("LINEAGE_REGISTRY_TOKEN", "")}
    _import_targets(app, "avro", (*map(str, paths), *registries), options, strict, as_json)


service_auth_key_option = click.option(
    "--service-auth-key",
    envvar="METAFLOW_SERVICE_AUTH_KEY",
    help="The Metaflow service's API key [env METAFLOW_SERVICE_AUTH_KEY].",
)


@import_group.command("metaflow")
@click.option(
    "--datastore",
    "datastores",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A local Metaflow datastore: the folder holding .metaflow (repeatable).",
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A file `lineage metaflow export` wrote (repeatable).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="URL",
    help="A Metaflow metadata service (repeatable).",
)
@service_auth_key_option
@click.option("--flow", "flows", multiple=True, help="Only this flow (repeatable).")
@click.option("--since", help="Only runs started on or after this date (YYYY-MM-DD).")
@click.option("--tag", "tags", multiple=True, help="Only runs carrying this tag (repeatable).")
@click.option("--namespace", help="Only runs in this Metaflow namespace (user:NAME, project:NAME).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors; import nothing.")
@json_option
@pass_app
def import_metaflow_command(
    app: AppContext,
    datastores: tuple[Path, ...],
    exports: tuple[Path, ...],
    services: tuple[str, ...],
    service_auth_key: str | None,
    flows: tuple[str, ...],
    since: str | None,
    tags: tuple[str, ...],
    namespace: str | None,
    strict: bool,
    as_json: bool,
) -> None:
    """Import Metaflow flows, runs and declared lineage from a datastore, a metadata service
    or an export."""

    if not datastores and not exports and not services:
        raise InputError("give --datastore DIR, --export FILE or --service URL")
    targets = (
        *(f"datastore={d}" for d in datastores),
        *(f"export={e}" for e in exports),
        *(f"service={s}" for s in services),
    )
    options = {
        "flow": ",".join(flows),
        "since": since or "",
        "tag": ",".join(tags),
        "auth_key": service_auth_key or "",
    }
    _import_targets(app, "metaflow", targets, options, strict, as_json)


def _import_targets(
    app: AppContext,
    format_name: str,
    targets: tuple[str, ...],
    options: dict[str, str],
    strict: bool,
    as_json: bool,
) -> None:
    """Import what a format's own options name (URLs, datastores), options left empty left out."""
    from lineage.service import ImportRequest, import_targets

    request = ImportRequest(targets, {key: value for key, value in options.items() if value})
    with _progress(quiet=as_json) as progress:
        report = import_targets(app.store, format_name, request, strict=strict, progress=progress)
    _show_import(report, as_json=as_json)


@cli.group("metaflow")
def metaflow_group() -> None:
    """Move Metaflow lineage between machines."""


@metaflow_group.command("export")
@click.option("--datastore", type=click.Path(path_type=Path), help="The folder holding .metaflow.")
@click.option("--service", metavar="URL", help="A Metaflow metadata service.")
@service_auth_key_option
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The JSON file to write."
)
@click.option("--name", help="What to call the datastore in the export [default: its path].")
def metaflow_export_command(
    datastore: Path | None,
    service: str | None,
    service_auth_key: str | None,
    output: Path,
    name: str | None,
) -> None:
    """Write a datastore's flows, runs and declared lineage as one JSON file, which
    `lineage import metaflow --export` reads on a machine without Metaflow."""

    from lineage.service import export_metaflow

    if (datastore is None) == (service is None):
        raise InputError("give one of --datastore DIR or --service URL")
    count = export_metaflow(datastore or str(service), output, name, service_auth_key)
    stdout.print(f"{output}: {count} flow(s)")


def _show_import(report: ImportReport, *, as_json: bool) -> None:
    if as_json:
        out.print_json(out.import_json(report))
        return
    for line in out.import_lines(report):
        stdout.print(line)


@cli.group("export")
def export_group() -> None:
    """Write the graph out in another format."""


@export_group.command("yaml")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File.")
@pass_app
def export_yaml(app: AppContext, output: Path | None) -> None:
    """The whole graph as a lineage spec (imports back to the same graph)."""
    from lineage.service import export_spec

    exported = export_spec(app.store)
    if output is None:
        sys.stdout.write(exported.text)
    else:
        try:
            output.write_text(exported.text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror}") from exc
        stderr.print(f"wrote {exported.nodes} nodes, {exported.edges} edges to {output}")


# -- reading ------------------------------------------------------------------------------


@cli.command("nodes")
@kind_option
@click.option("--mode", type=click.Choice([m.value for m in Mode]), help="Only this mode.")
@click.option("--search", help="Only nodes whose id, name or alias contains this text.")
@json_option
@pass_app
def nodes_command(
    app: AppContext, kinds: tuple[str, ...], mode: str | None, search: str | None, as_json: bool
) -> None:
    """List nodes."""
    from lineage.service import list_nodes

    page = list_nodes(
        app.store, kinds=[Kind(k) for k in kinds], mode=Mode(mode) if mode else None, search=search
    )
    found = list(page.nodes)
    if as_json:
        out.print_json({"nodes": [out.node_json(node) for node in found]})
    else:
        stdout.print(out.nodes_table(found))


@cli.command("show")
@click.argument("node")
@json_option
@pass_app
def show_command(app: AppContext, node: str, as_json: bool) -> None:
    """One node: its facts, where they come from, and its direct inputs and outputs."""
    from lineage.service import describe_node

    found = describe_node(app.store, node)
    if as_json:
        out.print_json(
            {
                "node": out.node_json(found.node),
                "inputs": [out.edge_json(edge) for edge in found.inputs],
                "outputs": [out.edge_json(edge) for edge in found.outputs],
            }
        )
    else:
        out.show_node(stdout, found)


def _lineage_command(direction: Direction) -> click.Command:
    @click.command(direction.value, help=f"Everything {direction.value} of NODE, nearest first.")
    @click.argument("node")
    @depth_option
    @max_nodes_option
    @kind_option
    @json_option
    @pass_app
    def command(
        app: AppContext,
        node: str,
        max_hops: int,
        max_nodes: int,
        kinds: tuple[str, ...],
        as_json: bool,
    ) -> None:
        from lineage.service import lineage

        result = lineage(
            app.store,
            node,
            direction=direction,
            max_hops=max_hops,
            max_nodes=max_nodes,
            kinds=[Kind(k) for k in kinds] or None,
            witness_edges=False,  # both outputs show each path as node ids
        )
        if as_json:
            out.print_json(out.lineage_json(result))
        else:
            stdout.print(out.lineage_table(result))

    return command


cli.add_command(_lineage_command(Direction.UPSTREAM))
cli.add_command(_lineage_command(Direction.DOWNSTREAM))


@cli.command("impact")
@click.argument("node")
@depth_option
@max_nodes_option
@click.option(
    "--include-triggers", is_flag=True, help="Also follow TRIGGERS edges (runs that start runs)."
)
@json_option
@pass_app
def impact_command(
    app: AppContext, node: str, max_hops: int, max_nodes: int, include_triggers: bool, as_json: bool
) -> None:
    """What a change to NODE reaches: affected nodes by kind, and the way to each model."""
    from lineage.service import impact

    report = impact(
        app.store, node, max_hops=max_hops, max_nodes=max_nodes, include_triggers=include_triggers
    )
    if as_json:
        out.print_json(out.impact_json(report))
    else:
        out.show_impact(stdout, report)


@cli.command("paths")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option(
    "-k", "k", default=bounds.DEFAULT_K, show_default=True, type=click.IntRange(1, 1000),
    help="Return at most this many paths, shortest first.",
)  # fmt: skip
@click.option(
    "--max-length",
    default=bounds.DEFAULT_MAX_LENGTH,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Only paths of at most this many edges.",
)
@json_option
@pass_app
def paths_command(
    app: AppContext, source: str, target: str, k: int, max_length: int, as_json: bool
) -> None:
    """The shortest data-flow paths from FROM to TO."""
    from lineage.service import paths

    search = paths(app.store, source, target, k=k, max_length=max_length)
    if as_json:
        out.print_json(out.paths_json(search))
    else:
        stdout.print(out.paths_table(search))


@cli.command("loops")
@click.option("--scope", help="Only the loop through this node.")
@click.option(
    "--max-cycles",
    default=bounds.DEFAULT_MAX_CYCLES,
    show_default=True,
    type=click.IntRange(1),
    help="List at most this many cycles per loop.",
)
@json_option
@pass_app
def loops_command(app: AppContext, scope: str | None, max_cycles: int, as_json: bool) -> None:
    """Feedback loops: cycles in the data flow, ML feedback first."""
    from lineage.service import find_feedback_loops

    loops = find_feedback_loops(app.store, scope=scope, max_cycles=max_cycles)
    if as_json:
        out.print_json(out.loops_json(loops))
    else:
        out.show_loops(stdout, loops)


@cli.command("observe")
@click.argument("node")
@click.option("--at", "at", help="When it was updated (ISO time) [default: now].")
@click.option("--source", default="cli", show_default=True, help="Who reports it.")
@json_option
@pass_app
def observe_command(app: AppContext, node: str, at: str | None, source: str, as_json: bool) -> None:
    """Record that NODE was updated (a table written, a model deployed): its last_updated,
    kept apart from what imports say, so a later import does not erase it."""
    from lineage.service import observe

    found = observe(app.store, node, at=parse_moment(at, option="--at"), source=source)
    if as_json:
        out.print_json(out.node_json(found))
    else:
        stdout.print(Text(f"{found.id}: last updated {found.last_updated}"))


@cli.command("staleness")
@click.option("--at", "at", help="The moment to judge at (ISO time) [default: now].")
@kind_option
@click.option("--stale-only", is_flag=True, help="Only nodes whose effective status is not FRESH.")
@json_option
@pass_app
def staleness_command(
    app: AppContext, at: str | None, kinds: tuple[str, ...], stale_only: bool, as_json: bool
) -> None:
    """Each node's own and effective freshness status, and what upstream makes it stale."""
    from lineage.service import staleness

    report = staleness(app.store, at=parse_moment(at, option="--at"), defaults=app.config.freshness)
    entries = [
        e
        for e in report.nodes
        if (not kinds or e.node.kind.value in kinds)
        and (not stale_only or e.effective.value != "FRESH")
    ]
    if as_json:
        out.print_json(out.staleness_json(report, entries))
    else:
        out.show_staleness(stdout, report, entries)


@cli.command("conflicts")
@kind_option
@json_option
@pass_app
def conflicts_command(app: AppContext, kinds: tuple[str, ...], as_json: bool) -> None:
    """Consumers whose required freshness their serving path cannot deliver, with the
    slowest hop upstream (the offending edge) and the best freshness achievable."""
    from lineage.service import freshness_conflicts

    found = freshness_conflicts(app.store, defaults=app.config.freshness)
    found = tuple(c for c in found if not kinds or c.node.kind.value in kinds)
    if as_json:
        out.print_json(out.conflicts_json(found))
    else:
        out.show_conflicts(stdout, found)


@cli.command("rollup")
@click.option("--history", "history", type=click.IntRange(1), help="Show this many past runs.")
@json_option
@pass_app
def rollup_command(app: AppContext, history: int | None, as_json: bool) -> None:
    """Run the staleness roll-up now and record it (the scheduler runs it on schedule), or
    with --history, show the runs recorded."""
    from lineage.service import rollup_history, run_rollup

    if history:
        runs = rollup_history(app.store, limit=history)
    else:
        keep = app.config.rollup.keep
        runs = [run_rollup(app.store, defaults=app.config.freshness, keep=keep)]
    if as_json:
        out.print_json({"runs": [out.rollup_json(run) for run in runs]})
    else:
        out.show_rollups(stdout, runs)


@cli.group("jobs", invoke_without_command=True)
@json_option
@click.pass_context
def jobs_group(ctx: click.Context, as_json: bool) -> None:
    """The configured jobs (--config) and what their last runs did; `jobs run NAME` runs one."""
    if ctx.invoked_subcommand is not None:
        return
    from lineage.service import job_statuses

    app = ctx.find_object(AppContext)
    statuses = job_statuses(app.store, app.config)
    if as_json:
        out.print_json({"jobs": [out.job_status_json(status) for status in statuses]})
    else:
        out.show_jobs(stdout, statuses)


@jobs_group.command("run")
@click.argument("names", nargs=-1)
@click.option("--all", "run_all", is_flag=True, help="Every configured job, in order.")
@json_option
@pass_app
def jobs_run_command(app: AppContext, names: tuple[str, ...], run_all: bool, as_json: bool) -> None:
    """Run jobs now (each recorded as a scheduled run is). Exit 1 when one failed."""
    from lineage.service import Outcome, job_names, require_job, run_job

    if run_all == bool(names):
        raise InputError("give job names, or --all")
    chosen = job_names(app.config) if run_all else list(names)
    for name in chosen:
        require_job(app.config, name)
    runs = [run_job(app.store, app.config, name) for name in chosen]
    if as_json:
        out.print_json({"runs": [out.job_run_json(run) for run in runs]})
    else:
        for run in runs:
            stdout.print(Text(out.job_run_line(run)))
    if any(run.outcome is Outcome.FAILED for run in runs):
        raise SystemExit(1)


@cli.command("scheduler")
@click.option("--now", is_flag=True, help="Run every scheduled job once at start.")
@pass_app
def scheduler_command(app: AppContext, now: bool) -> None:
    """Run the configured jobs on their schedules until interrupted (what `serve` does
    alongside the API), logging each run."""
    import logging

    from lineage.scheduler import JobScheduler

    if not app.config.imports and app.config.rollup.schedule is None:
        raise InputError("nothing to schedule: give --config with imports or a rollup schedule")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    scheduler = JobScheduler(app.config, lambda: app.store, blocking=True)
    if not scheduler.schedules():
        raise InputError("no configured job has a schedule")
    stdout.print(f"scheduling: {', '.join(scheduler.schedules())} (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        scheduler.start(now=now)
    except KeyboardInterrupt:
        scheduler.shutdown(wait=False)


@cli.command("diagram")
@click.argument("node", required=False)
@click.option("--root", help="Draw around this node (the same as NODE).")
@click.option(
    "--direction",
    type=click.Choice(["up", "down", "both", "upstream", "downstream"], case_sensitive=False),
    default="both",
    show_default=True,
    help="Around the root: up(stream), down(stream) or both.",
)
@click.option(
    "--depth",
    default=2,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Hops from the root.",
)
@click.option("--loop", type=click.IntRange(1), help="Feedback loop N (as `lineage loops` lists).")
@click.option(
    "--impact",
    nargs=2,
    metavar="SUBJECT NEW.avsc",
    help="The consumers a change to SUBJECT's schema hits.",
)
@click.option("--stale", is_flag=True, help="The stale nodes and the paths from their causes.")
@click.option(
    "--group-by",
    type=click.Choice([g.value for g in GroupBy]),
    default=GroupBy.NONE.value,
    show_default=True,
    help="Draw groups as subgraphs (and collapse by them beyond --limit).",
)
@click.option(
    "--limit",
    default=DEFAULT_DIAGRAM_LIMIT,
    show_default=True,
    type=click.IntRange(1),
    help="Beyond this many nodes, draw one box per group.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice([f.value for f in Format]),
    default=Format.MERMAID.value,
    show_default=True,
)
@click.option("-o", "--output-file", type=click.Path(path_type=Path, dir_okay=False))
@pass_app
def diagram_command(
    app: AppContext,
    node: str | None,
    root: str | None,
    direction: str,
    depth: int,
    loop: int | None,
    impact: tuple[str, str] | None,
    stale: bool,
    group_by: str,
    limit: int,
    output: str,
    output_file: Path | None,
) -> None:
    """Draw the graph, or a view of it: around a node, one feedback loop, a schema change's
    impact or the stale set. Mermaid and c4 (an overlay document) import back with `lineage
    import c4`; svg and png need Graphviz (exit 3 without it)."""
    from lineage.service import ViewRequest, diagram, direction_of, read_schema_file

    if node and root:
        raise InputError("give the root once: NODE or --root")
    chosen = Format(output)
    if chosen.binary and output_file is None and sys.stdout.isatty():
        raise InputError("png is binary: give -o FILE, or pipe the output")
    request = ViewRequest(
        root=node or root,
        direction=direction_of(direction),
        depth=depth,
        loop=loop,
        impact=(impact[0], read_schema_file(Path(impact[1]))) if impact else None,
        stale=stale,
        group_by=GroupBy(group_by),
        limit=limit,
    )
    drawing = diagram(app.store, request, chosen, defaults=app.config.freshness)
    if drawing.view.hidden:
        stderr.print(f"note: {drawing.view.hidden} (the limit is {limit} nodes)")
    if output_file is not None:
        output_file.write_bytes(drawing.content)
        stdout.print(f"{output_file}: {len(drawing.view.nodes)} boxes, {chosen.value}")
    else:
        sys.stdout.buffer.write(drawing.content)
        sys.stdout.flush()


@cli.command("summary")
@json_option
@pass_app
def summary_command(app: AppContext, as_json: bool) -> None:
    """How many nodes and edges of each kind the graph holds."""
    from lineage.service import summary as summarize

    summary = summarize(app.store)
    if as_json:
        out.print_json(out.summary_json(summary))
    else:
        stdout.print(out.summary_table(summary))


# -- neo4j --------------------------------------------------------------------------------


@cli.group("neo4j")
def neo4j_group() -> None:
    """Manage the Neo4j backend (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)."""


@neo4j_group.command("init")
@json_option
@pass_app
def neo4j_init_command(app: AppContext, as_json: bool) -> None:
    """Create the constraints and indexes the Neo4j store needs (idempotent; the store also
    creates them on first write)."""
    from lineage.service import init_neo4j

    done = init_neo4j(app.settings)
    if as_json:
        out.print_json(
            {"uri": done.uri, "created": list(done.created), "schema": list(done.schema)}
        )
    elif done.created:
        stdout.print(f"{done.uri}: created {len(done.created)} constraint(s) and index(es)")
    else:
        stdout.print(f"{done.uri}: all {len(done.schema)} constraints and indexes already exist")


# -- serving ------------------------------------------------------------------------------


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--require-token-for-reads",
    is_flag=True,
    help="Queries need the token too (env LINEAGE_API_TOKEN), not only mutations.",
)
@click.option(
    "--max-hops-clamp",
    default=bounds.Clamps.max_hops,
    show_default=True,
    type=click.IntRange(1),
    help="A larger maxHops in a query is lowered to this.",
)
@click.option(
    "--no-scheduler", is_flag=True, help="Do not run the configured jobs (--config) on schedule."
)
@pass_app
def serve_command(
    app: AppContext,
    host: str,
    port: int,
    require_token_for_reads: bool,
    max_hops_clamp: int,
    no_scheduler: bool,
) -> None:
    """Serve the GraphQL API (GraphiQL in a browser), /healthz, /readyz and /metrics, and run
    the configured jobs on their schedules."""
    import logging

    import uvicorn

    from lineage.api import ServiceSettings, create_app
    from lineage.bulk import freeze_start_up_objects

    settings = ServiceSettings.from_env(
        app.settings,
        host=host,
        port=port,
        require_token_for_reads=require_token_for_reads,
        max_hops_clamp=max_hops_clamp,
        config=app.config,
        scheduler=not no_scheduler,
    )
    warning = settings.exposure_warning()
    if warning:
        stderr.print(f"warning: {warning}")
    stdout.print(f"GraphQL API: {settings.graphql_url}")
    sys.stdout.flush()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    served = create_app(settings)
    freeze_start_up_objects()
    uvicorn.run(served, host=host, port=port, log_level="info")


compatibility_mode_option = click.option(
    "--mode",
    type=click.Choice([mode.value for mode in CompatibilityMode], case_sensitive=False),
    help="Compatibility mode [default: the subject's level, else BACKWARD].",
)


@cli.group("schema", invoke_without_command=True)
@click.pass_context
def schema_group(ctx: click.Context) -> None:
    """Print the GraphQL schema (SDL; graphql/schema.graphql is this output), or with a
    subcommand, check a change to an Avro subject's schema."""
    if ctx.invoked_subcommand is None:
        from lineage.api import schema_sdl

        sys.stdout.write(schema_sdl())


@schema_group.command("check")
@click.argument("subject")
@click.argument("proposed", metavar="NEW.avsc", type=click.Path(path_type=Path))
@compatibility_mode_option
@json_option
@pass_app
def schema_check_command(
    app: AppContext, subject: str, proposed: Path, mode: str | None, as_json: bool
) -> None:
    """Can NEW.avsc replace SUBJECT's schema? Exit 1 when it is incompatible."""
    from lineage.service import check_schema_change, read_schema_file

    result = check_schema_change(
        app.store,
        subject,
        read_schema_file(proposed),
        mode=CompatibilityMode(mode.upper()) if mode else None,
    )
    if as_json:
        from lineage.schema_report import check_json

        out.print_json(check_json(result))
    else:
        out.show_schema_check(stdout, result)
    if not result.compatible:
        raise SystemExit(1)


FAIL_ON = ("incompatible", "impacted", "never")


@cli.command("schema-impact")
@click.argument("subject")
@click.argument("proposed", metavar="NEW.avsc", type=click.Path(path_type=Path))
@compatibility_mode_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "md", "json", "html"]),
    default="text",
    show_default=True,
    help="md reads well as a pull-request comment; html is one standalone page.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="incompatible",
    show_default=True,
    help="Exit 1 when the change is incompatible, when it hits any consumer (or is "
    "incompatible), or never.",
)
@depth_option
@max_nodes_option
@pass_app
def schema_impact_command(
    app: AppContext,
    subject: str,
    proposed: Path,
    mode: str | None,
    output: str,
    fail_on: str,
    max_hops: int,
    max_nodes: int,
) -> None:
    """What a change to SUBJECT's schema breaks downstream, and in what order to roll it out:
    the gate of a pull request that changes an .avsc."""
    from lineage import schema_report
    from lineage.service import read_schema_file, schema_change_impact

    report = schema_change_impact(
        app.store,
        subject,
        read_schema_file(proposed),
        mode=CompatibilityMode(mode.upper()) if mode else None,
        max_hops=max_hops,
        max_nodes=max_nodes,
    )
    if output == "json":
        out.print_json(schema_report.impact_json(report))
    elif output == "md":
        sys.stdout.write(schema_report.impact_markdown(report))
    elif output == "html":
        sys.stdout.write(schema_report.impact_html(report))
    else:
        out.show_schema_impact(stdout, report)
    failed = {
        "incompatible": not report.check.compatible,
        "impacted": not report.check.compatible or bool(report.hit),
        "never": False,
    }[fail_on]
    if failed:
        raise SystemExit(1)


# -- plumbing -----------------------------------------------------------------------------


@contextmanager
def _progress(*, quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """A one-line progress display on a terminal; nothing with --json or when piped."""
    if quiet or not stderr.is_terminal:
        yield None
        return
    count = 0
    with stderr.status("reading files...") as status:

        def advance(origin: str) -> None:
            nonlocal count
            count += 1
            status.update(f"read {count} file(s): {origin}")

        yield advance


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="lineage")
