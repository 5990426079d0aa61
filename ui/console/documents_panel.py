"""The console's documents: what is attached to the selected agenda item, and attaching more.

A PDF is attached by dropping it on the panel or through **Attach PDF…**; the secretary gives
it a title and says who may read it (everyone who sees the meeting, or some roster groups),
and it is uploaded on the bulk connection with a progress bar. The room checks it — a file it
refuses is named with the reason, in the message line — seals it and sends it to every device
that may read it. A selected document can be replaced by a revised file (delegates see which
pages changed), given other readers, or withdrawn, or presented to the hall (**Present**,
ui/console/presenter.py: the delegates' readers follow its pages).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import msgspec
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QWidget,
)

from app import protocol as p
from app.state import Area, RoomView
from ui.bridge import ClientBridge
from ui.console.dialogs import DocumentDialog, confirm
from ui.console.panel import ConsolePanel, Requests, big_button
from ui.console.presenter import PresenterRoleDialog, PresenterWindow
from ui.widgets import errors
from ui.widgets.documents import size_text

DocumentRole = Qt.ItemDataRole.UserRole + 1


class DocumentsPanel(ConsolePanel):
    """The documents of the item :meth:`set_item` names, and the tools that change them."""

    areas = Area.AGENDA | Area.DOCUMENTS | Area.ROSTER | Area.MEETINGS

    def __init__(
        self,
        requests: Requests,
        bridge: ClientBridge,
        model: RoomView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(requests, model, parent)
        self._bridge = bridge
        self._item_id: int | None = None
        self._uploading: str | None = None
        self.setAcceptDrops(True)
        self.document_list = QListWidget(self)
        self.document_list.setObjectName("documentAdminList")
        self.document_list.itemSelectionChanged.connect(self.refresh)
        self.attach_button = big_button("", "toolButton", self)
        self.attach_button.clicked.connect(self.choose_file)
        self.replace_button = big_button("", "toolButton", self)
        self.replace_button.clicked.connect(self.replace_selected)
        self.details_button = big_button("", "toolButton", self)
        self.details_button.clicked.connect(self.edit_selected)
        self.withdraw_button = big_button("", "dangerButton", self)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.present_button = big_button("", "toolButton", self)
        self.present_button.clicked.connect(self.present_selected)
        self.role_button = big_button("", "toolButton", self)
        self.role_button.clicked.connect(self.choose_presenter)
        #: The document presented from this console now, in its own window.
        self.presenter: PresenterWindow | None = None
        bridge.documentsChanged.connect(lambda _progress: self.refresh())  # held here yet?
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("uploadProgress")
        self.progress_label.setWordWrap(True)
        self.progress_label.hide()
        self.hint = QLabel(self)
        self.hint.setObjectName("dropHint")
        self.hint.setWordWrap(True)
        # Two rows of two: the column beside the agenda is narrow.
        for pair in (
            (self.attach_button, self.replace_button),
            (self.details_button, self.withdraw_button),
            (self.present_button,),
            (self.role_button,),
        ):
            row = QHBoxLayout()
            row.setContentsMargins(12, 0, 12, 0)
            row.setSpacing(6)
            for button in pair:
                row.addWidget(button)
            row.addStretch(1)
            self.box.addLayout(row)
        self.box.addWidget(self.document_list, 1)
        for widget in (self.hint, self.progress_label, self.progress):
            row = QHBoxLayout()
            row.setContentsMargins(12, 0, 12, 0)
            row.addWidget(widget)
            self.box.addLayout(row)
        self.retranslate()

    # ------------------------------------------------------------------ drawing

    def set_item(self, item_id: int | None) -> None:
        self._item_id = item_id
        self._show_documents()

    def show_model(self, model: RoomView, areas: Area) -> None:
        self._model = model
        self._show_documents()

    def _item(self) -> p.AgendaItem | None:
        return self._model.items.get(self._item_id) if self._item_id is not None else None

    def _show_documents(self) -> None:
        selected = self.selected_document()
        self.document_list.blockSignals(True)
        self.document_list.clear()
        item = self._item()
        for doc in self._model.documents_of(item.id) if item is not None else []:
            entry = QListWidgetItem(self._describe(doc), self.document_list)
            entry.setData(DocumentRole, doc.id)
            if selected is not None and doc.id == selected.id:
                entry.setSelected(True)
        self.document_list.blockSignals(False)
        self.refresh()

    def _describe(self, doc: p.Document) -> str:
        parts = [doc.title, self.tr("%n page(s)", "", doc.pages), size_text(doc.length)]
        if doc.version > 1:
            parts.append(self.tr("version %1").replace("%1", str(doc.version)))
        if doc.groups:
            parts.append(self.tr("only %1").replace("%1", ", ".join(doc.groups)))
        if doc.status == "withdrawn":
            parts.append(self.tr("withdrawn"))
        return " · ".join(parts)

    def selected_document(self) -> p.Document | None:
        entries = self.document_list.selectedItems()
        if not entries:
            return None
        return self._model.documents.get(entries[0].data(DocumentRole))

    def refresh(self) -> None:
        item = self._item()
        doc = self.selected_document()
        free = self._requests.is_online() and self._uploading is None
        self.heading.setText(
            self.tr("Documents of %1").replace("%1", item.title) if item else self.tr("Documents")
        )
        self.attach_button.setEnabled(free and item is not None)
        live = doc is not None and doc.status == "published"
        for button in (self.replace_button, self.details_button, self.withdraw_button):
            button.setEnabled(free and live)
        self.role_button.setEnabled(self._requests.is_online() and item is not None)
        held = doc is not None and self._bridge.documents.ready(doc.id)
        self.present_button.setEnabled(
            self._requests.is_online() and live and held and self.presenter is None
        )
        self.hint.setText(
            self.tr("Drop PDF files here to attach them to this item.")
            if item is not None
            else self.tr("Select an agenda item to see and attach its documents.")
        )

    def retranslate(self) -> None:
        self.attach_button.setText(self.tr("Attach PDF…"))
        self.replace_button.setText(self.tr("Replace…"))
        self.details_button.setText(self.tr("Details…"))
        self.withdraw_button.setText(self.tr("Withdraw"))
        self.present_button.setText(self.tr("Present"))
        self.role_button.setText(self.tr("Presenter…"))
        self._show_documents()

    # ------------------------------------------------------------------ presenting

    def present_selected(self) -> None:
        """Open the selected document in a presenter window; the hall follows its pages."""
        doc = self.selected_document()
        if doc is None or doc.status != "published" or self.presenter is not None:
            return
        window = PresenterWindow(
            self._requests, self._bridge, doc, self.tr("Presented by the secretariat")
        )
        window.stopped.connect(self._presenter_closed)
        self.presenter = window
        window.show()
        self.refresh()

    def choose_presenter(self) -> None:
        """Give a delegate the presenter role for the item, or take it back."""
        item = self._item()
        if item is None:
            return
        delegates = sorted(self._model.delegates.values(), key=lambda d: d.number)
        current = (
            self._model.delegates.get(item.presenter_id) if item.presenter_id is not None else None
        )
        dialog = PresenterRoleDialog(self, item, delegates, current)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.delegate_id()
        dialog.deleteLater()
        if not accepted:
            return
        self._requests.send(
            p.PresenterSet(id=0, item_id=item.id, delegate_id=chosen),
            lambda: (
                self.tr("Presenter given.")
                if chosen is not None
                else self.tr("The role is taken back.")
            ),
            receiver=self,
        )

    def _presenter_closed(self) -> None:
        window, self.presenter = self.presenter, None
        if window is not None:
            window.deleteLater()
        self.refresh()

    # ------------------------------------------------------------------ attaching

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._item() is not None and _pdf_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _pdf_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.attach(paths[0])

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Attach a PDF"), "", self.tr("PDF documents (*.pdf)")
        )
        if name:
            self.attach(Path(name))

    def _groups(self) -> list[str]:
        roster = self._model.roster
        return list(roster.groups) if roster is not None else []

    def attach(self, path: Path) -> None:
        """Ask for the title and readers, then publish ``path`` for the selected item."""
        item = self._item()
        if item is None or self._uploading is not None:
            return
        dialog = DocumentDialog(self, self._groups(), path.stem, file_name=path.name)
        if dialog.exec() != DocumentDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        self._upload(
            path,
            lambda length: p.DocumentUpload(
                id=0,
                file_name=path.name,
                length=length,
                item_id=item.id,
                title=values.title,
                groups=list(values.groups),
            ),
        )

    def replace_selected(self) -> None:
        doc = self.selected_document()
        if doc is None:
            return
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Revised version of %1").replace("%1", doc.title),
            "",
            self.tr("PDF documents (*.pdf)"),
        )
        if name:
            path = Path(name)
            self._upload(
                path,
                lambda length: p.DocumentUpload(
                    id=0, file_name=path.name, length=length, document_id=doc.id
                ),
            )

    def _upload(self, path: Path, request: Callable[[int], p.DocumentUpload]) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._requests.say(
                lambda: (
                    self.tr("Cannot read %1: %2").replace("%1", path.name).replace("%2", reason)
                ),
                error=True,
            )
            return
        if not data:
            self._requests.say(lambda: self.tr("%1 is empty.").replace("%1", path.name), error=True)
            return
        msg = request(len(data))
        self._uploading = path.name
        self.progress.setRange(0, len(data))
        self.progress.setValue(0)
        self.progress.show()
        self.progress_label.setText(self.tr("Sending %1…").replace("%1", path.name))
        self.progress_label.show()
        self.refresh()

        def sent(done: int, total: int) -> None:
            self.progress.setValue(done)
            if done >= total:
                self.progress.setRange(0, 0)  # busy: the room checks and seals it
                self.progress_label.setText(
                    self.tr("The room is checking %1…").replace("%1", path.name)
                )

        def published(reply: p.DocumentPublished) -> None:
            self._done()
            self._requests.say(lambda: self._published_text(path.name, reply))

        def failed(exc: BaseException) -> None:
            self._done()
            self._requests.say(lambda: errors.describe_request_error(exc), error=True)

        self._bridge.upload(msg, data, sent, published, failed, receiver=self)

    def _published_text(self, name: str, reply: p.DocumentPublished) -> str:
        if reply.version > 1:
            text = (
                self.tr("%1 published as version %2; pages changed: %3")
                .replace("%1", name)
                .replace("%2", str(reply.version))
                .replace("%3", ", ".join(map(str, reply.changed_pages[:20])) or self.tr("none"))
            )
        else:
            text = self.tr("%1 published; devices are downloading it.").replace("%1", name)
        if reply.removed:
            removed = ", ".join(errors.describe_removed(r.kind, r.count) for r in reply.removed)
            text += " " + self.tr("Taken out of the file: %1.").replace("%1", removed)
        return text

    def _done(self) -> None:
        self._uploading = None
        self.progress.hide()
        self.progress_label.hide()
        self.refresh()

    def is_uploading(self) -> bool:
        return self._uploading is not None

    # ------------------------------------------------------------------ changing

    def edit_selected(self) -> None:
        doc = self.selected_document()
        if doc is None:
            return
        model = self._model
        items = [
            (item.id, f"{model.display_number(item)} {item.title}")
            for _depth, item in model.walk(doc.meeting_id)
        ]
        dialog = DocumentDialog(
            self, self._groups(), doc.title, doc.groups, items=items, item_id=doc.item_id
        )
        if dialog.exec() != DocumentDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        update = p.DocumentUpdate(
            id=0, document_id=doc.id, title=values.title, groups=list(values.groups)
        )
        if values.item_id is not None and values.item_id != doc.item_id:
            update = msgspec.structs.replace(update, item_id=values.item_id)
        self._requests.send(
            update,
            lambda: self.tr("Document saved."),
            receiver=self,
        )

    def withdraw_selected(self) -> None:
        doc = self.selected_document()
        if doc is None:
            return
        if not confirm(
            self,
            self.tr("Withdraw document"),
            self.tr("Withdraw “%1”? Every device deletes it; the record of it stays.").replace(
                "%1", doc.title
            ),
            self.tr("Withdraw"),
            self.tr("Keep it"),
        ):
            return
        self._requests.send(
            p.DocumentWithdraw(id=0, document_id=doc.id),
            lambda: self.tr("Document withdrawn."),
            receiver=self,
        )


def _pdf_paths(urls: list[QUrl]) -> list[Path]:
    return [
        Path(u.toLocalFile())
        for u in urls
        if u.isLocalFile() and u.toLocalFile().lower().endswith(".pdf")
    ]
