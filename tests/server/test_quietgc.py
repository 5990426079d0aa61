"""The server's full collections wait for a quiet moment, and the process's collector is given
back as it was."""

from __future__ import annotations

import gc

from server import quietgc
from server.quietgc import QuietCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def collector(clock: Clock) -> QuietCollector:
    q = QuietCollector()
    q._now = clock  # type: ignore[method-assign]
    q._last_busy = q._last_full = clock.now
    return q


def test_a_full_collection_waits_for_quiet_and_for_its_interval() -> None:
    clock = Clock()
    q = collector(clock)
    clock.now += quietgc.MIN_INTERVAL - 1
    assert not q.due()  # too soon after the last one
    clock.now += 2
    q.busy()
    assert not q.due()  # the room is busy
    clock.now += quietgc.QUIET
    assert q.due()  # quiet, and long enough since the last


def test_a_room_never_quiet_still_collects_now_and_then() -> None:
    clock = Clock()
    q = collector(clock)
    for _ in range(int(quietgc.MAX_INTERVAL)):
        clock.now += 1
        q.busy()
    assert q.due()


def test_taking_over_the_collector_and_giving_it_back() -> None:
    before = gc.get_threshold()
    q = QuietCollector()
    q.take_over()
    try:
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] == quietgc.NEVER
        assert gc.get_freeze_count() > 0
    finally:
        q.give_back()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
