"""Where an annotation goes in a revised document: found again by the text it was made on.

An annotation keeps the text it was made on (a :class:`Quote`: the exact words, a little of the
text before and after them, and the page they were on). When the document is replaced by a
revised version, :func:`locate` finds that text in the new version's pages — moved to another
page, with the words around it edited, or itself lightly edited — and says where, or ``None``
when it is gone: the annotation is then listed as orphaned with its quote, never dropped.

How: text is compared with runs of white space made one (a revision reflows lines). An exact
occurrence of the quote is taken first; among several, the one with the most of the quote's
context right beside it, then the one nearest its old page. With none, the quote may have been
edited: candidate places are where its first or last few words occur — the nearest
:data:`MAX_CANDIDATES` to its old page — and a place is taken if the text there is close enough
to the quote (:data:`FUZZY_ENOUGH`, a similarity ratio) and some of its context is beside it.
Pure string work on the pages' text, no PDF library: the reader's text extraction feeds it.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Characters of context kept on each side of a quote.
CONTEXT = 40
#: How close (difflib's ratio, 0…1) edited text must stay to the quote to be the same place.
FUZZY_ENOUGH = 0.75
#: Words of a quote's start or end looked for when it does not occur as it was.
SEED_WORDS = 3
#: Places compared with an edited quote at most (a manual repeats its common phrases).
MAX_CANDIDATES = 64
#: An occurrence far from the quote's old page (more than :data:`NEAR_PAGES` away) is the same
#: text only with at least this many characters of its context beside it: a manual repeats
#: short phrases, and a deleted passage must not land on another page's copy of them.
CONTEXT_NEEDED = 8
NEAR_PAGES = 3

_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Runs of white space as one space, and none at either end."""
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Quote:
    """The text an annotation was made on, as :func:`quote_at` cuts it from its page."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    #: The page (from 0) it was on: among equal places, the nearest wins.
    page: int = 0


@dataclass(frozen=True)
class Place:
    """Where a quote is in the new version: a page (from 0) and a span of that page's text as
    :func:`squeeze` leaves it; ``exact`` is False for an edited quote found close enough."""

    page: int
    start: int
    end: int
    exact: bool = True


def quote_at(page_text: str, start: int, end: int, page: int) -> Quote:
    """The quote of ``page_text[start:end]`` (offsets in the squeezed text), with its context."""
    text = squeeze(page_text)
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        page=page,
    )


class Document:
    """A version's pages, squeezed and joined once, so that a thousand quotes are each one
    search over one string."""

    def __init__(self, pages: Sequence[str]) -> None:
        self.pages = [squeeze(t) for t in pages]
        self.starts: list[int] = []
        joined: list[str] = []
        at = 0
        for text in self.pages:
            self.starts.append(at)
            joined.append(text)
            at += len(text) + 1  # a newline between pages: no quote spans one
        self.text = "\n".join(joined)

    def page_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def place(self, start: int, end: int, exact: bool) -> Place:
        page = self.page_of(start)
        base = self.starts[page]
        return Place(page, start - base, end - base, exact)

    def occurrences(self, needle: str) -> list[int]:
        found, at = [], self.text.find(needle)
        while at != -1:
            found.append(at)
            at = self.text.find(needle, at + 1)
        return found


def _same_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share from their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(doc: Document, quote: Quote, start: int, end: int) -> int:
    """How many characters of the quote's context are right beside ``start:end``, unchanged."""
    before = doc.text[max(0, start - len(quote.prefix)) : start]
    after = doc.text[end : end + len(quote.suffix)]
    return _same_start(before[::-1], quote.prefix[::-1]) + _same_start(after, quote.suffix)


def _best(doc: Document, quote: Quote, spans: list[tuple[int, int]], exact: bool) -> Place | None:
    def rank(span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        return (_context_score(doc, quote, start, end), -abs(doc.page_of(start) - quote.page))

    start, end = max(spans, key=rank)
    context, distance = rank((start, end))
    if -distance > NEAR_PAGES and context < CONTEXT_NEEDED and (quote.prefix or quote.suffix):
        return None  # a copy of the words elsewhere, not the passage annotated
    return doc.place(start, end, exact)


def _fuzzy(doc: Document, quote: Quote) -> Place | None:
    """An edited quote: windows of about its length where its first or last words occur, the
    closest one if it is close enough."""
    exact = squeeze(quote.exact)
    words = exact.split(" ")
    if len(words) < 2:
        return None
    seeds = {" ".join(words[:SEED_WORDS]): 0, " ".join(words[-SEED_WORDS:]): -1}
    spans: set[tuple[int, int]] = set()
    for seed, side in seeds.items():
        for at in doc.occurrences(seed):
            if side == 0:
                spans.add((at, min(len(doc.text), at + len(exact))))
            else:
                end = at + len(seed)
                spans.add((max(0, end - len(exact)), end))
    nearest = sorted(spans, key=lambda span: abs(doc.page_of(span[0]) - quote.page))
    best: tuple[float, int, int] | None = None
    for start, end in nearest[:MAX_CANDIDATES]:
        window = doc.text[start:end]
        if "\n" in window:
            continue  # across pages
        match = difflib.SequenceMatcher(None, window, exact, autojunk=False)
        if match.real_quick_ratio() < FUZZY_ENOUGH or match.quick_ratio() < FUZZY_ENOUGH:
            continue
        ratio = match.ratio()
        if ratio < FUZZY_ENOUGH or (
            (quote.prefix or quote.suffix)
            and _context_score(doc, quote, start, end) < CONTEXT_NEEDED
        ):
            continue  # like it, but not where it was: the words around it differ too
        if best is None or ratio > best[0]:
            best = (ratio, start, end)
    if best is None:
        return None
    return doc.place(best[1], best[2], False)


def locate(quote: Quote, doc: Document) -> Place | None:
    """Where ``quote`` is in ``doc``, or ``None``: the annotation is orphaned."""
    exact = squeeze(quote.exact)
    if not exact:
        return None
    spans = [(at, at + len(exact)) for at in doc.occurrences(exact)]
    if spans and (found := _best(doc, quote, spans, True)) is not None:
        return found
    return _fuzzy(doc, quote)
