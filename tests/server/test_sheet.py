# PyMuPDF ships py.typed but leaves Document, Rect and Pixmap unannotated.
# mypy: disable-error-code="no-untyped-call"
"""Enrollment sheet and QR PNG: page count, exact Vietnamese text, one QR per card, nothing
crossing a cut line, private atomic files, and (with zbarimg) QR codes that really scan."""

from __future__ import annotations

import os
import random
import shutil
import stat
import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from app.fileio import atomic_write
from server.sheet import INSTRUCTION_EN, INSTRUCTION_VI, Card, qr_png, render_sheet

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NAMES = [
    "Nguyễn Thị Hồng Nhung",
    "Trần Văn Đức",
    "Lê Quốc Hưng",
    "Phạm Minh Tuấn",
    "Hoàng Thị Thu Hà",
    "Vũ Đình Khải",
    "Đặng Ngọc Ánh",
    "Công Tằng Tôn Nữ Minh Châu",
    "Đỗ Thị Mỹ Linh",
    "Trương Quang Vinh",
]
DELEGATIONS = ["Đoàn Hà Nội", "Đoàn TP. Hồ Chí Minh", "Đoàn Đà Nẵng"]
ROOM = "Đại hội Đảng bộ Thành phố lần thứ XVIII"
ROOM_ID_SHORT = "K3F9-ABCD-1234-5678"

needs_zbarimg = pytest.mark.skipif(
    shutil.which("zbarimg") is None,
    reason="zbarimg not installed (Debian: apt-get install zbar-tools); QR decoding not checked",
)


def symbols(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(CROCKFORD) for _ in range(count))


def make_card(index: int, name: str, rng: random.Random, *, groups: int = 10) -> Card:
    """A card shaped like the real ones: 50-60 symbol typed code, ~90 char QR text."""
    code = "-".join(symbols(rng, 5) for _ in range(groups))
    return Card(
        number=f"{index:04d}",
        full_name=name,
        delegation=DELEGATIONS[index % len(DELEGATIONS)],
        role="delegate",
        code_text=code,
        qr_text="HEMICYCLE:" + symbols(rng, 82),
        room_name=ROOM,
        room_id_short=ROOM_ID_SHORT,
    )


@pytest.fixture
def cards() -> list[Card]:
    rng = random.Random(1600)
    return [make_card(i, name, rng) for i, name in enumerate(NAMES, start=1)]


def squash(text: str) -> str:
    """Extracted text with line breaks turned into single spaces."""
    return " ".join(text.split())


def cut_lines(page: pymupdf.Page) -> list[tuple[float, float, float, float]]:
    """The dashed cut lines drawn on a page, as (x0, y0, x1, y1)."""
    out = []
    for drawing in page.get_drawings():
        dashes = drawing.get("dashes") or ""
        if not dashes or dashes.startswith("[]"):
            continue
        for item in drawing["items"]:
            if item[0] == "l":
                p1, p2 = item[1], item[2]
                out.append((min(p1.x, p2.x), min(p1.y, p2.y), max(p1.x, p2.x), max(p1.y, p2.y)))
    return out


def crosses(box: pymupdf.Rect, line: tuple[float, float, float, float]) -> bool:
    """Whether a horizontal or vertical segment passes through the inside of box."""
    x0, y0, x1, y1 = line
    if x0 == x1:  # vertical
        return box.x0 < x0 < box.x1 and y0 < box.y1 and box.y0 < y1
    return box.y0 < y0 < box.y1 and x0 < box.x1 and box.x0 < x1


def test_ten_cards_make_two_pages_with_exact_text(tmp_path: Path, cards: list[Card]) -> None:
    path = tmp_path / "sheet.pdf"
    assert write_sheet(cards, path) == 2
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2
        texts = [page.get_text() for page in doc]
        for page in doc:
            assert page.rect.width == pytest.approx(595, abs=1)
            assert page.rect.height == pytest.approx(842, abs=1)
    for index, card in enumerate(cards):
        text = texts[index // 8]
        assert unicodedata.is_normalized("NFC", text)
        assert card.full_name in squash(text), card.full_name
        assert card.delegation in text
        assert f"No. {card.number}" in text
        # The code wraps after its dashes; with line breaks removed it reads exactly.
        assert card.code_text in "".join(text.split())
        assert ROOM_ID_SHORT in text
    for text in texts:
        assert ROOM in text
        assert INSTRUCTION_EN in squash(text)
        assert INSTRUCTION_VI in squash(text)
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1]


def test_one_qr_image_per_card_inside_its_card(tmp_path: Path, cards: list[Card]) -> None:
    path = tmp_path / "sheet.pdf"
    write_sheet(cards, path)
    with pymupdf.open(path) as doc:
        for page, expected in zip(doc, (8, 2), strict=True):
            images = page.get_images(full=True)
            assert len(images) == expected
            rects = [page.get_image_rects(img[0])[0] for img in images]
            for rect in rects:
                assert rect.width == pytest.approx(rect.height, rel=0.01)
                assert rect.width >= 70  # ~25 mm: a phone reads it from a hand's length
                for line in cut_lines(page):
                    assert not crosses(rect, line)
            # Each QR sits in a different card.
            centres = {(round(r.x0 / 100), round(r.y0 / 100)) for r in rects}
            assert len(centres) == expected


def test_file_is_private_and_written_atomically(tmp_path: Path, cards: list[Card]) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(b"old")
    path.chmod(0o644)
    write_sheet(cards[:1], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]  # no temp file left


def test_missing_directory_fails_cleanly(tmp_path: Path, cards: list[Card]) -> None:
    with pytest.raises(OSError):
        write_sheet(cards, tmp_path / "nowhere" / "sheet.pdf")
    assert list(tmp_path.iterdir()) == []


def test_no_cards_is_an_error() -> None:
    with pytest.raises(ValueError, match="no cards"):
        render_sheet([])


def test_long_text_never_crosses_a_cut_line(tmp_path: Path) -> None:
    rng = random.Random(7)
    long_name = "Công Tằng Tôn Nữ Thị Phương Thảo Nguyễn Ngọc Bích Trâm " * 4
    medium_name = "Công Tằng Tôn Nữ Thị Phương Thảo Nguyễn Ngọc Bích Trâm"
    cards = [
        make_card(1, long_name.strip()[:200], rng),
        make_card(2, medium_name, rng),
        make_card(3, "Nguyễn" * 30, rng),  # no space to wrap at
        make_card(4, "Lê Quốc Hưng", rng, groups=14),  # a code with several addresses
        Card(
            number="9" * 32,
            full_name="Secretary",
            delegation="Đoàn " + "Thừa Thiên Huế " * 13,
            role="secretary",
            code_text="-".join(symbols(rng, 5) for _ in range(10)),
            qr_text="HEMICYCLE:" + symbols(rng, 82),
            room_name="Phòng họp " * 20,
            room_id_short=ROOM_ID_SHORT,
        ),
    ]
    path = tmp_path / "sheet.pdf"
    assert write_sheet(cards, path) == 1
    with pymupdf.open(path) as doc:
        page = doc[0]
        lines = cut_lines(page)
        assert len(lines) >= 8
        spans = [
            span
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        ]
        assert spans
        for span in spans:
            box = pymupdf.Rect(span["bbox"])
            assert page.rect.contains(box)
            for line in lines:
                assert not crosses(box, line), (span["text"], line)
            assert span["size"] >= 5  # shrunk, never unreadably small
        text = squash(page.get_text())
    assert medium_name in text  # shrinks or wraps, but stays whole
    assert "Công Tằng Tôn Nữ" in text  # absurd length is cut with an ellipsis
    assert "…" in text
    assert cards[3].code_text in "".join(text.split())  # a code is never cut
    assert "Secretary · Thư ký" in text


def test_code_too_long_to_print_is_refused() -> None:
    rng = random.Random(3)
    card = make_card(1, "Trần Văn Đức", rng, groups=400)
    with pytest.raises(ValueError, match="too long to print"):
        render_sheet([card])


def test_qr_png_is_a_regular_qr_code_with_a_quiet_zone() -> None:
    data = qr_png("HEMICYCLE:" + "A1" * 41, scale=6)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pixmap = pymupdf.Pixmap(data)
    # Version 5 (37 modules) plus a 4-module quiet zone on each side, 6 pixels a module.
    assert (pixmap.width, pixmap.height) == ((37 + 8) * 6, (37 + 8) * 6)


def test_qr_png_rejects_a_zero_scale() -> None:
    with pytest.raises(ValueError, match="scale"):
        qr_png("x", scale=0)


def write_sheet(cards: list[Card], path: Path) -> int:
    """Write a sheet as the command line does: rendered in memory, then written atomically."""
    data, pages = render_sheet(cards)
    atomic_write(path, data)
    return pages


def zbar(path: Path) -> list[str]:
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if line]


@needs_zbarimg
def test_qr_png_decodes(tmp_path: Path) -> None:
    text = "HEMICYCLE:040J1YR10K0AG08AKA69KNCPBXAQY0RSKJPQ1YE3H216A2X9Y4G7R0PEX7XA8BWZFC"
    path = tmp_path / "code.png"
    path.write_bytes(qr_png(text))
    assert zbar(path) == [text]


@needs_zbarimg
def test_printed_sheet_qr_codes_decode(tmp_path: Path, cards: list[Card]) -> None:
    """Render page 1 at an ordinary 150 dpi print/scan resolution and read every QR."""
    path = tmp_path / "sheet.pdf"
    write_sheet(cards, path)
    with pymupdf.open(path) as doc:
        png = tmp_path / "page.png"
        doc[0].get_pixmap(dpi=150).save(str(png))
    assert sorted(zbar(png)) == sorted(card.qr_text for card in cards[:8])
    os.unlink(png)
