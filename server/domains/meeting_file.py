"""The meeting file (``hemicycle-server meeting import``): a meeting and its agenda tree in JSON,
checked against the protocol's own field limits and imported in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import msgspec

from app import protocol as p
from server.domains import agenda, meetings
from server.store import Work

#: A meeting file nests two levels per agenda level, plus the meeting itself.
MAX_FILE_DEPTH = 2 * p.MAX_AGENDA_DEPTH + 2


class ItemPlan(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One agenda item of a meeting file (``meeting import``), with its sub-items."""

    title: p.Title
    number: p.Label | None = None
    description: p.Text = ""
    planned_start: p.Clock | None = None
    planned_minutes: p.Minutes | None = None
    items: list[ItemPlan] = []


class MeetingPlan(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A meeting file: title, date, groups and the agenda tree
    (``resources/sample/meeting.json``)."""

    title: p.Title
    starts_on: p.Date | None = None
    groups: p.Groups = []
    items: Annotated[list[ItemPlan], msgspec.Meta(max_length=2000)] = []


def parse(data: bytes) -> MeetingPlan:
    """Decode and check a meeting file; raises ValueError saying what is wrong and where."""
    try:
        p.check_depth(data, MAX_FILE_DEPTH)
        plan = msgspec.json.decode(data, type=MeetingPlan)
    except p.ProtocolError as exc:
        raise ValueError(
            f"the agenda is too deep ({exc.message}); at most {p.MAX_AGENDA_DEPTH} levels"
        ) from None
    except msgspec.ValidationError as exc:
        raise ValueError(p.explain(exc)) from None
    except msgspec.DecodeError as exc:
        raise ValueError(f"not a JSON file: {exc}") from None
    depth = _depth(plan.items)
    if depth > p.MAX_AGENDA_DEPTH:
        raise ValueError(
            f"the agenda is {depth} levels deep; at most {p.MAX_AGENDA_DEPTH} are allowed"
        )
    return plan


def _depth(items: list[ItemPlan]) -> int:
    deepest = 0
    stack = [(it, 1) for it in items]
    while stack:
        it, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((sub, level + 1) for sub in it.items)
    return deepest


def import_plan(work: Work, plan: MeetingPlan) -> tuple[int, int]:
    """A meeting with its whole agenda in one transaction: all of it or none of it.
    Returns (meeting id, number of agenda items)."""
    m = meetings.new(work, plan.title, plan.starts_on, plan.groups)
    changes = agenda.Changes()
    # Depth first, iteratively: items get ids in the order a printed agenda reads.
    stack: list[tuple[Iterator[ItemPlan], int | None]] = [(iter(plan.items), None)]
    while stack:
        items, parent = stack[-1]
        it = next(items, None)
        if it is None:
            stack.pop()
            continue
        row = agenda.insert(
            work,
            p.AgendaAdd(
                id=0,
                meeting_id=m.id,
                parent_id=parent,
                number=it.number,
                title=it.title,
                description=it.description,
                planned_start=it.planned_start,
                planned_minutes=it.planned_minutes,
            ),
            changes,
        )
        if it.items:
            stack.append((iter(it.items), row.id))
    agenda.announce(work, m, changes)
    return m.id, len(changes.items)
