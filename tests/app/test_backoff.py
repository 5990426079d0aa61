"""Reconnection timing: a hall of tablets must neither stampede nor wait long."""

from __future__ import annotations

from app.client import Backoff


def test_backoff_is_jittered_quick_at_first_and_bounded() -> None:
    b = Backoff()
    delays = [b.next_delay() for _ in range(12)]
    assert all(0 <= d <= 2.0 for d in delays)  # early in an outage: never more than 2 s
    assert len(set(delays)) == len(delays)  # jittered, not in lockstep
    b.since = b.since - 60 if b.since is not None else None  # the outage is a minute old
    late = [b.next_delay() for _ in range(50)]
    assert max(late) <= 30.0 and max(late) > 2.0
    b.reset()
    assert b.attempt == 0 and b.next_delay() <= 0.25
