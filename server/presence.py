"""Who is connected right now, for the secretariat: devices per role and delegates online.

Ephemeral (never logged), sent to staff devices at most twice a second. Delegates online travel
as a bitmap over delegate ids, so the message stays small for any roster (20,000 delegates:
2.5 KB) and the console can list who is missing.
"""

from __future__ import annotations

import collections

from app import protocol as p


class Presence:
    def __init__(self) -> None:
        self._roles: collections.Counter[p.Role] = collections.Counter()
        self._delegates: collections.Counter[int] = collections.Counter()

    def joined(self, role: p.Role, delegate_id: int | None) -> None:
        self._roles[role] += 1
        if delegate_id is not None:
            self._delegates[delegate_id] += 1

    def left(self, role: p.Role, delegate_id: int | None) -> None:
        self._roles[role] -= 1
        if delegate_id is not None:
            self._delegates[delegate_id] -= 1
            if self._delegates[delegate_id] <= 0:
                del self._delegates[delegate_id]

    def message(self) -> p.Presence:
        bits = bytearray((max(self._delegates, default=0) >> 3) + 1 if self._delegates else 0)
        for delegate_id in self._delegates:
            bits[delegate_id >> 3] |= 1 << (delegate_id & 7)
        return p.Presence(
            connected={role: max(0, self._roles[role]) for role in p.ROLES},
            delegates_online=bytes(bits),
        )
