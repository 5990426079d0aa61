"""The agenda view: printed order, numbering, the current item highlighted and followed."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.support import long_model, sample_model, show_top
from ui import theme
from ui.i18n import Translations
from ui.widgets.agenda import AgendaDelegate, AgendaItemDetail, AgendaView


def _view(qtbot: QtBot) -> AgendaView:
    view = AgendaView()
    show_top(qtbot, view, 700, 500)
    return view


def _band_colour(view: AgendaView, image: QImage, item_id: int) -> QColor:
    """Colour of an item's row, sampled inside the row between its text lines' left margin."""
    rect = view.item_rect(item_id)
    ratio = image.devicePixelRatio()
    return image.pixelColor(int((rect.left() + 10) * ratio), int(rect.center().y() * ratio))


def test_rows_follow_agenda_order_with_outline_numbers(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(sample_model(), 1)
    assert view.item_ids() == [1, 2, 3, 4, 5, 6, 7, 8]
    numbers = [(row.depth, row.number) for row in view.rows()]
    assert numbers[:4] == [(0, "1"), (1, "1.1"), (1, "1.2"), (0, "2")]
    assert numbers[5] == (1, "3.1")


def test_rows_are_touch_sized(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(sample_model(), 1)
    for item_id in view.item_ids():
        assert view.item_rect(item_id).height() >= 48


def test_current_item_is_painted_as_a_solid_band(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(sample_model(current=4), 1)
    assert view.current_item_id() == 4
    image = view.viewport().grab().toImage()
    assert _band_colour(view, image, 4) == theme.ACCENT
    assert _band_colour(view, image, 7) != theme.ACCENT  # pending
    assert view.is_item_visible(3)
    assert _band_colour(view, image, 3) != theme.ACCENT  # done


def test_new_model_moves_the_highlight_and_scrolls_to_it(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(long_model(current=2), 1)
    assert view.current_item_id() == 2
    assert view.selected_item_id() == 2  # nothing picked: the selection follows the meeting
    with qtbot.waitSignal(view.currentItemChanged) as moved:
        view.set_model(long_model(current=35), 1)
    assert moved.args == [35]
    assert view.current_item_id() == 35
    assert view.selected_item_id() == 35
    qtbot.waitUntil(lambda: view.is_item_visible(35))
    image = view.viewport().grab().toImage()
    assert _band_colour(view, image, 35) == theme.ACCENT


def test_a_delegates_own_pick_is_kept_when_the_meeting_moves_on(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(sample_model(current=4), 1)
    view.select_item(7)
    view.set_model(sample_model(current=5, done=(1, 2, 3, 4)), 1)
    assert view.current_item_id() == 5
    assert view.selected_item_id() == 7


def test_no_meeting_shows_nothing(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_model(sample_model(), None)
    assert view.item_ids() == []
    assert view.current_item_id() is None


def test_detail_shows_description_and_plan(qtbot: QtBot) -> None:
    detail = AgendaItemDetail()
    qtbot.addWidget(detail)
    model = sample_model()
    detail.show_item(model, 4)
    assert detail.title_text() == "2  Báo cáo chính trị"
    assert detail.state_text() == "Now being discussed"
    assert detail.description_text() == "Trình bày dự thảo Báo cáo chính trị."
    detail.show_item(model, None)
    assert detail.title_text() == ""
    assert detail.state_text() == ""


def _check_column(view: AgendaView, image: QImage, item_id: int) -> set[tuple[int, int, int]]:
    """The colours in the column where a finished item gets its ✓."""
    rect = view.item_rect(item_id)
    ratio = image.devicePixelRatio()
    right = rect.right() - AgendaDelegate.PAD_X
    top = rect.top() + AgendaDelegate.PAD_Y
    return {
        image.pixelColor(int(x * ratio), int(y * ratio)).getRgb()[:3]
        for x in range(right - AgendaDelegate.CHECK_W, right)
        for y in range(top, top + 20)
    }


def test_a_parent_of_the_item_being_discussed_is_in_progress_never_done(
    qtbot: QtBot, translations: Translations
) -> None:
    """Item 3 (id 5) is stored as done, as an older server left it, while 3.1 is current."""
    view = _view(qtbot)
    model = sample_model(current=6, done=(1, 2, 3, 4, 5))
    view.set_model(model, 1)
    statuses = {row.item.id: row.status for row in view.rows()}
    assert statuses[5] == "in_progress"
    assert statuses[6] == "current"
    assert statuses[1] == "done"
    image = view.viewport().grab().toImage()
    assert _band_colour(view, image, 5) == theme.IN_PROGRESS
    assert _check_column(view, image, 5) == {theme.IN_PROGRESS.getRgb()[:3]}  # no ✓
    assert view.is_item_visible(4) and len(_check_column(view, image, 4)) > 1  # its ✓

    detail = AgendaItemDetail()
    qtbot.addWidget(detail)
    detail.show_item(model, 5)
    assert detail.state_text() == "In progress — sub-item 3.1 is being discussed"
    translations.set_language("vi", remember=False)
    assert detail.state_text() == "Đang tiến hành — đang thảo luận mục con 3.1"


def test_asking_the_agenda_for_what_it_does_not_hold_leaks_nothing(qtbot: QtBot) -> None:
    """Qt asks a row for many roles the model leaves unanswered (``None``). PySide6 6.12.0
    drops a reference to ``None`` on each such call made from C++: the delegate app then
    aborts ("deallocating None") after a few hundred repaints of the agenda."""
    view = _view(qtbot)
    view.set_model(sample_model(), 1)
    index = view.model().index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(1000):
        assert index.data(Qt.ItemDataRole.ToolTipRole) is None
    assert sys.getrefcount(None) >= before - 10


def test_the_state_pill_is_one_line_when_there_is_room(qtbot: QtBot) -> None:
    detail = AgendaItemDetail()
    show_top(qtbot, detail, 600, 400)
    detail.show_item(sample_model(current=4), 4)
    QApplication.processEvents()
    pill = detail.findChild(QLabel, "detailState")
    assert pill.height() == pill.heightForWidth(100_000)  # "Now being discussed", unwrapped


def test_the_view_never_starts_on_half_a_row(qtbot: QtBot) -> None:
    """Centring the current item leaves no row cut through by the top edge (the end of the
    list aside: the current item must stay whole)."""
    view = _view(qtbot)
    for current in (4, 5, 6, 7):
        view.set_model(sample_model(current=current, done=()), 1)
        first_shown = next(i for i in view.item_ids() if view.item_rect(i).bottom() >= 0)
        assert view.item_rect(first_shown).top() >= 0
        rect = view.item_rect(current)
        assert rect.top() >= 0 and rect.bottom() < view.viewport().height()
    view.set_model(sample_model(current=8, done=()), 1)
    rect = view.item_rect(8)
    assert rect.top() >= 0 and rect.bottom() < view.viewport().height()


def test_selecting_an_item_below_does_not_leave_half_a_row_on_top(qtbot: QtBot) -> None:
    """(At the very end of the list the selected item must stay whole, which comes first.)"""
    view = _view(qtbot)
    view.set_model(long_model(current=1), 1)
    for item_id in (12, 13, 25, 31):
        view.select_item(item_id)
        first_shown = next(i for i in view.item_ids() if view.item_rect(i).bottom() >= 0)
        assert view.item_rect(first_shown).top() >= 0
        rect = view.item_rect(item_id)
        assert rect.top() >= 0 and rect.bottom() < view.viewport().height()


def test_a_new_size_keeps_the_current_item_in_the_middle_until_the_user_scrolls(
    qtbot: QtBot,
) -> None:
    view = _view(qtbot)
    view.set_model(long_model(current=20), 1)  # laid out at 700 x 500

    def centred() -> bool:
        rect, middle = view.item_rect(20), view.viewport().height() // 2
        return rect.top() <= middle <= rect.bottom() + rect.height()

    assert centred()
    view.resize(700, 900)  # taller: the middle moved
    qtbot.waitUntil(lambda: centred() and view.item_rect(20).top() > 300)
    first_shown = next(i for i in view.item_ids() if view.item_rect(i).bottom() >= 0)
    assert view.item_rect(first_shown).top() >= 0
    view.verticalScrollBar().setValue(0)  # the user looks at the top of the agenda
    view.resize(700, 600)
    qtbot.wait(20)
    assert view.verticalScrollBar().value() == 0
