"""The document reader, offscreen, with its real render process.

Documents are the Vietnamese ones made by :func:`tests.app.test_render_worker.vietnamese_pdf`
and, where the Debian package is installed, the LilyPond notation manual (930 pages, 619
outline entries). Pixels are read from the window itself (``grab``), as a screenshot would.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPointingDevice, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app import render as r
from tests.app.test_render_worker import WATERMARK, vietnamese_pdf
from tests.realdocs import real_pdf
from tests.ui.support import show_top
from ui import reader
from ui.i18n import Translations
from ui.reader import ReaderWindow
from ui.reader.pageview import BACKDROP_LIMIT, Fit, PageView
from ui.reader.renderer import CRASH_LIMIT, Picture

OpenReader = Callable[..., ReaderWindow]


@pytest.fixture(scope="module")
def touchscreen() -> QPointingDevice:
    return QTest.createTouchDevice()


@pytest.fixture
def open_reader(qtbot: QtBot) -> Iterator[OpenReader]:
    """Open a document in a reader shown at 1280 x 800 and wait for its page to be sharp;
    afterwards, the reader is closed and its render process must be gone."""
    opened: list[ReaderWindow] = []

    def open_(
        pdf: bytes | None = None,
        page: int = 0,
        watermark: str = WATERMARK,
        size: tuple[int, int] = (1280, 800),
        sharp: bool = True,
    ) -> ReaderWindow:
        window = ReaderWindow("Nghị quyết số 12", pdf or vietnamese_pdf(), watermark, page)
        show_top(qtbot, window, *size)
        opened.append(window)
        if sharp:
            qtbot.waitUntil(window.view.is_sharp, timeout=20_000)
        return window

    yield open_
    pids = [w.client.pid() for w in opened]
    for window in opened:
        window.close_document()
    qtbot.waitUntil(lambda: all(_gone(pid) for pid in pids))
    reader.shutdown()


def _gone(pid: int | None) -> bool:
    """Whether the process has ended (and been reaped, or is about to be)."""
    if pid is None or not psutil.pid_exists(pid):
        return True
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _shot(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def _inked(image: QImage, left: int, top: int, right: int, bottom: int) -> float:
    """The share of the pixels in the box that are not white paper."""
    inked = total = 0
    for y in range(top, bottom, 3):
        for x in range(left, right, 3):
            total += 1
            inked += QColor(image.pixel(x, y)).lightness() < 245
    return inked / max(total, 1)


def _page_box(view: PageView) -> tuple[int, int, int, int]:
    """The part of the page in sight, in the viewport's pixels, a little inside its edges."""
    rect = view.page_rect().toAlignedRect().intersected(view.viewport().rect())
    return rect.left() + 4, rect.top() + 4, rect.right() - 4, rect.bottom() - 4


def _exact(view: PageView) -> Picture | None:
    return view.cache().get(r.Job(view.page(), view.device_width(), view.dark()))


def _drawn_at_zoom(view: PageView) -> list[Picture]:
    """The pictures of the page shown drawn at the zoom shown: the page, or its tiles."""
    return [
        p
        for p in view.cache().of_page(view.page(), view.dark())
        if p.job.width == view.device_width()
    ]


# ---------------------------------------------------------------------------- opening


def test_opens_on_the_page_asked_for_sharp_at_fit_width(open_reader: OpenReader) -> None:
    window = open_reader(page=2)
    view = window.view
    assert view.page() == 2 == window.current_page()
    assert window.page_field.text() == "3" and window.page_count_label.text() == "of 3"
    picture = _exact(view)
    assert picture is not None
    assert view.fit() is Fit.WIDTH
    assert picture.image.width() == view.device_width() == round(view.page_rect().width())
    assert abs(view.page_rect().width() - (view.viewport().width() - 24)) <= 1


def test_an_initial_page_past_the_end_opens_the_last(open_reader: OpenReader) -> None:
    window = open_reader(page=40)
    assert window.view.page() == 2 and window.page_field.text() == "3"


# ---------------------------------------------------------------------------- turning pages


def test_pages_turn_by_keys_buttons_and_number_and_each_turn_is_reported(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(8))
    turns: list[int] = []
    window.pageChanged.connect(turns.append)
    view = window.view
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Left)
    window.next_button.click()
    QTest.keyClick(view, Qt.Key.Key_End)
    assert not window.next_button.isEnabled()
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert not window.previous_button.isEnabled()
    window.page_field.setText("6")
    QTest.keyClick(window.page_field, Qt.Key.Key_Return)
    assert turns == [1, 2, 1, 2, 7, 0, 5]
    assert window.current_page() == 5 and window.page_field.text() == "6"
    qtbot.waitUntil(view.is_sharp)


def test_page_down_reads_down_the_page_before_turning_it(open_reader: OpenReader) -> None:
    window = open_reader()
    view, bar = window.view, window.view.verticalScrollBar()
    assert bar.maximum() > 0  # a fit-width page is taller than the window
    presses = 0
    while view.page() == 0:
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        presses += 1
    assert presses >= 2 and bar.value() == 0
    QTest.keyClick(view, Qt.Key.Key_PageUp)
    assert view.page() == 0 and bar.value() == bar.maximum()  # back at the bottom of page 1


def test_the_next_page_is_drawn_before_it_is_asked_for(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(6))
    view = window.view
    qtbot.waitUntil(lambda: r.Job(1, view.device_width(), False) in view.cache())
    shown: list[int] = []
    view.pageShown.connect(shown.append)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert shown == [1]  # at once: no round trip to the renderer


def test_the_wheel_past_the_end_of_the_page_turns_it(open_reader: OpenReader) -> None:
    window = open_reader(vietnamese_pdf(4), page=1)
    view = window.view

    def wheel(notches: int) -> None:
        for _ in range(abs(notches)):
            centre = QPointF(view.viewport().rect().center())
            event = QWheelEvent(
                centre,
                view.viewport().mapToGlobal(centre),
                QPoint(),
                QPoint(0, -120 if notches > 0 else 120),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            )
            QApplication.sendEvent(view.viewport(), event)

    bar = view.verticalScrollBar()
    while bar.value() < bar.maximum():  # down the page
        wheel(1)
    wheel(1)  # a notch past its end is not enough
    assert window.current_page() == 1
    wheel(1)
    assert window.current_page() == 2 and bar.value() == 0
    wheel(-1)
    assert window.current_page() == 2
    wheel(-1)
    assert window.current_page() == 1 and bar.value() == bar.maximum()


def test_a_sideways_swipe_turns_the_page(
    qtbot: QtBot, open_reader: OpenReader, touchscreen: QPointingDevice
) -> None:
    window = open_reader(vietnamese_pdf(5), page=2)
    viewport = window.view.viewport()

    def drag(dx: int, dy: int = 0) -> None:
        start = QPoint(viewport.width() // 2, viewport.height() // 2)
        QTest.touchEvent(viewport, touchscreen).press(0, start, viewport).commit()
        for step in range(1, 13):
            qtbot.wait(16)
            point = start + QPoint(dx * step // 12, dy * step // 12)
            QTest.touchEvent(viewport, touchscreen).move(0, point, viewport).commit()
        QTest.touchEvent(viewport, touchscreen).release(0, point, viewport).commit()
        qtbot.wait(50)

    drag(-400)  # finger to the left: the next page comes in from the right
    qtbot.waitUntil(lambda: window.current_page() == 3)
    drag(400)
    qtbot.waitUntil(lambda: window.current_page() == 2)
    drag(-60)  # too short
    drag(-60, 300)  # mostly down: scrolling, not turning
    assert window.current_page() == 2


def test_page_turns_passed_before_they_are_drawn_are_not_drawn(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(60))
    drawn: list[int] = []
    window.client.picture.connect(
        lambda picture: drawn.append(picture.job.page) if picture.lane == "view" else None
    )
    for _ in range(40):
        QTest.keyClick(window.view, Qt.Key.Key_Right)
    qtbot.waitUntil(window.view.is_sharp)
    assert window.current_page() == 40
    assert drawn[-1] == 40
    assert len(drawn) < 20  # most of the pages turned past were dropped, not drawn


# ---------------------------------------------------------------------------- zooming


def test_every_zoom_is_drawn_again_at_that_zoom(qtbot: QtBot, open_reader: OpenReader) -> None:
    window = open_reader()
    view = window.view
    widths = [view.device_width()]
    window.zoom_in_button.click()
    for _ in range(3):
        qtbot.waitUntil(view.is_sharp)
        picture = _exact(view)
        assert picture is not None and picture.image.width() == view.device_width()
        assert window.zoom_label.text() == f"{round(view.zoom() * 100)} %"
        widths.append(view.device_width())
        window.zoom_out_button.click()
    assert widths[1] > widths[0] > widths[2] > widths[3]
    window.fit_page_button.click()
    qtbot.waitUntil(view.is_sharp)
    assert view.fit() is Fit.PAGE and window.fit_page_button.isChecked()
    assert view.page_rect().height() <= view.viewport().height()
    assert _exact(view) is not None


def test_past_a_size_the_page_is_drawn_in_tiles(qtbot: QtBot, open_reader: OpenReader) -> None:
    window = open_reader()
    view = window.view
    view.set_zoom(6.0)
    assert view.tiled()
    qtbot.waitUntil(view.is_sharp, timeout=20_000)
    pictures = list(view.cache().of_page(0, False))
    tiles = [p for p in pictures if p.job.tile is not None]
    assert tiles and all(p.job.width == view.device_width() for p in tiles)
    whole = [p for p in pictures if p.job.tile is None]
    assert all(p.image.width() * p.image.height() <= BACKDROP_LIMIT * 2 for p in whole)
    # the tiles in sight cover the viewport: the page's ink shows where a title is
    view.verticalScrollBar().setValue(0)
    view.horizontalScrollBar().setValue(0)
    qtbot.waitUntil(view.is_sharp, timeout=20_000)
    assert _inked(_shot(view.viewport()), *_page_box(view)) > 0.02


def test_a_pinch_zooms_about_the_fingers_then_the_page_is_drawn_sharp(
    qtbot: QtBot, open_reader: OpenReader, touchscreen: QPointingDevice
) -> None:
    window = open_reader()
    view = window.view
    viewport = view.viewport()
    before = view.zoom()
    centre = QPoint(viewport.width() // 2, viewport.height() // 3)
    a, b = centre - QPoint(60, 0), centre + QPoint(60, 0)
    QTest.touchEvent(viewport, touchscreen).press(0, a, viewport).press(1, b, viewport).commit()
    for step in range(1, 11):
        qtbot.wait(16)
        spread = QPoint(12 * step, 0)
        QTest.touchEvent(viewport, touchscreen).move(0, a - spread, viewport).move(
            1, b + spread, viewport
        ).commit()
    QTest.touchEvent(viewport, touchscreen).release(0, a - spread, viewport).release(
        1, b + spread, viewport
    ).commit()
    qtbot.waitUntil(lambda: not view.pinching())
    assert view.zoom() > before * 1.5 and view.fit() is Fit.ZOOM
    qtbot.waitUntil(view.is_sharp)
    assert _drawn_at_zoom(view)


def test_the_pinch_keeps_the_point_under_the_fingers(qtbot: QtBot, open_reader: OpenReader) -> None:
    window = open_reader(sharp=False)
    view = window.view
    qtbot.waitUntil(lambda: view.page_count() == 3)
    fingers = view.viewport().rect().center().toPointF()
    rect = view.page_rect()
    spot = ((fingers.x() - rect.x()) / rect.width(), (fingers.y() - rect.y()) / rect.height())
    for zoom in (1.6, 2.4, 3.0):
        view.pinch_to(zoom, fingers)
        assert view.zoom() == pytest.approx(zoom)
        after = view.page_rect()
        assert after.x() + spot[0] * after.width() == pytest.approx(fingers.x(), abs=1.5)
        assert after.y() + spot[1] * after.height() == pytest.approx(fingers.y(), abs=1.5)
    view.end_pinch()
    assert not view.pinching()


# ---------------------------------------------------------------------------- search


def test_search_finds_every_hit_on_the_page_and_highlights_it(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    blank = _shot(window.view.viewport())
    window.search_button.click()
    bar = window.search_bar
    assert bar.isVisible() and bar.field.hasFocus()
    bar.search("nghị quyết")
    qtbot.waitUntil(lambda: len(window.view.hits()) == 4)
    qtbot.waitUntil(lambda: bar.status_text() == "Hit 1 of 4")
    shot = _shot(window.view.viewport())
    view = window.view
    rect, scale = view.page_rect(), view.scale()
    for boxes in view.hits():
        x0, _, x1, y1 = boxes[0]
        point = QPoint(round(rect.x() + (x0 + x1) / 2 * scale), round(rect.y() + y1 * scale))
        assert shot.pixelColor(point) != blank.pixelColor(point)  # painted over
        assert shot.pixelColor(point).blue() < shot.pixelColor(point).red()  # in yellow
    bar.next_hit()
    assert bar.status_text() == "Hit 2 of 4"
    bar.previous_hit()
    bar.previous_hit()
    assert bar.status_text() == "Hit 4 of 4"  # round to the last


def test_search_without_diacritics_finds_vietnamese_text(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    window.search_button.click()
    window.search_bar.search("nghi quyet")
    qtbot.waitUntil(lambda: len(window.view.hits()) == 5)
    window.search_bar.search("phát triển bền vững")
    qtbot.waitUntil(lambda: window.current_page() == 2)  # the first hit, on page 3
    qtbot.waitUntil(lambda: len(window.view.hits()) == 1)
    assert len(window.view.hits()[0]) == 2  # over two lines
    window.search_bar.search("không có chữ này")
    qtbot.waitUntil(lambda: window.search_bar.status_text() == "Not found")


def test_next_hit_goes_across_pages_from_the_page_read(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(8), page=5)
    bar = window.search_bar
    window.search_button.click()
    bar.search("nội dung")  # on pages 4 to 8 (from 0: 3 to 7)
    qtbot.waitUntil(lambda: bar.status_text() == "Hit 3 of 5")  # page 6 first: where we are
    bar.next_hit()
    bar.next_hit()
    assert window.current_page() == 7
    bar.next_hit()
    assert window.current_page() == 3  # round to the first
    qtbot.waitUntil(lambda: len(window.view.hits()) == 1)
    assert bar.status_text() == "Hit 1 of 5"
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and window.view.hits() == []
    assert not window.search_button.isChecked()


# ---------------------------------------------------------------------------- panels


def test_the_contents_list_the_outline_and_lead_to_their_page(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    window.contents_button.click()
    outline = window.outline
    qtbot.waitUntil(lambda: outline.entry_count() == 2)
    assert outline.isVisible() and outline.current_title() == "Phần I — Nghị quyết"
    child = outline.model().index(0, 0, outline.model().index(0, 0))
    assert child.data() == "Kế hoạch"
    outline.clicked.emit(child)
    assert window.current_page() == 2 and outline.current_title() == "Kế hoạch"
    assert window.view.verticalScrollBar().value() == pytest.approx(
        200 * window.view.scale(), abs=2
    )
    top = outline.model().index(0, 0)
    outline.collapse(top)
    outline.clicked.emit(top)  # a line with lines under it opens as it leads there
    assert outline.isExpanded(top) and window.current_page() == 0
    window.pages_button.click()  # one panel at a time
    assert not window.contents_button.isChecked() and window.thumbnails.isVisible()
    window.pages_button.click()
    assert not window.sidebar.isVisible()


def test_thumbnails_show_the_pages_watermarked_and_lead_to_them(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(12))
    window.pages_button.click()
    strip = window.thumbnails
    qtbot.waitUntil(lambda: all(strip.picture(p) is not None for p in strip.visible_pages()))
    assert len(strip.visible_pages()) >= 6
    blank = strip.picture(1)  # page 2 is blank but for the watermark
    assert blank is not None and blank.image.width() == strip.device_width()
    image = blank.image
    assert _inked(image, 0, 0, image.width(), image.height()) > 0.02
    index = strip.model().index(4, 0)
    QTest.mouseClick(
        strip.viewport(), Qt.MouseButton.LeftButton, pos=strip.visualRect(index).center()
    )
    assert window.current_page() == 4 and strip.current() == 4


def test_on_a_narrow_screen_choosing_a_page_gives_the_room_back_to_it(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(8), size=(853, 533))
    window.pages_button.click()
    assert window.sidebar.isVisible()
    window.thumbnails.pageRequested.emit(5)
    assert window.current_page() == 5 and not window.sidebar.isVisible()
    assert not window.pages_button.isChecked()
    wide = open_reader(vietnamese_pdf(8))
    wide.pages_button.click()
    wide.thumbnails.pageRequested.emit(5)
    assert wide.current_page() == 5 and wide.sidebar.isVisible()


def test_the_watermark_is_in_what_the_screen_shows(qtbot: QtBot, open_reader: OpenReader) -> None:
    window = open_reader(page=1)  # the blank page
    shot = _shot(window)
    view = window.view
    box = view.viewport().mapTo(window, QPoint(*_page_box(view)[:2]))
    right, bottom = _page_box(view)[2:]
    assert _inked(shot, box.x(), box.y(), right, bottom) > 0.03
    other = open_reader(page=1, watermark="Trần Văn Bình · 0456")
    assert _shot(other.view.viewport()) != _shot(view.viewport())
    plain = open_reader(page=1, watermark="")
    assert _inked(_shot(plain.view.viewport()), *_page_box(plain.view)) == 0


def test_dark_pages_are_inverted_pages_and_thumbnails(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(watermark="")
    window.pages_button.click()
    window.dark_button.click()
    view = window.view
    qtbot.waitUntil(view.is_sharp)
    qtbot.waitUntil(lambda: window.thumbnails.picture(0) is not None)
    left, top, _, _ = _page_box(view)
    assert QColor(_shot(view.viewport()).pixel(left, top)).lightness() < 20
    thumb = window.thumbnails.picture(0)
    assert thumb is not None and QColor(thumb.image.pixel(2, 2)).lightness() < 20
    window.dark_button.click()
    qtbot.waitUntil(view.is_sharp)
    assert QColor(_shot(view.viewport()).pixel(left, top)).lightness() > 240


# ---------------------------------------------------------------------------- the renderer


def _renderers() -> set[int]:
    return {
        child.pid
        for child in psutil.Process().children()
        if "app.render_worker" in " ".join(child.cmdline()) and not _gone(child.pid)
    }


def test_a_prepared_renderer_takes_the_document_and_another_is_made_ready(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    before = _renderers()
    reader.prepare()
    qtbot.waitUntil(lambda: len(_renderers() - before) == 1)
    (spare,) = _renderers() - before
    window = open_reader()
    assert window.client.pid() == spare
    qtbot.waitUntil(lambda: len(_renderers() - before) == 2, timeout=10_000)  # a new spare
    reader.shutdown()
    qtbot.waitUntil(lambda: _renderers() - before == {spare})


def test_a_page_that_cannot_be_drawn_is_not_waited_for(open_reader: OpenReader) -> None:
    window = open_reader(vietnamese_pdf(4))
    view = window.view
    view.set_page(3)
    view.page_failed(r.Job(3, view.device_width(), False))
    assert view.is_sharp()  # nothing more to wait for: the page says it cannot be shown


def test_a_killed_renderer_is_restarted_and_the_reader_says_so(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(20))
    first = window.client.pid()
    assert first is not None
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: "restarted" in window.banner_text(), timeout=10_000)
    second = window.client.pid()
    assert second is not None and second != first
    window.view.set_page(15)  # a page the old renderer never drew
    qtbot.waitUntil(window.view.is_sharp, timeout=20_000)
    assert window.current_page() == 15


def test_a_document_that_keeps_crashing_its_renderer_is_given_up(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    for _ in range(CRASH_LIMIT):
        pid = window.client.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        qtbot.waitUntil(lambda pid=pid: window.client.pid() != pid, timeout=10_000)
    assert "keeps stopping" in window.message_text()
    assert window.client.pid() is None


def test_nothing_is_written_while_a_document_is_open(
    qtbot: QtBot, open_reader: OpenReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    shm = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
    given = os.readlink("/proc/self/fd/2")  # stderr (pytest's capture file)

    def written(process: psutil.Process) -> set[str]:
        return {
            f.path
            for f in process.open_files()
            if f.mode != "r" and f.path != given and not f.path.startswith("/dev/")
        }

    before = written(psutil.Process())  # whatever the tests themselves opened
    window = open_reader(vietnamese_pdf(10))
    window.pages_button.click()
    window.search_button.click()
    window.search_bar.search("nghị")
    qtbot.waitUntil(lambda: window.search_bar.status_text() == "Hit 1 of 4")
    window.zoom_in_button.click()
    qtbot.waitUntil(window.view.is_sharp)
    assert written(psutil.Process()) == before
    assert written(psutil.Process(window.client.pid())) == set()
    assert list(tmp_path.iterdir()) == []
    if os.path.isdir("/dev/shm"):
        assert set(os.listdir("/dev/shm")) <= shm


# ---------------------------------------------------------------------------- revisions


def test_a_revision_opens_on_the_same_page_and_marks_the_changed_ones(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(6), page=3)
    window.pages_button.click()
    qtbot.waitUntil(window.view.is_sharp)
    window.show_revision(vietnamese_pdf(6, changed="Sửa đổi lần 2"), [0, 3])
    qtbot.waitUntil(lambda: window.thumbnails.changed_pages() == {0, 3})
    qtbot.waitUntil(window.view.is_sharp)
    assert window.current_page() == 3
    assert window.banner_text() == "A revised version has arrived: pages 1, 4 changed."
    assert window.changed_label.isVisible()
    window.view.set_page(0)
    qtbot.waitUntil(window.view.is_sharp)
    window.search_button.click()
    window.search_bar.search("sửa đổi")
    qtbot.waitUntil(lambda: len(window.view.hits()) == 1)  # the new text is searched
    strip = window.thumbnails
    badge = strip.visualRect(strip.model().index(0, 0))
    shot = strip.viewport().grab().toImage()
    yellow = [
        shot.pixelColor(x, y)
        for x in range(badge.left(), badge.right())
        for y in range(badge.top(), badge.top() + 40)
    ]
    assert any(c.red() > 200 and c.green() > 150 and c.blue() < 60 for c in yellow)


def test_a_revision_shorter_than_the_page_read_opens_on_its_last_page(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(12), page=10)
    turns: list[int] = []
    window.pageChanged.connect(turns.append)
    window.show_revision(vietnamese_pdf(4), [3])
    qtbot.waitUntil(lambda: window.page_count_label.text() == "of 4")
    qtbot.waitUntil(window.view.is_sharp)
    assert window.current_page() == 3 and turns[-1] == 3
    assert window.changed_label.isVisible()


def test_a_withdrawn_document_leaves_the_screen_with_a_message(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    qtbot.waitUntil(lambda: window.outline.entry_count() == 2)
    pid = window.client.pid()
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.withdraw("Thay bằng văn kiện số 14.")
    assert "withdrawn" in window.message_text() and "văn kiện số 14" in window.message_text()
    assert len(window.view.cache()) == 0 and window.client.pid() is None
    assert window.view.page_count() == 0 and window.outline.entry_count() == 0
    qtbot.waitUntil(lambda: _gone(pid))
    assert not window.controls.isVisible() and not window.search_button.isVisible()
    window.message_close.click()
    window.close_document()
    assert closed == [True]


def test_closing_stops_the_renderer_and_says_closed_once(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader()
    pid = window.client.pid()
    with qtbot.waitSignal(window.closed):
        window.close_button.click()
    assert window.is_closed() and not window.isVisible()
    assert pid is not None
    qtbot.waitUntil(lambda: _gone(pid))


def test_page_images_go_back_to_the_system_when_the_reader_closes(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(vietnamese_pdf(12))
    for page in range(12):
        window.view.set_page(page)
        qtbot.waitUntil(window.view.is_sharp)
    held = window.view.cache().nbytes()
    assert held > 40 << 20
    peak = psutil.Process().memory_info().rss
    window.close_document()
    gc.collect()
    # not left in the heap for whatever comes next: the pixels' memory is unmapped
    assert peak - psutil.Process().memory_info().rss > held * 0.7


def test_a_damaged_document_says_so(qtbot: QtBot, open_reader: OpenReader) -> None:
    window = open_reader(b"%PDF-1.7 this is not really one", sharp=False)
    qtbot.waitUntil(lambda: "damaged" in window.message_text())


# ---------------------------------------------------------------------------- tablet


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("size", [(1280, 800), (853, 533)])
def test_every_control_is_touch_sized_and_fits_a_tablet(
    qtbot: QtBot,
    open_reader: OpenReader,
    translations: Translations,
    size: tuple[int, int],
    language: str,
) -> None:
    translations.set_language(language)
    window = open_reader(vietnamese_pdf(6), size=size)
    window.show_revision(vietnamese_pdf(6), [0])  # with the "changed" mark
    qtbot.waitUntil(window.changed_label.isVisible)
    window.search_button.click()
    window.contents_button.click()
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QPushButton | QLineEdit) and w.isVisible()
    ]
    assert len(controls) >= 15
    for control in controls:
        assert control.height() >= 44, control.objectName() or control.text()
        placed = QRect(control.mapTo(window, QPoint(0, 0)), control.size())
        assert window.rect().contains(placed), control.text()  # inside the window
        if isinstance(control, QPushButton):  # its whole text shows
            assert control.width() >= control.sizeHint().width(), control.text()
    for label in window.controls.findChildren(QLabel):
        if label.isVisible():
            assert label.width() >= label.sizeHint().width(), label.text()
    assert window.controls.sizeHint().width() <= size[0]


def test_the_reader_speaks_vietnamese(
    qtbot: QtBot, open_reader: OpenReader, translations: Translations
) -> None:
    window = open_reader()
    translations.set_language("vi")
    assert window.close_button.text() == "‹  Đóng"
    assert window.page_count_label.text() == "/ 3"
    window.search_button.click()
    window.search_bar.search("nghị quyết")
    qtbot.waitUntil(lambda: window.search_bar.status_text() == "Kết quả 1 / 4")
    translations.set_language("en")
    assert window.close_button.text() == "‹  Close"
    assert window.search_bar.status_text() == "Hit 1 of 4"


# ---------------------------------------------------------------------------- a real book


def test_the_notation_manual_opens_with_its_619_line_outline(
    qtbot: QtBot, open_reader: OpenReader
) -> None:
    window = open_reader(real_pdf("notation.pdf").read_bytes(), page=100)
    assert window.page_count_label.text() == "of 930"
    window.contents_button.click()
    outline = window.outline
    qtbot.waitUntil(lambda: outline.entry_count() == 619, timeout=20_000)
    assert outline.current_title() != ""  # the section page 101 is in
    found = outline.model().match(
        outline.model().index(0, 0),
        Qt.ItemDataRole.DisplayRole,
        "Writing pitches",
        1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )
    outline.clicked.emit(found[0])
    assert window.current_page() == 13  # printed page 14, where the section starts
    qtbot.waitUntil(window.view.is_sharp, timeout=20_000)
    window.search_button.click()
    window.search_bar.search("transpose")
    qtbot.waitUntil(lambda: bool(window.view.hits()), timeout=20_000)
    assert window.current_page() >= 13
