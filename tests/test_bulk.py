import gc
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lineage.bulk import (
    collector_paused,
    freeze_start_up_objects,
    pauses_collector,
    pauses_skipped,
)


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


@contextmanager
def _paused_in_another_thread() -> Iterator[None]:
    """Another thread inside a pause for the length of the block."""
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join(5)


def test_a_pause_overlapping_another_threads_keeps_the_collector_paused_until_both_end() -> None:
    with _paused_in_another_thread():
        with collector_paused():
            pass
        assert not gc.isenabled()  # the other thread's pause is still running
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


def test_pauses_inside_pauses_skipped_leave_the_collector_running() -> None:
    with pauses_skipped():
        with collector_paused():
            assert gc.isenabled()
            garbage = _dropped_cycle()
            gc.collect()
            assert garbage() is None
        with pauses_skipped():
            pass
        with collector_paused():  # still skipping after a nested block ended
            assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_skipping_pauses_is_for_the_current_thread_only() -> None:
    with pauses_skipped(), _paused_in_another_thread():
        assert not gc.isenabled()  # the other thread pauses as before
    assert gc.isenabled()


def test_objects_held_at_start_up_are_frozen_and_garbage_is_not() -> None:
    garbage = _dropped_cycle()
    held = _Cyclic()
    try:
        freeze_start_up_objects()
        assert garbage() is None  # collected before the freeze
        assert gc.get_freeze_count() > 0
        assert not any(found is held for found in gc.get_objects())  # out of reach
    finally:
        gc.unfreeze()
    assert any(found is held for found in gc.get_objects())
