"""The connection indicator: a coloured dot, a word, and when the agenda was last in sync.

A delegate must be able to tell at a glance whether what they read is live. Colour alone is not
enough (colour blindness, sunlight on a tablet), so the state is always also written out, and
the "last synced" time says how old the agenda may be when the room is out of reach.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui import theme

STATUSES = ("online", "connecting", "offline")


def sync_age_text(last_sync: float | None, now: float) -> str:
    """How long ago the agenda was last in sync with the room: "last synced 4 min ago"."""
    if last_sync is None:
        return QCoreApplication.translate("StatusIndicator", "never synced")
    minutes = max(int(now - last_sync) // 60, 0)
    if minutes < 1:
        return QCoreApplication.translate("StatusIndicator", "last synced under a minute ago")
    if minutes < 60:
        return QCoreApplication.translate("StatusIndicator", "last synced %1 min ago").replace(
            "%1", str(minutes)
        )
    if minutes < 24 * 60:
        return (
            QCoreApplication.translate("StatusIndicator", "last synced %1 h %2 min ago")
            .replace("%1", str(minutes // 60))
            .replace("%2", str(minutes % 60))
        )
    when = dt.datetime.fromtimestamp(last_sync).strftime("%d/%m %H:%M")
    return QCoreApplication.translate("StatusIndicator", "last synced on %1").replace("%1", when)


class _Dot(QWidget):
    """A filled circle in the state's colour, with a ring so it reads on dark and light."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = theme.OFFLINE
        self.setFixedSize(QSize(18, 18))

    def set_color(self, color: QColor) -> None:
        self._color = color
        self.update()

    def color(self) -> QColor:
        return self._color

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(255, 255, 255, 200))
        painter.setBrush(self._color)
        painter.drawEllipse(QRectF(1.5, 1.5, 15, 15))


class StatusIndicator(QWidget):
    """Shows ``online`` (green), ``connecting`` (amber) or ``offline`` (grey) + last sync."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusIndicator")
        self._status = "offline"
        self._last_sync: float | None = None
        self._dot = _Dot(self)
        self._state_label = QLabel(self)
        self._state_label.setObjectName("statusState")
        self._sync_label = QLabel(self)
        self._sync_label.setObjectName("statusSync")
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(0)
        text.addWidget(self._state_label)
        text.addWidget(self._sync_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(10)
        row.addWidget(self._dot, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.retranslate()

    # ------------------------------------------------------------------ API

    def set_status(self, status: str, last_sync: float | None) -> None:
        """``status`` is one of :data:`STATUSES` (``app.client.Status`` values)."""
        self._status = status if status in STATUSES else "offline"
        self._last_sync = last_sync
        self.retranslate()

    def status(self) -> str:
        return self._status

    def last_sync(self) -> float | None:
        return self._last_sync

    def state_text(self) -> str:
        return self._state_label.text()

    def sync_text(self) -> str:
        return self._sync_label.text()

    def color(self) -> QColor:
        return self._dot.color()

    # ------------------------------------------------------------------ text

    def retranslate(self) -> None:
        if self._status == "online":
            state, color = self.tr("Online"), theme.ONLINE
        elif self._status == "connecting":
            state = self.tr("Reconnecting…") if self._last_sync else self.tr("Connecting…")
            color = theme.CONNECTING
        else:
            state, color = self.tr("Offline"), theme.OFFLINE
        self._dot.set_color(color)
        self._state_label.setText(state)
        self.setProperty("status", self._status)
        if self._last_sync is None:
            sync = self.tr("Never synced")
        else:
            when = dt.datetime.fromtimestamp(self._last_sync)
            if when.date() == dt.date.today():
                sync = self.tr("Last synced %1").replace("%1", when.strftime("%H:%M"))
            else:
                sync = self.tr("Last synced %1").replace("%1", when.strftime("%d/%m %H:%M"))
        self._sync_label.setText(sync)
        self.setAccessibleName(f"{state}. {sync}")
        self.setToolTip(f"{state} — {sync}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
