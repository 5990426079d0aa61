"""Presence: the bitmap of delegates online, decoded; counts a secretary can add up."""

from __future__ import annotations

from app import protocol as p
from app.presence import DelegationCount, connected_count, delegation_counts, online_ids


def _bitmap(ids: set[int]) -> bytes:
    """Encoded as docs/protocol.md says: bit ``id & 7`` of byte ``id >> 3``."""
    bits = bytearray((max(ids) >> 3) + 1 if ids else 0)
    for i in ids:
        bits[i >> 3] |= 1 << (i & 7)
    return bytes(bits)


def _delegate(i: int, delegation: str = "") -> p.Delegate:
    return p.Delegate(id=i, number=f"{i:04d}", full_name=f"Đại biểu {i}", delegation=delegation)


def test_the_bitmap_decodes_to_the_ids_set_least_significant_bit_first() -> None:
    assert online_ids(p.Presence(connected={})) == frozenset()
    assert online_ids(p.Presence(connected={}, delegates_online=b"\x01")) == {0}
    assert online_ids(p.Presence(connected={}, delegates_online=b"\x80\x00\x03")) == {7, 16, 17}
    ids = {1, 2, 3, 8, 255, 256, 1599, 1600, 19_999}
    assert online_ids(p.Presence(connected={}, delegates_online=_bitmap(ids))) == ids


def test_every_id_of_a_full_roster_round_trips() -> None:
    ids = set(range(1, 20_001, 3))
    assert online_ids(p.Presence(connected={}, delegates_online=_bitmap(ids))) == ids


def test_only_delegates_of_the_roster_count_and_each_once() -> None:
    roster = {i: _delegate(i) for i in range(1, 11)}
    assert connected_count(frozenset({2, 3, 10, 11, 500}), roster) == 3  # 11, 500: not in it
    assert connected_count(frozenset(), roster) == 0
    # a device that does not hold the roster counts every delegate online
    assert connected_count(frozenset({2, 3, 500}), {}) == 3


def test_counts_per_delegation_add_up() -> None:
    delegates = [
        _delegate(1, "Đoàn Hà Nội"),
        _delegate(2, "Đoàn Huế"),
        _delegate(3, "Đoàn Hà Nội"),
        _delegate(4, ""),
        _delegate(5, "Đoàn Hà Nội"),
    ]
    counts = delegation_counts(delegates, frozenset({1, 5, 4, 99}))
    assert counts == [
        DelegationCount("Đoàn Hà Nội", online=2, total=3),
        DelegationCount("Đoàn Huế", online=0, total=1),
        DelegationCount("", online=1, total=1),
    ]
    assert sum(c.total for c in counts) == len(delegates)
