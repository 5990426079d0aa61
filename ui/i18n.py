"""Runtime language switching through Qt's own translation system.

English is the source language (no ``.qm`` needed). Other languages load
``hemicycle_<code>.qm`` from the bundled translations (:func:`app.resources.translations_dir`),
compiled from the ``.ts`` by :mod:`ui.catalogs` (``.qm`` files are build products, never
committed). Installing a translator makes Qt send a ``LanguageChange`` event to every widget;
each widget re-reads its strings in ``retranslate()``, so a delegate can switch language
without restarting, in the middle of a meeting.

The choice is remembered in a ``QSettings`` INI file in the profile home, so each device keeps
its own language even when several profiles share a machine.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
    Signal,
)

from app.resources import translations_dir

log = logging.getLogger("hemicycle.ui")

SOURCE_LANGUAGE = "en"
#: Language code -> its name written in that language (what a switch button shows; never
#: translated, so a delegate can always find their own language).
LANGUAGES: dict[str, str] = {"en": "English", "vi": "Tiếng Việt"}
CATALOG = "hemicycle"
SETTINGS_KEY = "ui/language"


def settings_for(home: Path) -> QSettings:
    """The per-profile UI settings file (language and similar view preferences)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QSettings(str(home / "ui.ini"), QSettings.Format.IniFormat)


class Translations(QObject):
    """Owns the installed translator and the remembered language choice."""

    languageChanged = Signal(str)

    def __init__(
        self,
        app: QCoreApplication,
        directory: Path | None = None,
        settings: QSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._directory = directory if directory is not None else translations_dir()
        self._settings = settings
        self._translator: QTranslator | None = None
        self._language = SOURCE_LANGUAGE

    def language(self) -> str:
        return self._language

    def catalog_path(self, code: str) -> Path:
        return self._directory / f"{CATALOG}_{code}.qm"

    def available(self) -> list[str]:
        """Languages that can be shown now (English, plus those whose ``.qm`` was built)."""
        return [c for c in LANGUAGES if c == SOURCE_LANGUAGE or self.catalog_path(c).is_file()]

    def remembered(self) -> str | None:
        if self._settings is None:
            return None
        value = self._settings.value(SETTINGS_KEY)
        return value if isinstance(value, str) and value in LANGUAGES else None

    def initial_language(self, requested: str | None = None) -> str:
        """Command line first, then the remembered choice, then the system locale."""
        if requested in LANGUAGES:
            return requested
        remembered = self.remembered()
        if remembered is not None:
            return remembered
        if QLocale.system().language() == QLocale.Language.Vietnamese:
            return "vi"
        return SOURCE_LANGUAGE

    def set_language(self, code: str, remember: bool = True) -> bool:
        """Switch every open window to ``code``; ``False`` (and English) if it can't be loaded."""
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        translator: QTranslator | None = None
        loaded = True
        if code == SOURCE_LANGUAGE:
            # English is the source text; its catalogue holds only plural forms ("1 page",
            # "930 pages" for "%n page(s)"). Without it English still reads, plurals as "(s)".
            translator = QTranslator(self)
            if not translator.load(str(self.catalog_path(code))):
                translator.deleteLater()
                translator = None
        else:
            translator = QTranslator(self)
            path = self.catalog_path(code)
            if not translator.load(str(path)):
                log.error("translation %s is missing; run 'make translations'", path)
                translator.deleteLater()
                code, translator, loaded = SOURCE_LANGUAGE, None, False
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator.deleteLater()
        self._translator = translator
        QLocale.setDefault(QLocale(code))
        if translator is not None:
            self._app.installTranslator(translator)
        # Qt posts LanguageChange to each window; deliver them now so every label is in the
        # new language before anyone hears languageChanged (and before the next paint).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        changed = code != self._language
        self._language = code
        if remember and self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, code)
            self._settings.sync()
        if changed:
            self.languageChanged.emit(code)
        return loaded
