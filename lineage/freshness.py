"""Turn the freshness phrases real documents use into a bound in seconds and a processing mode.

``"Real-time (sub-second)"`` -> 1 s, streaming; ``"Daily aggregation"`` -> 86 400 s, batch;
``"On catalog change"`` -> no bound, event-driven. The original text is always kept; a phrase
that is not understood keeps its text with ``seconds`` unset.

The rules are ordered: an explicit figure with a unit (``< 5 seconds``, ``5s intervals``,
``1-hr``, ``24 hours``) wins over a word (``daily``), and more specific words win over general
ones (``sub-second`` over ``real-time``).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

from lineage.errors import InputError
from lineage.model import Freshness, Mode

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR

_UNITS: dict[str, float] = {
    "ms": 0.001,
    "millisecond": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "min": MINUTE,
    "minute": MINUTE,
    "h": HOUR,
    "hr": HOUR,
    "hour": HOUR,
    "d": DAY,
    "day": DAY,
    "w": 7 * DAY,
    "wk": 7 * DAY,
    "week": 7 * DAY,
}

_FIGURE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*"
    r"(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\b",
    re.IGNORECASE,
)

# (pattern, seconds) in order of precedence; None means "understood, but no time bound".
_WORDS: tuple[tuple[str, float | None], ...] = (
    (r"sub-?\s?ms|sub-?\s?millisecond", 0.001),
    (r"sub-?\s?second", 1.0),
    (r"real-?\s?time|realtime|near real-?\s?time", 1.0),
    (r"every second|per second", 1.0),
    (r"every minute|per minute|minutely", MINUTE),
    (r"nightly|daily|every day|per day", DAY),
    (r"hourly|every hour|per hour", HOUR),
    (r"weekly|every week", 7 * DAY),
    (r"monthly|every month", 30 * DAY),
    (r"quarterly|every quarter", 90 * DAY),
    (r"yearly|annual(ly)?", 365 * DAY),
    (r"\bseconds\b", MINUTE),
    (r"\bminutes\b", HOUR),
    (r"\bhours\b", DAY),
    (r"\bstreaming\b|\bstream\b", MINUTE),
    (r"on [\w\s-]*change|event-?\s?driven|on demand|on update", None),
    (r"\bbatch\b", DAY),
)

_VAGUE: dict[str, float] = {
    r"\bseconds\b": 1.0,
    r"\bminutes\b": MINUTE,
    r"\bhours\b": HOUR,
    r"\bstreaming\b|\bstream\b": 1.0,
}
"""Words that name a range rather than a figure, with the fastest the range allows: "seconds"
bounds staleness at a minute but may well deliver in one second."""

_MODE_WORDS: tuple[tuple[Mode, str], ...] = (
    (Mode.STREAMING, r"real-?\s?time|realtime|sub-?\s?second|\bstream(ing)?\b|kafka|flink|kinesis"),
    (Mode.BATCH, r"\bbatch\b|nightly|daily|hourly|weekly|monthly|quarterly|spark|airflow|metaflow"),
    (Mode.EVENT_DRIVEN, r"on [\w\s-]*change|event-?\s?driven|on demand|webhook|triggered"),
)


def parse_freshness(text: str) -> Freshness:
    """Read a freshness phrase.

    >>> parse_freshness("Real-time (5s intervals)").seconds
    5.0
    >>> parse_freshness("Daily aggregation").seconds
    86400.0
    >>> parse_freshness("whenever Bob remembers").seconds is None
    True
    """
    text = text.strip()
    return Freshness(text=text, seconds=_seconds(text))


@functools.lru_cache(maxsize=4096)
def fastest_seconds(text: str) -> float | None:
    """The quickest cadence a phrase promises, for judging what a path can deliver: its
    figure when it gives one, the low end of a range word ("seconds": 1 s), else its bound.

    >>> fastest_seconds("seconds"), parse_freshness("seconds").seconds
    (1.0, 60.0)
    >>> fastest_seconds("5 seconds"), fastest_seconds("daily")
    (5.0, 86400.0)
    """
    if _FIGURE.search(text):
        return _seconds(text)
    word = _deciding_word(text)
    if word is None:
        return None
    pattern, bound = word
    return _VAGUE.get(pattern, bound)


@functools.lru_cache(maxsize=4096)
def infer_mode(text: str) -> Mode:
    """The processing mode a phrase implies: several different modes make it hybrid.

    >>> infer_mode("Streaming (Flink)")
    <Mode.STREAMING: 'streaming'>
    >>> infer_mode("Batch (Spark) + event-driven")
    <Mode.HYBRID: 'hybrid'>
    """
    if re.search(r"\bhybrid\b", text, re.IGNORECASE):
        return Mode.HYBRID
    found = {mode for mode, pattern in _MODE_WORDS if re.search(pattern, text, re.IGNORECASE)}
    if len(found) > 1:
        return Mode.HYBRID
    return found.pop() if found else Mode.UNKNOWN


@functools.lru_cache(maxsize=4096)
def _seconds(text: str) -> float | None:
    figure = _FIGURE.search(text)
    if figure:
        unit = figure.group(2).lower()
        return float(figure.group(1)) * _unit_seconds(unit)
    word = _deciding_word(text)
    return word[1] if word else None


def _deciding_word(text: str) -> tuple[str, float | None] | None:
    """The first word rule (in order of precedence) the phrase matches."""
    for pattern, seconds in _WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return pattern, seconds
    return None


def _unit_seconds(unit: str) -> float:
    if unit in _UNITS:
        return _UNITS[unit]
    return _UNITS[unit.rstrip("s")]


def describe_seconds(seconds: float | None) -> str:
    """A short human form of a bound or an age: ``5s``, ``1h``, ``1d``, ``1.5h``; ``-`` when
    unset.

    >>> describe_seconds(86400), describe_seconds(3608.9), describe_seconds(0.5)
    ('1d', '1.0h', '0.5s')
    """
    if seconds is None:
        return "-"
    units = (("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", 1.0))
    for unit, size in units:
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    for unit, size in units:  # an age: the largest unit, to a tenth
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:g}s"


def parse_moment(text: str | None, *, option: str) -> datetime | None:
    """A time a user typed (ISO: ``2026-12-02``, ``2026-12-02T10:00:00Z``), in UTC when it
    names no zone; ``None`` for none. ``InputError`` names the ``option`` otherwise."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option} {text!r} is not an ISO date or time (2026-12-02T10:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
