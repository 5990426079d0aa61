"""The room's capabilities, one module each, with their handlers, policies and rules.

Importing this package registers every request route (server/dispatch.py). Where things are:

* ``room``      — the room's name, which meeting devices show, the snapshot's room part
* ``meetings``  — meetings, who may see them (groups), importing a meeting file
* ``agenda``    — agenda items, their tree and order, the current item
* ``documents`` — documents of agenda items: readers, versions, keys, what devices hold
* ``roster``    — delegates and their groups, the roster import
* ``devices``   — enrollment codes, enrollment, authentication, revocation
"""

from server.domains import agenda, devices, documents, meetings, room, roster

__all__ = ["agenda", "devices", "documents", "meetings", "room", "roster"]
