"""The room's capabilities, one module each, with their handlers, policies and rules.

Importing this package registers every request route (server/dispatch.py). Where things are:

* ``room``      — the room's name, which meeting devices show, the snapshot's room part
* ``meetings``  — meetings, who may see them (groups), importing a meeting file
* ``agenda``    — agenda items, their tree and order, the current item
* ``documents`` — documents of agenda items: readers, versions, keys, what devices hold
* ``roster``    — delegates and their groups, the roster import
* ``devices``   — enrollment codes, enrollment, authentication, revocation
* ``attendance`` — who is at a meeting: check-in, by hand, excused
* ``polls``     — polls, who may vote, casting (in batches: server/ballots.py), counting
* ``presenting`` — what a meeting's presenter shows, for the readers to follow
* ``annotations`` — each delegate's annotations, sealed, for their other devices
"""

from server.domains import (
    agenda,
    annotations,
    attendance,
    devices,
    documents,
    meetings,
    polls,
    presenting,
    room,
    roster,
)

__all__ = [
    "agenda",
    "annotations",
    "attendance",
    "devices",
    "documents",
    "meetings",
    "polls",
    "presenting",
    "room",
    "roster",
]
