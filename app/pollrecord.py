"""A closed poll's record as the room signs it: what anyone holding it can check.

The room signs, with its room key (the one a device pinned at enrollment), the poll's rules, its
result and the SHA-256 of its ballot list — for a secret poll the published list of
(receipt, marks, weight) in receipt order, for a named one the list of (delegate, marks, manual)
in delegate order. So a delegate's app can check its own receipt is in the list with its choice,
``hemicycle-server poll verify`` can recount the list and check the signature, and anyone with
the list can recount it. The bytes signed are stated here once (docs/protocol.md §12).
"""

from __future__ import annotations

import hashlib

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app import protocol as p

_CONTEXT = b"hemicycle-poll-result-v1\x00"


class _Signed(msgspec.Struct, array_like=True, frozen=True):
    poll_id: int
    meeting_id: int
    title: str
    spec: p.PollSpec
    result: p.PollResult
    ballots_hash: bytes


def secret_list_hash(ballots: list[p.SecretBallot]) -> bytes:
    """SHA-256 of a secret poll's ballot list, in receipt order (any order given is sorted)."""
    ordered = sorted(ballots, key=lambda b: b.receipt)
    return hashlib.sha256(msgspec.msgpack.encode(ordered)).digest()


def named_list_hash(votes: list[p.NamedVote]) -> bytes:
    """SHA-256 of a named poll's votes, in delegate order."""
    ordered = sorted(votes, key=lambda v: v.delegate_id)
    return hashlib.sha256(msgspec.msgpack.encode(ordered)).digest()


def signed_bytes(poll: p.Poll, result: p.PollResult, ballots_hash: bytes) -> bytes:
    """What the room's signature covers."""
    body = _Signed(poll.id, poll.meeting_id, poll.title, poll.spec, result, ballots_hash)
    return _CONTEXT + msgspec.msgpack.encode(body)


def signature_holds(poll: p.Poll, room_public_key: bytes) -> bool:
    """Whether a closed poll's result and ballot hash carry the room's signature."""
    if poll.result is None or not poll.signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(room_public_key).verify(
            poll.signature, signed_bytes(poll, poll.result, poll.ballots_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
