"""When a configured job runs: a five-field cron expression or an interval (``30s``, ``15m``).

Validated when the configuration is read, so a typo is an error with its line, not a job that
never runs. ``trigger()`` gives the APScheduler trigger the scheduler adds the job with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_INTERVAL = re.compile(r"(\d+)\s*(s|m|h|d)", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Schedule:
    text: str
    """As written: ``15m`` or ``*/30 * * * *``."""
    every_seconds: int | None = None
    """Set for an interval; ``None`` for a cron expression."""

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """``ValueError`` with the reason for text that is neither form.

        >>> Schedule.parse("15m").every_seconds
        900
        >>> Schedule.parse("*/30 * * * *").every_seconds is None
        True
        """
        text = text.strip()
        interval = _INTERVAL.fullmatch(text)
        if interval:
            seconds = int(interval.group(1)) * _UNIT_SECONDS[interval.group(2).lower()]
            if seconds < 1:
                raise ValueError(f"the interval {text!r} must be at least 1s")
            return cls(text, seconds)
        if len(text.split()) != 5:
            raise ValueError(
                f"{text!r} is neither an interval (30s, 15m, 1h, 1d) nor a five-field cron "
                "expression (minute hour day-of-month month day-of-week)"
            )
        _cron(text)  # raises ValueError naming the bad field
        return cls(text)

    def trigger(self) -> BaseTrigger:
        if self.every_seconds is not None:
            return IntervalTrigger(seconds=self.every_seconds, timezone="UTC")
        return _cron(self.text)


def _cron(text: str) -> CronTrigger:
    try:
        return CronTrigger.from_crontab(text, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"the cron expression {text!r} is not valid: {exc}") from None
