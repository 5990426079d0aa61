"""Where the bundled resources (fonts, style sheets, translations) live.

One function so that a PyInstaller bundle (which unpacks next to ``sys._MEIPASS``) and a source
checkout find the same files; nothing else in ``ui/`` builds resource paths by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """The ``resources/`` folder: beside the bundle when frozen, else at the repository root."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def translations_dir() -> Path:
    return resource_dir() / "translations"


def fonts_dir() -> Path:
    return resource_dir() / "fonts"


def styles_dir() -> Path:
    return resource_dir() / "styles"
