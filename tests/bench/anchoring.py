"""``make bench``: re-anchoring 1,000 annotations on the LilyPond notation manual (930 pages).

The pages' text is the real manual's (PyMuPDF's extraction, timed as the baseline next to the
bare ``str.find`` of every quote). The revision is made from it, since no revised edition of a
real document is available here: a page of new text in front (every page moves by one), every
line break made a space (a reflow), and for a seeded tenth of the annotations a word just
before them changed, for a twentieth a word inside them changed, and for another twentieth
their text deleted. Each annotation is then located with app/anchoring.py and judged: found on
the right page at the right text (exact, or edited and said to be), or orphaned when its text
is gone. Output is one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from dataclasses import dataclass

import pymupdf

from app.anchoring import Document, Quote, locate, quote_at, squeeze
from tests.realdocs import FOLDER

ANNOTATIONS = 1000
ROUNDS = 5


@dataclass
class Case:
    quote: Quote
    fate: str  # "kept", "edited_around", "edited_inside", "deleted"
    page: int  # where it should be found in the revision


def _pages() -> tuple[list[str], float]:
    t0 = time.perf_counter()
    with pymupdf.open(FOLDER / "notation.pdf") as pdf:
        pages = [page.get_text() for page in pdf]
    return pages, time.perf_counter() - t0


def _cases(pages: list[str], rng: random.Random) -> tuple[list[Case], list[str]]:
    """The annotations (quotes of 4 to 12 words that occur once on their page), and the
    revision's pages with the changes made around and in some of them."""
    squeezed = [squeeze(t) for t in pages]
    revised = list(squeezed)
    cases: list[Case] = []
    #: page -> word ranges taken, with a margin: one annotation's changes never touch another's
    used: dict[int, list[range]] = {}
    while len(cases) < ANNOTATIONS:
        page = rng.randrange(len(squeezed))
        words = squeezed[page].split(" ")
        if len(words) < 40:
            continue
        n = rng.randint(4, 12)
        at = rng.randrange(10, len(words) - n - 10)
        taken = range(at - 3, at + n + 3)
        if any(set(taken) & set(r) for r in used.get(page, [])):
            continue
        exact = " ".join(words[at : at + n])
        if squeezed[page].count(exact) != 1 or len(exact) < 20:
            continue
        used.setdefault(page, []).append(taken)
        start = squeezed[page].index(exact)
        quote = quote_at(squeezed[page], start, start + len(exact), page)
        roll = rng.random()
        text = revised[page]
        if roll < 0.10:
            before = words[at - 2]
            fate, text = (
                "edited_around",
                text.replace(
                    f"{before} {words[at - 1]} {exact}", f"{before}X {words[at - 1]} {exact}", 1
                ),
            )
        elif roll < 0.15:
            middle = words[at + n // 2]
            fate, text = (
                "edited_inside",
                text.replace(exact, exact.replace(middle, middle + "s", 1), 1),
            )
        elif roll < 0.20:
            fate, text = "deleted", text.replace(exact, "", 1)
        else:
            fate = "kept"
        revised[page] = text
        cases.append(Case(quote, fate, page + 1))
    front = "Preface to the revised edition. " * 20
    return cases, [front, *revised]


def _judge(case: Case, doc: Document) -> tuple[bool, float]:
    t0 = time.perf_counter()
    place = locate(case.quote, doc)
    elapsed = time.perf_counter() - t0
    if case.fate == "deleted":
        return place is None, elapsed
    if place is None or place.page != case.page:
        return False, elapsed
    found = doc.pages[place.page][place.start : place.end]
    if case.fate == "edited_inside":
        return (not place.exact) and len(found) >= len(case.quote.exact) * 0.75, elapsed
    return found == case.quote.exact and place.exact, elapsed


def main() -> None:
    pages, extract_s = _pages()
    rounds = []
    for n in range(ROUNDS):
        rng = random.Random(1000 + n)
        cases, revised = _cases(pages, rng)
        t0 = time.perf_counter()
        doc = Document(revised)
        index_s = time.perf_counter() - t0
        judged = [_judge(case, doc) for case in cases]
        located_s = sum(t for _ok, t in judged)
        t0 = time.perf_counter()
        for case in cases:
            doc.text.find(case.quote.exact)
        bare_s = time.perf_counter() - t0
        by_fate: dict[str, list[bool]] = {}
        for case, (ok, _t) in zip(cases, judged, strict=True):
            by_fate.setdefault(case.fate, []).append(ok)
        rounds.append(
            {
                "index_ms": index_s * 1000,
                "locate_all_ms": located_s * 1000,
                "bare_find_all_ms": bare_s * 1000,
                "correct": sum(ok for ok, _t in judged) / len(judged),
                "by_fate": {f: (sum(v), len(v)) for f, v in sorted(by_fate.items())},
            }
        )

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    print(
        json.dumps(
            {
                "document": "notation.pdf",
                "pages": len(pages),
                "annotations": ANNOTATIONS,
                "rounds": ROUNDS,
                "text_extraction_ms_baseline": round(extract_s * 1000, 1),
                "index_ms": median("index_ms"),
                "locate_all_ms": median("locate_all_ms"),
                "bare_find_all_ms": median("bare_find_all_ms"),
                "share_correct": median("correct"),
                "by_fate_last_round": rounds[-1]["by_fate"],
                "revision": "made from the real text: a page in front, reflowed, 10 % edited "
                "around, 5 % edited inside, 5 % deleted (no real revised edition here)",
                "cpu_count": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
