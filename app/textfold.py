"""Text compared the way people type it when they look a name up: without case or diacritics,
by the start of its words.

A secretary looking for "Nguyễn Thị Hồng Nhung" types "nguyen hong", on a keyboard that may not
even have Vietnamese input. :func:`fold` drops case and every diacritic, including the bar of
"đ" (a letter of its own in Unicode, not a "d" with a mark). :func:`search_key` prepares a text
once, and :func:`matches` finds the texts with a word starting with each word typed, in any
order: "hung" finds "Hùng" and "Hưng", not "Nhung".
"""

from __future__ import annotations

import re
import unicodedata

#: Letters that carry a mark Unicode does not decompose.
_UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` in lower case without diacritics: "Đoàn Hà Nội" -> "doan ha noi"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_key(*texts: str) -> str:
    """What :func:`matches` looks words up in: the folded words of ``texts``, each after a space."""
    return "".join(" " + word for text in texts for word in _WORD.findall(fold(text)))


def search_words(query: str) -> tuple[str, ...]:
    """The folded words typed (none for blank input, which matches everything)."""
    return tuple(" " + word for word in _WORD.findall(fold(query)))


def matches(words: tuple[str, ...], key: str) -> bool:
    """Whether ``key`` (a :func:`search_key`) has a word starting with each of ``words``."""
    return all(word in key for word in words)
