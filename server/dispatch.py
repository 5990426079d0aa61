"""The request registry: each request type's handler and policy, declared in its domain module.

A domain module registers a handler with ``@route(p.SomeRequest, policy)``; the handler runs as
one unit of work (server/store.py) and returns the typed reply. :func:`execute` is the one path
from a request to a change: policy, then (inside the transaction) the caller's device still
being active and the policy's rule, then the handler. Importing :mod:`server.domains` registers
every route; a request type with no route is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from app import protocol as p
from server.errors import ServiceError
from server.policy import Policy
from server.store import Caller, Outcome, Store, Work

Handler = Callable[[Work, Any], msgspec.Struct]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True)
class Route:
    request: type[p.ClientRequest]
    policy: Policy
    #: ``None`` for requests the session layer answers itself (authentication).
    handler: Handler | None


ROUTES: dict[type[p.ClientRequest], Route] = {}


def declare(request: type[p.ClientRequest], policy: Policy, handler: Handler | None = None) -> None:
    if request in ROUTES:
        raise RuntimeError(f"{request.__name__} is declared twice")
    ROUTES[request] = Route(request, policy, handler)


def route(request: type[p.ClientRequest], policy: Policy) -> Callable[[H], H]:
    """Register the decorated function as the handler of ``request``."""

    def register(fn: H) -> H:
        declare(request, policy, fn)
        return fn

    return register


def route_for(request: p.ClientRequest) -> Route:
    """The declared route of a request; none declared means refused."""
    found = ROUTES.get(type(request))
    if found is None:
        raise ServiceError(p.ErrorCode.FORBIDDEN, f"{p.message_type(request)} is not allowed")
    return found


def execute(store: Store, route: Route, caller: Caller, request: Any) -> Outcome[msgspec.Struct]:
    """Run an admitted request's handler in one transaction (synchronous; the writer thread).

    The reply's ``seq`` is the last log position the change produced, so a client that holds
    events up to it holds the change.
    """
    handler = route.handler
    if handler is None:
        raise ServiceError(p.ErrorCode.BAD_MESSAGE, f"{p.message_type(request)} is not a request")

    def unit(work: Work) -> msgspec.Struct:
        work.require_active_device()
        if route.policy.rule is not None:
            route.policy.rule(work, request)
        return handler(work, request)

    outcome = store.run(unit, caller)
    reply = outcome.result
    if outcome.seq is not None and "seq" in reply.__struct_fields__:
        reply = msgspec.structs.replace(reply, seq=outcome.seq)
    return dataclasses.replace(outcome, result=reply)
