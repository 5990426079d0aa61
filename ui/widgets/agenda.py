"""The agenda, as delegates read it and secretaries edit it.

One view serves both apps. It shows the meeting's items in printed-agenda order (depth-first,
sub-items indented under their parent), each with its number, title and planned time. The item
the secretary has made *current* is painted as a solid accent band with a "Now" badge and is
scrolled into view whenever it changes, so a delegate who glances at the tablet sees at once
where the meeting is. The items it is a sub-item of are *in progress* (a light band and an
"In progress" badge, never the ✓ of a finished item, whatever status they have stored: the
rule is :mod:`app.agenda_rules`). Finished items are greyed out; pending ones are plain.

A list with painted indentation is used instead of a tree with expand arrows: an agenda is
short, always fully open, and expand/collapse triangles are too small to hit on a tablet.

The view is given immutable :class:`~app.state.RoomView` states; a new one (the latest
from the bridge) replaces the old one and the user's selection and scroll position survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.agenda_rules import ShownStatus, shown_status
from app.docstore import Reading
from app.docsync import Progress
from app.protocol import AgendaItem
from app.state import RoomView
from ui import theme
from ui.widgets.documents import DocumentList

ItemRole = Qt.ItemDataRole.UserRole + 1
DepthRole = Qt.ItemDataRole.UserRole + 2
NumberRole = Qt.ItemDataRole.UserRole + 3
IdRole = Qt.ItemDataRole.UserRole + 4
StatusRole = Qt.ItemDataRole.UserRole + 5

_ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    depth: int
    number: str
    item: AgendaItem
    status: ShownStatus  # what the row is shown as (``app.agenda_rules.shown_status``)


def planned_text(item: AgendaItem) -> str:
    """``08:15 · 20 min``; either part may be missing."""
    parts = []
    if item.planned_start:
        parts.append(item.planned_start)
    if item.planned_minutes:
        minutes = QCoreApplication.translate("AgendaDelegate", "%1 min")
        parts.append(minutes.replace("%1", str(item.planned_minutes)))
    return " · ".join(parts)


class AgendaModel(QAbstractListModel):
    """The rows of one meeting's agenda, in walk order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, item_id: int) -> int | None:
        for n, row in enumerate(self._rows):
            if row.item.id == item_id:
                return n
        return None

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.number} {row.item.title}"
        if role == ItemRole:
            return row.item
        if role == DepthRole:
            return row.depth
        if role == NumberRole:
            return row.number
        if role == IdRole:
            return row.item.id
        if role == StatusRole:
            return row.status
        return None


class AgendaDelegate(QStyledItemDelegate):
    """Paints one agenda row: number column, wrapped title, planned time, state badge."""

    PAD_X = 14
    PAD_Y = 11
    INDENT = 30
    GAP = 12
    MIN_HEIGHT = 56  # comfortably above the 48 px minimum touch target
    CHECK_W = 30  # right-hand column holding the ✓ of finished items

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.number_width = 40

    # fonts derive from the view's font so the style sheet and DPI settings carry through
    def _title_font(self, depth: int, current: bool) -> QFont:
        font = QFont(self._view.font())
        font.setPointSizeF(font.pointSizeF() + (1.5 if depth == 0 else 0.5))
        font.setBold(depth == 0 or current)
        return font

    def _meta_font(self) -> QFont:
        font = QFont(self._view.font())
        font.setPointSizeF(max(font.pointSizeF() - 1.0, 8.0))
        return font

    def _badge_font(self) -> QFont:
        font = self._meta_font()
        font.setBold(True)
        return font

    def _meta_text(self, item: AgendaItem) -> str:
        return planned_text(item)

    def _badge_text(self, status: ShownStatus) -> str:
        if status == "current":
            return self.tr("NOW")
        if status == "in_progress":
            return self.tr("IN PROGRESS")
        return ""

    def _layout(self, rect: QRect, depth: int) -> tuple[int, int, int]:
        """x of the number column, x of the title, width of the title."""
        x_number = rect.left() + self.PAD_X + 8 + depth * self.INDENT
        x_title = x_number + self.number_width + self.GAP
        width = max(rect.right() - self.PAD_X - self.CHECK_W - x_title, 80)
        return x_number, x_title, width

    def _title_rect(self, fm: QFontMetrics, width: int, title: str) -> QRect:
        return fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, title)

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        item: AgendaItem = index.data(ItemRole)
        depth: int = index.data(DepthRole) or 0
        status: ShownStatus = index.data(StatusRole)
        width = self._view.viewport().width()
        _, _, title_w = self._layout(QRect(0, 0, width, 0), depth)
        title_fm = QFontMetrics(self._title_font(depth, status in ("current", "in_progress")))
        height = self.PAD_Y * 2 + self._title_rect(title_fm, title_w, item.title).height()
        if self._meta_text(item) or self._badge_text(status):
            height += 6 + QFontMetrics(self._badge_font()).height() + 4
        return QSize(width, max(height, self.MIN_HEIGHT))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        item: AgendaItem = index.data(ItemRole)
        depth: int = index.data(DepthRole) or 0
        number: str = index.data(NumberRole) or ""
        status: ShownStatus = index.data(StatusRole)
        rect = QRect(option.rect)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        current = status == "current"
        in_progress = status == "in_progress"
        done = status == "done"

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        band = QRectF(rect.adjusted(4, 2, -4, -2))
        if current:
            path = QPainterPath()
            path.addRoundedRect(band, 8, 8)
            painter.fillPath(path, theme.ACCENT)
            painter.fillRect(
                QRectF(band.left(), band.top() + 6, 6, band.height() - 12), theme.MARKER
            )
            if selected:
                painter.setPen(QPen(theme.MARKER, 3))
                painter.drawRoundedRect(band.adjusted(1.5, 1.5, -1.5, -1.5), 7, 7)
        elif in_progress:
            # Light, with the marker's stripe: part of what is live, not the live item itself.
            path = QPainterPath()
            path.addRoundedRect(band, 8, 8)
            painter.fillPath(path, theme.IN_PROGRESS)
            painter.fillRect(
                QRectF(band.left(), band.top() + 6, 6, band.height() - 12), theme.MARKER
            )
            if selected:
                painter.setPen(QPen(theme.ACCENT, 2))
                painter.drawRoundedRect(band.adjusted(1, 1, -1, -1), 7, 7)
        elif selected:
            path = QPainterPath()
            path.addRoundedRect(band, 8, 8)
            painter.fillPath(path, theme.ACCENT_SOFT)
            painter.setPen(QPen(theme.ACCENT, 2))
            painter.drawRoundedRect(band.adjusted(1, 1, -1, -1), 7, 7)
        else:
            painter.setPen(QPen(theme.RULE, 1))
            painter.drawLine(rect.left() + 12, rect.bottom(), rect.right() - 12, rect.bottom())

        if current:
            ink, muted = theme.SURFACE, theme.ACCENT_SOFT
        elif done:
            ink, muted = theme.INK_DONE, theme.INK_DONE
        else:
            ink, muted = theme.INK, theme.INK_MUTED

        x_number, x_title, title_w = self._layout(rect, depth)
        title_font = self._title_font(depth, current or in_progress)
        title_fm = QFontMetrics(title_font)
        top = rect.top() + self.PAD_Y
        painter.setFont(title_font)
        painter.setPen(ink)
        painter.drawText(
            QRect(x_number, top, self.number_width, title_fm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            number,
        )
        title_h = self._title_rect(title_fm, title_w, item.title).height()
        painter.drawText(
            QRect(x_title, top, title_w, title_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
            item.title,
        )
        if done:
            painter.drawText(
                QRect(
                    rect.right() - self.PAD_X - self.CHECK_W, top, self.CHECK_W, title_fm.height()
                ),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                "✓",
            )

        meta = self._meta_text(item)
        badge = self._badge_text(status)
        if meta or badge:
            y = top + title_h + 6
            x = x_title
            badge_font = self._badge_font()
            badge_fm = QFontMetrics(badge_font)
            line_h = badge_fm.height() + 4
            if badge:
                painter.setFont(badge_font)
                bw = badge_fm.horizontalAdvance(badge) + 16
                pill = QPainterPath()
                pill.addRoundedRect(QRectF(x, y, bw, line_h), line_h / 2, line_h / 2)
                if current:
                    painter.fillPath(pill, theme.MARKER)
                    painter.setPen(theme.INK)
                else:
                    painter.setPen(QPen(theme.IN_PROGRESS_INK, 1.5))
                    painter.drawPath(pill)
                painter.drawText(QRect(x, y, bw, line_h), int(Qt.AlignmentFlag.AlignCenter), badge)
                x += bw + 10
            if meta:
                painter.setFont(self._meta_font())
                painter.setPen(muted)
                painter.drawText(
                    QRect(x, y, max(rect.right() - x - self.PAD_X, 10), line_h),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    meta,
                )
        painter.restore()


class AgendaView(QListView):
    """Agenda list bound to a :class:`RoomView` and a meeting.

    Signals: ``itemSelected(int | None)`` when the user picks an item;
    ``currentItemChanged(int | None)`` when the meeting's live current item changes.
    """

    itemSelected = Signal(object)
    currentItemChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaView")
        # The item last brought to the middle and where that left the scroll bar: while the
        # view stays there, a new size (the window's first layout, a rotation) re-centres it.
        self._centred: tuple[int, int] | None = None
        self._recentre: int | None = None
        self._agenda = AgendaModel(self)
        self.setModel(self._agenda)
        self._delegate = AgendaDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSpacing(0)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self._room: RoomView | None = None
        self._meeting_id: int | None = None
        self._current_id: int | None = None
        self.selectionModel().selectionChanged.connect(self._selection_changed)

    # ------------------------------------------------------------------ data

    def set_model(self, room: RoomView, meeting_id: int | None) -> None:
        """Show ``meeting_id``'s agenda from ``room``; keeps selection, follows the current item.

        When the live current item moves it is scrolled into view, and if the user's selection
        was on the previous current item (or nothing), the selection follows it too.
        """
        old_meeting = self._meeting_id
        old_current = self._current_id
        selected = self.selected_item_id()
        scroll = self.verticalScrollBar().value()

        rows: list[Row] = []
        current: AgendaItem | None = None
        if meeting_id is not None:
            for depth, item in room.walk(meeting_id):
                rows.append(Row(depth, room.display_number(item), item, shown_status(room, item)))
            current = room.current_item(meeting_id)
        self._room = room
        self._meeting_id = meeting_id
        self._current_id = current.id if current is not None else None
        self._delegate.number_width = self._number_width(rows)

        self.selectionModel().blockSignals(True)
        self._agenda.set_rows(rows)
        self.doItemsLayout()
        meeting_changed = meeting_id != old_meeting
        current_moved = self._current_id != old_current
        follow = selected is None or selected == old_current or meeting_changed
        keep = None if meeting_changed else selected
        if follow and current_moved and self._current_id is not None:
            keep = self._current_id
        if keep is not None and self._agenda.row_of(keep) is not None:
            self._select_row(self._agenda.row_of(keep))
        self.selectionModel().blockSignals(False)

        if (meeting_changed or current_moved) and self._current_id is not None:
            self.scroll_to_item(self._current_id)
        elif not meeting_changed:
            self.verticalScrollBar().setValue(scroll)
        new_selected = self.selected_item_id()
        if new_selected != selected or meeting_changed:
            self.itemSelected.emit(new_selected)
        if current_moved or meeting_changed:
            self.currentItemChanged.emit(self._current_id)

    def _number_width(self, rows: list[Row]) -> int:
        widest = 0
        for row in rows:
            fm = QFontMetrics(self._delegate._title_font(row.depth, True))
            widest = max(widest, fm.horizontalAdvance(row.number))
        return min(max(widest, 24), 140)

    def room(self) -> RoomView | None:
        return self._room

    def meeting_id(self) -> int | None:
        return self._meeting_id

    def item_ids(self) -> list[int]:
        """Item ids in the order shown."""
        return [row.item.id for row in self._agenda.rows()]

    def rows(self) -> list[Row]:
        return self._agenda.rows()

    def current_item_id(self) -> int | None:
        """The meeting's live current item (what the secretary set), not the user's pick."""
        return self._current_id

    def selected_item_id(self) -> int | None:
        indexes = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        return indexes[0].data(IdRole) if indexes else None

    def selected_item(self) -> AgendaItem | None:
        indexes = self.selectionModel().selectedIndexes()
        return indexes[0].data(ItemRole) if indexes else None

    def select_item(self, item_id: int | None) -> None:
        if item_id is None:
            self.clearSelection()
            return
        row = self._agenda.row_of(item_id)
        if row is not None:
            self._select_row(row)
            self._scroll_to(self._agenda.index(row), QAbstractItemView.ScrollHint.EnsureVisible)

    def _select_row(self, row: int | None) -> None:
        if row is None:
            return
        index = self._agenda.index(row)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def scroll_to_item(self, item_id: int) -> None:
        """Bring the item to the middle of the view (:meth:`_scroll_to`), and keep it there
        when the view changes size, until the user scrolls elsewhere."""
        row = self._agenda.row_of(item_id)
        if row is not None:
            self._scroll_to(self._agenda.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
            self._centred = (item_id, self.verticalScrollBar().value())

    def _scroll_to(self, index: QModelIndex, hint: QAbstractItemView.ScrollHint) -> None:
        """Scroll to ``index`` with the view starting on a whole row: never on the lower half
        of one, its title cut through by the top edge. The cut row scrolls out of view (more
        of what comes next shows), or else in whole, as long as ``index`` stays in view."""
        self.scrollTo(index, hint)
        cut = self.visualRect(self.indexAt(QPoint(self.viewport().width() // 2, 0)))
        if not cut.isValid() or cut.top() >= 0:
            return
        bar = self.verticalScrollBar()
        item = self.visualRect(index)
        for shift in (cut.bottom() + 1, cut.top()):  # the cut row out of view, or whole
            fits = 0 <= bar.value() + shift <= bar.maximum()
            if fits and item.top() >= shift and item.bottom() - shift < self.viewport().height():
                bar.setValue(bar.value() + shift)
                return

    def item_rect(self, item_id: int) -> QRect:
        """Where an item is drawn in viewport coordinates (empty if not shown)."""
        row = self._agenda.row_of(item_id)
        return self.visualRect(self._agenda.index(row)) if row is not None else QRect()

    def is_item_visible(self, item_id: int) -> bool:
        rect = self.item_rect(item_id)
        return not rect.isEmpty() and self.viewport().rect().intersects(rect)

    # ------------------------------------------------------------------ events

    def _selection_changed(self, *_: object) -> None:
        self.itemSelected.emit(self.selected_item_id())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._centred is not None and self._centred[1] == self.verticalScrollBar().value():
            self._recentre = self._centred[0]
        # Row heights depend on the width (titles wrap); recompute them.
        self.scheduleDelayedItemsLayout()

    def doItemsLayout(self) -> None:
        super().doItemsLayout()
        item_id, self._recentre = self._recentre, None
        if item_id is not None:
            self.scroll_to_item(item_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            self.scheduleDelayedItemsLayout()
            self.viewport().update()
        super().changeEvent(event)


class _StatePill(QLabel):
    """The item's state: one line as wide as its words, wrapped only in a narrow panel
    ("In progress — sub-item 2.1 is being discussed" is long for the console's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        self.ensurePolished()  # measured in the style sheet's font, not the default one
        one_line = self.heightForWidth(100_000)
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right()
        for _ in range(16):  # the label lays its text out a few pixels wider than measured
            if self.heightForWidth(width) <= one_line:
                break
            width += 2
        return QSize(width, one_line)


class AgendaItemDetail(QScrollArea):
    """The selected item in full: number and title, planned time, state, its documents,
    description. ``openRequested(Document)`` when the delegate taps a document."""

    openRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        body = QWidget(self)
        body.setObjectName("itemDetailBody")
        self._state = _StatePill(body)
        self._state.setObjectName("detailState")
        self._title = QLabel(body)
        self._title.setObjectName("detailTitle")
        self._title.setWordWrap(True)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._meta = QLabel(body)
        self._meta.setObjectName("detailMeta")
        self._meta.setWordWrap(True)
        self._description = QLabel(body)
        self._description.setObjectName("detailDescription")
        self._description.setWordWrap(True)
        self._description.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._description.setTextFormat(Qt.TextFormat.PlainText)
        self._description.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding
        )
        box = QVBoxLayout(body)
        box.setContentsMargins(24, 20, 24, 20)
        box.setSpacing(12)
        state_row = QHBoxLayout()  # the pill as wide as its words, wrapping if the panel is not
        state_row.addWidget(self._state)
        state_row.addStretch(1)
        box.addLayout(state_row)
        box.addWidget(self._title)
        box.addWidget(self._meta)
        self.documents = DocumentList(body)
        self.documents.openRequested.connect(self.openRequested)
        box.addWidget(self.documents)
        box.addWidget(self._description, 1)
        self.setWidget(body)
        self._progress = Progress()
        self._reading: Callable[[int], Reading] = lambda _id: Reading()
        self._online = False
        self._item: AgendaItem | None = None
        self._number = ""
        self._status: ShownStatus = "pending"
        self._current_number = ""  # of the sub-item being discussed, when in progress
        self.retranslate()

    def show_item(self, room: RoomView, item_id: int | None) -> None:
        """Show item ``item_id`` of ``room`` (nothing for ``None`` or an unknown id)."""
        item = room.items.get(item_id) if item_id is not None else None
        self._item = item
        self._number = room.display_number(item) if item is not None else ""
        self._status = shown_status(room, item) if item is not None else "pending"
        current = room.current_item(item.meeting_id) if item is not None else None
        self._current_number = room.display_number(current) if current is not None else ""
        docs = room.documents_of(item.id) if item is not None else []
        self.documents.show_documents(docs, self._progress, self._reading, self._online)
        self.retranslate()

    def set_document_state(
        self, progress: Progress, reading: Callable[[int], Reading], online: bool
    ) -> None:
        """What the device holds of the documents, where the delegate read them, and whether
        the room is reachable (for the documents' state lines)."""
        self._progress, self._reading, self._online = progress, reading, online
        self.documents.show_documents(self.documents.documents(), progress, reading, online)

    def item(self) -> AgendaItem | None:
        return self._item

    def state_text(self) -> str:
        return self._state.text() if self._item is not None else ""

    def title_text(self) -> str:
        return self._title.text()

    def description_text(self) -> str:
        return self._description.text()

    def retranslate(self) -> None:
        item = self._item
        if item is None:
            self._state.hide()
            self._title.setText("")
            self._meta.setText("")
            self._description.setText(self.tr("Tap an agenda item to read its details."))
            self._description.setProperty("placeholder", True)
            self._restyle(self._description)
            return
        self._description.setProperty("placeholder", False)
        self._restyle(self._description)
        states = {
            "current": self.tr("Now being discussed"),
            "in_progress": self.tr("In progress — sub-item %1 is being discussed").replace(
                "%1", self._current_number
            ),
            "done": self.tr("Finished"),
            "pending": self.tr("Coming up"),
        }
        self._state.setText(states[self._status])
        self._state.setProperty("state", self._status)
        self._restyle(self._state)
        self._state.show()
        self._title.setText(f"{self._number}  {item.title}" if self._number else item.title)
        parts = []
        if item.planned_start:
            parts.append(self.tr("Planned start %1").replace("%1", item.planned_start))
        if item.planned_minutes:
            parts.append(self.tr("Duration %1 min").replace("%1", str(item.planned_minutes)))
        self._meta.setText(" · ".join(parts))
        self._meta.setVisible(bool(parts))
        self._description.setText(item.description or self.tr("No description."))

    @staticmethod
    def _restyle(widget: QWidget) -> None:
        """Re-apply the style sheet after a dynamic property changed."""
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
