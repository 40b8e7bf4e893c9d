"""Python's cyclic garbage collector, paused while a use case builds a large answer.

An answer of 200,000 nodes with their paths, or an import of a million edges, allocates
millions of objects that all stay alive until the answer is returned. Each allocation burst
triggers a collection that scans them and frees nothing: a quarter of the time of such an
answer, measured. Reference counting still frees everything as usual; the collector runs
again (and catches up) when the last paused use case ends. Pauses nest and may overlap
across threads: the collector resumes when none is running.

The switch is process-wide, so in the service one request's pause also stops the collector
for every other request, in the event loop and the other worker threads. Under steady load
the pauses of concurrent requests overlap without end and the collector never ran: the
reference cycles that parsing, validating and executing each GraphQL request leave (about a
quarter of a megabyte each) piled up at 20 MB a second, and the server's memory grew for
as long as the load lasted. So when a thread starts or ends its pause while another
thread's keeps the collector off, and it has been off for :data:`MAX_PAUSE` seconds, the
young generations are collected then (what is garbage is freed; what is alive is scanned
once and moves to the oldest generation, so a bulk answer is not scanned over and over).
The pauses of one thread alone, nested or one long use case, never collect.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

MAX_PAUSE = 1.0
"""Seconds the collector stays off at most while pauses of several threads overlap."""

_lock = threading.Lock()
_running = 0
_was_enabled = False
_collected_at = 0.0
"""When the collector was paused, or last caught up during a pause (``time.monotonic``)."""
_depth = threading.local()
"""How many pauses the current thread is inside (``_depth.count``)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    global _running, _was_enabled, _collected_at
    outermost = getattr(_depth, "count", 0) == 0
    _depth.count = getattr(_depth, "count", 0) + 1
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
            _collected_at = time.monotonic()
        _running += 1
    try:
        if outermost:
            _catch_up()
        yield
    finally:
        _depth.count -= 1
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()
        if outermost:
            _catch_up()


def _catch_up() -> None:
    """Collect the young generations when another thread's pause has kept the collector off
    for :data:`MAX_PAUSE` seconds; outside the lock, since a finalizer may pause again."""
    global _collected_at
    with _lock:
        now = time.monotonic()
        due = _running > _depth.count and _was_enabled and now - _collected_at >= MAX_PAUSE
        if due:
            _collected_at = now
    if due:
        gc.collect(1)


def pauses_collector(use_case: Callable[P, R]) -> Callable[P, R]:
    """``use_case`` with the collector paused while it runs."""

    @functools.wraps(use_case)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return use_case(*args, **kwargs)

    return paused
