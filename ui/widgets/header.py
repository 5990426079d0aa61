"""The dark band on top of every Hemicycle window.

Left, the window's titles (one or two lines); right, what the window shows about itself (who
is using it, the connection, how many delegates are connected); far right, the language
switch; and, where a window needs it, one more line under all that across the whole width
(the delegate app's meeting title, which is long in Vietnamese).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLayout, QVBoxLayout, QWidget

from ui.i18n import Translations
from ui.widgets.language import LanguageSwitch


class Header(QFrame):
    """Titles, side widgets and language switch in one row; :meth:`add_below` adds a line."""

    def __init__(self, translations: Translations | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self._titles = QVBoxLayout()
        self._titles.setSpacing(2)
        self._row = QHBoxLayout()
        self._row.setSpacing(18)
        self._row.addLayout(self._titles, 1)
        self.language_switch = LanguageSwitch(translations, self) if translations else None
        if self.language_switch is not None:
            self._row.addWidget(self.language_switch, 0, Qt.AlignmentFlag.AlignVCenter)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(20, 10, 16, 10)
        self._column.setSpacing(2)
        self._column.addLayout(self._row)

    def add_title(self, label: QWidget) -> None:
        """The next line of the titles, on the left."""
        self._titles.addWidget(label)

    def add_side(self, item: QWidget | QLayout) -> None:
        """The next widget (or layout) on the right, before the language switch."""
        index = self._row.count() - (1 if self.language_switch is not None else 0)
        if isinstance(item, QLayout):
            self._row.insertLayout(index, item)
        else:
            self._row.insertWidget(index, item, 0, Qt.AlignmentFlag.AlignVCenter)

    def add_below(self, widget: QWidget) -> None:
        """A line under the row, across the whole width."""
        self._column.addWidget(widget)
