"""The readiness board's arithmetic: which delegates hold a meeting's documents, per delegation.

The room answers ``readiness.get`` per device (what each holds of what it may read); the
secretariat asks per delegate: is this person ready — does one of their devices hold all of
it? — and per delegation: how many are not. Qt-free, so the console's panel only draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app import protocol as p

#: ``ready``: a device holds everything; ``partial``: some; ``nothing``: devices, none holding
#: any of it yet; ``no_device``: no device enrolled.
State = Literal["ready", "partial", "nothing", "no_device"]


@dataclass(frozen=True)
class DelegateReadiness:
    delegate: p.Delegate
    devices: tuple[p.DeviceReadiness, ...]

    @property
    def best(self) -> p.DeviceReadiness | None:
        """The device closest to holding everything."""
        return max(self.devices, key=_fraction, default=None)

    @property
    def state(self) -> State:
        best = self.best
        if best is None:
            return "no_device"
        if best.held >= best.total:
            return "ready"
        return "partial" if best.held else "nothing"

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def last_report(self) -> float | None:
        times = [d.reported_at for d in self.devices if d.reported_at is not None]
        return max(times, default=None)


@dataclass(frozen=True)
class DelegationReadiness:
    delegation: str
    ready: int
    total: int

    @property
    def not_ready(self) -> int:
        return self.total - self.ready


def _fraction(d: p.DeviceReadiness) -> float:
    return 1.0 if d.total == 0 else d.held / d.total


def by_delegate(
    delegates: Iterable[p.Delegate], devices: Iterable[p.DeviceReadiness]
) -> list[DelegateReadiness]:
    """Every delegate with the devices the room reported for them (none: no device)."""
    mine: dict[int, list[p.DeviceReadiness]] = {}
    for d in devices:
        if d.delegate_id is not None:
            mine.setdefault(d.delegate_id, []).append(d)
    return [DelegateReadiness(dlg, tuple(mine.get(dlg.id, ()))) for dlg in delegates]


def delegation_counts(rows: Iterable[DelegateReadiness]) -> list[DelegationReadiness]:
    """Ready delegates of each delegation; those with the most delegates not ready first (the
    ones the secretariat calls), then by name."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        entry = counts.setdefault(row.delegate.delegation, [0, 0])
        entry[0] += row.ready
        entry[1] += 1
    out = [DelegationReadiness(name, ready, total) for name, (ready, total) in counts.items()]
    return sorted(out, key=lambda c: (-c.not_ready, c.delegation))
