"""Reading the enrollment QR code from a picture: a photo of the card, or the PNG that
``hemicycle-server enroll --qr`` writes.

The apps have no camera of their own: the tablet's camera app takes the photo, and the picture
file (or a picture on the clipboard) is read here with zxing-cpp. Only the text of a Hemicycle
code is returned; the caller parses it like a typed code. What can go wrong has a ``kind``
that :func:`ui.widgets.errors.describe_picture_error` turns into a sentence.
"""

from __future__ import annotations

import zxingcpp
from PySide6.QtGui import QImage, QImageReader

from app.codes import QR_PREFIX


class PictureError(Exception):
    """``kind``: ``unreadable`` (not a picture), ``no_code`` (no QR code found),
    ``other_code`` (QR codes, none of them Hemicycle's), ``several_codes`` (more than one
    Hemicycle code, e.g. a photo of a whole sheet of cards)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def load_picture(path: str) -> QImage:
    """The picture in ``path``, turned upright as the camera recorded it (EXIF)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise PictureError("unreadable")
    return image


def code_text_in(image: QImage) -> str:
    """The text of the one Hemicycle QR code in ``image``; raises :class:`PictureError`."""
    if image.isNull():
        raise PictureError("unreadable")
    # zxing-cpp reads a QImage in place; 8-bit grey is one of the layouts it takes.
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    codes = zxingcpp.read_barcodes(grey, formats=qr)
    found = {code.text.strip() for code in codes}
    ours = {text for text in found if text.upper().startswith(QR_PREFIX)}
    if len(ours) > 1:
        raise PictureError("several_codes")
    if ours:
        return ours.pop()
    raise PictureError("other_code" if found else "no_code")
