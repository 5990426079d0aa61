"""A closed poll's result as bars, drawn with QPainter (PySide6-Essentials has no QtCharts).

One row per answer or option: its name, a bar as long as its votes, and the number. A motion
has three rows (yes, no, abstain); a choice or an election one per option, the elected in the
accent colour and those tied for the last seat in amber; a yes/no vote on each candidate one
stacked bar per candidate. When the rule gives one figure an option needed to pass or be
elected, a dashed line marks it across the bars. Everything drawn is also in the words of
:meth:`ResultChart.summary` (the accessible name), so nothing is only a colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app import protocol as p
from ui import theme

YES_COLOUR = theme.ACCENT
NO_COLOUR = QColor("#c2473f")
ABSTAIN_COLOUR = QColor("#b7bec7")
OPTION_COLOUR = QColor("#9fb8dc")  # an option not elected
TIED_COLOUR = theme.MARKER

ROW = 40
BAR = 22
GAP = 12


def _n(value: int) -> str:
    return QLocale().toString(value)


@dataclass(frozen=True)
class Bar:
    """One row: its label, its segments (votes, colour) laid end to end, and what it says."""

    label: str
    segments: tuple[tuple[int, QColor], ...]
    #: "elected", "adopted", "tied" or "" — drawn as a word after the figures.
    mark: str = ""

    @property
    def total(self) -> int:
        return sum(value for value, _colour in self.segments)


def mark_word(mark: str) -> str:
    return {
        "elected": QCoreApplication.translate("ResultChart", "elected"),
        "adopted": QCoreApplication.translate("ResultChart", "adopted"),
        "tied": QCoreApplication.translate("ResultChart", "tied"),
    }.get(mark, "")


def bars_for(spec: p.PollSpec, result: p.PollResult) -> list[Bar]:
    """The rows of ``result``, in the poll's order."""
    labels = {option.id: option.label for option in spec.options}
    if spec.kind == "motion":
        total = result.totals[0] if result.totals else p.OptionTotal(option_id=0)
        rows = [
            Bar(
                QCoreApplication.translate("ResultChart", "Yes"),
                ((total.yes, YES_COLOUR),),
                "adopted" if result.outcome == "adopted" else "",
            ),
            Bar(QCoreApplication.translate("ResultChart", "No"), ((total.no, NO_COLOUR),)),
        ]
        if spec.abstain_allowed or total.abstain:
            rows.append(
                Bar(
                    QCoreApplication.translate("ResultChart", "Abstain"),
                    ((total.abstain, ABSTAIN_COLOUR),),
                )
            )
        return rows
    elected, tied, adopted = set(result.elected), set(result.tied), set(result.adopted)
    rows = []
    for total in result.totals:
        label = labels.get(total.option_id, f"#{total.option_id}")
        mark = (
            "elected"
            if total.option_id in elected
            else "tied"
            if total.option_id in tied
            else "adopted"
            if total.option_id in adopted
            else ""
        )
        if spec.kind == "per_candidate":
            segments: tuple[tuple[int, QColor], ...] = (
                (total.yes, YES_COLOUR),
                (total.no, NO_COLOUR),
                (total.abstain, ABSTAIN_COLOUR),
            )
        else:
            colour = (
                YES_COLOUR
                if mark == "elected"
                else TIED_COLOUR
                if mark == "tied"
                else OPTION_COLOUR
            )
            segments = ((total.yes, colour),)
        rows.append(Bar(label, segments, mark))
    if spec.kind != "per_candidate" and (spec.abstain_allowed or result.abstain):
        rows.append(
            Bar(
                QCoreApplication.translate("ResultChart", "Abstained"),
                ((result.abstain, ABSTAIN_COLOUR),),
            )
        )
    return rows


def needed_line(spec: p.PollSpec, result: p.PollResult) -> int | None:
    """The one figure every option had to reach, if the rule gives one (the simple rule of an
    election asks only for a vote, and a vote on each candidate measures each on its own)."""
    if result.needed <= 0:
        return None
    if spec.kind in ("single", "election") and spec.majority.rule == "simple":
        return None
    return result.needed


class ResultChart(QWidget):
    """Bars of one result; :meth:`set_result` draws another, :meth:`clear` none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._bars: list[Bar] = []
        self._needed: int | None = None
        self._legend = False

    def set_result(self, spec: p.PollSpec, result: p.PollResult) -> None:
        self._bars = bars_for(spec, result)
        self._needed = needed_line(spec, result)
        self._legend = spec.kind == "per_candidate"
        self.setAccessibleName(self.summary())
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self._bars, self._needed, self._legend = [], None, False
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def needed(self) -> int | None:
        return self._needed

    def summary(self) -> str:
        """The chart in words: "Yes 12; No 3; Abstain 1"."""
        parts = []
        for bar in self._bars:
            figures = " / ".join(_n(v) for v, _c in bar.segments)
            word = mark_word(bar.mark)
            parts.append(f"{bar.label} {figures}" + (f" ({word})" if word else ""))
        return "; ".join(parts)

    def _header(self) -> int:
        return self.fontMetrics().height() + 8 if self._needed is not None else 4

    def _footer(self) -> int:
        return self.fontMetrics().height() + 16 if self._legend else 4

    def sizeHint(self) -> QSize:
        return QSize(520, self._header() + len(self._bars) * ROW + self._footer())

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def _value_text(self, bar: Bar) -> str:
        figures = " / ".join(_n(v) for v, _c in bar.segments)
        word = mark_word(bar.mark)
        return f"{figures}  {word}" if word else figures

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        width = self.width()
        widest_label = max(bold_metrics.horizontalAdvance(b.label) for b in self._bars)
        label_w = min(widest_label, int(width * 0.38)) + GAP
        widest_value = max(bold_metrics.horizontalAdvance(self._value_text(b)) for b in self._bars)
        bar_w = max(40, width - label_w - widest_value - 2 * GAP)
        scale = max([b.total for b in self._bars] + [self._needed or 0, 1])
        top = self._header()
        for n, bar in enumerate(self._bars):
            y = top + n * ROW
            painter.setFont(bold if bar.mark in ("elected", "adopted") else self.font())
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - GAP)
            painter.setPen(theme.INK)
            painter.drawText(
                QRectF(0, y, label_w - GAP, ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x = float(label_w)
            top_of_bar = y + (ROW - BAR) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.RULE)
            painter.drawRect(QRectF(x - 2, top_of_bar - 3, 2, BAR + 6))  # the axis
            for value, colour in bar.segments:
                length = bar_w * value / scale
                if length <= 0:
                    continue
                painter.setBrush(colour)
                painter.drawRect(QRectF(x, top_of_bar, length, BAR))
                x += length
            painter.setFont(bold)
            painter.setPen(TIED_COLOUR.darker(160) if bar.mark == "tied" else theme.INK)
            painter.drawText(
                QRectF(x + GAP / 2, y, width - x, ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._value_text(bar),
            )
        if self._needed is not None:
            nx = label_w + bar_w * self._needed / scale
            pen = QPen(theme.INK, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(int(nx), top - 2, int(nx), top + len(self._bars) * ROW)
            painter.setFont(self.font())
            painter.setPen(theme.INK_MUTED)
            caption = QCoreApplication.translate("ResultChart", "needed: %1").replace(
                "%1", _n(self._needed)
            )
            cw = metrics.horizontalAdvance(caption)
            cx = min(max(nx - cw / 2, 0), width - cw)
            painter.drawText(QRectF(cx, 0, cw + 2, top), Qt.AlignmentFlag.AlignVCenter, caption)
        if self._legend:
            y = top + len(self._bars) * ROW + 8
            x = float(label_w)
            painter.setFont(self.font())
            for word, colour in (
                (QCoreApplication.translate("ResultChart", "Yes"), YES_COLOUR),
                (QCoreApplication.translate("ResultChart", "No"), NO_COLOUR),
                (QCoreApplication.translate("ResultChart", "Abstain"), ABSTAIN_COLOUR),
            ):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                h = metrics.height()
                painter.drawRect(QRectF(x, y + h / 2 - 6, 12, 12))
                painter.setPen(theme.INK)
                painter.drawText(QRectF(x + 18, y, 200, h), Qt.AlignmentFlag.AlignVCenter, word)
                x += 18 + metrics.horizontalAdvance(word) + 24
        painter.end()
