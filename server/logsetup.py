"""The server's logs: one line per record whatever text it carries, and no flood.

Text from the network (device names, titles) and from operators can hold line breaks and
terminal escapes. Every message is escaped before it is written, so nobody can forge a log line
or repaint an operator's terminal; tracebacks keep their lines. A message repeated faster than
``burst`` times per ``window`` seconds is counted instead of written, and the count is logged
when it quiets down, so a hostile client cannot rotate the log away.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import time
from pathlib import Path

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Control characters as visible escapes (``\\n``, ``\\x1b``), the rest unchanged."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class EscapingFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.getMessage())
        return super().formatMessage(record)


class RepeatFilter(logging.Filter):
    """Lets through at most ``burst`` records of one message template per ``window`` seconds."""

    def __init__(self, burst: int = 20, window: float = 60.0) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self._seen: dict[tuple[str, str], tuple[float, int, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        start, count, dropped = self._seen.get(key, (now, 0, 0))
        if now - start > self.window:
            if dropped:
                record.msg = f"{record.msg} (and {dropped} more like it in the last minute)"
            start, count, dropped = now, 0, 0
        count += 1
        if count > self.burst:
            self._seen[key] = (start, count, dropped + 1)
            return False
        self._seen[key] = (start, count, dropped)
        if len(self._seen) > 10_000:
            self._seen.clear()
        return True


def setup(logs: Path) -> None:
    """Log to ``logs/server.log`` (rotated: 10 MB, 5 kept) and warnings to stderr."""
    logs.mkdir(exist_ok=True)
    formatter = EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = logging.handlers.RotatingFileHandler(
        logs / "server.log", maxBytes=10_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(formatter)
    handler.addFilter(RepeatFilter())
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(formatter)
    console.addFilter(RepeatFilter())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    root.addHandler(console)
