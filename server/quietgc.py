"""The server's full garbage collections, moved to quiet moments.

With 2,000 TLS connections a process holds millions of long-lived objects, and Python's full
(generation 2) collection walks every one of them: ~150 ms on two cores, at whatever moment the
allocation counters say. ``make bench`` caught one in the middle of a poll's close, which then
reached the hall 150 ms late; it falls as readily on an agenda change or a ballot burst.

So the server collects the youngest generations as usual — they are cheap — but takes the full
collection off the automatic schedule and runs it itself once the room has been quiet for a
moment (no request, no event), at most every :data:`MIN_INTERVAL` and at least every
:data:`MAX_INTERVAL`. What the server built before serving (modules, configuration, caches) is
frozen out of the collector's walk altogether (``gc.freeze``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

log = logging.getLogger(__name__)

#: Seconds without a request or an event before a full collection may run.
QUIET = 1.0
#: Full collections are at least this far apart (seconds)...
MIN_INTERVAL = 30.0
#: ...and at most this far, quiet or not, so memory held by cycles stays bounded.
MAX_INTERVAL = 600.0
#: The automatic threshold of the oldest generation, high enough never to be reached.
NEVER = 1_000_000_000


class QuietCollector:
    """Call :meth:`busy` whenever the server does something a hall waits for; :meth:`run`
    collects in the gaps."""

    def __init__(self) -> None:
        self._now = time.monotonic
        self._last_busy = self._now()
        self._last_full = self._now()
        self._before: tuple[int, int, int] | None = None
        self.collections = 0

    def busy(self) -> None:
        self._last_busy = self._now()

    def take_over(self) -> None:
        """Freeze what exists now and stop the automatic full collections."""
        gc.collect()
        gc.freeze()
        self._before = gc.get_threshold()
        young, middle, _old = self._before
        gc.set_threshold(young, middle, NEVER)

    def give_back(self) -> None:
        if self._before is not None:
            gc.set_threshold(*self._before)
            gc.unfreeze()
            self._before = None

    def due(self) -> bool:
        now = self._now()
        since = now - self._last_full
        return since >= MAX_INTERVAL or (since >= MIN_INTERVAL and now - self._last_busy >= QUIET)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(QUIET / 2)
            if self.due():
                started = self._now()
                found = gc.collect()
                self._last_full = self._now()
                self.collections += 1
                log.debug(
                    "full collection: %d objects freed in %.0f ms",
                    found,
                    (self._last_full - started) * 1000,
                )
