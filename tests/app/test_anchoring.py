"""Annotations found again in a revised document by their text (app/anchoring.py): moved to
another page, edited around, reflowed, lightly edited themselves, twice in the document, and
deleted — then orphaned, not guessed."""

from __future__ import annotations

from app.anchoring import Document, Quote, locate, quote_at, squeeze

OLD = [
    "Điều 1. Phạm vi điều chỉnh. Nghị quyết này quy định việc tổ chức Đại hội đại biểu.",
    "Điều 2. Đại biểu chính thức có quyền biểu quyết. Đại biểu dự khuyết không biểu quyết.",
    "Điều 3. Ngân sách năm 2025 được phân bổ theo kế hoạch đã thông qua tại kỳ họp trước.",
]


def _quote(page: int, words: str) -> Quote:
    text = squeeze(OLD[page])
    start = text.index(words)
    return quote_at(OLD[page], start, start + len(words), page)


def _found(doc: Document, quote: Quote) -> str | None:
    place = locate(quote, doc)
    return None if place is None else doc.pages[place.page][place.start : place.end]


def test_text_moved_to_another_page_is_found_there() -> None:
    quote = _quote(1, "Đại biểu chính thức có quyền biểu quyết")
    new = Document(["Lời nói đầu.", OLD[0], "Mục lục.", OLD[2], OLD[1]])
    place = locate(quote, new)
    assert place is not None and place.page == 4 and place.exact
    assert _found(new, quote) == quote.exact


def test_text_edited_around_and_reflowed_is_found() -> None:
    quote = _quote(0, "quy định việc tổ chức Đại hội")
    edited = OLD[0].replace("Phạm vi điều chỉnh.", "Phạm vi\n   và đối tượng áp dụng.")
    place = locate(quote, Document([edited.replace(" việc ", "\n việc  "), OLD[1], OLD[2]]))
    assert place is not None and place.page == 0 and place.exact


def test_of_two_occurrences_the_context_chooses() -> None:
    # "biểu quyết" twice on page 1: the annotation was on the second, after "không"
    text = squeeze(OLD[1])
    start = text.rindex("biểu quyết")
    quote = quote_at(OLD[1], start, start + len("biểu quyết"), 1)
    doc = Document(OLD)
    place = locate(quote, doc)
    assert place is not None and place.page == 1 and place.start == start


def test_a_quote_edited_a_little_is_found_and_said_to_be_changed() -> None:
    quote = _quote(2, "Ngân sách năm 2025 được phân bổ theo kế hoạch")
    doc = Document([OLD[0], OLD[1], OLD[2].replace("2025", "2026")])
    place = locate(quote, doc)
    assert place is not None and place.page == 2 and not place.exact
    assert doc.pages[2][place.start : place.end].startswith("Ngân sách năm 2026")


def test_deleted_text_is_orphaned_not_guessed() -> None:
    quote = _quote(2, "Ngân sách năm 2025 được phân bổ theo kế hoạch")
    assert locate(quote, Document([OLD[0], OLD[1], "Điều 3. (bãi bỏ)"])) is None
    # nor is a quote of one word that no longer occurs found elsewhere by its neighbours
    assert locate(Quote(exact="dự khuyết", page=1), Document([OLD[0], OLD[2]])) is None


def test_a_quote_never_spans_two_pages() -> None:
    doc = Document(["kết thúc trang một", "đầu trang hai"])
    assert locate(Quote(exact="một đầu"), doc) is None
