"""Limits per source address: guessing codes or signatures, and holding connection slots.

A hall LAN host can open many connections. Each address gets a token bucket for failed
attempts (invalid enrollment codes, refused authentications): a burst of ``burst`` failures,
then one more every ``every`` seconds. An address with an empty bucket is refused before any
work is done. Successful attempts cost nothing, so a hall of tablets reconnecting at once is
never slowed. docs/security.md states the numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

#: Sources remembered at most; a full table forgets the addresses that have refilled.
MAX_SOURCES = 10_000


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class FailureThrottle:
    def __init__(
        self, burst: int, every: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.every = every
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, source: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(source)
        if bucket is None:
            return _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) / self.every)
        bucket.stamp = now
        return bucket

    def allowed(self, source: str) -> bool:
        """Whether ``source`` may make another attempt now."""
        return self._bucket(source).tokens >= 1.0

    def failed(self, source: str) -> None:
        """Count a failed attempt of ``source``."""
        bucket = self._bucket(source)
        bucket.tokens = max(0.0, bucket.tokens - 1.0)
        self._buckets[source] = bucket
        if len(self._buckets) > MAX_SOURCES:
            full = [s for s, b in self._buckets.items() if self._bucket(s).tokens >= self.burst]
            for s in full:
                del self._buckets[s]
