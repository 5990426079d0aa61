"""Where a device keeps its profile: identity, sealed keys and the encrypted local store."""

from __future__ import annotations

import os
from pathlib import Path


def default_home(profile: str = "delegate") -> Path:
    """``$HEMICYCLE_HOME`` if set, else the user's data folder; one sub-folder per profile so a
    console and a delegate app can share a machine without sharing keys."""
    base = os.environ.get("HEMICYCLE_HOME")
    if base:
        return Path(base) / profile
    xdg = os.environ.get("XDG_DATA_HOME")
    root = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return root / "hemicycle" / profile
