"""A label that keeps its height whatever it says, so what is laid out below it never moves.

On a touch screen a message that appears above the keys pushes them down under the finger
about to tap one. A :class:`SteadyLabel` reserves the height of a number of lines, or of the
tallest of the texts it will show, whether it is shown or not; only a text taller than that
would make it grow.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """Word-wrapped; reserves :meth:`reserve`'s height, hidden or shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHeightForWidth(True)  # QLabel sets it only once it has a text
        self.setSizePolicy(policy)
        self._lines = 1
        self._texts: tuple[str, ...] = ()

    def reserve(self, *, lines: int = 1, texts: Sequence[str] = ()) -> None:
        """Be as tall as ``lines`` lines, or as the tallest of ``texts`` if that is taller."""
        self._lines = lines
        self._texts = tuple(texts)
        self.updateGeometry()

    def reserved_height(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = max(width - margins.left() - margins.right(), 1)
        metrics = self.fontMetrics()
        samples = (*self._texts, "\n".join("X" * self._lines))
        tallest = max(
            metrics.boundingRect(
                QRect(0, 0, inner, 100_000), int(Qt.TextFlag.TextWordWrap), text
            ).height()
            for text in samples
        )
        return tallest + margins.top() + margins.bottom()

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self.reserved_height(width))
