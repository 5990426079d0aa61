"""Which Hemicycle this is, and what it runs on: ``--version`` of every program, and the About box.

The version is declared in one place, ``version`` in ``pyproject.toml``. An installed build
reads it from its package metadata, which the build wrote from there; a source tree that was
never installed (``python -m`` on a bare checkout) reads ``pyproject.toml`` itself. An editable
install has metadata too: ``make`` reinstalls when ``pyproject.toml`` changes, so it follows.

A build also records the exact versions of what it was built to run on: ``setup.py`` puts the
lock it was built from, ``requirements/runtime.txt``, into the wheel as package data. With
``--verbose``, ``--version`` lists that lock against what is installed, so a support call can
tell at once whether a machine runs the tested set or something pip changed since.

Qt-free, and importing nothing beyond the standard library at import time: ``setup.py`` imports
this module for :data:`LOCK_FILE` in a build environment that has only the build requirements.
"""

from __future__ import annotations

import platform
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from app.resources import PACKAGED_DIR

__all__ = [
    "LOCK_FILE",
    "Pin",
    "details",
    "installed",
    "lock_file",
    "pins",
    "print_if_asked",
    "summary",
    "version",
]

LOCK_FILE = PurePosixPath("requirements/runtime.txt")
"""The runtime lock, relative to the source tree, and to ``app/_resources/`` in a build."""

_HERE = Path(__file__).resolve().parent

#: ``name==version`` at the start of a lock line, and whether an environment marker follows.
_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(;)?")


@dataclass(frozen=True)
class Pin:
    """One line of the lock. ``conditional``: it has an environment marker, so it applies only
    to some platforms or Pythons (``pywin32-ctypes`` on Windows, a newer numpy on 3.12)."""

    name: str
    version: str
    conditional: bool


def version() -> str:
    """This build's version: its metadata, else the source tree's ``pyproject.toml``."""
    try:
        return metadata.version("hemicycle")
    except metadata.PackageNotFoundError:
        pass
    try:
        project = tomllib.loads((_HERE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    except OSError:  # neither installed nor a source tree: nothing says, so do not guess
        return "unknown"
    return str(project["project"]["version"])


def installed(distribution: str) -> str | None:
    """The installed version of a distribution (any spelling of its name), or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def lock_file() -> Path | None:
    """The lock this build was made from: its package data, else the source tree's."""
    for base in (_HERE / PACKAGED_DIR, _HERE.parent):
        path = base / LOCK_FILE
        if path.is_file():
            return path
    return None


def pins(path: Path) -> list[Pin]:
    """The pinned packages of a lock file, in its order (one name may be pinned twice, under
    markers that exclude each other)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            found.append(Pin(match[1], match[2], conditional=match[3] is not None))
    return found


def summary(program: str) -> str:
    """One line: the program, its version, and the wire protocol version it speaks."""
    from app.protocol import PROTOCOL_VERSION  # msgspec: not in setup.py's build environment

    return f"{program} {version()} (protocol {PROTOCOL_VERSION})"


def details() -> list[str]:
    """Python, the platform, and every locked package with what is installed of it.

    A package is flagged when its installed version is not a locked one, or it is missing;
    a conditional pin that is not installed is left out, as it is for another platform.
    """
    lines = [
        f"Python {platform.python_version()} ({platform.python_implementation()}) "
        f"on {platform.system()} {platform.machine()}",
    ]
    path = lock_file()
    if path is None:
        return [*lines, "no lock file: this copy was not built from a Hemicycle source tree"]
    lines.append(f"locked in {path}:")
    grouped: dict[str, list[Pin]] = {}
    for pin in pins(path):
        grouped.setdefault(pin.name, []).append(pin)
    for name, group in grouped.items():
        wanted = [pin.version for pin in group]
        have = installed(name)
        if have in wanted:
            lines.append(f"  {name} {have}")
        elif have is not None or not all(pin.conditional for pin in group):
            found = f"installed {have}" if have is not None else "not installed"
            lines.append(f"  {name} {' or '.join(wanted)}, but {found}")
    return lines


def print_if_asked(program: str, argv: Sequence[str]) -> bool:
    """Answer ``--version`` (with ``-v``/``--verbose``: :func:`details` too) if it is among
    ``argv``; True if it was, and the caller exits with status 0.

    Checked before any argument parsing, window or room is set up, so it works on a machine
    with no display and needs no subcommand of ``hemicycle-server``.
    """
    if "--version" not in argv:
        return False
    verbose = "-v" in argv or "--verbose" in argv
    print("\n".join([summary(program), *(details() if verbose else [])]))
    return True
