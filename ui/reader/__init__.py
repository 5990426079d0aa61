"""The document reader: a delegate reads one confidential PDF, decrypted, from memory.

The API, for whoever opens documents::

    from ui.reader import ReaderWindow, prepare

    prepare()                     # once, ahead of time: a render process waits, warm
    reader = ReaderWindow(title, pdf_bytes, "Nguyễn Thị Hồng Nhung · 0123", initial_page=12)
    reader.pageChanged.connect(remember_page)   # int, from 0: store it, pass it back next time
    reader.closed.connect(forget_reader)        # the delegate closed it (or it was withdrawn)
    reader.show()                 # a window of its own, or put it in a layout

    reader.show_revision(new_pdf_bytes, changed_pages=[2, 6])   # same page, pages marked
    reader.withdraw("Replaced by document 14.")                 # off the screen, with a message
    reader.close_document()       # from the app's side (closing the window does the same)

    reader.attach_annotations(doc, records, keep)   # the delegate writes on it (annotating)
    reader.set_annotations(records, meeting_records, titles)   # they changed elsewhere

* :class:`ReaderWindow` (``ui.reader.window``): a ``QWidget``. ``pdf`` is the decrypted
  document, ``watermark`` the text every page and thumbnail carries (the delegate's name and
  number), ``initial_page`` where to open (clamped to the document). ``pageChanged(int)`` fires
  on every page turn, and as the document (or a revision) opens with the page it opened on;
  ``closed()`` fires once, whatever closed it, and then the window can be deleted.
  :meth:`~ReaderWindow.current_page` is the page shown.
* :func:`prepare` starts a spare render process so the next document shows its first page
  without waiting ~0.2 s for Python and MuPDF to start; after that a spare follows each one
  used. :func:`shutdown` stops the spare (at quit; it also stops by itself at exit).

What the reader guarantees: the plaintext never touches the disk (PyMuPDF opens the bytes in
the render process's memory, images come back through a pipe, nothing is cached on disk, the
renderer cannot dump core), every image shown is watermarked where it is drawn, and the
window keeps no copy of the PDF: once it is closed or withdrawn, the render process and the
document in it are gone. The caller's own ``bytes`` are the caller's to drop.
"""

from ui.reader.renderer import prepare, shutdown
from ui.reader.window import ReaderWindow

__all__ = ["ReaderWindow", "prepare", "shutdown"]
