"""Who may send what: one declaration per request type, and nothing allowed without one.

Each domain module declares, next to the handler of each request type it serves, a
:class:`Policy`: the roles that may send it, whether it is for connections that have not yet
authenticated, and optionally a rule checked inside the unit of work (this device only, members
of the meeting's groups, eligible voters of the poll…). The dispatcher (server/dispatch.py)
refuses any request type without a declaration, so forgetting one closes a door instead of
opening it. ``docs/security.md`` tabulates the declarations and a test checks the table against
what the running server does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app import protocol as p
from server.errors import ServiceError
from server.store import Caller, Work

#: A rule about one request, checked in its transaction; raises ServiceError to refuse.
Rule = Callable[[Work, Any], None]


@dataclass(frozen=True)
class Policy:
    roles: frozenset[p.Role] = frozenset()
    #: Only before authentication (enrollment, authentication itself).
    anonymous: bool = False
    rule: Rule | None = None

    def admit(self, caller: Caller) -> None:
        """Check the caller's standing; the rule, if any, is checked later in the transaction."""
        if caller.role is None:
            if not self.anonymous:
                raise ServiceError(p.ErrorCode.NOT_AUTHENTICATED, "authenticate first")
            return
        if self.anonymous:
            raise ServiceError(p.ErrorCode.ALREADY_AUTHENTICATED, "already authenticated")
        if caller.role not in self.roles:
            raise ServiceError(p.ErrorCode.FORBIDDEN, "this device's role may not do this")


ANONYMOUS = Policy(anonymous=True)
STAFF = Policy(roles=p.STAFF_ROLES)
#: Any enrolled device, for what concerns the device itself (its keys, what it holds).
ANY_DEVICE = Policy(roles=frozenset(p.ROLES))


def staff_and(rule: Rule) -> Policy:
    """Staff only, and only where ``rule`` holds."""
    return Policy(roles=p.STAFF_ROLES, rule=rule)
