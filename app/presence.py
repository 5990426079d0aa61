"""Who is in the room, read from the server's presence message: the rules the console's count
and its list of delegates share.

``Presence.delegates_online`` is a bitmap over delegate ids: delegate ``id`` is online when bit
``id & 7`` (least significant first) of byte ``id >> 3`` is set. A delegate counts once however
many devices they have connected, and only delegates of the roster count towards "connected N
of M", so N never exceeds M and the list's filters add up to the numbers shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from app.protocol import Delegate, Presence

#: The set bits of every byte value, so decoding costs one lookup per non-zero byte.
_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)
)


def online_ids(presence: Presence) -> frozenset[int]:
    """The ids of the delegates online according to ``presence``."""
    return frozenset(
        index << 3 | bit
        for index, value in enumerate(presence.delegates_online)
        if value
        for bit in _BITS[value]
    )


def connected_count(online: Set[int], delegates: Mapping[int, Delegate]) -> int:
    """How many delegates of the roster are online (every online id if the roster's delegates
    are not known on this device)."""
    if not delegates:
        return len(online)
    return sum(1 for delegate_id in online if delegate_id in delegates)


@dataclass(frozen=True)
class DelegationCount:
    """One delegation's attendance: how many of its delegates are online, of how many."""

    delegation: str  # "" for delegates without one
    online: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.online


def delegation_counts(delegates: Iterable[Delegate], online: Set[int]) -> list[DelegationCount]:
    """Attendance per delegation, in the order each delegation first appears in ``delegates``
    (views sort the names in their language's alphabetical order)."""
    totals: dict[str, list[int]] = {}
    for delegate in delegates:
        counts = totals.setdefault(delegate.delegation, [0, 0])
        counts[1] += 1
        if delegate.id in online:
            counts[0] += 1
    return [DelegationCount(name, online_n, total) for name, (online_n, total) in totals.items()]
