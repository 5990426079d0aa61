"""Crash-safe file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_write(path: Path, data: bytes, mode: int = 0o600) -> Iterator[None]:
    """Write ``data`` beside ``path`` and put it in place only if the ``with`` body succeeds.

    The temporary file is filled, fsynced and created with ``mode`` (0600 by default) from the
    start, so a secret is never readable by other users, not even for a moment. If writing
    fails, the body never runs; if the body raises, the file is discarded and ``path`` is left
    as it was. Then the file is renamed over ``path`` and the folder fsynced.
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp_name, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        yield
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    # Make the rename itself durable; best effort, some filesystems refuse a directory fsync.
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`staged_write`)."""
    with staged_write(path, data, mode):
        pass
