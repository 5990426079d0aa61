"""A closed poll's record as the room signs it: what anyone holding it can check.

The room signs, with its room key (the one a device pinned at enrollment), the poll's rules, its
result, the paper count it includes if any, and the SHA-256 of its ballot list — for a secret
poll the published list of (receipt, marks, weight) in receipt order, for a named one the list
of (delegate, marks, manual) in delegate order. So a delegate's app can check its own receipt is
in the list with its choice, ``hemicycle-server poll verify`` can recount the list and check the
signature, and anyone with the list can recount it. The bytes signed are stated here once
(docs/protocol.md §12).
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


class _SignedWithPaper(_Signed, array_like=True, frozen=True):
    """A poll whose result includes a paper count signs it too, after the rest. A poll without
    one signs :class:`_Signed`, the bytes signed before paper counts existed, so the results
    of older rooms still verify (msgspec's ``omit_defaults`` does not shorten an array)."""

    paper: p.PaperCount


def secret_list_hash(ballots: list[p.SecretBallot]) -> bytes:
    """SHA-256 of a secret poll's ballot list, in receipt order (any order given is sorted)."""
    ordered = sorted(ballots, key=lambda b: b.receipt)
    return hashlib.sha256(msgspec.msgpack.encode(ordered)).digest()


def named_list_hash(votes: list[p.NamedVote]) -> bytes:
    """SHA-256 of a named poll's votes, in delegate order: each ``[delegate_id, marks,
    manual]``, with the proxy holder who cast it as a fourth element when one did (so a list
    without proxies hashes as it did before they were recorded)."""
    ordered = sorted(votes, key=lambda v: v.delegate_id)
    entries = [
        (v.delegate_id, v.marks, v.manual)
        if v.by is None
        else (v.delegate_id, v.marks, v.manual, v.by)
        for v in ordered
    ]
    return hashlib.sha256(msgspec.msgpack.encode(entries)).digest()


def signed_bytes(poll: p.Poll, result: p.PollResult, ballots_hash: bytes) -> bytes:
    """What the room's signature covers."""
    fields = (poll.id, poll.meeting_id, poll.title, poll.spec, result, ballots_hash)
    body = _Signed(*fields) if poll.paper is None else _SignedWithPaper(*fields, poll.paper)
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
