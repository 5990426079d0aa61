"""The render protocol without a process: frames, the renderer's scheduling, search matching."""

from __future__ import annotations

import io
import mmap

import pytest

from app import render as r
from app.render_worker import (
    BackgroundStep,
    DrawStep,
    LocateStep,
    OpenStep,
    Scheduler,
    SearchStep,
    _place,
    normalizer,
)


def _bytes(message: r.Request | r.Reply, body: bytes = b"") -> bytes:
    return b"".join(r.encode_frame(message, body))


# ---------------------------------------------------------------------------- frames


def test_reply_frames_round_trip_with_their_body() -> None:
    image = r.Image(3, "view", r.Job(4, 600, True, (0, 512, 512, 512)), 512, 200, 2048, 848)
    stream = io.BytesIO(_bytes(image, b"\x01" * 10) + _bytes(r.Layout(3, [(595.0, 842.0)])))
    message, body = r.read_frame(stream) or (None, b"")
    assert message == image and bytes(body) == b"\x01" * 10
    message, body = r.read_frame(stream) or (None, b"")
    assert message == r.Layout(3, [(595.0, 842.0)]) and body == bytearray()
    assert r.read_frame(stream) is None
    mapped = io.BytesIO(_bytes(image, b"\x02" * 10))  # into memory the reader chose
    _, body = r.read_frame(mapped, lambda size: mmap.mmap(-1, size)) or (None, b"")
    assert isinstance(body, mmap.mmap) and body[:] == b"\x02" * 10


def test_request_frames_are_cut_from_chunks_of_any_size() -> None:
    data = _bytes(r.Open(1, "Nguyễn · 0123", 5), b"%PDF" * 1000) + _bytes(
        r.Render(1, "ahead", [r.Job(6, 800)])
    )
    reader = r.FrameReader()
    frames = []
    for i in range(0, len(data), 7):
        frames += reader.feed(data[i : i + 7])
    assert frames == [
        (r.Open(1, "Nguyễn · 0123", 5), b"%PDF" * 1000),
        (r.Render(1, "ahead", [r.Job(6, 800)]), b""),
    ]
    assert reader.pending() == 0


def test_a_broken_stream_is_an_error_not_a_hang() -> None:
    whole = _bytes(r.Opened(1, 3, (1.0, 2.0)))
    with pytest.raises(r.FrameError):
        r.read_frame(io.BytesIO(whole[:-2]))
    with pytest.raises(r.FrameError):
        r.read_frame(io.BytesIO(b"\xff\xff\xff\x7f\x00\x00\x00\x00"))  # a 2 GB header
    with pytest.raises(r.FrameError):
        r.FrameReader().feed(b"\x02\x00\x00\x00\x00\x00\x00\x00\xc1\xc1")  # not msgpack


# ---------------------------------------------------------------------------- scheduling


def _open(scheduler: Scheduler, doc: int = 1) -> None:
    scheduler.put([(r.Open(doc, "mark"), b"pdf")])
    assert isinstance(scheduler.take(0), OpenStep)


def test_the_renderer_serves_the_page_in_sight_first_and_search_last() -> None:
    s = Scheduler()
    _open(s)
    s.put(
        [
            (r.Search(1, "staff"), b""),
            (r.Render(1, "thumbs", [r.Job(9, 104)]), b""),
            (r.Render(1, "ahead", [r.Job(2, 800)]), b""),
            (r.Locate(1, "staff", 1), b""),
            (r.Render(1, "view", [r.Job(1, 800)]), b""),
        ]
    )
    assert s.take(0) == DrawStep(1, "view", r.Job(1, 800))
    assert s.take(0) == LocateStep(r.Locate(1, "staff", 1))
    assert s.take(0) == DrawStep(1, "ahead", r.Job(2, 800))
    assert s.take(0) == BackgroundStep(1)  # page sizes and outline, once a page was drawn
    assert s.take(0) == BackgroundStep(1)  # a step at a time, until it says it is done
    s.background_done(1)
    assert s.take(0) == DrawStep(1, "thumbs", r.Job(9, 104))
    assert s.take(0) == SearchStep(r.Search(1, "staff"))
    assert s.take(0) == SearchStep(r.Search(1, "staff"))  # until the search is done
    s.search_done(r.Search(1, "staff"))  # another (equal) search object is not this one
    assert isinstance(s.take(0), SearchStep)


def test_background_work_waits_for_the_first_page() -> None:
    s = Scheduler()
    _open(s)
    s.put([(r.Render(1, "thumbs", [r.Job(0, 104)]), b"")])
    assert s.take(0) == DrawStep(1, "thumbs", r.Job(0, 104))
    assert s.take(0) is None  # nothing to do: the page sizes wait for a page in sight
    s.put([(r.Render(1, "view", [r.Job(0, 800)]), b"")])
    assert s.take(0) == DrawStep(1, "view", r.Job(0, 800))
    assert s.take(0) == BackgroundStep(1)


def test_a_new_wish_list_replaces_what_is_pending_on_its_lane() -> None:
    s = Scheduler()
    _open(s)
    s.put([(r.Render(1, "view", [r.Job(p, 800) for p in (5, 6, 7)]), b"")])
    assert s.take(0) == DrawStep(1, "view", r.Job(5, 800))
    s.put([(r.Render(1, "view", [r.Job(p, 800)]), b"") for p in (8, 9, 10)])
    assert s.pending("view") == [r.Job(10, 800)]  # 6, 7, 8 and 9 are never drawn
    s.put([(r.Render(1, "view", []), b"")])
    assert s.pending("view") == []


def test_a_new_document_drops_everything_about_the_old_one() -> None:
    s = Scheduler()
    _open(s)
    s.put([(r.Render(1, "view", [r.Job(1, 800)]), b""), (r.Search(1, "x"), b"")])
    s.put([(r.Open(2, "mark"), b"new pdf"), (r.Render(1, "view", [r.Job(3, 800)]), b"")])
    assert s.take(0) == OpenStep(r.Open(2, "mark"), b"new pdf")
    assert s.take(0) is None  # the render for document 1 came too late


def test_an_empty_query_stops_the_search_and_a_closed_input_ends_the_loop() -> None:
    s = Scheduler()
    _open(s)
    s.put([(r.Search(1, "x"), b""), (r.Search(1, ""), b"")])
    assert s.take(0) is None
    s.put([(r.Render(1, "view", [r.Job(1, 800)]), b"")])
    s.close()
    assert s.take() is None


# ---------------------------------------------------------------------------- matching


def test_a_query_without_diacritics_ignores_them_one_with_diacritics_does_not() -> None:
    loose, exact = normalizer("nghi quyet"), normalizer("Nghị")
    assert loose("NGHỊ QUYẾT") == loose("nghỉ quyết") == "nghi quyet"
    assert loose("Đại hội") == "dai hoi"
    assert exact("NGHỊ") == exact("nghị") != exact("nghỉ")
    # decomposed ("e" + marks) and precomposed text compare equal
    assert exact("e\u0323\u0302") == exact("ệ")


def _raw(*lines: str) -> dict[str, object]:
    """A page's characters as PyMuPDF's rawdict gives them: one line per string, each
    character 10 points wide, lines 20 points apart."""
    return {
        "blocks": [
            {
                "lines": [
                    {
                        "spans": [
                            {
                                "chars": [
                                    {
                                        "c": c,
                                        "bbox": (10.0 * i, 20.0 * n, 10.0 * i + 10, 20.0 * n + 12),
                                    }
                                    for i, c in enumerate(text)
                                ]
                            }
                        ]
                    }
                    for n, text in enumerate(lines)
                ]
            }
        ]
    }


def test_hits_are_boxed_per_line_and_across_line_breaks() -> None:
    norm = normalizer("phat trien ben")
    hits = _place(_raw("Kế hoạch phát triển", "bền vững; phát  triển"), "phat trien ben", norm)
    assert hits == [[(90.0, 0.0, 190.0, 12.0), (0.0, 20.0, 30.0, 32.0)]]
    two = _place(_raw("phát triển", "x phát  triển"), "phat trien", normalizer("phat trien"))
    assert two == [[(0.0, 0.0, 100.0, 12.0)], [(20.0, 20.0, 130.0, 32.0)]]
    assert _place(_raw("nghỉ"), "nghị", normalizer("nghị")) == []
