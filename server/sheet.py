# PyMuPDF ships py.typed, yet many of its functions (Document, Rect, Font, insert_image...)
# carry no annotations; strict mode would flag every call, so only that check is relaxed here.
# mypy: disable-error-code="no-untyped-call"
"""Printable enrollment material: QR images and the cut-out card sheet a secretary hands out.

Each card carries one delegate's one-time enrollment code, which admits one device to the
room, so the PDF is as secret as a stack of keys: QR images are built in memory and never
written anywhere on their own, and the sheet is written atomically with mode 0600.

Layout choices follow what a print shop and a delegate need: A4 portrait, 2 x 4 cards of
about 97 x 70 mm with dashed cut lines, names in Noto Sans (so Vietnamese diacritics are
right), the typed code large in a monospace font with its groups lined up in columns, and
every text shrunk or wrapped to its box so nothing ever crosses a cut line.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pymupdf
import segno

from app.resources import FONT_FILES, fonts_dir, missing_fonts

# missing_fonts is offered here too: the CLI checks it before it issues the codes to print.
__all__ = ["Card", "missing_fonts", "qr_png", "render_sheet"]


INSTRUCTION_EN = "Open Hemicycle, choose this room, scan or type this code, then choose a PIN."
INSTRUCTION_VI = "Mở Hemicycle, chọn phòng họp, quét hoặc nhập mã này, rồi đặt mã PIN."

_MM = 72 / 25.4
_A4_WIDTH, _A4_HEIGHT = pymupdf.paper_size("a4")
_COLS, _ROWS = 2, 4
_MARGIN = 8 * _MM  # inside every office printer's unprintable border
_PAD = 3.5 * _MM  # card edge to content: leaves room for an imprecise cut
_QR_SIZE = 30 * _MM  # 45 modules (version 5 + quiet zone) -> 0.67 mm each: easy for a phone
_QR_BORDER = 4  # the quiet zone the QR standard asks for
_LEADING = 1.18  # baseline-to-baseline distance, in font sizes
_MIN_CODE_SIZE = 5.0  # below this a typed code is misread

_INK = (0.0, 0.0, 0.0)
_GREY = (0.35, 0.35, 0.35)
_CUT = (0.55, 0.55, 0.55)
_TINT = (0.93, 0.93, 0.93)

_ROLE_LABELS = {
    "delegate": "Delegate · Đại biểu",
    "secretary": "Secretary · Thư ký",
    "display": "Hall display · Màn hình",
    "admin": "Administrator · Quản trị",
}


@dataclass(frozen=True)
class Card:
    """What one cut-out card shows; built by the caller from the roster and issued codes."""

    number: str  # delegate number, or "" for a staff code
    full_name: str  # or e.g. "Secretary" for a staff code
    delegation: str
    role: str  # "delegate", "secretary", ...
    code_text: str  # the typed one-time code, printed large in a monospace font
    qr_text: str  # what the QR encodes
    room_name: str
    room_id_short: str  # shown small so a delegate can compare it with the app


def render_sheet(cards: Sequence[Card]) -> tuple[bytes, int]:
    """The cut-out card sheet for ``cards`` as PDF bytes, and its number of pages.

    Built in memory: the caller writes it with mode 0600 (it holds secrets), and before the
    codes it carries are committed, so a sheet that cannot be written voids no card.
    """
    if not cards:
        raise ValueError("no cards to print: issue enrollment codes first")
    fonts = _Fonts.load()
    doc = pymupdf.open()
    try:
        per_page = _COLS * _ROWS
        pages = math.ceil(len(cards) / per_page)
        for page_index in range(pages):
            canvas = _Canvas(doc.new_page(width=_A4_WIDTH, height=_A4_HEIGHT))
            chunk = cards[page_index * per_page : (page_index + 1) * per_page]
            cells = [_cell(slot) for slot in range(len(chunk))]
            _draw_cut_lines(canvas, cells)
            for card, cell in zip(chunk, cells, strict=True):
                _draw_card(canvas, cell, card, fonts)
            _draw_footer(canvas, fonts, page_index + 1, pages)
            canvas.finish()
        doc.set_metadata({"title": "Hemicycle enrollment codes", "creator": "Hemicycle"})
        doc.subset_fonts()
        data = doc.tobytes(garbage=3, deflate=True)
    finally:
        doc.close()
    return data, pages


# --------------------------------------------------------------------------- fonts and text


@dataclass(frozen=True)
class _Face:
    """A font, with the metrics that fitting text needs asked of it cheaply."""

    font: pymupdf.Font
    # Advance widths at size 1, per character: PyMuPDF's text_length costs ~0.4 ms a call,
    # and fitting text tries many sizes. Sums of advances equal text_length (no kerning).
    _advances: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ascender(self) -> float:
        return float(self.font.ascender)

    @property
    def descender(self) -> float:
        return float(self.font.descender)

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` set at ``size`` points, as the TextWriter will set it."""
        advances = self._advances
        total = 0.0
        for ch in text:
            advance = advances.get(ch)
            if advance is None:
                advance = advances[ch] = float(self.font.glyph_advance(ord(ch)))
            total += advance
        return total * size

    def block_height(self, lines: int, size: float) -> float:
        """Height from the top of the first line's accents to the bottom of the last line."""
        return (self.ascender - self.descender) * size + (lines - 1) * size * _LEADING


@dataclass(frozen=True)
class _Fonts:
    regular: _Face
    bold: _Face
    mono: _Face

    @classmethod
    def load(cls) -> _Fonts:
        folder = fonts_dir()
        regular, bold = (folder / name for name in FONT_FILES)
        if missing := missing_fonts():
            raise FileNotFoundError(f"font {missing[0]} is missing from {folder}")
        return cls(
            regular=_Face(pymupdf.Font(fontfile=str(regular))),
            bold=_Face(pymupdf.Font(fontfile=str(bold))),
            # Courier Bold, built into PyMuPDF; codes are plain ASCII, which it covers.
            mono=_Face(pymupdf.Font("cobo")),
        )

    def mono_for(self, text: str) -> _Face:
        """Courier if it has every character of ``text``, else Noto Sans Bold."""
        font = self.mono.font
        if all(font.has_glyph(ord(ch)) for ch in text):
            return self.mono
        return self.bold


def _wrap(tokens: list[str], sep: str, face: _Face, size: float, width: float) -> list[str]:
    """Greedy line filling; a token wider than the line is split between characters."""
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = token if not current else current + sep + token
        if face.width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while face.width(token, size) > width and len(token) > 1:
            # Longest prefix that fits (at least one character), by bisection.
            low, high = 1, len(token) - 1
            while low < high:
                mid = (low + high + 1) // 2
                if face.width(token[:mid], size) <= width:
                    low = mid
                else:
                    high = mid - 1
            lines.append(token[:low])
            token = token[low:]
        current = token
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class _Block:
    face: _Face
    size: float
    lines: list[str]

    @property
    def height(self) -> float:
        return self.face.block_height(len(self.lines), self.size) if self.lines else 0.0


def _fit(
    text: str,
    face: _Face,
    width: float,
    height: float,
    *,
    max_size: float,
    min_size: float,
    max_lines: int,
) -> _Block:
    """Largest size at which ``text`` wraps into the box; at ``min_size``, cut with "…".

    Shrinking before cutting means a long name stays whole on the card down to a size that
    is still legible; only absurd input loses its tail, and nothing crosses a cut line.
    """
    if not text:
        return _Block(face, max_size, [])
    tokens = text.split()

    def fits(size: float) -> list[str] | None:
        lines = _wrap(tokens, " ", face, size, width)
        if len(lines) <= max_lines and face.block_height(len(lines), size) <= height:
            return lines
        return None

    # Sizes in quarter points, largest first. Greedy wrapping needs no more lines at a
    # smaller size, so "fits" is monotonic and a bisection finds the largest that fits.
    steps = int((max_size - min_size) / 0.25 + 1e-9)
    sizes = [max_size - 0.25 * k for k in range(steps + 1)]
    low, high = 0, len(sizes)  # answer in [low, high); len(sizes) means "none fits"
    while low < high:
        mid = (low + high) // 2
        if fits(sizes[mid]) is not None:
            high = mid
        else:
            low = mid + 1
    if low < len(sizes):
        found = fits(sizes[low])
        if found is not None:
            return _Block(face, sizes[low], found)
    size = min_size
    lines = _wrap(tokens, " ", face, size, width)
    room = max_lines
    while room > 1 and face.block_height(room, size) > height:
        room -= 1
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and face.width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return _Block(face, size, lines)


def _fit_code(
    code: str, face: _Face, width: float, height: float, *, max_size: float, max_lines: int
) -> _Block:
    """Lay a dash-grouped code out as evenly filled lines, as large as the box allows.

    Lines break only after a dash (which stays at the line end, so the reader knows the
    code goes on) and hold equal numbers of groups give or take one, so the groups line up
    like a table and no line is left with a lone group. Among line counts the largest size
    wins, fewer lines when sizes are within 3 %. A code is useless cut short, so one whose
    groups will not fit is wrapped between any characters instead, and one that would not
    fit even then is refused rather than printed across the cut line.
    """
    if not code:
        return _Block(face, max_size, [])
    groups = code.split("-")
    tokens = [g + "-" for g in groups[:-1]] + [groups[-1]]
    best: _Block | None = None
    for count in range(1, min(max_lines, len(tokens)) + 1):
        base, extra = divmod(len(tokens), count)
        lines: list[str] = []
        start = 0
        for index in range(count):
            take = base + (1 if index < extra else 0)
            lines.append("".join(tokens[start : start + take]))
            start += take
        widest = max(max(face.width(line, 1.0) for line in lines), 1e-6)
        size = min(max_size, width / widest, height / face.block_height(count, 1.0))
        if best is None or size > best.size * 1.03:
            best = _Block(face, size, lines)
    if best is not None and best.size >= 6:
        return best
    size = 6.0
    while size >= _MIN_CODE_SIZE:
        lines = _wrap([code], "", face, size, width)
        if face.block_height(len(lines), size) <= height:
            return _Block(face, size, lines)
        size -= 0.25
    raise ValueError(f"a code of {len(code)} characters is too long to print on a card")


def _fit_line_first(
    text: str, face: _Face, width: float, height: float, *, max_size: float, min_size: float
) -> _Block:
    """Keep a sentence on one line down to ``min_size``; only then wrap it at ``max_size``.

    A one-line instruction reads better than one with a lone word carried over.
    """
    one = _fit(text, face, width, height, max_size=max_size, min_size=min_size, max_lines=1)
    if one.lines and one.lines[0].endswith("…") and not text.endswith("…"):
        return _fit(text, face, width, height, max_size=max_size, min_size=5, max_lines=2)
    return one


class _Canvas:
    """What goes on one page, batched and written once.

    Each ``insert_text`` or ``draw_*`` call makes PyMuPDF re-read and rewrite the page's
    content stream, which made a 1,600-card sheet take most of a minute. Here vector
    drawing goes into one Shape, text into one TextWriter per colour (fonts are embedded
    once per document), and ``finish`` puts shapes first, QR images next, text on top.
    """

    def __init__(self, page: pymupdf.Page) -> None:
        self.page = page
        self.shape = page.new_shape()
        self.writers: dict[tuple[float, float, float], pymupdf.TextWriter] = {}
        self.images: list[tuple[pymupdf.Rect, bytes]] = []

    def text(
        self,
        x: float,
        baseline: float,
        line: str,
        face: _Face,
        size: float,
        color: tuple[float, float, float],
    ) -> None:
        writer = self.writers.get(color)
        if writer is None:
            writer = self.writers[color] = pymupdf.TextWriter(self.page.rect)
        writer.append((x, baseline), line, font=face.font, fontsize=size)

    def line(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        color: tuple[float, float, float],
        width: float,
        dashes: str | None = None,
    ) -> None:
        self.shape.draw_line(start, end)
        self.shape.finish(color=color, width=width, dashes=dashes, closePath=False)

    def fill_rect(
        self, rect: pymupdf.Rect, fill: tuple[float, float, float], radius: float
    ) -> None:
        self.shape.draw_rect(rect, radius=radius)
        self.shape.finish(color=None, fill=fill, width=0)

    def image(self, rect: pymupdf.Rect, png: bytes) -> None:
        self.images.append((rect, png))

    def finish(self) -> None:
        self.shape.commit()
        for rect, png in self.images:
            self.page.insert_image(rect, stream=png)
        for color, writer in self.writers.items():
            writer.write_text(self.page, color=color)


def _draw_block(
    canvas: _Canvas,
    block: _Block,
    x0: float,
    y0: float,
    width: float,
    *,
    align: str = "left",
    color: tuple[float, float, float] = _INK,
) -> float:
    """Draw ``block`` with its top at ``y0``; return the y just below it."""
    face, size = block.face, block.size
    for index, line in enumerate(block.lines):
        baseline = y0 + face.ascender * size + index * size * _LEADING
        line_width = face.width(line, size)
        if align == "center":
            x = x0 + (width - line_width) / 2
        elif align == "right":
            x = x0 + width - line_width
        else:
            x = x0
        canvas.text(x, baseline, line, face, size, color)
    return y0 + block.height


# --------------------------------------------------------------------------- page layout


def _cell(slot: int) -> pymupdf.Rect:
    """The rectangle of card ``slot`` (row-major) on an A4 page."""
    width = (_A4_WIDTH - 2 * _MARGIN) / _COLS
    height = (_A4_HEIGHT - 2 * _MARGIN) / _ROWS
    col, row = slot % _COLS, slot // _COLS
    x0 = _MARGIN + col * width
    y0 = _MARGIN + row * height
    return pymupdf.Rect(x0, y0, x0 + width, y0 + height)


def _draw_cut_lines(canvas: _Canvas, cells: list[pymupdf.Rect]) -> None:
    """Dashed lines around the used cards, each shared edge drawn once.

    Drawing every card's own rectangle would lay two dash patterns over shared edges,
    which prints as an uneven grey line; a set of segments avoids that.
    """
    segments: set[tuple[float, float, float, float]] = set()
    for r in cells:
        x0, y0, x1, y1 = (round(v, 3) for v in (r.x0, r.y0, r.x1, r.y1))
        segments.update({(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)})
    for x0, y0, x1, y1 in sorted(segments):
        canvas.line((x0, y0), (x1, y1), color=_CUT, width=0.6, dashes="[4 3] 0")


def _draw_footer(canvas: _Canvas, fonts: _Fonts, number: int, total: int) -> None:
    """A reminder, in the bottom margin, that the sheet must be handled like keys."""
    text = (
        "Hemicycle enrollment codes · CONFIDENTIAL: each code admits one device. "
        f"Hand cards out in person; shred unused ones. · Page {number} of {total}"
    )
    width = _A4_WIDTH - 2 * _MARGIN
    block = _fit(text, fonts.regular, width, _MARGIN * 0.6, max_size=7, min_size=5, max_lines=1)
    y0 = _A4_HEIGHT - _MARGIN + (_MARGIN - block.height) / 2
    _draw_block(canvas, block, _MARGIN, y0, width, align="center", color=_GREY)


def _role_label(role: str) -> str:
    return _ROLE_LABELS.get(role, role.replace("_", " ").capitalize())


def _draw_card(canvas: _Canvas, cell: pymupdf.Rect, card: Card, fonts: _Fonts) -> None:
    """One card, laid out top to bottom; every text is fitted to a box inside the cell."""
    inner = pymupdf.Rect(cell.x0 + _PAD, cell.y0 + _PAD, cell.x1 - _PAD, cell.y1 - _PAD)
    left, width = inner.x0, inner.width

    # Header: room name on the left, role on the right, a hairline under both.
    role = _fit(
        _role_label(card.role),
        fonts.bold,
        width * 0.45,
        11,
        max_size=7.5,
        min_size=5.5,
        max_lines=1,
    )
    role_width = max((role.face.width(line, role.size) for line in role.lines), default=0.0)
    room = _fit(
        card.room_name,
        fonts.bold,
        width - role_width - 8,
        11,
        max_size=8.5,
        min_size=5.5,
        max_lines=1,
    )
    _draw_block(canvas, room, left, inner.y0, width)
    _draw_block(canvas, role, left, inner.y0 + 0.5, width, align="right", color=_GREY)
    rule_y = inner.y0 + 13
    canvas.line((left, rule_y), (inner.x1, rule_y), color=_CUT, width=0.5)

    # The delegate: name large, then number and delegation.
    y = rule_y + 4
    name = _fit(card.full_name, fonts.bold, width, 30, max_size=14, min_size=6.5, max_lines=2)
    y = _draw_block(canvas, name, left, y, width) + 2
    meta_text = " · ".join(
        part for part in (f"No. {card.number}" if card.number else "", card.delegation) if part
    )
    meta = _fit(meta_text, fonts.regular, width, 11, max_size=9, min_size=5.5, max_lines=1)
    _draw_block(canvas, meta, left, y, width, color=_GREY)

    # Bottom up: room ID line and the two instruction lines.
    room_id = _fit(
        f"Room ID · Mã phòng:  {card.room_id_short}",
        fonts.regular,
        width,
        9,
        max_size=6.5,
        min_size=5,
        max_lines=1,
    )
    instr_vi = _fit_line_first(INSTRUCTION_VI, fonts.regular, width, 18, max_size=7, min_size=6)
    instr_en = _fit_line_first(INSTRUCTION_EN, fonts.bold, width, 18, max_size=7, min_size=6)
    bottom = inner.y1 - room_id.height
    _draw_block(canvas, room_id, left, bottom, width, color=_GREY)
    bottom -= instr_vi.height + 2
    _draw_block(canvas, instr_vi, left, bottom, width)
    bottom -= instr_en.height + 1
    _draw_block(canvas, instr_en, left, bottom, width)

    # Middle: the QR on the right, the typed code in a tinted box on its left.
    middle_top = rule_y + 4 + 30 + 2 + 11 + 3
    middle_bottom = bottom - 4
    qr_size = min(_QR_SIZE, middle_bottom - middle_top)
    qr_rect = pymupdf.Rect(inner.x1 - qr_size, middle_top, inner.x1, middle_top + qr_size)
    canvas.image(qr_rect, qr_png(card.qr_text))

    box = pymupdf.Rect(left, middle_top, qr_rect.x0 - 6, middle_bottom)
    canvas.fill_rect(box, _TINT, radius=0.06)
    label = _fit(
        "Enrollment code · Mã đăng ký",
        fonts.regular,
        box.width - 8,
        9,
        max_size=6.5,
        min_size=5,
        max_lines=1,
    )
    label_bottom = _draw_block(canvas, label, box.x0 + 4, box.y0 + 3, box.width - 8, color=_GREY)
    code_face = fonts.mono_for(card.code_text)
    code_area = pymupdf.Rect(box.x0 + 4, label_bottom + 2, box.x1 - 4, box.y1 - 3)
    code = _fit_code(
        card.code_text, code_face, code_area.width, code_area.height, max_size=15, max_lines=6
    )
    code_top = code_area.y0 + (code_area.height - code.height) / 2
    _draw_block(canvas, code, code_area.x0, code_top, code_area.width, align="center")


# --------------------------------------------------------------------------- QR


def qr_png(qr_text: str, scale: int = 8) -> bytes:
    """PNG bytes of a regular (never Micro) QR code; phone scanners rarely read Micro QR.

    Error correction M, 4-module quiet zone. The text may well be an enrollment code: the
    caller writes the image with mode 0600.
    """
    if scale < 1:
        raise ValueError(f"scale must be at least 1 pixel per module, not {scale}")
    qr = segno.make_qr(qr_text, error="m", boost_error=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=_QR_BORDER)
    return buffer.getvalue()
