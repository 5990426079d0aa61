"""The look shared by every Hemicycle window: bundled fonts, one style sheet, one palette.

Fonts are loaded from the bundled resources (:mod:`app.resources`) instead of relying on the
system so that Vietnamese diacritics (stacked marks such as "ệ", "ở") render with the same
metrics on every tablet and laptop; a missing system font would otherwise fall back to
something that clips them.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGradient, QPalette
from PySide6.QtWidgets import QApplication, QLayout, QWidget

from app.resources import FONT_FILES, fonts_dir, styles_dir

log = logging.getLogger("hemicycle.ui")

# QPainter.fillRect's overloads name QGradient, a type PySide6 (6.11) creates lazily the first
# time an overload is resolved; created inside a paint event it has crashed the app
# (QPainter.fillRect in ui/widgets/agenda.py, after other windows had come and gone). Naming it
# here creates it once, at start, with the theme every window imports.
_CREATED_AT_START = (QGradient,)

#: Base point size. At 96 dpi 12 pt is 16 px: readable at arm's length on a 10" tablet.
BASE_POINT_SIZE = 12

# Colours used by painted widgets (the style sheet uses the same values).
INK = QColor("#1b1f24")
INK_MUTED = QColor("#5b6470")
INK_DONE = QColor("#8a929c")
SURFACE = QColor("#ffffff")
BACKGROUND = QColor("#f2f4f7")
RULE = QColor("#e1e5ea")
ACCENT = QColor("#0d4f9e")
ACCENT_SOFT = QColor("#dce8f8")
MARKER = QColor("#f2b705")
IN_PROGRESS = QColor("#fff6d6")  # an item whose sub-item is being discussed
IN_PROGRESS_INK = QColor("#7a5a00")
ONLINE = QColor("#1f9d55")
CONNECTING = QColor("#e8a200")
OFFLINE = QColor("#9aa3ae")
DANGER = QColor("#a1221b")  # what needs the secretary's attention (and errors)

_loaded_family: str | None = None


def load_fonts() -> str | None:
    """Register the bundled Noto Sans; returns its family name (``None`` if unavailable)."""
    global _loaded_family
    if _loaded_family is not None:
        return _loaded_family
    family: str | None = None
    for name in FONT_FILES:
        path = fonts_dir() / name
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            family = families[0]
    _loaded_family = family
    return family


def style_sheet() -> str:
    path = styles_dir() / "hemicycle.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("style sheet %s is missing; using the platform look", path)
        return ""


def apply_theme(app: QApplication) -> None:
    """Fonts, palette and style sheet for the whole application (call once, after QApplication).

    The Fusion style is used everywhere so the style sheet looks the same on Windows, Linux and
    tablets, instead of being mixed with each platform's native drawing.
    """
    app.setStyle("Fusion")
    family = load_fonts()
    font = QFont(family) if family else QFont()
    font.setPointSize(BASE_POINT_SIZE)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
    palette.setColor(QPalette.ColorRole.Base, SURFACE)
    palette.setColor(QPalette.ColorRole.Text, INK)
    palette.setColor(QPalette.ColorRole.WindowText, INK)
    palette.setColor(QPalette.ColorRole.ButtonText, INK)
    palette.setColor(QPalette.ColorRole.Highlight, ACCENT)
    palette.setColor(QPalette.ColorRole.HighlightedText, SURFACE)
    palette.setColor(QPalette.ColorRole.PlaceholderText, INK_DONE)
    app.setPalette(palette)
    app.setStyleSheet(style_sheet())


def fix_window_minimum(window: QWidget, width: int, height: int) -> None:
    """Give a top-level window a fixed minimum size instead of one recomputed from its layout.

    By default a window's layout resets the window's minimum size whenever content changes (a
    longer status message, a language switch), which asks the windowing system to update its
    size hints each time: wasted work, and a warning on platforms that can't (offscreen, used
    by the tests and CI). Layouts inside still lay out normally.
    """
    layout = window.layout()
    if layout is not None:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    window.setMinimumSize(width, height)
