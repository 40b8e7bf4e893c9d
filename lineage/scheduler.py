"""The scheduler: the configured import jobs and the staleness roll-up, on their schedules.

APScheduler 3 runs each job on a thread of its own pool, inside ``lineage serve`` (started and
stopped with the app) or headless (``lineage scheduler``). Each job has at most one run at a
time (a tick that comes while one runs is skipped), missed runs are coalesced into one, and a
run later than ``misfire_grace_seconds`` is dropped until its next time. A failing job is
logged and recorded by ``lineage.service.run_job`` and tried again at its next time; the
others go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from lineage.config_file import ROLLUP_JOB, LineageConfig
from lineage.errors import StoreError
from lineage.schedule import Schedule
from lineage.service import JobRun, Outcome, record_job_run, run_job
from lineage.store.base import GraphStore

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 300


class JobScheduler:
    """The configured jobs on one store, which ``store()`` gives at each run (the service's
    store may be down at startup and come back). ``blocking``: ``start()`` runs until
    interrupted."""

    def __init__(
        self,
        config: LineageConfig,
        store: Callable[[], GraphStore],
        *,
        blocking: bool = False,
        workers: int = 4,
        misfire_grace_seconds: int = MISFIRE_GRACE_SECONDS,
    ) -> None:
        self.config = config
        self.store = store
        self.unrecorded: list[JobRun] = []
        """Runs that failed while the store was down, written when it is back."""
        self._lock = threading.Lock()
        kind = BlockingScheduler if blocking else BackgroundScheduler
        self._scheduler: BaseScheduler = kind(
            executors={"default": ThreadPoolExecutor(max_workers=workers)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": misfire_grace_seconds,
            },
            timezone=UTC,
        )

    def schedules(self) -> dict[str, Schedule]:
        """Each scheduled job's schedule; jobs without one run only when asked."""
        found = {job.name: job.schedule for job in self.config.imports if job.schedule}
        if self.config.rollup.schedule:
            found[ROLLUP_JOB] = self.config.rollup.schedule
        return found

    def start(self, *, now: bool = False) -> None:
        """Start the jobs; ``now``: every scheduled job runs once at once, then on schedule."""
        first = {"next_run_time": datetime.now(UTC)} if now else {}
        for name, schedule in self.schedules().items():
            self._scheduler.add_job(
                self.run,
                schedule.trigger(),
                args=(name,),
                id=name,
                name=name,
                **first,
            )
        log.info("scheduler: %d job(s): %s", len(self.schedules()), ", ".join(self.schedules()))
        self._scheduler.start()

    def run(self, name: str) -> JobRun:
        """One run of ``name``. When the store is down the run is FAILED with the reason, and
        kept (``unrecorded``) until a later run finds the store back and writes it first, so
        the history shows the outage."""
        try:
            store = self.store()
            self._record_kept(store)
            return run_job(store, self.config, name)
        except StoreError as exc:
            log.warning("job %s failed: the store is unavailable: %s", name, exc)
            failed = JobRun(
                name,
                datetime.now(UTC).isoformat(),
                0.0,
                Outcome.FAILED,
                error=f"the graph store is unavailable: {exc}",
            )
            with self._lock:
                self.unrecorded.append(failed)
            return failed

    def _record_kept(self, store: GraphStore) -> None:
        with self._lock:
            kept, self.unrecorded = self.unrecorded, []
        for index, run in enumerate(kept):
            try:
                record_job_run(store, self.config, run)
            except StoreError:
                with self._lock:
                    self.unrecorded[:0] = kept[index:]
                raise

    def shutdown(self, *, wait: bool = True) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
