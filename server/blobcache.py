"""The blobs served lately, in memory, so a hall pre-staging one meeting reads each chunk from
the database once rather than once per device.

When a meeting is published, every device asks for the same blobs within minutes: 2,000
devices of a 50 MB meeting is 100 GB sent, of 50 MB stored. The cache keeps the most recently
served blobs up to a byte budget (``[documents] cache_megabytes``) and drops the least recently
used beyond it. It holds only what is stored anyway: ciphertext chunks under document keys and
signed manifests, addressed by their SHA-256 — never a key or a plaintext. It decides nothing:
who may fetch what is checked against the database on every request (server/bulk.py), before
the cache is looked at, so a withdrawal or a revocation counts at once. Used from the server's
event loop alone, so it needs no lock.
"""

from __future__ import annotations

from collections import OrderedDict


class BlobCache:
    """Frames by blob address: each is sent as it is kept (``address ‖ blob``), so a blob served
    a thousand times is neither read nor copied a thousand times."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._blobs: OrderedDict[bytes, bytes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._blobs)

    def get(self, address: bytes) -> bytes | None:
        data = self._blobs.get(address)
        if data is not None:
            self._blobs.move_to_end(address)
        return data

    def put(self, address: bytes, frame: bytes) -> None:
        """Keep the frame of a blob just read; one larger than the whole budget is not kept."""
        if address in self._blobs or len(frame) > self.budget:
            return
        self._blobs[address] = frame
        self.size += len(frame)
        while self.size > self.budget:
            _, dropped = self._blobs.popitem(last=False)
            self.size -= len(dropped)
