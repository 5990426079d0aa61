"""Page images kept in memory, within a budget of bytes, the least recently used dropped first.

Only memory: nothing drawn from a confidential document is ever written to a disk cache. The
page view keeps the page shown, its tiles and the pages drawn ahead; the thumbnails keep their
own, smaller, cache so scrolling the strip never pushes out the next page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from app import render as r
from ui.reader.renderer import Picture


class PictureCache:
    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._items: OrderedDict[r.Job, Picture] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, job: r.Job) -> bool:
        return job in self._items

    def nbytes(self) -> int:
        return self._bytes

    def get(self, job: r.Job) -> Picture | None:
        picture = self._items.get(job)
        if picture is not None:
            self._items.move_to_end(job)
        return picture

    def put(self, picture: Picture) -> None:
        old = self._items.pop(picture.job, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._items[picture.job] = picture
        self._bytes += picture.nbytes
        while self._bytes > self._budget and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= dropped.nbytes

    def of_page(self, page: int, dark: bool) -> Iterator[Picture]:
        """Every picture of ``page`` in this mode, the most recent last."""
        for job, picture in self._items.items():
            if job.page == page and job.dark == dark:
                yield picture

    def best_whole(self, page: int, dark: bool, width: int) -> Picture | None:
        """The whole-page picture of ``page`` closest to ``width`` (a wider one first), to
        stand in, scaled, until the exact one comes."""
        best: Picture | None = None
        for picture in self.of_page(page, dark):
            if picture.job.tile is not None:
                continue
            if best is None or _closeness(picture.job.width, width) < _closeness(
                best.job.width, width
            ):
                best = picture
        if best is not None:
            self._items.move_to_end(best.job)
        return best

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0


def _closeness(have: int, want: int) -> tuple[int, int]:
    """Smaller is better: an image at least as wide as wanted (scaled down stays sharp), then
    the nearest width."""
    return (0 if have >= want else 1, abs(have - want))
