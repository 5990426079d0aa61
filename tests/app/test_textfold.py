"""Looking names up as they are typed: no case, no diacritics, words in any order."""

from __future__ import annotations

import pytest

from app.textfold import fold, matches, search_key, search_words


def test_fold_drops_case_and_every_vietnamese_mark() -> None:
    assert fold("Nguyễn Thị Hồng Nhung") == "nguyen thi hong nhung"
    assert fold("ĐOÀN ĐÀ NẴNG") == "doan da nang"  # the bar of Đ/đ too
    assert fold("Ưng Ơn Ă Â Ê Ô") == "ung on a a e o"
    assert fold("Nguyê\u0303n") == fold("Nguyễn")  # decomposed input, as some keyboards type


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("   ", True),
        ("nguyen", True),
        ("NHUNG hồng", True),  # any order, any case, marks or not
        ("ng th ho", True),  # the start of words is enough
        ("hong nhung 0001", True),
        ("0001", True),
        ("doan ha-noi", True),  # punctuation separates words, as spaces do
        ("hung", False),  # the start of a word only: not "Nhung"
        ("0002", False),
        ("nguyen x", False),  # every word must be found
    ],
)
def test_every_word_typed_must_start_a_word(query: str, found: bool) -> None:
    key = search_key("0001", "Nguyễn Thị Hồng Nhung", "Đoàn Hà Nội")
    assert matches(search_words(query), key) is found
