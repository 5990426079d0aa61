"""Small generated PDFs for tests that need a document but not a particular one (real ones are
in tests/realdocs.py): pages of Vietnamese text in Noto Sans, so search and the watermark are
tried on the glyphs the hall reads."""

from __future__ import annotations

import pymupdf

from app.resources import fonts_dir

LINES = (
    "Nghị quyết về kế hoạch phát triển kinh tế - xã hội",
    "Điều {n}. Đại hội đại biểu thông qua báo cáo chính trị.",
    "Trang {n}: ngân sách, đầu tư công và an sinh xã hội.",
)


def make_pdf(
    pages: int = 3,
    *,
    marker: str = "",
    changed: frozenset[int] = frozenset(),
    deflate: bool = True,
) -> bytes:
    """``pages`` A4 pages of text. Pages in ``changed`` (1-based) carry a different sentence,
    for revisions; ``marker`` is written on every page (to tell two documents apart), in a
    standard font if it is ASCII, so that with ``deflate=False`` it is in the file as it reads
    (what a scan for plaintext looks for)."""
    doc = pymupdf.open()
    font = str(fonts_dir() / "NotoSans-Regular.ttf")
    for n in range(1, pages + 1):
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="noto", fontfile=font)
        y = 72.0
        for line in LINES:
            page.insert_text((72, y), line.format(n=n), fontname="noto", fontsize=12)
            y += 24
        if n in changed:
            page.insert_text(
                (72, y), f"Sửa đổi lần hai của trang {n}.", fontname="noto", fontsize=12
            )
            y += 24
        if marker:
            font_name = "helv" if marker.isascii() else "noto"
            page.insert_text((72, y), marker, fontname=font_name, fontsize=12)
    data: bytes = doc.tobytes(garbage=3, deflate=deflate)
    doc.close()
    return data


def needles(plain: bytes, marker: str, count: int = 40, size: int = 24) -> list[bytes]:
    """What a scan for a leaked plaintext looks for: the marker as the page's content stream
    writes it (hex glyph codes), and ``count`` pieces of the file spread over it — each varied
    enough (8 distinct bytes or more) that it could not turn up anywhere by chance."""
    step = max(1, len(plain) // count)
    pieces = (plain[i : i + size] for i in range(0, len(plain) - size, step))
    return [marker.encode().hex().encode(), *(n for n in pieces if len(set(n)) >= 8)]
