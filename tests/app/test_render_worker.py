"""The render process for real: a PDF in memory, images, the watermark, search, outline.

The documents are made here with PyMuPDF and the bundled Noto Sans, so the Vietnamese text is
real text in the PDF (what search reads), like the meeting's documents. The reader's tests
use the same documents (:func:`vietnamese_pdf`).
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Iterator

import pytest

from app import render as r
from app.render_worker import load_pymupdf
from app.resources import fonts_dir

pymupdf = load_pymupdf()  # as the renderer loads it: without the add-ons that write to ~/.cache

FONT = str(fonts_dir() / "NotoSans-Regular.ttf")
WATERMARK = "Nguyễn Thị Hồng Nhung · 0123"
A4 = (595.0, 842.0)


def vietnamese_pdf(pages: int = 3, changed: str = "") -> bytes:
    """A small meeting document: page 1 a resolution (the phrase "Nghị quyết" four times,
    once in capitals, and "nghỉ quyết", which only a search without diacritics matches),
    page 2 blank, page 3 a plan whose phrase "phát triển bền vững" runs over a line break;
    more pages of plain text after that, and ``changed`` written on page 1 if given."""
    doc = pymupdf.open()
    lines = {
        0: [
            "NGHỊ QUYẾT SỐ 12/NQ-ĐH",
            "Nghị quyết của Đại hội về kế hoạch năm 2026.",
            "Đại hội thông qua Nghị quyết này; Nghị quyết có hiệu lực ngay.",
            "Ghi chú: nghỉ quyết định giữa phiên.",
            changed,
        ],
        1: [],
        2: ["Kế hoạch phát triển kinh tế – xã hội: phát triển", "bền vững và hội nhập."],
    }
    for number in range(pages):
        page = doc.new_page(width=A4[0], height=A4[1])
        text = lines.get(number, [f"Trang {number + 1}: nội dung của văn kiện."])
        for row, line in enumerate(text):
            if line:
                page.insert_text(
                    (72, 100 + 24 * row), line, fontname="noto", fontfile=FONT, fontsize=14
                )
    doc.set_toc([[1, "Phần I — Nghị quyết", 1], [2, "Kế hoạch", 3, 200.0]])
    return doc.tobytes()


def locked_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page()
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="x")


class Worker:
    """A render process driven as the reader drives it, with deadlines."""

    def __init__(self) -> None:
        self.popen = subprocess.Popen(
            r.worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )
        assert self.popen.stdin is not None and self.popen.stdout is not None
        self.stdin, self.stdout = self.popen.stdin, self.popen.stdout

    def send(self, *messages: r.Request, body: bytes = b"") -> None:
        """Write ``messages`` in one system call (so the renderer reads them together)."""
        self.stdin.write(b"".join(b"".join(r.encode_frame(m, body)) for m in messages))

    def read(self, timeout: float = 30) -> tuple[r.Reply, bytearray]:
        ready, _, _ = select.select([self.stdout], [], [], timeout)
        assert ready, "the renderer said nothing"
        frame = r.read_frame(self.stdout)
        assert frame is not None, "the renderer ended"
        return frame

    def until(self, kind: type, timeout: float = 30) -> tuple[list[r.Reply], bytearray]:
        """Replies up to the first ``kind`` one (in the list, last) and that one's body."""
        seen: list[r.Reply] = []
        deadline = time.monotonic() + timeout
        while True:
            message, body = self.read(max(0.1, deadline - time.monotonic()))
            seen.append(message)
            if isinstance(message, kind):
                return seen, body

    def open(self, pdf: bytes, doc: int = 1, watermark: str = WATERMARK) -> r.Opened | r.Failed:
        """Open ``pdf`` as ``doc``; what was still coming about the one before is skipped."""
        self.send(r.Open(doc, watermark), body=pdf)
        while True:
            message, _ = self.read()
            if isinstance(message, r.Opened | r.Failed) and message.doc == doc:
                return message

    def image(self, job: r.Job, doc: int = 1) -> tuple[r.Image, bytearray]:
        self.send(r.Render(doc, "view", [job]))
        seen, body = self.until(r.Image)
        image = seen[-1]
        assert isinstance(image, r.Image) and image.job == job
        return image, body

    def close(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()
        self.stdin.close()
        self.stdout.close()


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.close()


def _ink(image: r.Image, body: bytearray, box: tuple[int, int, int, int] | None = None) -> float:
    """The share of pixels of ``box`` (all by default) that are not white."""
    x0, y0, x1, y1 = box or (0, 0, image.width, image.height)
    inked = total = 0
    for y in range(y0, y1, 2):
        row = body[y * image.stride + x0 * 4 : y * image.stride + x1 * 4]
        for x in range(0, len(row), 8):
            total += 1
            inked += row[x] < 245 or row[x + 1] < 245 or row[x + 2] < 245
    return inked / total


def test_opens_the_bytes_and_draws_pages_at_the_width_asked(worker: Worker) -> None:
    opened = worker.open(vietnamese_pdf())
    assert opened == r.Opened(1, 3, A4)
    for width in (300, 1240):
        image, body = worker.image(r.Job(0, width))
        assert (image.width, image.height) == (width, round(A4[1] * width / A4[0]))
        assert image.page_height == image.height and image.stride >= width * 4
        assert len(body) == image.stride * image.height
        assert set(body[3 : image.stride : 4]) == {255}  # B, G, R, A: opaque


def test_every_image_carries_the_watermark_of_its_reader(worker: Worker) -> None:
    worker.open(vietnamese_pdf())
    blank, marked = worker.image(r.Job(1, 600))  # page 2 is blank
    assert _ink(blank, marked) > 0.03
    # every part of the page carries it: each quarter has some
    half_w, half_h = blank.width // 2, blank.height // 2
    for x, y in ((0, 0), (half_w, 0), (0, half_h), (half_w, half_h)):
        assert _ink(blank, marked, (x, y, x + half_w, y + half_h)) > 0.01
    # zoomed in, any screenful of the page still carries the whole name: the rows are as
    # close on screen as at fit width
    for x, y in ((0, 0), (2048, 2048), (4096, 1024)):
        tile, part = worker.image(r.Job(1, 6000, tile=(x, y, 1024, 640)))
        assert _ink(tile, part) == pytest.approx(_ink(blank, marked), rel=0.5)
    thumb, small = worker.image(r.Job(1, 104))
    assert _ink(thumb, small) > 0.03  # still there on a thumbnail
    _, inverted = worker.image(r.Job(1, 600, dark=True))
    assert max(inverted[0::4]) - min(inverted[0::4]) > 30  # light marks on the black paper

    worker.open(vietnamese_pdf(), doc=2, watermark="Trần Văn Bình · 0456")
    _, other = worker.image(r.Job(1, 600), doc=2)
    assert other != marked
    worker.open(vietnamese_pdf(), doc=3, watermark="")
    plain, white = worker.image(r.Job(1, 600), doc=3)
    assert _ink(plain, white) == 0  # the ink above was the watermark's


def test_dark_pages_are_inverted(worker: Worker) -> None:
    worker.open(vietnamese_pdf(), watermark="")
    light, paper = worker.image(r.Job(0, 400))
    dark, night = worker.image(r.Job(0, 400, dark=True))
    assert paper[:4] == bytearray(b"\xff\xff\xff\xff")
    assert max(night[:3]) < 10 and night[3] == 255  # black paper
    assert _ink(light, paper) < 0.1 < _ink(dark, night)  # the ink is now the paper's
    # and the text is light where it was dark
    text = [i for i in range(0, len(paper), 4) if paper[i] < 60]
    assert text and min(night[i] for i in text) > 150


def test_a_tile_is_that_part_of_the_page_at_that_zoom(worker: Worker) -> None:
    worker.open(vietnamese_pdf())
    whole, page = worker.image(r.Job(0, 2000))
    tile, part = worker.image(r.Job(0, 2000, tile=(1536, 512, 512, 512)))
    assert (tile.width, tile.height, tile.page_height) == (464, 512, whole.height)  # clipped
    for y in range(0, 512, 37):
        start = (512 + y) * whole.stride + 1536 * 4
        assert part[y * tile.stride : y * tile.stride + 464 * 4] == page[start : start + 464 * 4]


def test_search_counts_hits_case_and_diacritics_as_typed(worker: Worker) -> None:
    worker.open(vietnamese_pdf(6))

    def counts(query: str, from_page: int = 0) -> dict[int, int]:
        worker.send(r.Search(1, query, from_page))
        seen, _ = worker.until(r.SearchProgress)
        while not (isinstance(seen[-1], r.SearchProgress) and seen[-1].done):
            more, _ = worker.until(r.SearchProgress)
            seen += more
        return {m.page: m.count for m in seen if isinstance(m, r.SearchHits)}

    assert counts("Nghị quyết") == {0: 4}  # three as written, one in capitals
    assert counts("NGHỊ QUYẾT") == {0: 4}
    assert counts("nghi quyet") == {0: 5}  # also "nghỉ quyết"
    assert counts("phát triển bền vững") == {2: 1}  # over a line break
    assert counts("nội dung", from_page=4) == {3: 1, 4: 1, 5: 1}
    assert counts("không có") == {}


def test_hits_of_a_page_are_located_on_it(worker: Worker) -> None:
    pdf = vietnamese_pdf()
    worker.open(pdf)
    worker.send(r.Locate(1, "nghị quyết", 0))
    seen, _ = worker.until(r.HitBoxes)
    boxes = seen[-1]
    assert isinstance(boxes, r.HitBoxes) and len(boxes.hits) == 4
    expected = pymupdf.open(stream=pdf)[0].search_for("Nghị quyết của")[0]
    x0, y0, x1, y1 = boxes.hits[1][0]
    assert x0 == pytest.approx(expected.x0, abs=1) and y0 == pytest.approx(expected.y0, abs=2)
    assert x1 < expected.x1 and y1 == pytest.approx(expected.y1, abs=2)
    worker.send(r.Locate(1, "phát triển bền vững", 2))
    seen, _ = worker.until(r.HitBoxes)
    assert isinstance(seen[-1], r.HitBoxes) and len(seen[-1].hits[0]) == 2  # two lines


def test_page_sizes_and_outline_follow_the_first_page(worker: Worker) -> None:
    worker.open(vietnamese_pdf())
    worker.send(r.Render(1, "view", [r.Job(0, 300)]))
    seen, _ = worker.until(r.Outline)
    kinds = [type(m) for m in seen]
    assert kinds.index(r.Image) < kinds.index(r.Layout) < kinds.index(r.Outline)
    layout = next(m for m in seen if isinstance(m, r.Layout))
    assert layout.sizes == [A4] * 3
    outline = seen[-1]
    assert isinstance(outline, r.Outline)
    assert [(e.level, e.title, e.page) for e in outline.entries] == [
        (1, "Phần I — Nghị quyết", 0),
        (2, "Kế hoạch", 2),
    ]
    assert outline.entries[1].y == pytest.approx(200.0, abs=1)


def test_requests_superseded_before_they_are_drawn_are_dropped(worker: Worker) -> None:
    worker.open(vietnamese_pdf(40))
    worker.send(*(r.Render(1, "view", [r.Job(page, 500)]) for page in range(30)))
    worker.send(r.Render(1, "thumbs", [r.Job(39, 104)]))  # a marker: served after the view
    seen, _ = worker.until(r.Image)
    while not (isinstance(seen[-1], r.Image) and seen[-1].lane == "thumbs"):
        more, _ = worker.until(r.Image)
        seen += more
    drawn = [m.job.page for m in seen if isinstance(m, r.Image) and m.lane == "view"]
    assert drawn == [29]


def test_requests_about_another_document_are_ignored(worker: Worker) -> None:
    worker.open(vietnamese_pdf())
    worker.send(r.Render(7, "view", [r.Job(0, 300)]), r.Render(1, "thumbs", [r.Job(1, 104)]))
    _, _ = worker.until(r.Image)
    assert worker.open(vietnamese_pdf(5), doc=2) == r.Opened(2, 5, A4)  # a revision
    image, _ = worker.image(r.Job(4, 300), doc=2)
    assert image.doc == 2


def test_documents_it_cannot_show_are_reported(worker: Worker) -> None:
    damaged = worker.open(b"not a pdf at all")
    assert isinstance(damaged, r.Failed) and damaged.reason == "damaged" and damaged.detail
    assert worker.open(locked_pdf(), doc=2) == r.Failed(2, "locked")
    assert isinstance(worker.open(vietnamese_pdf(), doc=3), r.Opened)  # and it goes on


def test_it_cannot_dump_core_and_ends_with_its_input(worker: Worker) -> None:
    worker.open(vietnamese_pdf())
    with open(f"/proc/{worker.popen.pid}/limits") as file:
        limits = file.read()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"]
    worker.stdin.close()
    assert worker.popen.wait(10) == 0


def test_it_opens_no_file(worker: Worker) -> None:
    worker.open(vietnamese_pdf(6))
    worker.image(r.Job(0, 1240))
    worker.send(r.Search(1, "nghị"))
    worker.until(r.SearchProgress)
    given = os.readlink("/proc/self/fd/2")  # the stderr it inherits (pytest's capture file)
    fds = os.listdir(f"/proc/{worker.popen.pid}/fd")
    targets = [os.readlink(f"/proc/{worker.popen.pid}/fd/{fd}") for fd in fds]
    files = [t for t in targets if t.startswith("/") and not t.startswith("/dev/") and t != given]
    assert files == [], files
