"""Hostile and broken PDFs for the upload check, built at run time (nothing binary is committed).

Each :class:`Case` builds its file from scratch — with :func:`raw_pdf`, an honest little PDF
writer that lays out objects and a correct cross-reference table by hand, so a test can put
anything in it (a page tree that contains itself, a stream that inflates to gigabytes) — or with
PyMuPDF (passwords, attachments, incremental updates), or from a real manual of Debian's
``lilypond-doc-pdf`` (truncated, bit-flipped). :data:`CASES` says what the check must do with
each: refuse it with an exact code, or pass it with exact kinds of content removed.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pymupdf

from server.pdfcheck import GiB, MiB, PdfLimits
from tests.realdocs import real_pdf

# ------------------------------------------------------------------------------ the writer

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, entries: bytes = b"") -> bytes:
    """A stream object's body: its dictionary (with the right /Length) and its data."""
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def raw_pdf(objects: Mapping[int, bytes], *, root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF of exactly ``objects`` (number -> body), with a correct cross-reference table:
    what a careless or hostile producer could write, byte for byte."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s >>\n" % (size, root, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text_content(*lines: str, size: int = 14) -> bytes:
    """A content stream showing ``lines`` in Helvetica (resource /F1) from the top left."""
    out = [b"BT /F1 %d Tf 72 760 Td %d TL" % (size, size + 4)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def one_page(
    *,
    catalog: bytes = b"",
    page: bytes = b"",
    pages: bytes | None = None,
    content: bytes | None = None,
    extra: Mapping[int, bytes] | None = None,
    media_box: bytes = b"[0 0 595 842]",
) -> bytes:
    """A one-page document: catalog 1, page tree 2, page 3, content 4, font 5; ``catalog`` and
    ``page`` add entries to those dictionaries, ``extra`` adds objects from 6 on."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
        2: pages if pages is not None else b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> %s >>" % (media_box, page),
        4: stream(content if content is not None else text_content("Budget 2026", "Page 1")),
        5: HELVETICA,
    }
    objects.update(extra or {})
    return raw_pdf(objects)


def many_pages(count: int, *, lines: Callable[[int], list[str]] | None = None) -> bytes:
    """``count`` pages in one flat page tree; page i shows ``lines(i)`` (1-based)."""
    kids = b" ".join(b"%d 0 R" % (10 + 2 * i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        5: HELVETICA,
    }
    shared = lines is None
    if shared:
        objects[4] = stream(text_content("The same page"))
    for i in range(count):
        content = 4 if shared else 11 + 2 * i
        objects[10 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>" % content
        )
        if lines is not None:
            objects[11 + 2 * i] = stream(text_content(*lines(i + 1)))
    return raw_pdf(objects)


# -------------------------------------------------------------------------- bombs and images


def zero_bomb(size: int) -> bytes:
    """A valid zlib stream that inflates to ``size`` zero bytes (a multiple of 16 MiB) at the
    best ratio deflate has (~1,030:1), built in a fraction of a second: after a full flush
    zlib's output for the next 16 MiB of zeros is the same bytes again, so one piece is
    repeated, and the checksum of n zeros is known without reading them (Adler-32: A stays 1,
    B counts the bytes)."""
    piece = 16 * MiB
    assert size % piece == 0
    z = zlib.compressobj(9)
    zeros = bytes(piece)
    first = z.compress(zeros) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(zeros) + z.flush(zlib.Z_FULL_FLUSH)
    adler = ((size % 65521) << 16) | 1
    return first + again * (size // piece - 1) + b"\x03\x00" + struct.pack(">I", adler)


class _Bits:
    """Codes packed most significant bit first, as PDF's LZW wants them."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = self.n = 0

    def put(self, code: int, width: int) -> None:
        self.acc = (self.acc << width) | code
        self.n += width
        while self.n >= 8:
            self.n -= 8
            self.out.append((self.acc >> self.n) & 0xFF)
        self.acc &= (1 << self.n) - 1

    def done(self) -> bytes:
        return bytes(self.out + (bytes([(self.acc << (8 - self.n)) & 0xFF]) if self.n else b""))


class _LzwWriter:
    """Writes codes with the width a PDF reader expects (EarlyChange 1): the reader's table
    grows by one entry per code after the first, and its codes widen one entry early."""

    def __init__(self) -> None:
        self.bits = _Bits()
        self.width, self.size, self.started = 9, 258, False

    def emit(self, code: int) -> None:
        self.bits.put(code, self.width)
        if code == 256:
            self.width, self.size, self.started = 9, 258, False
            return
        if self.started and self.size < 4096:
            self.size += 1
        self.started = True
        if self.size + 1 >= (1 << self.width) and self.width < 12:
            self.width += 1


def lzw(data: bytes) -> bytes:
    """LZW-compress ``data`` as a PDF writer does: a clear code first and whenever the table
    is full, the end code last."""
    writer = _LzwWriter()
    writer.emit(256)
    table = {bytes([i]): i for i in range(256)}
    word = b""
    for byte in data:
        grown = word + bytes([byte])
        if grown in table:
            word = grown
            continue
        writer.emit(table[word])
        table[grown] = len(table) + 2
        if len(table) + 2 == 4096:
            writer.emit(256)
            table = {bytes([i]): i for i in range(256)}
        word = bytes([byte])
    if word:
        writer.emit(table[word])
    writer.emit(257)
    return writer.bits.done()


def lzw_zero_bomb(repeats: int) -> bytes:
    """LZW for about ``repeats`` x 3,839 zero bytes, written straight as codes: each code is
    one zero longer than the last until the table is full, then the longest, again and again
    (a reader keeps a full table until told to clear it): ~2,500:1."""
    writer = _LzwWriter()
    writer.emit(256)
    for code in [0, *range(258, 4096), *[4095] * repeats, 257]:
        writer.emit(code)
    return writer.bits.done()


def run_length(data: bytes) -> bytes:
    """RunLength encoding with literal runs only (enough for a reader to have to decode it)."""
    out = bytearray()
    for at in range(0, len(data), 128):
        piece = data[at : at + 128]
        out += bytes([len(piece) - 1]) + piece
    return bytes(out + b"\x80")


def filtered_page(content: bytes, filters: bytes) -> bytes:
    """A page whose content stream is ``content`` already encoded with ``filters``."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            4: stream(content, b"/Filter " + filters),
            5: HELVETICA,
        }
    )


CONTENT = text_content("Budget 2026", "Chapter 1: revenue and spending of the year") * 50


def jpeg_header(width: int, height: int) -> bytes:
    """The first bytes of a baseline JPEG claiming ``width`` x ``height`` pixels: enough for a
    decoder to allocate by them."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + sof
        + b"\xff\xd9"
    )


def image_page(image: bytes) -> bytes:
    """A page drawing one image XObject (object 6, body ``image``)."""
    return one_page(
        page=b"/Resources << /XObject << /Im1 6 0 R >> >>",
        content=b"q 500 0 0 500 40 300 cm /Im1 Do Q",
        extra={6: image},
    )


# --------------------------------------------------------------------------- other files


def png_file() -> bytes:
    """A real 2 x 2 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00\xff\x00\x00\x00\xff\x00" * 2
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def zip_file() -> bytes:
    """A ZIP archive holding a PDF: not a PDF itself."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("agenda.pdf", one_page())
    return buffer.getvalue()


# ------------------------------------------------------------------------ with PyMuPDF


def mupdf_doc(pages: int = 1, text: str = "Budget 2026") -> pymupdf.Document:
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page().insert_text((72, 72), f"{text} - page {i + 1}", fontsize=14)
    return doc


def with_password() -> bytes:
    return mupdf_doc().tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner"
    )


def with_owner_password() -> bytes:
    """Opens without a password; printing and copying are 'restricted' by an owner password."""
    return mupdf_doc().tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", permissions=0
    )


ATTACHMENT = b"CONFIDENTIAL-SPREADSHEET-" * 40


def with_attachments() -> bytes:
    """An attached file (the document's list) and a file-attachment annotation."""
    doc = mupdf_doc()
    doc.embfile_add("budget.xlsx", ATTACHMENT, filename="budget.xlsx")
    doc[0].add_file_annot((100, 100), ATTACHMENT, "annex.exe")
    return doc.tobytes()


def incremental_update(base: bytes, objects: Mapping[int, bytes]) -> bytes:
    """``base`` with an incremental update appended that replaces ``objects``, as an editor
    saving "quickly" does: the old objects stay in the file, unreferenced."""
    previous = int(base[base.rindex(b"startxref") + 9 :].split()[0])
    size = int(base[base.rindex(b"/Size") + 5 :].split()[0])
    out = bytearray(base)
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (max(size, *objects) + 1, previous)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


SECRET = "Deleted-Salary-Table"


def with_old_revision() -> bytes:
    """A document whose page said :data:`SECRET` until an incremental update replaced its
    content: the old text is still in the file, unseen by any viewer."""
    base = one_page(content=text_content("Salaries", SECRET))
    return incremental_update(base, {4: stream(text_content("Salaries", "Public version"))})


# --------------------------------------------------------------------- active content


def js_everywhere() -> bytes:
    """JavaScript as an open action, behind a link, as a document script and on page open."""
    return one_page(
        catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\('open'\\)) >>"
        b" /Names << /JavaScript 7 0 R >>",
        page=b"/Annots [6 0 R] /AA << /O << /S /JavaScript /JS (this.print\\(\\)) >> >>",
        extra={
            6: b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720]"
            b" /A << /S /JavaScript /JS 8 0 R >> >>",
            7: b"<< /Names [(init) 9 0 R] >>",
            8: stream(b"app.launchURL('http://example.org/steal');"),
            9: b"<< /S /JavaScript /JS (console.println\\('doc'\\)) >>",
        },
    )


def links_out() -> bytes:
    """Web, mail and file links over their text, an internal link, and an outline with an
    entry to page 2 and one to a web address."""
    links = [
        (b"https://example.org/agenda", 760),
        (b"mailto:leak@example.org", 742),
        (b"file:///etc/passwd", 724),
    ]
    annots = {
        20 + i: b"<< /Type /Annot /Subtype /Link /Rect [72 %d 400 %d] /Border [0 0 0]"
        b" /A << /S /URI /URI (%s) >> >>" % (y - 4, y + 12, uri)
        for i, (uri, y) in enumerate(links)
    }
    annots[23] = b"<< /Type /Annot /Subtype /Link /Rect [72 700 400 716] /Dest [10 0 R /Fit] >>"
    annots[24] = (
        b"<< /Type /Annot /Subtype /Link /Rect [72 680 400 696]"
        b" /A << /S /GoTo /D [10 0 R /XYZ 0 842 0] >> >>"
    )
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Outlines 30 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 10 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /Annots [20 0 R 21 0 R 22 0 R 23 0 R 24 0 R] >>",
        4: stream(
            text_content(
                "https://example.org/agenda",
                "mailto:leak@example.org",
                "file:///etc/passwd",
                "See page 2",
                "Back to the annex",
            )
        ),
        5: HELVETICA,
        10: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 11 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        11: stream(text_content("Annex")),
        30: b"<< /Type /Outlines /First 31 0 R /Last 32 0 R /Count 2 >>",
        31: b"<< /Title (Annex) /Parent 30 0 R /Next 32 0 R /Dest [10 0 R /Fit] >>",
        32: b"<< /Title (Our website) /Parent 30 0 R /Prev 31 0 R"
        b" /A << /S /URI /URI (https://example.org) >> >>",
        **annots,
    }
    return raw_pdf(objects)


def link_with(
    action: bytes, *, catalog: bytes = b"", extra: Mapping[int, bytes] | None = None
) -> bytes:
    """One page with one link annotation whose action is ``action``."""
    return one_page(
        catalog=catalog,
        page=b"/Annots [6 0 R]",
        extra={
            6: b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A %s >>" % action,
            **(extra or {}),
        },
    )


def form_with_submit() -> bytes:
    """A form: a button that submits the fields to a web server, and a text field whose
    keystrokes run JavaScript; both fields show a value."""
    return one_page(
        catalog=b"/AcroForm << /Fields [6 0 R 7 0 R] /NeedAppearances false >>",
        page=b"/Annots [6 0 R 7 0 R]",
        extra={
            6: b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [72 600 200 630]"
            b" /P 3 0 R /A << /S /SubmitForm /F << /FS /URL /F (https://example.org/collect) >> >>"
            b" /AP << /N 8 0 R >> >>",
            7: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Nguyen Van A)"
            b" /Rect [72 650 300 670] /P 3 0 R /AP << /N 9 0 R >>"
            b" /AA << /K << /S /JavaScript /JS (event.rc = true) >> >> >>",
            8: stream(
                b"BT /F1 12 Tf 4 8 Td (Send) Tj ET",
                b"/Type /XObject /Subtype /Form /BBox [0 0 128 30] /Resources << /Font << /F1 5 0 R >> >>",
            ),
            9: stream(
                b"BT /F1 12 Tf 2 5 Td (Nguyen Van A) Tj ET",
                b"/Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /F1 5 0 R >> >>",
            ),
        },
    )


XFA_PACKET = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'


def with_xfa(*, dynamic: bool) -> bytes:
    return one_page(
        catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>"
        + (b" /NeedsRendering true" if dynamic else b""),
        extra={6: stream(XFA_PACKET)},
    )


def with_media() -> bytes:
    """A screen annotation playing a rendition, and a 3D annotation."""
    return one_page(
        page=b"/Annots [6 0 R 7 0 R]",
        extra={
            6: b"<< /Type /Annot /Subtype /Screen /Rect [72 400 300 600]"
            b" /A << /S /Rendition /OP 0 /AN 6 0 R >> >>",
            7: b"<< /Type /Annot /Subtype /3D /Rect [300 400 500 600] >>",
        },
    )


def outline(items: Mapping[int, bytes], first: int = 11) -> bytes:
    return one_page(
        catalog=b"/Outlines 10 0 R",
        extra={10: b"<< /Type /Outlines /First %d 0 R /Count 2 >>" % first, **items},
    )


# ----------------------------------------------------------------------------- real files


def cut(name: str, fraction: float) -> Callable[[], bytes]:
    def build() -> bytes:
        data = real_pdf(name).read_bytes()
        return data[: int(len(data) * fraction)]

    return build


def cut_before_eof(name: str) -> Callable[[], bytes]:
    def build() -> bytes:
        data = real_pdf(name).read_bytes()
        return data[: data.rindex(b"%%EOF")]

    return build


def flip_in_content_stream(name: str = "usage.pdf", page: int = 10) -> bytes:
    """A real manual with one bit flipped in the middle of a page's compressed content."""
    data = bytearray(real_pdf(name).read_bytes())
    doc = pymupdf.open(stream=bytes(data), filetype="pdf")
    raw = doc.xref_stream_raw(doc[page].get_contents()[0])
    at = data.find(raw[:64])
    assert at > 0 and len(raw) > 200
    data[at + len(raw) // 2] ^= 0x10
    return bytes(data)


def flip_in_xref_table(name: str = "usage.pdf") -> bytes:
    """A real manual with one bit flipped in an offset of its cross-reference table (a digit
    becomes another digit): MuPDF must rebuild the table."""
    data = bytearray(real_pdf(name).read_bytes())
    table = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    assert data[table : table + 4] == b"xref"
    first_entry = data.index(b"0000000000 65535 f", table) + 20
    digit = first_entry + 3 * 20 + 7  # an offset digit of the third object's entry
    data[digit] ^= 0x01
    return bytes(data)


# -------------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """One file and what the check must do with it."""

    name: str  # the file name the check is told
    build: Callable[[], bytes]
    refused: str | None = None  # the exact refusal code, or None: it must pass
    removed: Mapping[str, int] = field(default_factory=dict)  # kind -> count, when it passes
    limits: PdfLimits | None = None
    repaired: bool = False
    decrypted: bool = False


def _page_tree_dag(levels: int = 40) -> bytes:
    """A page tree where each node lists the next node twice: 2**40 pages from 40 objects."""
    objects = {1: b"<< /Type /Catalog /Pages 10 0 R >>", 5: HELVETICA, 4: stream(b"")}
    for level in range(levels):
        objects[10 + level] = b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (
            11 + level,
            11 + level,
            2 ** (levels - level),
        )
    objects[10 + levels] = b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return raw_pdf(objects)


CASES: tuple[Case, ...] = (
    # not PDFs
    Case("empty.pdf", lambda: b"", "empty"),
    Case("notes.pdf", lambda: "Ngân sách 2026\nChương 1\n".encode(), "not_pdf"),
    Case("photo.pdf", png_file, "not_pdf"),
    Case("bundle.pdf", zip_file, "not_pdf"),
    Case("late-header.pdf", lambda: b"x" * 2000 + one_page(), "not_pdf"),
    Case("header-only.pdf", lambda: b"%PDF-1.7\n%%EOF\n", "corrupt"),
    # size
    Case("big.pdf", one_page, "too_large", limits=PdfLimits(max_bytes=500)),
    # truncated and damaged real files
    Case("usage-10pc.pdf", cut("usage.pdf", 0.10), "truncated"),
    Case("usage-90pc.pdf", cut("usage.pdf", 0.90), "truncated"),
    Case("usage-no-eof.pdf", cut_before_eof("usage.pdf"), "truncated"),
    Case("notation-50pc.pdf", cut("notation.pdf", 0.50), "truncated"),
    Case("usage-flipped-stream.pdf", flip_in_content_stream, "corrupt"),
    Case(
        "usage-flipped-xref.pdf",
        flip_in_xref_table,
        None,
        {"remote_link": 42, "web_link": 17},
        repaired=True,
    ),
    # encryption
    Case("locked.pdf", with_password, "password"),
    Case("restricted.pdf", with_owner_password, None, decrypted=True),
    # pages
    Case(
        "no-pages.pdf", lambda: one_page(pages=b"<< /Type /Pages /Kids [] /Count 0 >>"), "no_pages"
    ),
    Case("5001-pages.pdf", lambda: many_pages(5_001), "too_many_pages"),
    Case("100-pages.pdf", lambda: many_pages(100), None, limits=PdfLimits(max_pages=100)),
    Case(
        "101-pages.pdf", lambda: many_pages(101), "too_many_pages", limits=PdfLimits(max_pages=100)
    ),
    Case(
        "count-lie.pdf",
        lambda: one_page(pages=b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>"),
        "page_tree",
    ),
    Case(
        "count-mismatch.pdf",
        lambda: one_page(pages=b"<< /Type /Pages /Kids [3 0 R] /Count 3 >>"),
        "page_tree",
    ),
    Case(
        "tree-self.pdf",
        lambda: one_page(pages=b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        "page_tree",
    ),
    Case(
        "tree-loop.pdf",
        lambda: one_page(
            pages=b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
            extra={6: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"},
        ),
        "page_tree",
    ),
    Case("tree-2-to-the-40.pdf", _page_tree_dag, "page_tree"),
    Case("huge-page.pdf", lambda: one_page(media_box=b"[0 0 20000 20000]"), "page_size"),
    Case("tiny-page.pdf", lambda: one_page(media_box=b"[0 0 1 1]"), "page_size"),
    Case(
        "user-unit.pdf",
        lambda: one_page(media_box=b"[0 0 1000 1000]", page=b"/UserUnit 20"),
        "page_size",
    ),
    # bombs and images
    Case(
        "bomb.pdf",
        lambda: one_page(extra={6: stream(zero_bomb(2 * GiB), b"/Filter /FlateDecode")}),
        "bomb",
    ),
    Case(
        "bomb-nested.pdf",
        lambda: one_page(
            content=b"",
            page=b"/Resources << /XObject << /X 6 0 R >> >>",
            extra={
                6: stream(
                    zlib.compress(zero_bomb(4 * GiB), 9),
                    b"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Filter [/FlateDecode /FlateDecode]",
                )
            },
        ),
        "bomb",
    ),
    Case(
        "bomb-total.pdf",
        lambda: one_page(
            extra={
                6 + i: stream(zlib.compress(bytes(MiB)), b"/Filter /FlateDecode") for i in range(20)
            }
        ),
        "bomb",
        limits=PdfLimits(max_inflated_bytes=8 * MiB),
    ),
    Case(
        "bomb-in-image.pdf",
        lambda: image_page(
            stream(
                zero_bomb(16 * MiB),
                b"/Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceRGB"
                b" /BitsPerComponent 8 /Filter /FlateDecode",
            )
        ),
        "bomb",
    ),
    Case("lzw.pdf", lambda: filtered_page(lzw(CONTENT), b"/LZWDecode")),
    Case("run-length.pdf", lambda: filtered_page(run_length(CONTENT), b"/RunLengthDecode")),
    Case(
        "ascii85-flate.pdf",
        lambda: filtered_page(
            base64.a85encode(zlib.compress(CONTENT)) + b"~>", b"[/ASCII85Decode /FlateDecode]"
        ),
    ),
    Case("ascii-hex.pdf", lambda: filtered_page(CONTENT.hex().encode() + b">", b"/ASCIIHexDecode")),
    Case(
        "bomb-lzw.pdf",
        lambda: one_page(extra={6: stream(lzw_zero_bomb(80_000), b"/Filter /LZWDecode")}),
        "bomb",
    ),
    Case(
        "bomb-run-length.pdf",
        lambda: one_page(
            extra={6: stream(b"\x81\x00" * 400_000 + b"\x80", b"/Filter /RunLengthDecode")}
        ),
        "bomb",
        limits=PdfLimits(max_stream_bytes=32 * MiB),
    ),
    Case(
        "bomb-ascii85.pdf",
        lambda: one_page(extra={6: stream(b"z" * 10_000_000 + b"~>", b"/Filter /ASCII85Decode")}),
        "bomb",
        limits=PdfLimits(max_stream_bytes=32 * MiB),
    ),
    Case(
        "giant-image.pdf",
        lambda: image_page(
            stream(
                zlib.compress(bytes(3000)),
                b"/Type /XObject /Subtype /Image /Width 30000 /Height 30000"
                b" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode",
            )
        ),
        "image_too_large",
    ),
    Case(
        "jpeg-says-bigger.pdf",
        lambda: image_page(
            stream(
                jpeg_header(60_000, 60_000),
                b"/Type /XObject /Subtype /Image /Width 100 /Height 100"
                b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
            )
        ),
        "image_too_large",
    ),
    Case(
        "inline-giant.pdf",
        lambda: one_page(
            content=b"q 100 0 0 100 0 0 cm BI /W 40000 /H 40000 /CS /G /BPC 8 ID \x00\x00 EI Q"
        ),
        "image_too_large",
    ),
    # outlines
    Case(
        "outline-loop.pdf",
        lambda: outline(
            {
                11: b"<< /Title (One) /Parent 10 0 R /Next 12 0 R /Dest [3 0 R /Fit] >>",
                12: b"<< /Title (Two) /Parent 10 0 R /Next 11 0 R /Dest [3 0 R /Fit] >>",
            }
        ),
        "outline",
    ),
    Case(
        "outline-child-loop.pdf",
        lambda: outline(
            {
                11: b"<< /Title (One) /Parent 10 0 R /First 12 0 R /Dest [3 0 R /Fit] >>",
                12: b"<< /Title (Two) /Parent 11 0 R /First 11 0 R /Dest [3 0 R /Fit] >>",
            }
        ),
        "outline",
    ),
    # active content: stripped
    Case("scripts.pdf", js_everywhere, None, {"javascript": 4}),
    Case("links.pdf", links_out, None, {"web_link": 4}),
    Case("launch.pdf", lambda: link_with(b"<< /S /Launch /F (calc.exe) >>"), None, {"launch": 1}),
    Case(
        "remote.pdf",
        lambda: link_with(b"<< /S /GoToR /F (../../secret/minutes.pdf) /D [0 /Fit] >>"),
        None,
        {"remote_link": 1},
    ),
    Case(
        "chained.pdf",
        lambda: link_with(b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (1) >> >>"),
        None,
        {"javascript": 1},
    ),
    Case(
        "named-print.pdf",
        lambda: link_with(b"<< /S /Named /N /Print >>"),
        None,
        {"other_action": 1},
    ),
    Case("named-next.pdf", lambda: link_with(b"<< /S /Named /N /NextPage >>"), None, {}),
    Case(
        "indirect-action.pdf",
        lambda: link_with(
            b"7 0 R", extra={7: b"<< /Type /Action /S /URI /URI (http://10.0.0.1/) >>"}
        ),
        None,
        {"web_link": 1},
    ),
    Case("attachments.pdf", with_attachments, None, {"embedded_file": 2}),
    Case("form.pdf", form_with_submit, None, {"form_action": 1, "javascript": 1}),
    Case("xfa-static.pdf", lambda: with_xfa(dynamic=False), None, {"xfa": 1}),
    Case("xfa-dynamic.pdf", lambda: with_xfa(dynamic=True), "xfa"),
    Case(
        "portfolio.pdf",
        lambda: one_page(catalog=b"/Collection << /Type /Collection >>"),
        "portfolio",
    ),
    Case("media.pdf", with_media, None, {"media": 2}),
    Case("old-revision.pdf", with_old_revision, None, {}),
)
