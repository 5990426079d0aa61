"""Where the bundled resources live: fonts, style sheet, translations, sample roster and meeting.

The one locator for ``ui/`` (fonts, style sheet, Qt catalogues) and ``server/`` (the Noto fonts
of the enrollment sheet, the sample files): nothing else builds a resource path by hand, so an
installed program and a source checkout find the same files the same way. It is Qt-free so the
server can use it.

Two layouts exist, tried in this order:

* **Installed** (from the wheel): the files are package data in ``app/_resources/``, next to
  this module. ``setup.py`` copies the top-level ``resources/`` folder there while building the
  wheel and compiles the ``.qm`` catalogues into it, so an installed ``hemicycle-server enroll
  --sheet`` or delegate app needs no source tree. A PyInstaller bundle is to collect the same
  package data.
* **Source checkout** (also an editable install): the top-level ``resources/`` folder itself,
  the one place the files are edited. Its ``.qm`` files come from ``make translations``.

The installed layout wins when present because a source checkout never has ``app/_resources``
(it is a build product in ``build/``, never in the tree).
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "FONT_FILES",
    "PACKAGED_DIR",
    "fonts_dir",
    "missing_fonts",
    "resource_dir",
    "sample_dir",
    "styles_dir",
    "translations_dir",
]

PACKAGED_DIR = "_resources"
"""The folder inside the ``app`` package that holds the resources in an installed build."""

FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
"""The bundled Noto Sans faces (regular, bold): they carry every Vietnamese glyph, so both the
screens and the printed cards show stacked diacritics right whatever fonts the system has."""

_HERE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    """The resources folder: the installed package data if present, else the source tree's."""
    packaged = _HERE / PACKAGED_DIR
    if packaged.is_dir():
        return packaged
    return _HERE.parent / "resources"


def fonts_dir() -> Path:
    return resource_dir() / "fonts"


def styles_dir() -> Path:
    return resource_dir() / "styles"


def translations_dir() -> Path:
    """The ``.ts`` sources and, once compiled, the ``.qm`` catalogues Qt loads."""
    return resource_dir() / "translations"


def sample_dir() -> Path:
    """The sample roster CSV and meeting JSON (documentation, the demo and the tests)."""
    return resource_dir() / "sample"


def missing_fonts() -> list[str]:
    """The bundled fonts absent from this installation, by file name (empty when all are here).

    The server checks this before it issues enrollment codes for a sheet: issuing voids the
    delegates' previous codes, so it must not find out afterwards that it cannot print.
    """
    folder = fonts_dir()
    return [name for name in FONT_FILES if not (folder / name).is_file()]
