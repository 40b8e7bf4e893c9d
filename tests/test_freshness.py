"""Freshness phrases -> a bound in seconds and a processing mode, the text always kept."""

from __future__ import annotations

import pytest

from lineage.freshness import DAY, HOUR, MINUTE, describe_seconds, infer_mode, parse_freshness
from lineage.model import Freshness, Mode

S, E, B, U = Mode.STREAMING, Mode.EVENT_DRIVEN, Mode.BATCH, Mode.UNKNOWN

# The phrases the spec names, as real documents write them: (text, bound in seconds, mode).
SPEC_PHRASES = [
    ("sub-second", 1.0, S),
    ("Real-time (sub-second)", 1.0, S),
    ("real-time", 1.0, S),
    ("Real-time", 1.0, S),
    ("seconds", MINUTE, U),
    ("5s intervals", 5.0, U),
    ("Real-time (5s intervals)", 5.0, S),
    ("< 5 seconds", 5.0, U),
    ("minutes", HOUR, U),
    ("hourly", HOUR, B),
    ("1-hr", HOUR, U),
    ("daily", DAY, B),
    ("Daily aggregation", DAY, B),
    ("24 hours", DAY, U),
    ("nightly", DAY, B),
    ("weekly", 7 * DAY, B),
    ("quarterly", 90 * DAY, B),
    ("on change", None, E),
    ("On catalog change", None, E),
    ("event-driven", None, E),
    ("Event driven", None, E),
    ("streaming", MINUTE, S),
    ("batch", DAY, B),
]


@pytest.mark.parametrize(("text", "seconds", "mode"), SPEC_PHRASES)
def test_spec_phrase_gives_bound_and_mode(text: str, seconds: float | None, mode: Mode) -> None:
    assert parse_freshness(text) == Freshness(text=text, seconds=seconds)
    assert infer_mode(text) is mode


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("every 15 minutes", 15 * MINUTE),
        ("30 mins", 30 * MINUTE),
        ("1-min windows", MINUTE),
        ("2 weeks", 14 * DAY),
        ("3 days", 3 * DAY),
        ("1.5 hours", 1.5 * HOUR),
        ("24h", DAY),
        ("10 secs", 10.0),
        ("100 ms", 0.1),
        ("p99 < 50ms", 0.05),
        ("sub-ms", 0.001),
        ("1-2 hours", 2 * HOUR),
        ("every hour", HOUR),
        ("every minute", MINUTE),
        ("per minute", MINUTE),
        ("every second", 1.0),
        ("monthly", 30 * DAY),
    ],
)
def test_figures_and_period_words(text: str, seconds: float) -> None:
    assert parse_freshness(text).seconds == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Daily, within 2 hours", 2 * HOUR),  # an explicit figure wins over a word
        ("Real-time (5s intervals)", 5.0),
        ("sub-ms real-time", 0.001),  # the more specific word wins
        ("Streaming, hourly compaction", HOUR),
        ("Hourly batch", HOUR),
    ],
)
def test_precedence_between_rules(text: str, seconds: float) -> None:
    assert parse_freshness(text).seconds == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["DAILY", "Daily", "dAiLy"])
def test_words_match_in_any_case(text: str) -> None:
    assert parse_freshness(text).seconds == DAY


@pytest.mark.parametrize("text", ["whenever Bob remembers", "ASAP", "v4.1", "S3 bucket", "TBD", ""])
def test_unknown_phrase_keeps_text_without_bound(text: str) -> None:
    assert parse_freshness(text) == Freshness(text=text, seconds=None)


def test_surrounding_whitespace_is_trimmed_from_the_kept_text() -> None:
    assert parse_freshness("  hourly \n") == Freshness(text="hourly", seconds=HOUR)


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Streaming (Flink)", S),
        ("Batch (Spark) + event-driven", Mode.HYBRID),
        ("Hybrid: streaming and nightly batch", Mode.HYBRID),
        ("Kafka topic", S),
        ("Airflow DAG", B),
        ("webhook", E),
        ("whenever", U),
    ],
)
def test_infer_mode(text: str, mode: Mode) -> None:
    assert infer_mode(text) is mode


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (1.0, "1s"),
        (5.0, "5s"),
        (90.0, "90s"),
        (120.0, "2m"),
        (HOUR, "1h"),
        (DAY, "1d"),
        (7 * DAY, "7d"),
        (0.5, "0.5s"),
    ],
)
def test_describe_seconds(seconds: float | None, text: str) -> None:
    assert describe_seconds(seconds) == text
