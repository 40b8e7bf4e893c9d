"""Reading a local Metaflow datastore (``.metaflow``) without Metaflow, and without trusting it.

Everything is JSON except the DAG (``_graph_info``) and the ``_lineage`` records of the
``@lineage`` decorator, which are pickled plain data; they are read with an unpickler that
imports and calls nothing (:func:`plain_unpickle`), so a crafted dump cannot run code. A JSON
file that is missing or damaged is a warning with its path, and the rest still imports.
"""

from __future__ import annotations

import gzip
import io
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lineage.errors import InputError, ParseError
from lineage.importers.metaflow.records import (
    FlowRecord,
    RunRecord,
    TaskLineage,
    attempt_of,
    finished_run,
    from_epoch_ms,
    started_by_run_id,
)
from lineage.importers.safe_json import parse_json
from lineage.model import ImportWarning

MAX_BLOB = 16 * 1024 * 1024
"""The largest DAG or lineage record read, unpacked: far above any real one."""
PLAIN = (dict, list, tuple, str, int, float, bool, type(None))


class RefusedPickle(pickle.UnpicklingError):
    pass


class _PlainUnpickler(pickle.Unpickler):
    """Builds dicts, lists, tuples, strings, numbers, booleans and None, and nothing else:
    any attempt to import a name (which calling anything needs) is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise RefusedPickle(f"it asks for {module}.{name}: only plain data is read")


def plain_unpickle(data: bytes) -> Any:
    value = _PlainUnpickler(io.BytesIO(data)).load()
    _check_plain(value)
    return value


def _check_plain(value: Any, depth: int = 0) -> None:
    if depth > 100:
        raise RefusedPickle("nested more than 100 deep")
    if not isinstance(value, PLAIN):
        raise RefusedPickle(f"it holds a {type(value).__name__}: only plain data is read")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_plain(key, depth + 1)
            _check_plain(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_plain(item, depth + 1)


@dataclass
class Datastore:
    """One ``.metaflow`` folder, read into :class:`FlowRecord` values."""

    root: Path
    warnings: list[ImportWarning] = field(default_factory=list)

    @classmethod
    def at(cls, path: Path) -> Datastore:
        """The datastore in ``path``: the folder holding ``.metaflow``, or ``.metaflow`` itself."""
        if (path / ".metaflow").is_dir():
            return cls(path / ".metaflow")
        if path.is_dir():
            return cls(path)
        raise InputError(f"{path}: no such folder (give the folder that holds .metaflow)")

    def flows(
        self,
        names: frozenset[str] | None = None,
        known: Mapping[str, Mapping[str, RunRecord]] | None = None,
    ) -> list[FlowRecord]:
        """The flows (only ``names``, when given). Runs in ``known`` (by flow, then run id)
        that had finished are taken as they are, not read again."""
        found = []
        for folder in sorted(
            p for p in self.root.iterdir() if (p / "_meta" / "_self.json").is_file()
        ):
            if names and folder.name not in names:
                continue
            record = self._flow(folder, (known or {}).get(folder.name, {}))
            if record is not None:
                found.append(record)
        if not found and not names:
            raise InputError(f"{self.root}: no Metaflow flows here (no <Flow>/_meta/_self.json)")
        return found

    def _flow(self, folder: Path, known: Mapping[str, RunRecord]) -> FlowRecord | None:
        runs = [
            run
            for run in (
                finished_run(known, r.name) or self._run(folder, r) for r in _run_folders(folder)
            )
            if run
        ]
        runs.sort(key=lambda run: (run.started_at, run.run_id))
        graph = None
        for run in reversed(runs):  # the latest run's DAG that can be read
            graph = self._graph(folder, run.run_id)
            if graph is not None:
                break
        if graph is None:
            self._warn(folder, "no run with a readable DAG (_graph_info): flow skipped")
            return None
        return FlowRecord(folder.name, graph, tuple(runs))

    def _run(self, flow: Path, folder: Path) -> RunRecord | None:
        record = self._json(folder / "_meta" / "_self.json")
        if not isinstance(record, dict):
            return None
        steps = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")]
        statuses = {step.name: self._step_status(step) for step in steps}
        end = statuses.get(str(self._end_step(folder)), (None, None))
        return RunRecord(
            run_id=folder.name,
            started_at=self._started(folder),
            tags=tuple(str(tag) for tag in record.get("tags") or ()),
            system_tags=tuple(str(tag) for tag in record.get("system_tags") or ()),
            finished_at=end[1],
            successful=end[0] is True,
            failed_steps=tuple(sorted(s for s, (ok, _) in statuses.items() if ok is False)),
            lineage=tuple(self._lineage(flow, folder, steps)),
            resumed_from=self._origin_run(folder),
        )

    def _origin_run(self, run: Path) -> str | None:
        """The run ``resume`` started this one from (its tasks record ``origin-run-id``)."""
        for path in sorted(run.glob("*/*/_meta/sysmeta_origin-run-id_*.json")):
            entry = self._json(path)
            value = entry.get("value") if isinstance(entry, dict) else None
            if value and str(value) != "None":
                return str(value)
        return None

    def _started(self, run: Path) -> datetime:
        """The run id when it is a local one (epoch microseconds), else the time of its
        ``_parameters`` record; the run record's own time moves when its tags change."""
        by_id = started_by_run_id(run.name)
        if by_id is not None:
            return by_id
        params = self._json(run / "_parameters" / "_meta" / "_self.json")
        if isinstance(params, dict) and isinstance(params.get("ts_epoch"), int):
            return from_epoch_ms(params["ts_epoch"])
        return datetime.fromtimestamp(run.stat().st_mtime, UTC)

    def _end_step(self, run: Path) -> str:
        for path in sorted((run / "_parameters").glob("*/_meta/sysmeta_end_step_*.json")):
            entry = self._json(path)
            if isinstance(entry, dict) and entry.get("value"):
                return str(entry["value"])
        return "end"

    def _step_status(self, step: Path) -> tuple[bool | None, datetime | None]:
        """Whether every task of the step succeeded at its last attempt (``None``: none
        finished), and when the last one finished."""
        outcomes: list[tuple[bool, datetime]] = []
        for task in (p for p in step.iterdir() if p.is_dir() and p.name != "_meta"):
            last = self._last_attempt_ok(task)
            if last is not None:
                outcomes.append(last)
        if not outcomes:
            return None, None
        return all(ok for ok, _ in outcomes), max(at for _, at in outcomes)

    def _last_attempt_ok(self, task: Path) -> tuple[bool, datetime] | None:
        best: tuple[int, bool, datetime] | None = None
        for path in (task / "_meta").glob("sysmeta_attempt_ok_*.json"):
            entry = self._json(path)
            if not isinstance(entry, dict):
                continue
            attempt = attempt_of(entry)
            at = from_epoch_ms(int(entry.get("ts_epoch", 0)))
            candidate = (attempt, str(entry.get("value")) == "True", at)
            if best is None or candidate[0] > best[0]:
                best = candidate
        return (best[1], best[2]) if best else None

    def _graph(self, flow: Path, run_id: str) -> dict[str, Any] | None:
        for task in sorted((flow / run_id / "_parameters").glob("*")):
            value = self._artifact(flow, task, "_graph_info")
            if isinstance(value, dict) and isinstance(value.get("steps"), dict):
                for step in value["steps"].values():  # where the run happened: not lineage
                    if isinstance(step, dict):
                        step.pop("source_file", None)
                return value
        return None

    def _lineage(self, flow: Path, run: Path, steps: list[Path]) -> Iterator[TaskLineage]:
        """Each task's own ``_lineage`` record: a copy a task inherited names another task."""
        for step in sorted(steps):
            for task in sorted(p for p in step.iterdir() if p.is_dir() and p.name != "_meta"):
                value = self._artifact(flow, task, "_lineage")
                pathspec = f"{flow.name}/{run.name}/{step.name}/{task.name}"
                if isinstance(value, dict) and value.get("task") == pathspec:
                    yield TaskLineage(
                        step.name,
                        task.name,
                        tuple(str(r) for r in value.get("reads") or ()),
                        tuple(str(w) for w in value.get("writes") or ()),
                    )

    def _artifact(self, flow: Path, task: Path, name: str) -> Any:
        """A plain-data artifact of the task's last attempt, or ``None``."""
        indexes = sorted(task.glob("*.data.json"), key=lambda p: int(p.name.split(".")[0]))
        if not indexes:
            return None
        index = self._json(indexes[-1])
        sha = index.get("objects", {}).get(name) if isinstance(index, dict) else None
        if not isinstance(sha, str) or not sha.isalnum():
            return None
        blob = flow / "data" / sha[:2] / sha
        try:
            raw = blob.read_bytes()
        except OSError:
            self._warn(blob, f"the {name} artifact is missing")
            return None
        meta = self._json(blob.with_name(f"{sha}_meta"), quiet=True)
        try:
            data = raw if isinstance(meta, dict) and meta.get("cas_raw") else _gunzip(raw)
            return plain_unpickle(data)
        except RefusedPickle as exc:
            raise ParseError(f"refused to unpickle {name}: {exc}", source=str(blob)) from exc
        except (pickle.UnpicklingError, EOFError, OSError, ValueError, IndexError) as exc:
            self._warn(blob, f"the {name} artifact cannot be read ({exc})")
            return None

    def _json(self, path: Path, *, quiet: bool = False) -> Any:
        try:
            return parse_json(path.read_text(encoding="utf-8"), str(path))
        except FileNotFoundError:
            if not quiet:
                self._warn(path, "missing")
            return None
        except ParseError as exc:
            self._warn(path, f"not readable JSON ({exc.message})")
            return None
        except (OSError, ValueError) as exc:
            self._warn(path, f"not readable JSON ({exc})")
            return None

    def _warn(self, path: Path, message: str) -> None:
        self.warnings.append(ImportWarning(str(path), message))


def _run_folders(flow: Path) -> list[Path]:
    return sorted(
        p
        for p in flow.iterdir()
        if p.is_dir() and p.name not in ("_meta", "data") and (p / "_meta").is_dir()
    )


def _gunzip(raw: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unpacked:
        data = unpacked.read(MAX_BLOB + 1)
    if len(data) > MAX_BLOB:
        raise ValueError(f"it unpacks to more than {MAX_BLOB} bytes")
    return data
