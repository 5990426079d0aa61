"""Checking and cleaning an uploaded PDF before the room stores it and sends it to tablets.

:func:`check_pdf` (or :func:`check_pdf_async` on the server's event loop) takes the bytes a
secretary uploaded and either returns a :class:`CheckedPdf` — the **cleaned** file to store, its
pages, outline and per-page fingerprints — or raises :class:`PdfRefused` with a code and one
sentence that names the file, says what is wrong and what to do.

Why a separate process
======================

Reading a PDF means running MuPDF's parser, decompressors and font and image decoders on bytes
that came from outside: a decompression bomb, a page tree that loops or a bug in one of those
decoders must not take the room server down, and PyMuPDF costs the serving process ~100 MB it
otherwise never needs (``tests/test_boundary.py``). So this module never imports PyMuPDF. It
starts ``python -I -B`` running :mod:`server.pdfinspect`, sends it the file on a pipe, and reads
back a typed reply that it validates like any untrusted input. The child confines itself before
it reads the file (:func:`server.pdfinspect.confine`): an address-space cap (``RLIMIT_AS``), a CPU
time limit, no core dumps (they would hold a confidential document), no file writes, no new file
descriptors once PyMuPDF is loaded (so even an exploited decoder cannot open the room key, unless
the server runs as root), an empty environment (no database URL or password), and death with its
parent. It does not load PyMuPDF's layout analysis (onnxruntime, numpy), which the check never
uses. The parent adds a wall-clock timeout and a cap on what it reads back. Whatever goes wrong
in the child — a limit hit, a crash, garbage on its pipe — becomes a :class:`PdfRefused`.

Using it::

    try:
        checked = check_pdf(path.read_bytes(), path.name)   # or: await check_pdf_async(...)
    except PdfRefused as refused:
        ...  # show refused.message; refused.reason is the code
    store(checked.data, encode_summary(checked))            # the cleaned file, never the upload
    tell_secretary(checked.removed, checked.repaired, checked.decrypted)

A check takes a core for a few seconds (the 930-page notation manual: about 5 s), so a server
that takes uploads from several consoles should run them one at a time.

What is refused
===============

Codes are :data:`RefusalCode`. The defaults of :class:`PdfLimits` say what "too" means.

* ``empty``, ``too_large`` (over :attr:`PdfLimits.max_bytes`, before or after cleaning),
  ``not_pdf`` (the message says what the file looks like: a PNG, a ZIP or Office file, text…).
* ``truncated``: no ``%%EOF`` end marker in the last KiB. MuPDF "repairs" a file cut in half
  without a complaint — a copy of ``notation.pdf`` cut at 50 % opens with all 930 pages, the last
  half blank — so a repair cannot be told from a whole file; the end marker can.
* ``corrupt``: MuPDF cannot open it, a page fails to load, or a compressed stream does not
  decompress (a flipped bit in compressed data; MuPDF itself would only warn and draw part of the
  page). A flipped bit in uncompressed bytes (a character of text, a pixel of a JPEG) cannot be
  told from the author's intent and passes. **Repaired files**: MuPDF rebuilds a broken
  cross-reference table, which many tools write slightly wrong and every viewer silently fixes.
  Such a file is accepted only if it opens cleanly: it is not truncated, every stream
  decompresses, every page loads, and the rewritten file MuPDF produces opens without a single
  warning. The stored file is that rewrite (a fresh
  cross-reference table), so every tablet reads exactly what was checked, and
  :attr:`PdfSummary.repaired` says it happened. Refusing them all would turn away files that
  look fine everywhere else; accepting any repair would store half-documents.
* ``password``: a password is needed to open it. A file with only an *owner* password (printing
  or copying "restricted", no password to open) is accepted and stored decrypted
  (:attr:`PdfSummary.decrypted`): the room's own encryption protects it in storage and on the way,
  and the restriction flags were never a protection.
* ``no_pages``, ``too_many_pages``, ``page_size`` (a side outside
  :attr:`PdfLimits.min_page_side_mm`–:attr:`PdfLimits.max_page_side_mm`, ``/UserUnit`` included),
  ``page_tree`` (a page-tree node reached twice — a loop, or a node shared so that the tree
  multiplies — or a page count the tree does not hold), ``outline`` (bookmarks that loop, or more
  than :attr:`PdfLimits.max_outline_items`), ``too_many_objects``.
* ``bomb``: a stream inflates beyond :attr:`PdfLimits.max_stream_bytes` (an image: beyond what
  its size in pixels can need), or all streams together beyond
  :attr:`PdfLimits.max_inflated_bytes`. Streams are decompressed in bounded chunks and only
  counted, never held whole, so a 2 KiB stream that inflates to terabytes costs the child one
  limit's worth of CPU and no memory. What MuPDF inflates itself while opening (object and
  cross-reference streams) is bounded by the memory cap and reported as ``memory``.
* ``image_too_large``: an image (an image object, a JPEG's or JPEG 2000's own header, or an
  inline image) of more than :attr:`PdfLimits.max_image_pixels`: tablets decode images whole.
* ``xfa``: a dynamic XFA form, whose pages only Adobe software draws; ``portfolio``: a PDF
  portfolio, whose documents are attachments (see below).
* ``timeout``, ``memory``, ``crashed``: the child ran out of time or memory, or died (a signal, an
  unexpected error, a reply that breaks the framing or its types).
* ``clean_failed``: the cleaned file did not reopen as expected or still held active content:
  a bug here, never the secretary's fault; the message says to report it.

Active content: stripped, never run, never refused
==================================================

Tablets are on a closed LAN and must stay in the app. Every PDF feature that runs code, opens
something or leaves the document is **removed** from the stored file, and the document is kept:
refusing would only make secretaries hunt for a tool to remove what no delegate needs. What was
removed is listed in :attr:`PdfSummary.removed` (kind, count, a few examples such as the web
addresses or attachment names) so the console or CLI can tell the secretary. Kept: internal links
(go-to a page or a named destination), the four standard page-navigation actions (next, previous,
first, last page), the outline, form fields' visible values, and the open-at-page action.

* JavaScript: document scripts (the ``/JavaScript`` name tree), JavaScript actions anywhere
  (open action, links, outline items, buttons, chained ``/Next`` actions) and every ``/AA``
  trigger (page open or close, field keystroke, calculate and validate) — triggers run without
  a tap, so all of them go whatever their action.
* Links out of the document: ``URI`` actions of any scheme (http, https, mailto, file, …; an
  address on the hall LAN would leave the app just as well), ``GoToR``/``GoToE`` (other files,
  embedded files), ``Launch`` (run a program). A link annotation with such an action is deleted:
  its text stays on the page, it is simply no longer clickable. An outline entry keeps its title
  and loses the action.
* Embedded files and attachments: the ``/EmbeddedFiles`` name tree, file-attachment annotations,
  every file specification's embedded stream (``/EF``) and PDF 2.0 associated files (``/AF``).
  An attachment is a second, unchecked document of any type; upload it as its own document.
* Forms: submit, reset and import actions (a submit would send a delegate's input off the
  tablet) and the XFA form data (the PDF's own fields still show their values). A dynamic XFA
  form, whose pages are drawn by the XFA program and are empty without it, is refused.
* Media and rich content: sound, movie, screen, rich-media (Flash) and 3D annotations, rendition
  actions, alternate presentations; any other action type (hide, layer, thread, non-standard
  named actions). Deny by default: an allow-list, not a list of known dangers.
* Rewriting the file with garbage collection also drops the earlier revisions an incremental
  save keeps: text deleted or redacted in a later revision is otherwise still in the file, for
  any tool to read. (Text merely *covered* by a black box in the current revision stays: that
  redaction is the author's to do properly.)

The cleaned file is then reopened and checked again from the start (pages, outline, the same
scan for active content, which must find nothing) and the result describes that file.

Pages and revisions
===================

Each :class:`PageInfo` holds a fingerprint: SHA-256 of the page's size and rotation, its text,
its content streams, the images and form objects it uses, and its non-link annotations. Object
numbers are left out (they change on every save), so saving the same document again keeps every
fingerprint. :func:`changed_pages` compares two versions: pages are paired first by equal
fingerprints in order (so an inserted or removed page shifts nothing), then among the rest by
text with digits masked (a page whose only change is its page number "5 of 30" → "6 of 31" pairs
with its old self), then by word overlap, and what remains positionally. Page numbers in this
module's results are 1-based, as people count them.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import hashlib
import logging
import os
import re
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from app import protocol as p

__all__ = [
    "CheckedPdf",
    "ContentKind",
    "OutlineEntry",
    "PageChanges",
    "PageInfo",
    "PdfLimits",
    "PdfRefused",
    "PdfSummary",
    "Problem",
    "RefusalCode",
    "Removal",
    "RemovalKind",
    "changed_pages",
    "check_pdf",
    "check_pdf_async",
    "decode_summary",
    "describe",
    "encode_summary",
    "page_changes",
    "plain",
]

log = logging.getLogger(__name__)

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
_MM = 72 / 25.4  # points per millimetre

RefusalCode = Literal[
    "empty",
    "too_large",
    "not_pdf",
    "truncated",
    "corrupt",
    "password",
    "no_pages",
    "too_many_pages",
    "page_size",
    "page_tree",
    "outline",
    "too_many_objects",
    "bomb",
    "image_too_large",
    "xfa",
    "portfolio",
    "timeout",
    "memory",
    "crashed",
    "clean_failed",
]

RemovalKind = p.RemovedKind

#: ``text``: every page that shows anything has text (searchable); ``scanned``: no page has
#: text but some have images; ``mixed``: some pages have text, some only images; ``empty``: no
#: text and no images (drawings only, or blank pages).
ContentKind = Literal["text", "scanned", "mixed", "empty"]


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class PdfLimits:
    """What an uploaded PDF may be, and what checking it may cost.

    Each field's ``metadata["doc"]`` says why its default is what it is, so the server's
    configuration can expose these later with the explanation as the comment.
    """

    max_bytes: int = field(
        default=200 * MiB,
        metadata=_doc(
            "Largest file accepted, before and after cleaning. A 500-page report scanned at "
            "300 dpi is 100-200 MB; every byte is sent to every authorised tablet (1,600 "
            "tablets x 200 MB is 320 GB of hall Wi-Fi), so larger files should be split."
        ),
    )
    max_pages: int = field(
        default=5_000,
        metadata=_doc(
            "Most pages in one document: the longest budget laws run to 2-3,000 pages; past "
            "that a document is several documents, and checking time grows with pages."
        ),
    )
    max_page_side_mm: float = field(
        default=5_000.0,
        metadata=_doc(
            "Longest page side (5 m): an A0 plan is 1.19 m and a roll-up banner 2-3 m; a "
            "larger page is a broken box or a trap for the renderer."
        ),
    )
    min_page_side_mm: float = field(
        default=1.0,
        metadata=_doc("Shortest page side: a page under 1 mm is an empty or broken box."),
    )
    max_stream_bytes: int = field(
        default=256 * MiB,
        metadata=_doc(
            "Most one compressed stream (page content, font, form) may inflate to; the "
            "densest real page contents (CAD plans, maps) stay well under 100 MB. An image "
            "stream may inflate to what its pixels need instead (max_image_pixels)."
        ),
    )
    max_inflated_bytes: int = field(
        default=4 * GiB,
        metadata=_doc(
            "Most all streams of a document may inflate to together: bounds the time the check "
            "spends decompressing (about 5 s per GiB here), and what a tablet must decode."
        ),
    )
    max_image_pixels: int = field(
        default=200_000_000,
        metadata=_doc(
            "Largest image, in pixels: an A0 sheet scanned at 300 dpi is 140 Mpx; tablets "
            "decode an image whole, and a 200 Mpx colour image already takes 600 MB to decode."
        ),
    )
    max_objects: int = field(
        default=2_000_000,
        metadata=_doc(
            "Most objects in the file: a 5,000-page document has a few hundred thousand; each "
            "costs the check time and memory."
        ),
    )
    max_outline_items: int = field(
        default=50_000,
        metadata=_doc(
            "Most outline (bookmark) entries; the 930-page notation manual has 619, and every "
            "entry goes into the document's description sent to tablets."
        ),
    )
    memory_bytes: int = field(
        default=2 * GiB,
        metadata=_doc(
            "Address-space cap of the checking process. Python and PyMuPDF map ~100 MB before "
            "reading anything; the 930-page notation manual (29 MB) needs ~250 MB, a 179 MB "
            "scan under 1 GiB. Past the cap the check is refused with 'memory', never the "
            "server."
        ),
    )
    cpu_seconds: int = field(
        default=60,
        metadata=_doc(
            "CPU time of the checking process: the 930-page notation manual takes about 5 s, "
            "a 179 MB scan 3 s; a pathological file is stopped here even on a busy machine."
        ),
    )
    timeout_seconds: float = field(
        default=120.0,
        metadata=_doc(
            "Wall-clock limit for one check, start-up included: above the CPU limit, so a "
            "loaded 2-core machine does not refuse a large normal file."
        ),
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            if not getattr(self, f.name) > 0:
                raise ValueError(f"PdfLimits.{f.name} must be positive")
        if self.min_page_side_mm >= self.max_page_side_mm:
            raise ValueError("PdfLimits.min_page_side_mm must be below max_page_side_mm")

    @property
    def reply_cap(self) -> int:
        """Most the parent reads back from the child: the cleaned file (at most
        :attr:`max_bytes`) and its description (pages and outline, bounded by their limits)."""
        return self.max_bytes + _DESCRIPTION_CAP


#: Most a reply's description may take besides the file: 5,000 pages x ~250 bytes and 50,000
#: outline entries x ~550 bytes fit with room to spare.
_DESCRIPTION_CAP = 64 * MiB

# ----------------------------------------------------------------------------- result types

_NO_CONTROLS = "^[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
Hex64 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
PageNo = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Points = Annotated[float, msgspec.Meta(ge=0, le=1e9)]
ShortText = Annotated[str, msgspec.Meta(max_length=500, pattern=_NO_CONTROLS)]
Count = Annotated[int, msgspec.Meta(ge=0, le=2**53)]
#: Most examples listed per kind of removal: enough for a secretary to recognise them.
MAX_EXAMPLES = 5
#: Words kept per page for pairing pages whose text changed (a bottom-k MinHash sketch).
SKETCH_SIZE = 16


@dataclass(frozen=True)
class PageInfo:
    """One page of the stored file."""

    width: Points  # as displayed: crop box, rotation and /UserUnit applied, in points
    height: Points
    rotation: Annotated[int, msgspec.Meta(ge=0, lt=360)]
    has_text: bool  # any text at all, an OCR layer included: the page is searchable
    has_images: bool
    fingerprint: Hex64  # changes whenever what the page shows changes (module docstring)
    text_key: Hex64  # the text with digits masked (the fingerprint for a page without text)
    sketch: Annotated[tuple[int, ...], msgspec.Meta(max_length=SKETCH_SIZE)]  # word sketch


@dataclass(frozen=True)
class OutlineEntry:
    """One outline (bookmark) entry, in document order."""

    title: ShortText  # control and bidi-override characters removed, at most 500 characters
    level: Annotated[int, msgspec.Meta(ge=1, le=1_000)]  # 1 for top-level entries
    page: PageNo  # 1-based page it opens, or 0 when it opens no page of this document


@dataclass(frozen=True)
class Removal:
    """One kind of active content removed by cleaning."""

    kind: RemovalKind
    count: Annotated[int, msgspec.Meta(ge=1)]
    examples: Annotated[tuple[ShortText, ...], msgspec.Meta(max_length=MAX_EXAMPLES)]


@dataclass(frozen=True)
class PdfSummary:
    """Everything known about a checked PDF but its bytes: what the database keeps next to the
    stored document, and what :func:`changed_pages` compares (:func:`encode_summary`)."""

    name: ShortText
    size: Count  # of the cleaned file
    sha256: Hex64  # of the cleaned file
    original_size: Count
    original_sha256: Hex64
    pages: tuple[PageInfo, ...]
    outline: tuple[OutlineEntry, ...]
    content: ContentKind
    repaired: bool  # MuPDF rebuilt the upload's cross-reference table (module docstring)
    decrypted: bool  # the upload had an owner password only; the stored file has none
    removed: tuple[Removal, ...]  # active content removed; empty when there was none

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def searchable(self) -> bool:
        """Whether any page has text to search (scanned pages with an OCR layer count)."""
        return any(p.has_text for p in self.pages)

    def summary(self) -> PdfSummary:
        """This description alone, without the file's bytes."""
        return PdfSummary(**{f.name: getattr(self, f.name) for f in fields(PdfSummary)})


@dataclass(frozen=True, kw_only=True)
class CheckedPdf(PdfSummary):
    """A PDF that passed: the cleaned bytes to store (never the upload) and their summary."""

    data: bytes = field(repr=False)


class PdfRefused(Exception):
    """The upload is refused. ``reason`` is a :data:`RefusalCode` for programs; ``message`` is
    one sentence for the secretary: the file, what is wrong, what to do. ``problem`` holds the
    facts behind the sentence (page, object, sizes), for a screen that words it in another
    language."""

    def __init__(self, reason: RefusalCode, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.reason: RefusalCode = reason
        self.message = message
        self.problem = problem or Problem(reason)


@dataclass(frozen=True)
class Problem:
    """Why a check failed, as facts: :func:`describe` turns it into the sentence. The child
    sends these rather than sentences, so every word a secretary reads is written here."""

    code: RefusalCode
    detail: ShortText = ""  # e.g. MuPDF's error, a filter name, what the file looks like
    page: PageNo = 0  # 1-based page, when one is at fault
    obj: Count = 0  # PDF object number, when one is at fault
    value: Annotated[float, msgspec.Meta(ge=0)] = 0.0  # the measured size, count, seconds…
    second: Annotated[float, msgspec.Meta(ge=0)] = 0.0  # a second measure (page height…)


def encode_summary(summary: PdfSummary) -> bytes:
    """A summary as bytes for the database (MessagePack), without the file's bytes."""
    return msgspec.msgpack.encode(summary.summary())


def decode_summary(data: bytes) -> PdfSummary:
    """A summary from :func:`encode_summary`; raises ``msgspec.ValidationError`` if damaged."""
    return msgspec.msgpack.decode(data, type=PdfSummary)


# ----------------------------------------------------------------------------- the sentences


def _mb(n: float) -> str:
    if n < MiB:
        return f"{n / KiB:,.0f} KB"
    return f"{n / MiB:,.0f} MB" if n >= 10 * MiB else f"{n / MiB:,.1f} MB"


def _mm(points: float) -> str:
    mm = points / _MM
    return f"{mm:,.0f}" if mm >= 10 else f"{mm:.1f}"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\\s]+")


def plain(text: str, limit: int) -> str:
    """``text`` as one line of at most ``limit`` characters with no control or bidi-override
    characters: file names, titles and details come from outside and end up on screens,
    terminals and logs."""
    text = _UNSAFE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clean_name(name: str) -> str:
    return plain(name, 200) or "the file"


_EXPORT_AGAIN = "export or save it again as a PDF from the program that made it, and upload that"


def describe(name: str, problem: Problem, limits: PdfLimits) -> str:
    """The one sentence a secretary reads for ``problem`` with the file ``name``."""
    n = _clean_name(name)
    d, v = problem.detail, problem.value
    page = f" on page {problem.page}" if problem.page else ""
    obj = f" (object {problem.obj})" if problem.obj else ""
    match problem.code:
        case "empty":
            return (
                f"{n} is empty (0 bytes): copy it again from where it came from and upload "
                "the copy."
            )
        case "too_large":
            return (
                f"{n} is {_mb(v)}, over the {_mb(limits.max_bytes)} a document may be: reduce its "
                "size (smaller images, e.g. 'Reduce file size' in a PDF editor) or split it, "
                "and upload it again."
            )
        case "not_pdf":
            return (
                f"{n} is not a PDF but {d or 'some other kind of file'}: open it in the program "
                "that made it, export it as a PDF, and upload the PDF."
            )
        case "truncated":
            return (
                f"{n} stops before the end of its PDF data, so it was cut short while it was "
                "copied or downloaded: copy it again from where it came from and upload the "
                "new copy."
            )
        case "corrupt":
            why = f" ({d})" if d else ""
            return f"{n} is damaged{page}{obj}{why}: {_EXPORT_AGAIN}."
        case "password":
            return (
                f"{n} is protected by a password: save a copy without the password (in the "
                "document's properties, security: no security) and upload that copy."
            )
        case "no_pages":
            return f"{n} has no pages: check that it is the right file, {_EXPORT_AGAIN}."
        case "too_many_pages":
            return (
                f"{n} has {v:,.0f} pages, more than the {limits.max_pages:,} a document may "
                "have: split it into several documents and upload each one."
            )
        case "page_size":
            return (
                f"{n} has a page of {_mm(v)} x {_mm(problem.second)} mm{page}, "
                f"outside the {limits.min_page_side_mm:g} mm to {limits.max_page_side_mm:,.0f} mm "
                f"a page side may measure: {_EXPORT_AGAIN}, at a normal paper size."
            )
        case "page_tree":
            return (
                f"{n} has a broken list of pages ({d}), a known way to crash PDF readers: "
                f"{_EXPORT_AGAIN}, or print it to a new PDF."
            )
        case "outline":
            return (
                f"{n} has a broken table of contents (bookmarks: {d}): remove the bookmarks "
                f"or {_EXPORT_AGAIN}."
            )
        case "too_many_objects":
            return (
                f"{n} is made of {v:,.0f} PDF objects, more than the {limits.max_objects:,} "
                f"allowed: split it, or {_EXPORT_AGAIN}."
            )
        case "bomb":
            what = f"more than {_mb(v)}" if v else "too much"
            return (
                f"{n} holds compressed data{obj} that expands to {what}, the mark of a damaged "
                f"or hostile file: {_EXPORT_AGAIN}; if it came from outside, ask the sender "
                "for a new copy."
            )
        case "image_too_large":
            return (
                f"{n} has an image of {v:,.0f} x {problem.second:,.0f} pixels{page}{obj}, more "
                f"than the {limits.max_image_pixels / 1e6:,.0f} megapixels tablets can show: "
                "reduce the image's resolution and upload the document again."
            )
        case "xfa":
            return (
                f"{n} is a dynamic XFA form whose pages only Adobe software can draw, so "
                "tablets would show an empty page: open it in Adobe Reader, print it to PDF, "
                "and upload that file."
            )
        case "portfolio":
            return (
                f"{n} is a PDF portfolio whose documents are attachments inside it: save each "
                "document in it as a PDF of its own and upload them one by one."
            )
        case "timeout":
            return (
                f"{n} took more than {v:g} second{'' if v == 1 else 's'} to check, which a "
                f"normal document never does: {_EXPORT_AGAIN}, or split it."
            )
        case "memory":
            return (
                f"{n} needed more than {_mb(limits.memory_bytes)} of memory to check, which a "
                f"normal document never does: {_EXPORT_AGAIN}, or split it."
            )
        case "crashed":
            why = f" ({d})" if d else ""
            return (
                f"Checking {n} stopped unexpectedly{why}: the file is probably damaged; "
                f"{_EXPORT_AGAIN}, and if that happens again give the file to IT staff."
            )
        case "clean_failed":
            why = f" ({d})" if d else ""
            return (
                f"{n} could not be cleaned of its scripts, links or attachments{why}: print "
                "it to a new PDF and upload that, and give the original file to IT staff so "
                "they can report it."
            )


def refuse(name: str, problem: Problem, limits: PdfLimits) -> PdfRefused:
    """The exception for ``problem``."""
    return PdfRefused(problem.code, describe(name, problem, limits), problem)


# ------------------------------------------------------------------------- the cheap checks

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (Word, Excel and PowerPoint files are ZIP archives too)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word, Excel or PowerPoint file"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def sniff(data: bytes) -> str:
    """What a file that is not a PDF looks like, for the refusal message."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:4096]
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the 4 KiB boundary
            return "a file of an unknown kind"
        text = head[: exc.start].decode("utf-8")
    if all(c.isprintable() or c in "\t\r\n\f" for c in text):
        return "a text file"
    return "a file of an unknown kind"


def precheck(data: bytes, limits: PdfLimits) -> Problem | None:
    """The checks that need no PDF parser: size, the ``%PDF-`` header (readers look for it in
    the first KiB) and the ``%%EOF`` end marker (in the last KiB). Run by both sides: the
    parent to refuse without starting a process, the child because it trusts no caller."""
    if not data:
        return Problem("empty")
    if len(data) > limits.max_bytes:
        return Problem("too_large", value=len(data))
    if b"%PDF-" not in data[:1024] or any(data.startswith(magic) for magic, _ in _MAGIC):
        # Readers accept junk before the header, but not a known other format: a ZIP
        # archive holding an uncompressed PDF near its start would otherwise pass for one.
        return Problem("not_pdf", detail=sniff(data))
    if b"%%EOF" not in data[-1024:]:
        return Problem("truncated")
    return None


# --------------------------------------------------------------------------- the child process

#: First bytes of a request on the child's standard input.
_REQUEST_MAGIC = b"HPDF1\n"
_LEN = struct.Struct(">I")
_ROOT = Path(__file__).resolve().parent.parent
# -I: no environment variables, user site or current folder; -B: no .pyc written (the child may
# not write files). The path is set explicitly so the child runs this same code, installed or not.
# PyMuPDF 2 imports its layout analysis and Markdown helpers (onnxruntime, numpy) whenever
# they are installed: 0.6 s and 450 MB of address space the check never uses, and more code
# within reach of a hostile file. A None in sys.modules makes those imports fail, which PyMuPDF
# takes as "not installed". The child ends with os._exit: its reply is complete by then, and
# tearing MuPDF down would only cost time.
_CHILD = (
    "import os, sys; sys.path.insert(0, sys.argv[1]); "
    "sys.modules['pymupdf.layout'] = sys.modules['pymupdf4llm'] = None; "
    "from server.pdfinspect import main; status = main(); sys.stderr.flush(); os._exit(status)"
)
#: How much of the child's standard error is kept for the log when it dies.
_STDERR_TAIL = 16 * KiB


@dataclass(frozen=True)
class Request:
    """What the parent tells the child besides the file's bytes."""

    name: str
    size: int  # of the file that follows, so the child allocates what it reads and no more
    limits: PdfLimits


@dataclass(frozen=True)
class Reply:
    """The child's answer: a summary (followed on the pipe by the cleaned file) or a problem."""

    summary: PdfSummary | None = None
    problem: Problem | None = None


def encode_request(name: str, size: int, limits: PdfLimits) -> bytes:
    header = msgspec.msgpack.encode(Request(name, size, limits))
    return _REQUEST_MAGIC + _LEN.pack(len(header)) + header


def encode_reply(reply: Reply) -> bytes:
    header = msgspec.msgpack.encode(reply)
    return _LEN.pack(len(header)) + header


def _decode_reply(out: bytes) -> tuple[Reply, bytes]:
    if len(out) < _LEN.size:
        raise ValueError("no reply")
    (length,) = _LEN.unpack_from(out)
    if length > min(_DESCRIPTION_CAP, len(out) - _LEN.size):
        raise ValueError("reply header cut short or oversized")
    reply = msgspec.msgpack.decode(out[_LEN.size : _LEN.size + length], type=Reply)
    return reply, out[_LEN.size + length :]


def _checked(
    reply: Reply, body: bytes, name: str, data: bytes, limits: PdfLimits
) -> CheckedPdf | Problem:
    """The parent's own checks of a reply: it is consistent with itself, the limits and the
    upload, so a confused or subverted child cannot pass off a file it did not describe."""
    if reply.problem is not None:
        if reply.summary is not None or body:
            return Problem("crashed", detail="the checker's reply is inconsistent")
        return reply.problem
    s = reply.summary
    if s is None:
        return Problem("crashed", detail="the checker's reply is empty")
    if (
        len(body) != s.size
        or hashlib.sha256(body).hexdigest() != s.sha256
        or s.original_size != len(data)
        or s.original_sha256 != hashlib.sha256(data).hexdigest()
        or not 1 <= len(s.pages) <= limits.max_pages
        or len(s.outline) > limits.max_outline_items
        or any(e.page > len(s.pages) for e in s.outline)
        or not body.startswith(b"%PDF-")
    ):
        return Problem("crashed", detail="the checker's reply does not match the file")
    if len(body) > limits.max_bytes:
        return Problem("too_large", value=len(body))
    return CheckedPdf(**{f.name: getattr(s, f.name) for f in fields(PdfSummary)}, data=body)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _death(returncode: int, stderr: bytes, limits: PdfLimits) -> Problem:
    """What a child that exited without a reply died of."""
    if returncode < 0:
        sig = -returncode
        if sig == signal.SIGXCPU:
            return Problem("timeout", value=limits.cpu_seconds)
        return Problem("crashed", detail=f"the checker was stopped by {_signal_name(sig)}")
    if b"MemoryError" in stderr or b"malloc" in stderr:
        return Problem("memory")
    return Problem("crashed", detail=f"the checker exited with status {returncode}")


async def _pump_stdin(proc: asyncio.subprocess.Process, request: bytes, data: bytes) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(request)
        proc.stdin.write(data)
        await proc.stdin.drain()
        proc.stdin.close()
        await proc.stdin.wait_closed()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the child died or refused early; its exit status says why


async def _read_capped(stream: asyncio.StreamReader, cap: int) -> bytes | None:
    """All of ``stream``, or None as soon as it passes ``cap`` bytes."""
    out = bytearray()
    while chunk := await stream.read(MiB):
        out += chunk
        if len(out) > cap:
            return None
    return bytes(out)


async def _read_tail(stream: asyncio.StreamReader) -> bytes:
    tail = b""
    while chunk := await stream.read(64 * KiB):
        tail = (tail + chunk)[-_STDERR_TAIL:]
    return tail


async def _run_child(data: bytes, name: str, limits: PdfLimits) -> CheckedPdf | Problem:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-I",
        "-B",
        "-c",
        _CHILD,
        str(_ROOT),
        str(os.getpid()),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={},
        cwd="/",
        start_new_session=True,  # Ctrl-C in the server's terminal is the server's to handle
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        feeding = asyncio.ensure_future(
            _pump_stdin(proc, encode_request(name, len(data), limits), data)
        )
        errors = asyncio.ensure_future(_read_tail(proc.stderr))
        try:
            async with asyncio.timeout(limits.timeout_seconds):
                out = await _read_capped(proc.stdout, limits.reply_cap)
                if out is None:
                    return Problem("crashed", detail="the checker's reply is too large")
                await feeding
                stderr = await errors
                returncode = await proc.wait()
        except TimeoutError:
            return Problem("timeout", value=limits.timeout_seconds)
        if returncode != 0 or not out:
            problem = _death(returncode, stderr, limits)
            log.warning(
                "PDF check of %r: child exited %s; stderr: %r", name, returncode, stderr[-2000:]
            )
            return problem
        try:
            reply, body = _decode_reply(out)
        except (ValueError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            log.warning("PDF check of %r: unreadable reply: %s", name, exc)
            return Problem("crashed", detail="the checker's reply is unreadable")
        return _checked(reply, body, name, data, limits)
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        for task in (feeding, errors):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def check_pdf_async(data: bytes, name: str, limits: PdfLimits | None = None) -> CheckedPdf:
    """Check and clean ``data`` (an upload called ``name``) in a confined child process.

    Returns the cleaned file and its description, or raises :class:`PdfRefused`. Never blocks
    the event loop; the child is always ended and reaped before this returns, also when the
    caller is cancelled. Runs one child per call: a caller that accepts uploads from many
    consoles at once should queue them (each check takes a core while it runs).
    """
    limits = limits or PdfLimits()
    problem = precheck(data, limits)
    if problem is None:
        result = await _run_child(data, name, limits)
        if isinstance(result, CheckedPdf):
            return result
        problem = result
    raise refuse(name, problem, limits)


def check_pdf(data: bytes, name: str, limits: PdfLimits | None = None) -> CheckedPdf:
    """:func:`check_pdf_async` for code without an event loop (the command line, a worker
    thread); from a coroutine, await :func:`check_pdf_async` instead."""
    return asyncio.run(check_pdf_async(data, name, limits))


# ------------------------------------------------------------------------------ revisions


@dataclass(frozen=True)
class PageChanges:
    """How the pages of a new version correspond to an old one (1-based page numbers)."""

    pairs: tuple[tuple[int, int], ...]  # (old page, new page) showing the same page, in order
    changed: tuple[int, ...]  # new pages paired with an old page that looked different
    inserted: tuple[int, ...]  # new pages with no old counterpart
    removed: tuple[int, ...]  # old pages with no new counterpart


#: Fewest word overlap (Jaccard, estimated) for two pages to pair as "the same page, edited".
_SIMILAR = 0.3
#: Largest unmatched stretch (old x new pages) paired by word overlap; beyond, by position.
_MAX_SIMILARITY_CELLS = 250_000


def _similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two pages' word sets from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH_SIZE]
    common = set(a) & set(b)
    return sum(1 for h in union if h in common) / len(union)


def _align_by_similarity(old: Sequence[PageInfo], new: Sequence[PageInfo]) -> list[tuple[int, int]]:
    """Pairs (i, j) maximising total word overlap, in order (a longest-common-subsequence
    table weighted by similarity); pairs below :data:`_SIMILAR` are not made."""
    n, m = len(old), len(new)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = score[i], score[i + 1]
        for j in range(m - 1, -1, -1):
            best = max(below[j], row[j + 1])
            s = _similarity(old[i].sketch, new[j].sketch)
            if s >= _SIMILAR:
                best = max(best, s + below[j + 1])
            row[j] = best
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        s = _similarity(old[i].sketch, new[j].sketch)
        if s >= _SIMILAR and score[i][j] == s + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _positional(old: Sequence[PageInfo], new: Sequence[PageInfo]) -> list[tuple[int, int]]:
    """Page k with page k, when both stretches have as many pages; otherwise nothing can be
    said of which page became which."""
    return [(k, k) for k in range(len(old))] if len(old) == len(new) else []


def _pair(old: Sequence[PageInfo], new: Sequence[PageInfo], level: int) -> list[tuple[int, int]]:
    """Index pairs (old, new) for one stretch: level 0 by equal fingerprints, 1 by equal text
    with digits masked, 2 by word overlap (or position); each level pairs what the one above
    left between two of its pairs."""
    if not old or not new:
        return []
    if level == 0:
        anchors = _matching(old, new, lambda p: p.fingerprint)
    elif level == 1:
        anchors = _matching(old, new, lambda p: p.text_key)
    elif len(old) * len(new) <= _MAX_SIMILARITY_CELLS:
        anchors = _align_by_similarity(old, new)
    else:
        return _positional(old, new)
    out: list[tuple[int, int]] = []
    prev_a = prev_b = 0
    for a, b in [*anchors, (len(old), len(new))]:
        gap_old, gap_new = old[prev_a:a], new[prev_b:b]
        inner = _pair(gap_old, gap_new, level + 1) if level < 2 else _positional(gap_old, gap_new)
        out.extend((prev_a + x, prev_b + y) for x, y in inner)
        if a < len(old):
            out.append((a, b))
        prev_a, prev_b = a + 1, b + 1
    return out


def _matching(
    old: Sequence[PageInfo], new: Sequence[PageInfo], key: Callable[[PageInfo], str]
) -> list[tuple[int, int]]:
    """Pairs of pages with equal keys, in order, as many as possible (difflib's matching
    blocks; no "junk" heuristic, so repeated blank pages still count)."""
    matcher = difflib.SequenceMatcher(None, [key(p) for p in old], [key(p) for p in new], False)
    return [(a + k, b + k) for a, b, size in matcher.get_matching_blocks() for k in range(size)]


def page_changes(old: PdfSummary, new: PdfSummary) -> PageChanges:
    """Which pages of ``new`` show which pages of ``old``, which changed, which are new and
    which are gone (module docstring: how pages are paired)."""
    pairs = _pair(old.pages, new.pages, 0)
    paired_old = {a for a, _ in pairs}
    paired_new = {b for _, b in pairs}
    return PageChanges(
        pairs=tuple((a + 1, b + 1) for a, b in pairs),
        changed=tuple(
            b + 1 for a, b in pairs if old.pages[a].fingerprint != new.pages[b].fingerprint
        ),
        inserted=tuple(b + 1 for b in range(len(new.pages)) if b not in paired_new),
        removed=tuple(a + 1 for a in range(len(old.pages)) if a not in paired_old),
    )


def changed_pages(old: PdfSummary, new: PdfSummary) -> list[int]:
    """The pages of ``new`` (1-based) a delegate who read ``old`` should look at again: the
    pages that changed and the pages that are new. Pages merely moved by an insertion or a
    removal elsewhere are not in it."""
    changes = page_changes(old, new)
    return sorted({*changes.changed, *changes.inserted})
