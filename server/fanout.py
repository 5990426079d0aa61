"""Getting logged events to the devices that may have them: live, on resume, as a snapshot.

:class:`Hub` knows every authenticated connection and its :class:`~server.audience.View`. An
event is encoded once and handed to ``websockets.broadcast`` for exactly the connections its
audience admits (the everyone case is one call over one set). The last ``MAX_REPLAY_EVENTS``
entries are kept so a device that reconnects gets the events it missed, filtered by the same
rule; snapshot frames are cached per view, so a hall reconnecting builds each distinct
snapshot once. A connection whose send buffer passes the configured limit is aborted: the
device reconnects and resumes, and server memory stays bounded.
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from websockets.asyncio.server import ServerConnection, broadcast

from app import protocol as p
from server.audience import Audience, View

log = logging.getLogger("hemicycle.server")


@dataclass(frozen=True)
class LogEntry:
    seq: int
    tag: bytes
    audience: Audience
    frame: bytes


class Hub:
    def __init__(self, slow_client_buffer: int) -> None:
        self.slow_client_buffer = slow_client_buffer
        self.views: dict[ServerConnection, View] = {}
        self._all: set[ServerConnection] = set()
        self._staff: set[ServerConnection] = set()
        self._groups: dict[str, set[ServerConnection]] = collections.defaultdict(set)
        self._devices: dict[int, set[ServerConnection]] = collections.defaultdict(set)
        self.recent: collections.deque[LogEntry] = collections.deque(maxlen=p.MAX_REPLAY_EVENTS)
        #: The last seq handed to fan-out; everything up to it has been sent.
        self.sent_seq = 0
        self._sent_tag = b""  # the tag of the entry at sent_seq
        self._before_tag = b""  # the tag of the entry just before the oldest one kept
        #: Non-staff devices cannot be replayed across this seq: who sees what changed there.
        self.access_floor = 0
        self._snapshots: dict[tuple[bool, frozenset[str]], tuple[int, bytes, list[bytes]]] = {}

    # ------------------------------------------------------------------ membership

    def subscribe(self, ws: ServerConnection, view: View) -> None:
        self.unsubscribe(ws)
        self.views[ws] = view
        self._all.add(ws)
        if view.staff:
            self._staff.add(ws)
        for group in view.groups:
            self._groups[group].add(ws)
        self._devices[view.device_id].add(ws)

    def unsubscribe(self, ws: ServerConnection) -> None:
        view = self.views.pop(ws, None)
        if view is None:
            return
        self._all.discard(ws)
        self._staff.discard(ws)
        for group in view.groups:
            members = self._groups.get(group)
            if members is not None:
                members.discard(ws)
                if not members:
                    del self._groups[group]
        connections = self._devices.get(view.device_id)
        if connections is not None:
            connections.discard(ws)
            if not connections:
                del self._devices[view.device_id]

    def staff(self) -> set[ServerConnection]:
        return self._staff

    def recipients(self, audience: Audience) -> Iterable[ServerConnection]:
        if audience.kind == "all":
            return self._all
        if audience.kind == "staff":
            return self._staff
        if audience.kind == "device":
            return self._devices.get(audience.device_id, set())
        found = set(self._staff)
        for group in audience.groups:
            found |= self._groups.get(group, set())
        return found

    # ------------------------------------------------------------------ events

    def publish(self, entry: LogEntry) -> None:
        """Keep an entry for replay and send it to every connection that may have it."""
        if len(self.recent) == self.recent.maxlen:
            self._before_tag = self.recent[0].tag
        self.recent.append(entry)
        self.sent_seq, self._sent_tag = entry.seq, entry.tag
        broadcast(self.recipients(entry.audience), entry.frame, text=True)

    def forget_history(self, seq: int, tag: bytes) -> None:
        """Entries up to ``seq`` can no longer be replayed (one could not be sent): devices
        further behind get a snapshot."""
        self.recent.clear()
        self.sent_seq, self._sent_tag, self._before_tag = seq, tag, tag

    def rewind(self, seq: int, tag: bytes) -> None:
        """The log went back to ``seq`` (a failover to a standby that lacked the last entries,
        a restored backup): nothing sent before can be trusted as a resume point."""
        self.forget_history(seq, tag)
        self._snapshots.clear()

    def _tag_at(self, seq: int) -> bytes:
        if seq == self.sent_seq:
            return self._sent_tag
        oldest = self.recent[0].seq if self.recent else self.sent_seq + 1
        if seq == oldest - 1:
            return self._before_tag
        if oldest <= seq < self.sent_seq:
            return self.recent[seq - oldest].tag
        return b""

    def can_replay(self, since: int, tag: bytes | None, view: View) -> bool:
        """Whether ``since`` is an entry of this log (its tag matches) and every event after it
        that ``view`` may have is still at hand."""
        if since > self.sent_seq or (not view.staff and since < self.access_floor):
            return False
        known = self._tag_at(since)
        return bool(known) and known == tag

    def replay(self, since: int, view: View) -> tuple[list[bytes], int]:
        """The frames after ``since`` that ``view`` may have, and the seq of the last of them
        (``since`` if none): where the device stands once it has them."""
        entries = [e for e in self.recent if e.seq > since and e.audience.admits(view)]
        return [e.frame for e in entries], entries[-1].seq if entries else since

    # ------------------------------------------------------------------ snapshots

    def cached_snapshot(self, view: View) -> tuple[int, bytes, list[bytes]] | None:
        """A cached snapshot for ``view`` that the replay buffer can still bring up to date."""
        cached = self._snapshots.get(view.key)
        if cached is None or not self.can_replay(cached[0], cached[1], view):
            return None
        return cached

    def keep_snapshot(self, view: View, seq: int, tag: bytes, frames: list[bytes]) -> None:
        self._snapshots[view.key] = (seq, tag, frames)

    def access_changed(self, seq: int) -> None:
        """Who may see what changed at ``seq``: cached snapshots of non-staff views are stale,
        and no non-staff device may be replayed across it."""
        self.access_floor = seq
        self._snapshots = {k: v for k, v in self._snapshots.items() if k[0]}

    # ------------------------------------------------------------------ slow clients

    def drop_slow(self) -> list[ServerConnection]:
        """Abort connections too far behind. A close frame would queue behind the very backlog
        that is the problem: aborting frees the buffer now; the device resumes from its seq."""
        slow = [
            ws for ws in self._all if ws.transport.get_write_buffer_size() > self.slow_client_buffer
        ]
        for ws in slow:
            log.warning("dropping slow client %s", ws.remote_address)
            self.unsubscribe(ws)
            ws.transport.abort()
        return slow
