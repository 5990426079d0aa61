"""Devices: one-time enrollment codes, enrollment, authentication and revocation.

A code's secret is stored only as its SHA-256, expires after its lifetime, and is consumed in
the transaction that registers the device. Authentication checks the signature before anything
else and answers an unknown device and a wrong signature alike, so probing device ids teaches
nothing. A revoked device is refused at authentication, and any session it still holds is
refused request by request (server/store.py, ``require_active_device``) and closed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from app import protocol as p
from app.codes import CodeError, b32decode
from server import wire
from server.audience import STAFF, View
from server.db import DelegateRow, DeviceRow, EnrollmentCodeRow
from server.dispatch import declare, route
from server.errors import ServiceError
from server.policy import ANONYMOUS, staff_and
from server.store import Caller, Work

DAY = 24 * 3600.0


@dataclass(frozen=True)
class DeviceInfo:
    """An enrolled device as authentication and fan-out need it."""

    id: int
    role: p.Role
    sign_key: bytes
    revoked: bool
    delegate: p.Delegate | None

    @functools.cached_property
    def view(self) -> View:
        groups = frozenset(self.delegate.groups) if self.delegate else frozenset()
        return View.of(self.role, groups, self.id)

    @functools.cached_property
    def caller(self) -> Caller:
        """Built once per device record (every request of a session asks for it)."""
        return Caller.device(
            self.id,
            self.role,
            self.view.groups,
            self.delegate.id if self.delegate else None,
        )


def _info(d: DeviceRow, delegate: DelegateRow | None) -> DeviceInfo:
    return DeviceInfo(
        d.id,
        wire.role(d.role),
        d.sign_key,
        d.revoked_at is not None,
        wire.delegate(delegate) if delegate else None,
    )


def info(db: DbSession, device_id: int) -> DeviceInfo | None:
    d = db.get(DeviceRow, device_id)
    if d is None:
        return None
    return _info(d, db.get(DelegateRow, d.delegate_id) if d.delegate_id else None)


def all_infos(db: DbSession) -> list[DeviceInfo]:
    """Every device in one query (the server's warm cache)."""
    rows = db.execute(
        select(DeviceRow, DelegateRow).outerjoin(
            DelegateRow, DeviceRow.delegate_id == DelegateRow.id
        )
    )
    return [_info(row[0], row[1]) for row in rows]


def listing(db: DbSession) -> list[tuple[DeviceRow, str | None]]:
    """Every enrolled device with its delegate's number, for the operator's list."""
    rows = db.execute(
        select(DeviceRow, DelegateRow.number)
        .outerjoin(DelegateRow, DeviceRow.delegate_id == DelegateRow.id)
        .order_by(DeviceRow.id)
    )
    return [(row[0], row[1]) for row in rows]


# ---------------------------------------------------------------------- codes


def issue(
    work: Work,
    role: p.Role,
    secrets: Sequence[tuple[str | None, bytes]],
    lifetime_days: float,
) -> None:
    """Store one-time codes: ``(delegate number or None, secret)`` each, valid for
    ``lifetime_days``. A delegate's earlier unused codes stop working."""
    db = work.db
    now = time.time()
    for number, secret in secrets:
        delegate_id = None
        if role == "delegate":
            if number is None:
                raise ServiceError(p.ErrorCode.INVALID_ARGUMENT, "a delegate code needs a number")
            delegate_id = db.scalar(select(DelegateRow.id).where(DelegateRow.number == number))
            if delegate_id is None:
                raise ServiceError(
                    p.ErrorCode.NOT_FOUND,
                    f"no delegate numbered '{number}'; import the roster first",
                )
            db.execute(
                update(EnrollmentCodeRow)
                .where(
                    EnrollmentCodeRow.delegate_id == delegate_id,
                    EnrollmentCodeRow.used_at.is_(None),
                )
                .values(used_at=now)
            )
        db.add(
            EnrollmentCodeRow(
                secret_hash=hashlib.sha256(secret).digest(),
                role=role,
                delegate_id=delegate_id,
                created_at=now,
                expires_at=now + lifetime_days * DAY,
            )
        )
        work.emit(p.CodeIssued(role=role, delegate_number=number), STAFF)


@route(p.Enroll, ANONYMOUS)
def enroll(work: Work, req: p.Enroll) -> p.Enrolled:
    """Consume a one-time code and register the device's public keys."""
    try:
        secret = b32decode(req.secret, 10)
        sign_key = base64.b64decode(req.sign_key, validate=True)
        kx_key = base64.b64decode(req.kx_key, validate=True)
    except (CodeError, ValueError):
        raise ServiceError(p.ErrorCode.BAD_MESSAGE, "malformed code or key") from None
    if len(sign_key) != 32 or len(kx_key) != 32:
        raise ServiceError(p.ErrorCode.BAD_MESSAGE, "device keys must be 32 bytes")
    db = work.db
    now = time.time()
    code = db.scalar(
        select(EnrollmentCodeRow).where(
            EnrollmentCodeRow.secret_hash == hashlib.sha256(secret).digest()
        )
    )
    expired = code is not None and code.expires_at is not None and code.expires_at < now
    if code is None or code.used_at is not None or expired:
        raise ServiceError(
            p.ErrorCode.INVALID_CODE,
            "this enrollment code is unknown, expired or was already used; ask the "
            "secretariat for a new one",
        )
    device = DeviceRow(
        role=code.role,
        delegate_id=code.delegate_id,
        name=req.device_name,
        sign_key=sign_key,
        kx_key=kx_key,
        enrolled_at=now,
    )
    db.add(device)
    db.flush()
    code.used_at = now
    code.device_id = device.id
    delegate = db.get(DelegateRow, code.delegate_id) if code.delegate_id else None
    role = wire.role(code.role)
    work.emit(
        p.DeviceEnrolled(
            device_id=device.id, role=role, delegate_number=delegate.number if delegate else None
        ),
        STAFF,
    )
    return p.Enrolled(
        id=req.id,
        device_id=device.id,
        role=role,
        delegate=wire.delegate(delegate) if delegate else None,
    )


# ---------------------------------------------------------------------- authentication

# Authentication writes nothing: the session layer (server/session.py, server/transport.py)
# answers it with authenticate() against the server's device cache.
declare(p.Auth, ANONYMOUS)


def authenticate(
    device: DeviceInfo | None, req: p.Auth, room_id: bytes, challenge: bytes
) -> DeviceInfo:
    """The device that signed the challenge, or a refusal that says nothing about device ids:
    no such device and a wrong signature get the same answer; only a device that proved it
    holds its key learns that it was revoked."""
    try:
        if device is None:
            raise InvalidSignature
        signature = base64.b64decode(req.signature, validate=True)
        Ed25519PublicKey.from_public_bytes(device.sign_key).verify(
            signature, p.AUTH_CONTEXT + room_id + challenge
        )
    except (InvalidSignature, ValueError):
        raise ServiceError(
            p.ErrorCode.UNKNOWN_DEVICE, "this device is not enrolled in this room"
        ) from None
    if device.revoked:
        raise ServiceError(p.ErrorCode.DEVICE_REVOKED, "this device was revoked")
    return device


# ---------------------------------------------------------------------- revocation


def revoke(work: Work, device_id: int) -> None:
    """The device can no longer authenticate; a running server closes its sessions at once."""
    device = work.db.get(DeviceRow, device_id)
    if device is None:
        raise ServiceError(p.ErrorCode.NOT_FOUND, f"no device with id {device_id}")
    if device.revoked_at is not None:
        raise ServiceError(p.ErrorCode.CONFLICT, f"device {device_id} is already revoked")
    device.revoked_at = time.time()
    work.emit(p.DeviceRevoked(device_id=device_id), STAFF)


def _not_own_device(work: Work, req: p.DeviceRevoke) -> None:
    if req.device_id == work.caller.device_id:
        raise ServiceError(
            p.ErrorCode.FORBIDDEN, "a device cannot revoke itself; use another staff device"
        )


@route(p.DeviceRevoke, staff_and(_not_own_device))
def revoke_request(work: Work, req: p.DeviceRevoke) -> p.Ok:
    revoke(work, req.device_id)
    return p.Ok(id=req.id)
