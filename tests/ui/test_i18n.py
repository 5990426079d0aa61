"""Language switching: every visible label follows at runtime, and the choice is remembered."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.resources import translations_dir
from tests.ui.support import delegate_identity, show_top
from ui.delegate.window import DelegateWindow
from ui.i18n import Translations
from ui.widgets.enroll import PinSetupPage

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


def test_switching_retranslates_visible_labels_and_back(
    qtbot: QtBot, translations: Translations, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge()
    window = DelegateWindow(bridge, delegate_identity(), translations)
    qtbot.addWidget(window)
    window.show()
    assert window.agenda_heading.text() == "Agenda"
    assert window.status_indicator.state_text() == "Offline"
    assert window.who_detail.text().startswith("Delegate no. 0123")

    with qtbot.waitSignal(translations.languageChanged):
        assert translations.set_language("vi")
    assert window.agenda_heading.text() == "Chương trình"
    assert window.status_indicator.state_text() == "Ngoại tuyến"
    assert window.who_detail.text().startswith("Đại biểu số 0123")
    assert window.now_text().startswith("ĐƯỢC BIẾT LẦN CUỐI")  # offline: not live
    assert window.language_switch is not None
    assert window.language_switch.button("vi").isChecked()

    translations.set_language("en")
    assert window.agenda_heading.text() == "Agenda"
    assert window.status_indicator.state_text() == "Offline"
    assert window.now_text().startswith("LAST KNOWN")
    assert window.language_switch.button("en").isChecked()


def test_switch_buttons_change_the_language(
    qtbot: QtBot, translations: Translations, make_bridge: Callable[..., Any]
) -> None:
    bridge, _ = make_bridge()
    window = DelegateWindow(bridge, delegate_identity(), translations)
    qtbot.addWidget(window)
    assert window.language_switch is not None
    window.language_switch.button("vi").click()
    assert translations.language() == "vi"
    assert window.agenda_heading.text() == "Chương trình"


def test_messages_already_shown_follow_the_language(
    qtbot: QtBot, translations: Translations
) -> None:
    page = PinSetupPage()
    show_top(qtbot, page)
    for pin in ("1111", "2222"):
        for digit in pin:
            page.pad.press(digit)
        page.pad.submit()
    assert page.error_text() == "The two PINs are different. Choose your PIN again."
    translations.set_language("vi")
    assert page.error_text() == "Hai mã PIN không giống nhau. Hãy chọn lại mã PIN."
    assert page.title.text() == "Chọn mã PIN"


def test_choice_is_remembered(qapp: QApplication, qm_dir: Path, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = Translations(qapp, directory=qm_dir, settings=settings)
    assert first.initial_language() in ("en", "vi")
    first.set_language("vi")
    again = Translations(
        qapp,
        directory=qm_dir,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    assert again.initial_language() == "vi"
    assert again.initial_language("en") == "en"  # --lang wins
    first.set_language("en", remember=False)


def test_missing_catalogue_falls_back_to_english(qapp: QApplication, tmp_path: Path) -> None:
    tr = Translations(qapp, directory=tmp_path)
    assert tr.available() == ["en"]
    assert not tr.set_language("vi")
    assert tr.language() == "en"


def test_every_string_in_ui_is_translated_to_vietnamese(tmp_path: Path) -> None:
    """lupdate over ui/ finds nothing the committed .ts lacks, and nothing is unfinished."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py") if p.name != "demo.py")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)

    def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
        out = {}
        for ctx in ET.parse(path).getroot().iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                out[(name, msg.findtext("source") or "")] = msg
        return out

    committed = messages(translations_dir() / "hemicycle_vi.ts")
    missing = set(messages(fresh)) - set(committed)
    assert not missing, f"run lupdate and translate: {sorted(missing)}"

    def text_of(tr: ET.Element) -> str:
        """The translation, or for a plural one ("%n page(s)") its forms."""
        forms = [f.text or "" for f in tr.iter("numerusform")]
        return "".join(forms) if forms else (tr.text or "")

    unfinished = [
        key
        for key, msg in committed.items()
        if (tr := msg.find("translation")) is None
        or tr.get("type") in ("unfinished", "obsolete", "vanished")
        or not text_of(tr).strip()
    ]
    assert not unfinished, unfinished


def test_english_says_one_page_and_930_pages(translations: Translations) -> None:
    """English is the source text; its catalogue gives the plural forms only."""
    translations.set_language("en", remember=False)
    assert QCoreApplication.translate("DocumentList", "%n page(s)", "", 1) == "1 page"
    assert QCoreApplication.translate("DocumentList", "%n page(s)", "", 930) == "930 pages"


def test_every_plural_has_its_english_forms(tmp_path: Path) -> None:
    """Each "%n …(s)" string of ui/ has a singular and a plural in the English catalogue."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py") if p.name != "demo.py")
    fresh = tmp_path / "plurals.ts"
    subprocess.run(
        [str(lupdate), "-pluralonly", *sources, "-ts", str(fresh)], check=True, capture_output=True
    )

    def plurals(path: Path) -> dict[tuple[str, str], list[str]]:
        out = {}
        for ctx in ET.parse(path).getroot().iter("context"):
            for msg in ctx.iter("message"):
                if msg.get("numerus") == "yes":
                    forms = [f.text or "" for f in msg.iter("numerusform")]
                    out[(ctx.findtext("name") or "", msg.findtext("source") or "")] = forms
        return out

    committed = plurals(translations_dir() / "hemicycle_en.ts")
    wanted = plurals(fresh)
    assert wanted and set(wanted) <= set(committed), "run lupdate -pluralonly for hemicycle_en.ts"
    assert all(len(f) == 2 and all(f) for f in committed.values())
