"""Slows PIN guessing at the unlock screen: after a few wrong PINs, the device waits.

The count survives restarting the app (it is kept beside the profile), so switching the tablet
off and on does not reset it. It is a brake on someone trying PINs by hand; it cannot stop an
attacker who copies a PIN-sealed vault file off the device and guesses offline — that is what
scrypt's cost and device revocation are for (docs/security.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import msgspec

from app.fileio import atomic_write

FREE_ATTEMPTS = 5
FIRST_WAIT = 30.0
MAX_WAIT = 15 * 60.0


class PinLocked(Exception):
    """Too many wrong PINs: ``seconds`` to wait before the next try."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"too many wrong PINs; try again in {seconds:.0f} s")
        self.seconds = seconds


class _State(msgspec.Struct):
    failures: int = 0
    locked_until: float = 0.0


@dataclass(frozen=True)
class UnlockGuard:
    """Wrong-PIN bookkeeping of one profile folder."""

    home: Path

    @property
    def file(self) -> Path:
        return self.home / "unlock.json"

    def _load(self) -> _State:
        try:
            return msgspec.json.decode(self.file.read_bytes(), type=_State)
        except (FileNotFoundError, msgspec.DecodeError, msgspec.ValidationError):
            return _State()

    def check(self) -> None:
        """Raise :class:`PinLocked` while the device must wait."""
        remaining = self._load().locked_until - time.time()
        if remaining > 0:
            raise PinLocked(remaining)

    def failed(self) -> None:
        """Count a wrong PIN; past the free attempts, each one doubles the wait."""
        state = self._load()
        state.failures += 1
        extra = state.failures - FREE_ATTEMPTS
        if extra >= 0:
            state.locked_until = time.time() + min(MAX_WAIT, FIRST_WAIT * 2**extra)
        atomic_write(self.file, msgspec.json.encode(state))

    def succeeded(self) -> None:
        self.file.unlink(missing_ok=True)
