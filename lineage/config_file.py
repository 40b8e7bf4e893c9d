"""``lineage.yaml``: the store, the API token, the import jobs and their schedules, the
staleness roll-up, default freshness per kind, and the folders imports may read.

    store: {backend: embedded, path: .lineage/lineage.db}   # or backend: neo4j, uri: ...
    api: {token_env: LINEAGE_API_TOKEN}                      # or token: ...
    roots: [./]
    freshness: {model: 1d, dataset: 6h}
    imports:
      - {name: docs, importer: c4, paths: [docs/], schedule: 15m}
      - {name: schemas, importer: avro, url: "http://registry:8081", schedule: "*/30 * * * *"}
    rollup: {schedule: 5m, keep: 500}

Relative paths are relative to the folder holding the file, so a configuration means the same
wherever the command runs. Every problem is reported with the file and line (``ParseError``,
exit 2) before anything runs. Secrets may be given as ``{env: NAME}`` (an option) or
``*_env: NAME`` (the token, the Neo4j password): read from the environment when used, never
written in the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lineage.config import Backend, StoreSettings
from lineage.errors import InputError, ParseError
from lineage.freshness import parse_freshness
from lineage.importers import ImportRequest, formats
from lineage.importers.base import read_text
from lineage.importers.safe_yaml import YamlProblem, compose, problem_of
from lineage.model import Kind
from lineage.schedule import Schedule

CONFIG_ENV = "LINEAGE_CONFIG"
DEFAULT_KEEP = 500
"""Roll-up and job runs kept in the run log, per job."""
_MAX_VALUES = 100_000


@dataclass(frozen=True)
class EnvValue:
    """An option read from the environment when the job runs: ``{env: NAME}``."""

    name: str


@dataclass(frozen=True)
class ImportJob:
    name: str
    importer: str
    paths: tuple[Path, ...] = ()
    urls: tuple[str, ...] = ()
    options: Mapping[str, str | EnvValue] = field(default_factory=dict)
    schedule: Schedule | None = None
    """``None``: only when run by hand (``lineage jobs run NAME``)."""
    strict: bool = False
    line: int = 0
    """Where the job is declared, for messages."""

    def request(self, env: Mapping[str, str] = os.environ) -> ImportRequest:
        """The request the job's importer reads; options from the environment read now."""
        options = {}
        for key, value in self.options.items():
            text = env.get(value.name, "") if isinstance(value, EnvValue) else value
            if text:
                options[key] = text
        return ImportRequest((*map(str, self.paths), *self.urls), options)


@dataclass(frozen=True)
class RollupSettings:
    schedule: Schedule | None = None
    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class LineageConfig:
    path: Path | None = None
    """The file read; ``None`` for the defaults."""
    store: StoreSettings = field(default_factory=StoreSettings)
    api_token: str | None = field(default=None, repr=False)
    require_token_for_reads: bool = False
    cors_origins: tuple[str, ...] = ()
    """Browser origins whose pages may call the API (``api.cors_origins``); none by default."""
    roots: tuple[Path, ...] = ()
    imports: tuple[ImportJob, ...] = ()
    rollup: RollupSettings = field(default_factory=RollupSettings)
    freshness: Mapping[Kind, float] = field(default_factory=dict)
    """The bound in seconds of a node of a kind that states none."""

    def job(self, name: str) -> ImportJob:
        for job in self.imports:
            if job.name == name:
                return job
        known = ", ".join(job.name for job in self.imports) or "none configured"
        raise InputError(f"no import job named {name!r} (jobs: {known})")

    def outside_roots(self, path: Path) -> bool:
        """Whether ``path`` (symbolic links followed) lies outside every root."""
        resolved = path.resolve()
        return not any(resolved.is_relative_to(root) for root in self.roots)


def load_config(path: Path, env: Mapping[str, str] = os.environ) -> LineageConfig:
    """Read and validate ``path``: ``ParseError`` (file:line) for anything wrong."""
    try:
        text = read_text(path)
    except InputError as exc:
        raise InputError(f"cannot read the configuration {exc}") from exc
    return _Reader(path, env).read(text)


class _Reader:
    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.path = path
        self.folder = path.resolve().parent
        self.env = env

    def fail(self, message: str, node: yaml.Node | None = None, line: int | None = None) -> Any:
        where = node.start_mark.line + 1 if node is not None else line
        raise ParseError(message, source=str(self.path), line=where)

    def read(self, text: str) -> LineageConfig:
        try:
            root, self.loader = compose(text, max_values=_MAX_VALUES)
        except YamlProblem as problem:
            self.fail(problem.message, line=None if problem.line is None else problem.line + 1)
        if root is None:
            self.fail(
                f"the configuration is empty; expected some of: {', '.join(sorted(TOP_KEYS))}",
                line=1,
            )
        top = self.mapping(root, "the configuration", TOP_KEYS)
        roots = tuple(self.folder_of(item) for item in self.sequence(top.get("roots"), "roots"))
        imports = tuple(self.job(item) for item in self.sequence(top.get("imports"), "imports"))
        self.check_unique(imports)
        config = LineageConfig(
            path=self.path,
            store=self.store(top.get("store")),
            roots=roots,
            imports=imports,
            rollup=self.rollup(top.get("rollup")),
            freshness=self.freshness(top.get("freshness")),
            **self.api(top.get("api")),
        )
        self.check_roots(config)
        return config

    # -- sections --------------------------------------------------------------------------

    def store(self, node: yaml.Node | None) -> StoreSettings:
        if node is None:
            return StoreSettings()
        fields = self.mapping(node, "store", STORE_KEYS)
        backend_text = self.text(fields.get("backend"), "store.backend") or "embedded"
        try:
            backend = Backend(backend_text)
        except ValueError:
            names = ", ".join(b.value for b in Backend)
            self.fail(f"store.backend {backend_text!r} is not one of: {names}", fields["backend"])
        defaults = StoreSettings()
        password = self.text(fields.get("password"), "store.password")
        password_env = self.text(fields.get("password_env"), "store.password_env")
        path = self.text(fields.get("path"), "store.path")
        return StoreSettings(
            backend=backend,
            db_path=(self.folder / path).resolve() if path else defaults.db_path,
            neo4j_uri=self.text(fields.get("uri"), "store.uri") or defaults.neo4j_uri,
            neo4j_user=self.text(fields.get("user"), "store.user"),
            neo4j_password=password or (self.env.get(password_env) if password_env else None),
            neo4j_database=self.text(fields.get("database"), "store.database"),
        )

    def api(self, node: yaml.Node | None) -> dict[str, Any]:
        if node is None:
            return {}
        fields = self.mapping(node, "api", API_KEYS)
        token = self.text(fields.get("token"), "api.token")
        token_env = self.text(fields.get("token_env"), "api.token_env")
        if token and token_env:
            self.fail("give api.token or api.token_env, not both", fields["token_env"])
        if token_env:
            token = self.env.get(token_env) or None
        reads = self.flag(fields.get("require_token_for_reads"), "api.require_token_for_reads")
        if reads and not token:
            where = fields["require_token_for_reads"]
            self.fail(
                "api.require_token_for_reads needs a token (api.token or api.token_env)", where
            )
        origins = tuple(
            self.origin(item) for item in self.sequence(fields.get("cors_origins"), "cors_origins")
        )
        return {"api_token": token, "require_token_for_reads": reads, "cors_origins": origins}

    def origin(self, node: yaml.Node) -> str:
        text = self.text(node, "an origin in api.cors_origins") or ""
        try:
            return cors_origin(text)
        except InputError as exc:
            return self.fail(str(exc), node)

    def job(self, node: yaml.Node) -> ImportJob:
        fields = self.mapping(node, "an import job", JOB_KEYS)
        name = self.text(fields.get("name"), "name")
        if not name:
            self.fail("an import job needs a 'name'", node)
        importer = self.text(fields.get("importer"), "importer")
        if importer not in formats():
            known = ", ".join(formats())
            self.fail(f"job {name!r}: importer {importer!r} is not one of: {known}", node)
        paths = tuple(self.folder_of(item) for item in self.sequence(fields.get("paths"), "paths"))
        urls = [self.text(item, "urls") or "" for item in self.sequence(fields.get("urls"), "urls")]
        url = self.text(fields.get("url"), "url")
        urls += [url] if url else []
        if not paths and not urls:
            self.fail(f"job {name!r} reads nothing: give 'paths' or 'url'", node)
        schedule = self.schedule(fields.get("schedule"), f"job {name!r}")
        return ImportJob(
            name=name,
            importer=importer,
            paths=paths,
            urls=tuple(urls),
            options=self.options(fields.get("options")),
            schedule=schedule,
            strict=self.flag(fields.get("strict"), "strict"),
            line=node.start_mark.line + 1,
        )

    def options(self, node: yaml.Node | None) -> dict[str, str | EnvValue]:
        if node is None:
            return {}
        found: dict[str, str | EnvValue] = {}
        for key, value in self.mapping(node, "options", None).items():
            if isinstance(value, yaml.MappingNode):
                (env_name,) = self.mapping(value, f"option {key!r}", frozenset({"env"})).values()
                found[key] = EnvValue(self.text(env_name, f"options.{key}.env") or "")
            elif isinstance(value, yaml.SequenceNode):
                found[key] = ",".join(self.text(item, key) or "" for item in value.value)
            else:
                found[key] = self.text(value, f"options.{key}") or ""
        return found

    def rollup(self, node: yaml.Node | None) -> RollupSettings:
        if node is None:
            return RollupSettings()
        fields = self.mapping(node, "rollup", ROLLUP_KEYS)
        keep_node = fields.get("keep")
        keep = self.value(keep_node) if keep_node is not None else DEFAULT_KEEP
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
            self.fail(
                f"rollup.keep must be a whole number of runs, at least 1, not {keep!r}", keep_node
            )
        return RollupSettings(self.schedule(fields.get("schedule"), "rollup"), keep)

    def freshness(self, node: yaml.Node | None) -> dict[Kind, float]:
        if node is None:
            return {}
        found = {}
        for key, value in self.mapping(node, "freshness", None).items():
            try:
                kind = Kind(key)
            except ValueError:
                kinds = ", ".join(k.value for k in Kind)
                self.fail(f"freshness: {key!r} is not a kind ({kinds})", value)
            phrase = self.text(value, f"freshness.{key}") or ""
            seconds = parse_freshness(phrase).seconds
            if seconds is None:
                self.fail(f"freshness.{key}: {phrase!r} gives no time bound (try 1h, 1d)", value)
            found[kind] = seconds
        return found

    def schedule(self, node: yaml.Node | None, what: str) -> Schedule | None:
        text = self.text(node, f"{what} schedule")
        if not text:
            return None
        try:
            return Schedule.parse(text)
        except ValueError as exc:
            return self.fail(f"{what}: {exc}", node)

    # -- checks ----------------------------------------------------------------------------

    def check_unique(self, jobs: tuple[ImportJob, ...]) -> None:
        seen: set[str] = set()
        for job in jobs:
            if job.name in seen or job.name == ROLLUP_JOB:
                self.fail(f"the job name {job.name!r} is taken", line=job.line)
            seen.add(job.name)

    def check_roots(self, config: LineageConfig) -> None:
        for job in config.imports:
            if job.paths and not config.roots:
                self.fail(f"job {job.name!r} reads files, but no 'roots' allow any", line=job.line)
            for path in job.paths:
                if config.outside_roots(path):
                    roots = ", ".join(map(str, config.roots))
                    self.fail(
                        f"job {job.name!r}: {path} is outside the roots ({roots})", line=job.line
                    )

    # -- YAML values -----------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, what: str, keys: frozenset[str] | None
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(f"{what} must be a mapping of keys to values", node)
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.fail(f"{what}: keys must be text, not {key!r}", key_node)
            if keys is not None and key not in keys:
                self.fail(
                    f"{what}: unknown key {key!r} (known: {', '.join(sorted(keys))})", key_node
                )
            if key in found:
                self.fail(f"{what}: key {key!r} appears twice", key_node)
            found[key] = value_node
        return found

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(f"'{what}' must be a list", node)
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        if node is None:
            return None
        value = self.value(node)
        if value is None:
            return None
        if isinstance(value, date):  # an unquoted 2026-11-01 is a date to YAML
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"{what} must be text, not {value!r}", node)
        return str(value)

    def flag(self, node: yaml.Node | None, what: str) -> bool:
        if node is None:
            return False
        value = self.value(node)
        if not isinstance(value, bool):
            self.fail(f"{what} must be true or false, not {value!r}", node)
        return value

    def value(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            return self.fail(f"cannot read this value: {problem_of(exc)}", node)

    def folder_of(self, node: yaml.Node) -> Path:
        text = self.text(node, "a path")
        if not text:
            self.fail("a path must not be empty", node)
        return (self.folder / Path(text).expanduser()).resolve()


def cors_origin(text: str) -> str:
    """``text`` as a browser origin a CORS header may name: ``scheme://host[:port]``, nothing
    after it (an origin has no path); ``*`` is refused, since it would let every site's pages
    use a reader's token-free access."""
    origin = text.strip().rstrip("/")
    scheme, _, rest = origin.partition("://")
    if scheme not in ("http", "https") or not rest or any(c in rest for c in "/?#*@ "):
        raise InputError(
            f"{text!r} is not a browser origin: give scheme://host[:port], "
            "as http://127.0.0.1:3000 or https://dashboards.example.com"
        )
    return origin


ROLLUP_JOB = "rollup"
"""The staleness roll-up's name among the jobs (no import job may take it)."""
TOP_KEYS = frozenset({"store", "api", "roots", "imports", "rollup", "freshness"})
STORE_KEYS = frozenset({"backend", "path", "uri", "user", "password", "password_env", "database"})
API_KEYS = frozenset({"token", "token_env", "require_token_for_reads", "cors_origins"})
JOB_KEYS = frozenset({"name", "importer", "paths", "url", "urls", "options", "schedule", "strict"})
ROLLUP_KEYS = frozenset({"schedule", "keep"})
