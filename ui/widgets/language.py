"""The language switch: one button per language, each labelled in its own language.

Labels are never translated ("English", "Tiếng Việt"), so whoever picks up a tablet left in the
wrong language can still find theirs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from ui.i18n import LANGUAGES, Translations


class LanguageSwitch(QWidget):
    """Segmented toggle bound to a :class:`Translations`; switching retranslates every window."""

    def __init__(self, translations: Translations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageSwitch")
        self._translations = translations
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        available = translations.available()
        for code, name in LANGUAGES.items():
            button = QPushButton(name, self)
            button.setObjectName("languageButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setEnabled(code in available)
            button.setProperty("language", code)
            button.clicked.connect(lambda _=False, c=code: self._translations.set_language(c))
            self._group.addButton(button)
            self._buttons[code] = button
            row.addWidget(button)
        translations.languageChanged.connect(self._sync)
        self._sync(translations.language())
        self.retranslate()

    def button(self, code: str) -> QPushButton:
        return self._buttons[code]

    def _sync(self, code: str) -> None:
        button = self._buttons.get(code)
        if button is not None:
            button.setChecked(True)

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Language of the screens"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
