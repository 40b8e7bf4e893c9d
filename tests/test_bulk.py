import gc
import threading
import weakref

import pytest

from lineage import bulk
from lineage.bulk import collector_paused, pauses_collector


class _Cyclic:
    itself: object = None


def _dropped_cycle() -> weakref.ref[_Cyclic]:
    """A reference cycle nobody holds: only the cyclic collector frees it."""
    cycle = _Cyclic()
    cycle.itself = cycle
    return weakref.ref(cycle)


def test_the_collector_resumes_when_the_last_of_nested_pauses_ends() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_overlapping_another_threads_keeps_the_collector_paused_until_both_end() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_failing_use_case_still_resumes_the_collector() -> None:
    @pauses_collector
    def fails() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fails()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_of_several_threads_still_collect_after_max_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pauses of concurrent requests may overlap without end: the garbage of every other
    request must not pile up meanwhile."""
    monkeypatch.setattr(bulk, "MAX_PAUSE", 0.0)
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    try:
        inside.wait(5)
        garbage = _dropped_cycle()
        assert garbage() is not None  # the other thread's pause keeps it
        with collector_paused():
            assert garbage() is None  # caught up as this thread's pause began
        assert not gc.isenabled()
    finally:
        release.set()
        thread.join(5)
    assert gc.isenabled()


def test_the_pauses_of_one_thread_alone_never_collect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "MAX_PAUSE", 0.0)
    with collector_paused():
        garbage = _dropped_cycle()
        with collector_paused():
            pass
        assert garbage() is not None
    gc.collect()
    assert garbage() is None
