"""Who an event is for, and who a connected device is: the one rule of what reaches whom.

Every entry of the event log carries an :class:`Audience`, chosen by the domain module that
emitted it: everyone, staff, the members of some groups (staff included), or one device. A
connected device is described by its :class:`View`. Live fan-out, replay after a reconnect and
snapshots all ask :meth:`Audience.admits`, so an event for group G cannot reach a device outside
G by any of the three paths. Clients never see audiences: the server simply does not send them
what they may not have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from app.protocol import STAFF_ROLES, Role

Kind = Literal["all", "staff", "groups", "device"]


@dataclass(frozen=True)
class View:
    """What one connected device may see: staff see every group, never another device's."""

    staff: bool
    groups: frozenset[str]
    device_id: int

    @classmethod
    def of(cls, role: Role, groups: frozenset[str], device_id: int) -> View:
        return cls(role in STAFF_ROLES, groups, device_id)

    @property
    def key(self) -> tuple[bool, frozenset[str]]:
        """Devices with equal keys see the same shared state (one cached snapshot per key)."""
        return (self.staff, frozenset() if self.staff else self.groups)


@dataclass(frozen=True)
class Audience:
    kind: Kind
    groups: frozenset[str] = frozenset()
    device_id: int = 0

    def admits(self, view: View) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "staff":
            return view.staff
        if self.kind == "groups":
            return view.staff or not self.groups.isdisjoint(view.groups)
        return view.device_id == self.device_id

    def encode(self) -> str:
        """The form stored in the log (and covered by its hash chain)."""
        if self.kind == "groups":
            return "groups:" + json.dumps(sorted(self.groups), ensure_ascii=False)
        if self.kind == "device":
            return f"device:{self.device_id}"
        return self.kind

    @classmethod
    def decode(cls, text: str) -> Audience:
        if text in ("all", "staff"):
            return cls(text)  # type: ignore[arg-type]
        head, _, rest = text.partition(":")
        if head == "groups":
            names = json.loads(rest)
            if isinstance(names, list) and all(isinstance(n, str) for n in names):
                return cls("groups", frozenset(names))
        if head == "device" and rest.isdigit():
            return cls("device", device_id=int(rest))
        raise ValueError(f"unknown audience in the log: {text!r}")


ALL = Audience("all")
STAFF = Audience("staff")


def members_of(groups: frozenset[str] | set[str] | list[str]) -> Audience:
    """The members of any of ``groups`` (and staff); no groups means everyone."""
    names = frozenset(groups)
    return Audience("groups", names) if names else ALL


def device(device_id: int) -> Audience:
    return Audience("device", device_id=device_id)
