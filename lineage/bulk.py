"""Python's cyclic garbage collector, paused while a use case builds a large answer.

An answer of 200,000 nodes with their paths, or an import of a million edges, allocates
millions of objects that all stay alive until the answer is returned. Each allocation burst
triggers a collection that scans them and frees nothing: a quarter of the time of such an
answer, measured. Reference counting still frees everything as usual; the collector runs
again (and catches up) when the last paused use case ends. Pauses nest and may overlap
across threads: the collector resumes when none is running.

The switch is process-wide, which suits a process doing one thing (a CLI command), not a
server: there one request's pause stops the collector for every other request too, and
under steady load the pauses of concurrent requests overlapped without end. The reference
cycles each GraphQL request leaves (about a quarter of a megabyte: graphql-core's parsed
document and visitors, futures, loaders) then piled up, and the server's memory grew for as
long as the load lasted (to 980 MB in a 60 s load test). So the service runs its requests'
store work inside :func:`pauses_skipped`, where a pause does nothing: their answers are
bounded (500 nodes by default), too small for the pause to matter.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_running = 0
_was_enabled = False
_skipping = threading.local()
"""Whether the current thread is inside :func:`pauses_skipped` (``_skipping.on``)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    global _running, _was_enabled
    if getattr(_skipping, "on", False):
        yield
        return
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()


@contextmanager
def pauses_skipped() -> Iterator[None]:
    """Within the block, the current thread's pauses leave the collector as it is."""
    before = getattr(_skipping, "on", False)
    _skipping.on = True
    try:
        yield
    finally:
        _skipping.on = before


def freeze_start_up_objects() -> None:
    """Move what the process holds now (modules, classes, the GraphQL schema) out of the
    collector's reach, after collecting what is garbage already: a server calls this once
    its app is built, so a full collection later scans only what requests made. Under the
    load test's load a full collection ran about once a second and held the event loop (and
    ``/healthz``) 100 ms; 40 ms once the 90,000 start-up objects were frozen."""
    gc.collect()
    gc.freeze()


def pauses_collector(use_case: Callable[P, R]) -> Callable[P, R]:
    """``use_case`` with the collector paused while it runs."""

    @functools.wraps(use_case)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return use_case(*args, **kwargs)

    return paused
