"""Crash-safe file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def staged_file(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """A file to fill that replaces ``path`` only once the ``with`` body has written it all.

    The temporary file beside ``path`` is created with ``mode`` (0600 by default) from the
    start, so a secret is never readable by other users, not even for a moment. If the body
    raises, the file is discarded and ``path`` is left as it was. Otherwise it is fsynced and
    renamed over ``path``, and the folder fsynced.
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp_name, mode)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
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


@contextlib.contextmanager
def staged_write(path: Path, data: bytes, mode: int = 0o600) -> Iterator[None]:
    """Write ``data`` beside ``path`` and put it in place only if the ``with`` body succeeds
    (see :func:`staged_file`): if writing fails, the body never runs."""
    with staged_file(path, mode) as handle:
        handle.write(data)
        handle.flush()
        yield


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`staged_write`)."""
    with staged_write(path, data, mode):
        pass
