"""About Hemicycle: which version this is and what it runs on, for the technician on the phone.

Both apps open it from their **⋯** menu. It says the version, the wire protocol version (a
device and a room server work together when they speak the same one) and the versions of Qt,
PySide6, PyMuPDF and Python. Under that, selectable to be copied into a message, is what
``--version --verbose`` prints (:mod:`app.version`): every locked package against what is
installed. That part stays in English on purpose: it is compared with what the command line
prints. A dialog of our own, not a QMessageBox, so its button is translated (Qt ships no
Vietnamese for its standard buttons) and its size is fixed (ui.theme.fix_window_minimum).
"""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import version
from app.protocol import PROTOCOL_VERSION
from ui.theme import fix_window_minimum


def menu_text() -> str:
    """The menu entry; the windows set it in their ``retranslate``."""
    return QCoreApplication.translate("About", "About Hemicycle…")


def add_action(menu: QMenu, program: str) -> QAction:
    """An entry in ``menu`` that opens the About box of ``program`` (its command name)."""
    action = menu.addAction(menu_text())
    owner = menu.parentWidget() or menu
    action.triggered.connect(lambda: AboutDialog(owner.window(), program).open())
    return action


def about_text() -> str:
    """Version and protocol, then the libraries that draw, read and run everything."""
    protocol = QCoreApplication.translate("About", "Protocol version %1")
    runs_on = QCoreApplication.translate(
        "About", "Runs on Qt %1 (PySide6 %2), PyMuPDF %3 and Python %4."
    )
    return "<br>".join(
        [
            f"<b>Hemicycle {version.version()}</b>",
            protocol.replace("%1", str(PROTOCOL_VERSION)),
            runs_on.replace("%1", qVersion())
            .replace("%2", PySide6.__version__)
            .replace("%3", version.installed("PyMuPDF") or "?")
            .replace("%4", platform.python_version()),
        ]
    )


class AboutDialog(QDialog):
    """Version and protocol on top, the libraries under them, the full report below.

    It is not modal for the application: :meth:`open` shows it over its window only, and
    it deletes itself when closed.
    """

    def __init__(self, parent: QWidget | None, program: str) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(QCoreApplication.translate("About", "About Hemicycle"))
        self.text_label = QLabel(self)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setWordWrap(True)
        self.text_label.setText(about_text())
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText("\n".join([version.summary(program), *version.details()]))
        self.close_button = QPushButton(QCoreApplication.translate("About", "Close"), self)
        self.close_button.setObjectName("primaryButton")
        self.close_button.setDefault(True)
        self.close_button.setMinimumHeight(48)
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 16)
        box.setSpacing(16)
        box.addWidget(self.text_label)
        box.addWidget(self.details, 1)
        box.addLayout(row)
        fix_window_minimum(self, 560, 420)
        self.close_button.setFocus()
