"""Writing on the page, offscreen, with the real render process: a highlight selected by
dragging over words, ink with a pen and with a finger (and a palm ignored once a pen has been
seen), a note placed and written, a bookmark, the list of annotations searched, and a revision
where highlighted text moved to another page, was edited nearby, and was deleted (orphaned,
listed with its quote). While the delegate writes, the reader says it is busy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QListWidgetItem
from pytestqt.qtbot import QtBot

from app import annotations as a
from app import protocol as p
from tests.app.test_render_worker import A4, FONT, WATERMARK, pymupdf
from tests.ui.support import show_top
from ui.reader import ReaderWindow
from ui.reader.annotating import SHARES, Tool

MOVED = "Ngân sách dành cho giáo dục tăng mười phần trăm so với năm trước."
EDITED_NEAR = "Đại hội giao Ban Chấp hành tổ chức thực hiện nghị quyết này."
DELETED = "Điều khoản tạm thời về phụ cấp được bãi bỏ hoàn toàn."


def _pdf(pages: list[list[str]]) -> bytes:
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=A4[0], height=A4[1])
        for row, line in enumerate(lines):
            page.insert_text(
                (72, 100 + 24 * row), line, fontname="noto", fontfile=FONT, fontsize=13
            )
    return bytes(doc.tobytes())


FIRST = _pdf(
    [
        ["Phần I. Mở đầu.", MOVED, "Nội dung khác của trang một."],
        ["Phần II. Tổ chức thực hiện.", "Trước hết, " + EDITED_NEAR, DELETED],
        ["Phần III. Kết luận."],
    ]
)
REVISED = _pdf(
    [
        ["Phần I. Mở đầu.", "Nội dung khác của trang một."],
        ["Phần II. Tổ chức thực hiện.", "Sau khi thảo luận, " + EDITED_NEAR],
        ["Phần III. Kết luận.", MOVED],
    ]
)


def _doc(version: int = 1) -> p.Document:
    return p.Document(
        id=7,
        meeting_id=3,
        item_id=1,
        title="Nghị quyết",
        version=version,
        key_epoch=1,
        manifest=bytes(32),
        length=1,
        pages=3,
    )


class Kept:
    """What the reader hands on to be kept (the bridge's part), merged as the notebook does."""

    def __init__(self) -> None:
        self.records: dict[bytes, a.Annotation] = {}

    def __call__(self, notes: list[a.Annotation]) -> None:
        for note in notes:
            self.records[note.id] = note

    def live(self) -> list[a.Annotation]:
        return [n for n in self.records.values() if not n.deleted]


@pytest.fixture
def reader(qtbot: QtBot) -> Iterator[tuple[ReaderWindow, Kept]]:
    window = ReaderWindow("Nghị quyết", FIRST, WATERMARK, 0)
    kept = Kept()
    window.attach_annotations(_doc(), [], kept)
    show_top(qtbot, window, 1280, 800)
    qtbot.waitUntil(window.view.is_sharp, timeout=20_000)
    yield window, kept
    window.close_document()


def _at(window: ReaderWindow, x: int, y: int) -> QPoint:
    """Viewport pixels of a point of the page given in shares."""
    target = window.view.page_rect()
    return QPoint(
        round(target.x() + x * target.width() / SHARES),
        round(target.y() + y * target.height() / SHARES),
    )


def _words_ready(qtbot: QtBot, window: ReaderWindow) -> None:
    annotator = window.annotator
    assert annotator is not None
    qtbot.waitUntil(
        lambda: annotator._words is not None and annotator._words.page == window.view.page()
    )


def _line_y(line: int) -> int:
    """The middle of a text line of the test PDFs, in shares of the page's height."""
    return round((100 + 24 * line - 5) / A4[1] * SHARES)


def _drag(window: ReaderWindow, start: QPoint, end: QPoint) -> None:
    viewport = window.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 6
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _highlight(qtbot: QtBot, window: ReaderWindow, line: int) -> None:
    window.highlight_tool.click()
    _words_ready(qtbot, window)
    y = _line_y(line)
    _drag(window, _at(window, 1_300, y), _at(window, 9_000, y))


def test_a_drag_over_words_highlights_them_with_their_text(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept]
) -> None:
    window, kept = reader
    _highlight(qtbot, window, 1)
    [mark] = kept.live()
    assert mark.kind == "highlight" and mark.page == 1 and mark.doc_version == 1
    assert mark.quote is not None and mark.quote.exact == MOVED
    assert mark.quote.prefix.strip().endswith("Mở đầu.")  # context kept to find it again
    assert len(mark.rects) == 1 and mark.rects[0].w > 4_000
    # painted: yellow over the line
    shot = window.view.viewport().grab().toImage()
    centre = _at(window, 3_000, _line_y(1))
    colour = shot.pixelColor(centre.x(), centre.y() + 2)
    assert colour.blue() < colour.red() - 40, colour.name()
    assert window.notes_button.isVisible()
    window.notes_button.click()
    assert window.notes.list.count() == 1
    assert "Highlight" in window.notes.list.item(0).text()


@pytest.fixture(scope="module")
def finger() -> QPointingDevice:
    return QTest.createTouchDevice()


def test_ink_with_a_pen_and_a_finger_and_a_palm_ignored_once_a_pen_writes(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept], finger: QPointingDevice
) -> None:
    window, kept = reader
    window.pen_tool.click()
    _words_ready(qtbot, window)
    viewport = window.view.viewport()
    a1, a2 = _at(window, 2_000, 2_000), _at(window, 6_000, 2_300)
    QTest.touchEvent(viewport, finger).press(0, a1, viewport).commit()
    QTest.touchEvent(viewport, finger).move(0, a1 + (a2 - a1) / 2, viewport).commit()
    QTest.touchEvent(viewport, finger).release(0, a2, viewport).commit()
    [ink] = kept.live()
    assert ink.kind == "ink" and len(ink.strokes) == 1 and len(ink.strokes[0]) >= 4
    assert window.annotating()  # just written: a presenter does not move the page now

    pen = QPointingDevice(
        "pen",
        4242,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )

    def tablet(kind: QTabletEvent.Type, at: QPoint) -> None:
        buttons = (
            Qt.MouseButton.LeftButton
            if kind != QTabletEvent.Type.TabletRelease
            else Qt.MouseButton.NoButton
        )
        event = QTabletEvent(
            kind,
            pen,
            QPointF(at),
            QPointF(viewport.mapToGlobal(at)),
            0.5,
            0,
            0,
            0,
            0,
            0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            buttons,
        )
        QApplication.sendEvent(viewport, event)

    b1, b2 = _at(window, 2_000, 2_800), _at(window, 7_000, 3_000)
    tablet(QTabletEvent.Type.TabletPress, b1)
    tablet(QTabletEvent.Type.TabletMove, b1 + (b2 - b1) / 2)
    tablet(QTabletEvent.Type.TabletRelease, b2)
    [ink] = kept.live()  # written soon after the first: the same annotation
    assert len(ink.strokes) == 2
    # a palm on the glass while the pen writes leaves nothing
    QTest.touchEvent(viewport, finger).press(0, a1, viewport).commit()
    QTest.touchEvent(viewport, finger).move(0, a2, viewport).commit()
    QTest.touchEvent(viewport, finger).release(0, a2, viewport).commit()
    [ink] = kept.live()
    assert len(ink.strokes) == 2


def test_a_note_is_placed_written_listed_found_and_deleted(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept]
) -> None:
    window, kept = reader
    window.note_tool.click()
    _words_ready(qtbot, window)
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=_at(window, 3_000, _line_y(2))
    )
    assert window.note_editor.isVisible() and window.annotating()
    window.note_editor.text.setPlainText("Hỏi lại về khoản chi này")
    window.note_editor.save_button.click()
    assert not window.note_editor.isVisible() and not window.annotating()
    [note] = kept.live()
    assert note.kind == "note" and note.text == "Hỏi lại về khoản chi này"
    assert note.quote is not None and "trang một" in note.quote.exact
    window.bookmark_button.click()
    assert window.bookmark_button.isChecked() and len(kept.live()) == 2
    window.set_annotations(kept.live(), kept.live(), {7: "Nghị quyết"})
    window.notes_button.click()
    assert window.notes.list.count() == 2
    window.notes.search.setText("khoan chi")  # without diacritics
    assert window.notes.list.count() == 1 and "Hỏi lại" in window.notes.list.item(0).text()
    # tapped again, with the reading tool: open, then deleted
    window.read_tool.click()
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=_at(window, 3_000, _line_y(2))
    )
    assert window.note_editor.isVisible() and window.note_editor.delete_button.isVisible()
    window.note_editor.delete_button.click()
    assert [n.kind for n in kept.live()] == ["bookmark"]


def test_a_revision_moves_annotations_with_their_text_and_lists_the_orphan(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept]
) -> None:
    window, kept = reader
    _highlight(qtbot, window, 1)  # moves to page 3
    window.view.set_page(1)
    qtbot.waitUntil(window.view.is_sharp)
    _words_ready(qtbot, window)
    y = _line_y(1)
    _drag(window, _at(window, 2_600, y), _at(window, 9_500, y))  # the words edited before it
    _drag(window, _at(window, 1_300, _line_y(2)), _at(window, 9_500, _line_y(2)))  # deleted
    window.bookmark_button.click()  # its opening words are edited in the revision
    assert len(kept.live()) == 4
    [mark] = [n for n in kept.live() if n.kind == "bookmark"]
    highlights = [n for n in kept.live() if n.kind == "highlight"]
    moved, near, gone = sorted(highlights, key=lambda n: (n.page, n.rects[0].y))
    window.revise(_doc(version=2), kept.live())
    window.show_revision(REVISED, [0, 1, 2])
    qtbot.waitUntil(lambda: all(n.doc_version == 2 for n in kept.live()), timeout=20_000)
    now = {n.id: n for n in kept.live()}
    assert now[moved.id].page == 3 and not now[moved.id].orphaned
    assert now[near.id].page == 2 and not now[near.id].orphaned
    assert now[gone.id].orphaned and now[gone.id].quote == gone.quote
    assert now[mark.id].page == 2 and not now[mark.id].orphaned
    window.set_annotations(kept.live(), kept.live(), {7: "Nghị quyết"})
    window.notes_button.click()
    texts = [window.notes.list.item(i).text() for i in range(window.notes.list.count())]
    header = texts.index("Not found in this version")
    assert DELETED[:20] in texts[header + 1]
    item: QListWidgetItem = window.notes.list.item(0)
    window.notes.list.itemClicked.emit(item)
    assert window.current_page() == 1  # the first listed: page 2


def test_tools_leave_reading_alone_until_chosen(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept]
) -> None:
    window, kept = reader
    assert window.annotator is not None and window.annotator.tool is Tool.READ
    _drag(window, _at(window, 1_300, _line_y(1)), _at(window, 9_000, _line_y(1)))
    assert kept.live() == [] and not window.annotating()


def test_the_annotated_copy_carries_the_annotations_and_the_watermark(
    qtbot: QtBot, reader: tuple[ReaderWindow, Kept]
) -> None:
    window, _kept = reader
    assert not window.export_button.isVisible()  # only where the meeting allows it
    _highlight(qtbot, window, 1)
    window.bookmark_button.click()
    window.allow_export(True)
    assert window.export_button.isVisible()
    copies: list[bytes] = []
    window.exportReady.connect(copies.append)
    window.export_button.click()
    qtbot.waitUntil(lambda: bool(copies), timeout=20_000)
    with pymupdf.open(stream=copies[0], filetype="pdf") as copy:
        assert copy.page_count == 3
        kinds = [annot.type[1] for annot in copy[0].annots()]
        assert kinds == ["Highlight"]
        assert [entry[1:] for entry in copy.get_toc()] == [["Page 1", 1]]
        for page in copy:
            assert "Hồng Nhung" in page.get_text()  # every page carries who it belongs to
