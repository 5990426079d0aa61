"""An agenda item's documents as a delegate sees them, and the device's download progress.

Each document is one large row to tap (a tablet's finger, not a mouse): its title, its size,
and one line that says whether it can be read now — on this device, still downloading (with
how far), waiting for the room, revised since it was last read (and which pages), or
withdrawn. The state comes from the room state (the document's version and status) and from the
device's own progress (app/docsync.py); nothing here touches the network or the disk.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.docstore import Reading
from app.docsync import Progress

#: Changed pages listed by number before "and N more".
PAGES_LISTED = 8


def size_text(length: int) -> str:
    if length >= 1_000_000:
        return f"{length / 1e6:.1f} MB"
    return f"{max(1, round(length / 1e3))} kB"


class DocumentRow(QPushButton):
    """One document: tap to open it (disabled while it cannot be opened)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentRow")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.title = QLabel(self)
        self.title.setObjectName("documentTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setObjectName("documentMeta")
        self.state = QLabel(self)
        self.state.setObjectName("documentState")
        self.state.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(6)
        for label in (self.title, self.meta, self.state):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = self._box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.meta, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(top)
        box.addWidget(self.state)
        box.addWidget(self.bar)

    # A button sizes itself by its own text; this one is as large as what its layout holds,
    # and as tall as its wrapped title needs at its width.
    def sizeHint(self) -> QSize:
        return self._box.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._box.minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._box.totalHeightForWidth(width)


class DocumentList(QWidget):
    """The documents of one agenda item. ``openRequested(Document)`` when one is tapped."""

    openRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentList")
        self._heading = QLabel(self)
        self._heading.setObjectName("documentsHeading")
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(8)
        self._box.addWidget(self._heading)
        self._rows: list[DocumentRow] = []
        self._docs: list[p.Document] = []
        self._progress = Progress()
        self._reading: Callable[[int], Reading] = lambda _id: Reading()
        self._online = False
        self.hide()

    def show_documents(
        self,
        docs: list[p.Document],
        progress: Progress,
        reading: Callable[[int], Reading],
        online: bool,
    ) -> None:
        self._docs, self._progress, self._reading, self._online = docs, progress, reading, online
        while len(self._rows) < len(docs):
            row = DocumentRow(self)
            row.clicked.connect(lambda _=False, r=row: self._tapped(r))
            self._box.addWidget(row)
            self._rows.append(row)
        for i, row in enumerate(self._rows):
            row.setVisible(i < len(docs))
        self.setVisible(bool(docs))
        self.retranslate()

    def set_progress(self, progress: Progress) -> None:
        self._progress = progress
        self.retranslate()

    def rows(self) -> list[DocumentRow]:
        return self._rows[: len(self._docs)]

    def documents(self) -> list[p.Document]:
        return list(self._docs)

    def _tapped(self, row: DocumentRow) -> None:
        index = self._rows.index(row)
        if index < len(self._docs):
            self.openRequested.emit(self._docs[index])

    def state_of(self, doc: p.Document) -> tuple[str, str]:
        """(kind, sentence) for a document: kind is "withdrawn", "ready", "revised",
        "downloading" or "waiting"."""
        if doc.status == "withdrawn":
            return "withdrawn", self.tr("Withdrawn by the secretariat")
        held = self._progress.documents.get(doc.id)
        if self._progress.opens(doc):
            read = self._reading(doc.id)
            if read.version and read.version < doc.version:
                return "revised", self._revised(doc)
            return "ready", self.tr("On this device")
        if held is not None and held.total and held.held:
            percent = int(100 * held.held / held.total)
            return "downloading", self.tr("Downloading… %1 %").replace("%1", str(percent))
        if not self._online:
            return "waiting", self.tr(
                "Not on this device yet: it downloads when the room is reachable"
            )
        return "waiting", self.tr("Waiting to download…")

    def _revised(self, doc: p.Document) -> str:
        pages = doc.changed_pages
        if not pages:
            return self.tr("Revised: version %1").replace("%1", str(doc.version))
        listed = ", ".join(str(n) for n in pages[:PAGES_LISTED])
        if len(pages) > PAGES_LISTED:
            listed += " " + self.tr("and %1 more").replace("%1", str(len(pages) - PAGES_LISTED))
        return self.tr("Revised: pages %1 changed").replace("%1", listed)

    def retranslate(self) -> None:
        self._heading.setText(self.tr("Documents"))
        for doc, row in zip(self._docs, self._rows, strict=False):
            kind, sentence = self.state_of(doc)
            row.title.setText(doc.title)
            pages = self.tr("%n page(s)", "", doc.pages)
            row.meta.setText(f"{pages} · {size_text(doc.length)}")
            row.state.setText(sentence)
            row.setProperty("state", kind)
            row.state.setProperty("state", kind)
            row.setEnabled(kind in ("ready", "revised"))
            held = self._progress.documents.get(doc.id)
            row.bar.setVisible(kind == "downloading")
            if held is not None and held.total:
                row.bar.setMaximum(held.total)
                row.bar.setValue(min(held.held, held.total))
            for w in (row, row.state):
                w.style().unpolish(w)
                w.style().polish(w)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DocumentsBar(QFrame):
    """A slim strip under the header while documents are still coming: how much of them is on
    the device. Hidden once everything is here (or there is nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsBar")
        self._label = QLabel(self)
        self._label.setObjectName("documentsBarText")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(6)
        box = QHBoxLayout(self)
        box.setContentsMargins(20, 6, 20, 6)
        box.addWidget(self._label)
        box.addWidget(self.bar, 1)
        self._progress = Progress()
        self.hide()

    def set_progress(self, progress: Progress) -> None:
        self._progress = progress
        self.retranslate()

    def text(self) -> str:
        return "" if self.isHidden() else self._label.text()

    def retranslate(self) -> None:
        progress = self._progress
        docs = progress.documents
        waiting = [i for i in docs if not progress.ready(i)]
        self.setVisible(bool(waiting))
        if not waiting:
            return
        ready = len(docs) - len(waiting)
        self._label.setText(
            self.tr("Documents on this device: %1 of %2")
            .replace("%1", str(ready))
            .replace("%2", str(len(docs)))
        )
        self.bar.setMaximum(max(progress.total, 1))
        self.bar.setValue(progress.held)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
