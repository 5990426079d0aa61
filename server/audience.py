"""Who an event is for, and who a connected device is: the one rule of what reaches whom.

Every entry of the event log carries an :class:`Audience`, chosen by the domain module that
emitted it: everyone, staff, the members of some groups (staff included) — optionally only those
of them also in some other groups (a document for the finance group within a committee's
meeting) — or one device. A
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
    #: "groups" only: members must also belong to one of these (empty: no further condition).
    within: frozenset[str] = frozenset()

    def admits(self, view: View) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "staff":
            return view.staff
        if self.kind == "groups":
            return view.staff or (
                not self.groups.isdisjoint(view.groups)
                and (not self.within or not self.within.isdisjoint(view.groups))
            )
        return view.device_id == self.device_id

    def encode(self) -> str:
        """The form stored in the log (and covered by its hash chain)."""
        if self.kind == "groups":
            names: list[str] | list[list[str]] = sorted(self.groups)
            if self.within:  # [[groups…], [within…]]
                names = [sorted(self.groups), sorted(self.within)]
            return "groups:" + json.dumps(names, ensure_ascii=False)
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
            if _is_names(names):
                return cls("groups", frozenset(names))
            if isinstance(names, list) and len(names) == 2 and all(map(_is_names, names)):
                return cls("groups", frozenset(names[0]), within=frozenset(names[1]))
        if head == "device" and rest.isdigit():
            return cls("device", device_id=int(rest))
        raise ValueError(f"unknown audience in the log: {text!r}")


def _is_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(n, str) for n in value)


ALL = Audience("all")
STAFF = Audience("staff")


def members_of(groups: frozenset[str] | set[str] | list[str]) -> Audience:
    """The members of any of ``groups`` (and staff); no groups means everyone."""
    names = frozenset(groups)
    return Audience("groups", names) if names else ALL


def members_within(groups: list[str], outer: list[str]) -> Audience:
    """The members of any of ``groups`` who are also members of one of ``outer`` (a document's
    groups within its meeting's); either list empty means no condition from it."""
    if not groups or not outer:
        return members_of(groups or outer)
    return Audience("groups", frozenset(groups), within=frozenset(outer))


def device(device_id: int) -> Audience:
    return Audience("device", device_id=device_id)
