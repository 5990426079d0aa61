"""The document reader's numbers, on the LilyPond notation manual (930 pages, 29 MB), offscreen.

``python -m tests.bench.reader`` prints one JSON object on stdout (progress on stderr). Every
figure is put next to what bare PyMuPDF does in this same run, in this process, with no GUI:
open the bytes and draw page 1, draw the next page, search every page, draw 1,000 pages.

* **first page**: from handing the bytes to :class:`~ui.reader.ReaderWindow` to the page on
  screen sharp (``pageShown``), with a spare render process ready (:func:`ui.reader.prepare`,
  the way the app opens documents) and without (a process started for the document);
* **next page**: from the key press to the next page's image set (``pageShown``), turning at
  a reading pace (the page after is drawn ahead meanwhile) and as fast as keys repeat, and,
  for a page that was not drawn ahead (a jump), the whole round trip through the renderer;
* **GUI stall**: the longest gap of a 5 ms heartbeat on the GUI thread while opening (up to
  the outline built), paging, zooming (buttons, pinch steps, fit) and scrolling a tiled page; bare PyMuPDF's "stall" is its
  longest page draw, which an in-process viewer would spend with the GUI frozen;
* **search**: the whole document, the first time (the text is read from every page) and again;
* **memory**: resident memory of the GUI process and of the render process after 1,000 pages
  visited (every page, then 70 back), and bare PyMuPDF's after drawing as many;
* **watermark**: the cost of drawing it into a page image and into a tile, in the renderer.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil
from PySide6.QtCore import QEventLoop, QPointF, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import render as r
from app.render_worker import Output, Renderer, Scheduler, load_pymupdf
from tests.realdocs import FOLDER
from ui.reader.pageview import PageView

WATERMARK = "Nguyễn Thị Hồng Nhung · 0123"
SIZE = (1280, 800)
BARE_MEMORY = r"""
import sys, psutil
from app.render_worker import load_pymupdf
pymupdf = load_pymupdf()
data = open(sys.argv[1], "rb").read()
doc = pymupdf.Document(stream=data, filetype="pdf")
width = int(sys.argv[2])
for i in range(1000):
    n = i if i < doc.page_count else 2 * doc.page_count - i - 1
    page = doc[n]
    page.get_pixmap(matrix=pymupdf.Matrix(width / page.rect.width))
print(psutil.Process().memory_info().rss)
"""


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def spin(ms: int) -> None:
    """Run the event loop for ``ms`` (QTest.qWait would keep the GIL from the reader's
    threads while it sleeps)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the reader did not get there")
        spin(2)


def time_to_shown(view: PageView, act: Callable[[], None]) -> float:
    """Seconds from ``act`` to ``view`` showing its page sharp."""
    shown: list[float] = []

    def seen(_page: int) -> None:
        shown.append(time.perf_counter())

    view.pageShown.connect(seen)
    start = time.perf_counter()
    act()
    until(lambda: bool(shown))
    view.pageShown.disconnect(seen)
    return shown[0] - start


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": ms(statistics.median(ordered)),
        "p90_ms": ms(ordered[int(len(ordered) * 0.9)]),
        "max_ms": ms(ordered[-1]),
        "n": len(ordered),
    }


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between two beats is the longest
    time the GUI thread could not react."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._beat)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        ordered = sorted(self.gaps)
        return {
            "max_ms": ms(ordered[-1]),
            "p99_ms": ms(ordered[int(len(ordered) * 0.99)]),
            "beats": len(ordered),
        }

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


# ---------------------------------------------------------------------------- bare PyMuPDF


def bare(pdf: bytes, path: Path, width: int) -> dict[str, Any]:
    pymupdf = load_pymupdf()
    start = time.perf_counter()
    doc = pymupdf.Document(stream=pdf, filetype="pdf")
    page = doc[0]
    page.get_pixmap(matrix=pymupdf.Matrix(width / page.rect.width))
    first = time.perf_counter() - start
    draws = []
    for number in range(1, 200):
        start = time.perf_counter()
        page = doc[number]
        page.get_pixmap(matrix=pymupdf.Matrix(width / page.rect.width))
        draws.append(time.perf_counter() - start)
    start = time.perf_counter()
    hits = sum(len(p.search_for("staff")) for p in doc)
    search = time.perf_counter() - start
    memory = subprocess.run(
        [sys.executable, "-c", BARE_MEMORY, str(path), str(width)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return {
        "first_page_ms": ms(first),
        "next_page": summary(draws),
        "search_ms": ms(search),
        "search_hits": hits,
        "rss_after_1000_pages_mb": round(int(memory.stdout) / 2**20),
    }


def watermark_cost(pdf: bytes, width: int) -> dict[str, Any]:
    """Page images and tiles drawn with and without the watermark, by the renderer's own
    code, in this process (no pipe): the watermark's share of the drawing."""
    pymupdf = load_pymupdf()
    with open(os.devnull, "wb") as sink:
        renderer = Renderer(pymupdf, Output(sink.fileno()), Scheduler())
        out: dict[str, Any] = {}
        for label, mark in (("without", ""), ("with", WATERMARK)):
            renderer.open(r.Open(1, mark), pdf)
            pages, tiles = [], []
            for number in range(20, 60):
                renderer.pixmap(r.Job(number, width))  # parsed once: the display list is kept
                start = time.perf_counter()
                renderer.pixmap(r.Job(number, width))
                pages.append(time.perf_counter() - start)
                start = time.perf_counter()
                renderer.pixmap(r.Job(number, 4000, tile=(1024, 1024, 512, 512)))
                tiles.append(time.perf_counter() - start)
            out[label] = {
                "page_median_ms": ms(statistics.median(pages)),
                "tile_median_ms": ms(statistics.median(tiles)),
            }
    out["page_cost_ms"] = round(out["with"]["page_median_ms"] - out["without"]["page_median_ms"], 1)
    out["tile_cost_ms"] = round(out["with"]["tile_median_ms"] - out["without"]["tile_median_ms"], 1)
    return out


# ---------------------------------------------------------------------------- the reader


def main() -> None:
    from ui import reader
    from ui.reader import ReaderWindow
    from ui.theme import apply_theme

    app = QApplication([])
    apply_theme(app)
    path = FOLDER / "notation.pdf"
    if not path.is_file():
        sys.exit(f"{path} is missing: install the Debian package lilypond-doc-pdf")
    pdf = path.read_bytes()
    results: dict[str, Any] = {"document": {"file": path.name, "bytes": len(pdf)}}

    def open_reader(page: int = 0) -> ReaderWindow:
        window = ReaderWindow("Notation Reference", pdf, WATERMARK, page)
        window.resize(*SIZE)
        window.show()
        return window

    def close(window: ReaderWindow) -> None:
        window.close_document()
        window.deleteLater()
        spin(50)

    # -- first page (after one reader opened and closed: the app has its windows up, so Qt
    # has already loaded the fonts and the style sheet when a delegate opens a document)
    close(open_reader())
    log("first page ...")
    first: dict[str, list[float]] = {"spare_ready": [], "no_spare": []}
    heartbeat = Heartbeat()
    opening: list[float] = []
    for mode in ("no_spare", "spare_ready") * 3:
        if mode == "spare_ready":
            reader.prepare()
            spin(2500)  # the spare has imported MuPDF
        else:
            reader.shutdown()
            spin(200)
        heartbeat.start()
        start = time.perf_counter()
        window = open_reader()  # the page cannot be shown before the event loop runs
        opened = time.perf_counter() - start
        first[mode].append(opened + time_to_shown(window.view, lambda: None))
        spin(1500)  # the page sizes, the outline (619 lines) and the pages ahead arrive
        opening.append(heartbeat.stop()["max_ms"])
        width = window.view.device_width()
        close(window)
    reader.shutdown()
    results["first_page"] = {mode: summary(samples) for mode, samples in first.items()}

    # -- next page, stalls
    log("paging ...")
    reader.prepare()
    spin(2500)
    window = open_reader()
    view = window.view
    until(view.is_sharp)
    spin(500)

    def turn(pace_ms: int, count: int) -> list[float]:
        latencies: list[float] = []
        for _ in range(count):
            latencies.append(time_to_shown(view, lambda: QTest.keyClick(view, Qt.Key.Key_Right)))
            spin(pace_ms)
        return latencies

    heartbeat.start()
    reading = turn(250, 60)
    results["next_page"] = {"reading_pace_250ms": summary(reading)}
    stall_paging = heartbeat.stop()
    rapid = turn(30, 60)
    results["next_page"]["key_repeat_30ms"] = summary(rapid)
    jumps: list[float] = []
    for page in range(150, 900, 25):  # pages not drawn ahead: the renderer's round trip
        jumps.append(time_to_shown(view, partial(view.set_page, page)))
        spin(100)
    results["next_page"]["jump_not_drawn_ahead"] = summary(jumps)

    log("zooming ...")
    heartbeat.start()
    for _ in range(3):
        window.zoom_in_button.click()
        until(view.is_sharp)
        spin(100)
    for _ in range(3):
        window.zoom_out_button.click()
        until(view.is_sharp)
        spin(100)
    fingers = QPointF(view.viewport().width() / 2, view.viewport().height() / 3)
    start_zoom = view.zoom()
    for step in range(1, 31):  # a pinch to 3x, one step a frame
        view.pinch_to(start_zoom * (1 + step / 15), fingers)
        spin(16)
    view.end_pinch()
    until(view.is_sharp)
    for _ in range(40):  # scrolling a tiled page
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 60)
        spin(16)
    until(view.is_sharp)
    window.fit_page_button.click()
    until(view.is_sharp)
    window.fit_width_button.click()
    until(view.is_sharp)
    stall_zooming = heartbeat.stop()
    results["gui_stall"] = {
        "opening_max_ms": max(opening),
        "paging": stall_paging,
        "zooming": stall_zooming,
    }

    # -- search
    log("search ...")
    timings = []
    done: list[float] = []

    def searched(progress: r.SearchProgress) -> None:
        if progress.done:
            done.append(time.perf_counter())

    window.client.progress.connect(searched)
    for _ in range(2):
        done.clear()
        start = time.perf_counter()
        window.search_bar.search("staff")
        until(lambda: bool(done), timeout=120)
        timings.append(done[0] - start)
        results_ = window.search_bar.results()
        hits = results_.total() if results_ is not None else 0
        window.search_bar.dismiss()
    results["search_whole_document"] = {
        "first_ms": ms(timings[0]),
        "again_ms": ms(timings[1]),
        "hits": hits,
    }

    # -- memory after 1,000 pages
    log("visiting 1,000 pages ...")
    pages = view.page_count()
    visits = [*range(pages), *range(pages - 2, pages - 2 - (1000 - pages), -1)]
    for page in visits:
        view.set_page(page)
        until(view.is_sharp)
    gui = psutil.Process().memory_info().rss
    renderer_pid = window.client.pid()
    assert renderer_pid is not None
    render = psutil.Process(renderer_pid).memory_info().rss
    results["memory_after_1000_pages_mb"] = {
        "gui_process": round(gui / 2**20),
        "render_process": round(render / 2**20),
        "page_images_cached": round(view.cache().nbytes() / 2**20),
        "visits": len(visits),
    }
    close(window)
    reader.shutdown()

    log("bare PyMuPDF and the watermark ...")
    results["bare_pymupdf"] = bare(pdf, path, width)
    results["watermark"] = watermark_cost(pdf, width)
    results["machine"] = {"cpus": os.cpu_count(), "page_width_px": width}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
