"""The one rule of who receives what, for every kind of audience."""

from __future__ import annotations

from typing import Any

from server import audience
from server.audience import ALL, STAFF, Audience, View
from server.fanout import Hub

MEMBER = View(staff=False, groups=frozenset({"G", "H"}), device_id=1)
OUTSIDER = View(staff=False, groups=frozenset(), device_id=2)
SECRETARY = View(staff=True, groups=frozenset(), device_id=3)


def test_each_audience_admits_exactly_its_devices() -> None:
    cases = {
        ALL: {1, 2, 3},
        STAFF: {3},
        audience.members_of({"G"}): {1, 3},
        audience.members_of({"X"}): {3},
        audience.members_of(set()): {1, 2, 3},  # no groups: everyone
        audience.device(2): {2},  # one device; staff do not see another device's entries
    }
    for aud, admitted in cases.items():
        seen = {v.device_id for v in (MEMBER, OUTSIDER, SECRETARY) if aud.admits(v)}
        assert seen == admitted, aud
        assert Audience.decode(aud.encode()) == aud


def test_the_hub_sends_to_the_same_devices_the_rule_admits() -> None:
    hub = Hub(slow_client_buffer=1 << 20)
    conns: dict[int, Any] = {v.device_id: object() for v in (MEMBER, OUTSIDER, SECRETARY)}
    for view in (MEMBER, OUTSIDER, SECRETARY):
        hub.subscribe(conns[view.device_id], view)
    for aud in (
        ALL,
        STAFF,
        audience.members_of({"G"}),
        audience.members_of({"H", "X"}),
        audience.device(1),
    ):
        expected = {conns[v.device_id] for v in (MEMBER, OUTSIDER, SECRETARY) if aud.admits(v)}
        assert set(hub.recipients(aud)) == expected
    hub.unsubscribe(conns[1])
    assert set(hub.recipients(audience.members_of({"G"}))) == {conns[3]}
    assert set(hub.recipients(audience.device(1))) == set()
