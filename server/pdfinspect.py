# PyMuPDF ships py.typed, yet many of its functions carry no annotations and its low-level
# ``mupdf`` module (the C library's SWIG binding) none; strict mode would flag every call, so
# only that check is relaxed here, and every value taken from them is converted explicitly.
# mypy: disable-error-code="no-untyped-call"
"""The checking process: PyMuPDF on one uploaded PDF, in a confined child.

Started by :mod:`server.pdfcheck` (``python -I -B``, the upload on standard input) and never
imported by the serving process, which must not load PyMuPDF (``tests/test_boundary.py``). The
policy — what is refused, what is stripped and why — is written once, in that module's
docstring; this module carries it out. :func:`examine` is the whole check, callable in-process
for tests; :func:`main` is the child: it confines itself (:func:`confine`) before it reads the
file, and answers with a :class:`~server.pdfcheck.Reply` and the cleaned file.

The order matters, because each step must be safe on what the steps before let through:

1. :func:`~server.pdfcheck.precheck`: size, header, end marker — no parser yet.
2. Open. MuPDF reads the cross-reference table (repairing it if need be) and nothing else.
3. Every stream is decompressed in bounded chunks and counted (:func:`_check_streams`) before
   anything else decodes one: a bomb is refused before MuPDF could inflate it. Streams are
   taken in the cross-reference table's own entries, object streams first, so no object inside
   an object stream is parsed before its stream was measured.
4. The page tree and the outline are walked with a record of the objects seen
   (:func:`_check_page_tree`, :func:`_check_outline`): loops and shared nodes are refused
   before MuPDF's own walks could spin on them.
5. Active content is removed object by object (:class:`_Cleaner`), then the file is rewritten
   with garbage collection (what was unlinked, and every earlier revision, is dropped) and
   without encryption.
6. The rewritten file is opened again and checked as if it had been uploaded: page tree,
   outline, the same scan for active content (which must find nothing), then every page — its
   size, inline images, text and fingerprint — and the outline's entries. Its streams are not
   measured again: they are the same bytes measured in step 3, except the object streams
   MuPDF wrote itself from objects already parsed.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import heapq
import importlib
import os
import re
import resource
import signal
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import msgspec
import pymupdf

from server.pdfcheck import (
    MAX_EXAMPLES,
    SKETCH_SIZE,
    ContentKind,
    KiB,
    MiB,
    OutlineEntry,
    PageInfo,
    PdfLimits,
    PdfSummary,
    Problem,
    RefusalCode,
    Removal,
    RemovalKind,
    Reply,
    Request,
    encode_reply,
    plain,
    precheck,
)

__all__ = ["confine", "examine", "main"]

mupdf: Any = pymupdf.mupdf
PdfObj = Any  # pymupdf.mupdf.PdfObj: a handle on a PDF object (dictionary, array, name, …)

_MM = 72 / 25.4
_CHUNK = 256 * KiB  # decompression step: bounds the memory a bomb can take at once
#: Deepest nesting inside one object, and of the page tree and outline: far beyond real files
#: (a page tree is 3-5 levels deep), low enough that no walk can take long.
_MAX_DEPTH = 100
#: Most actions followed along one chain of ``/Next`` actions.
_MAX_CHAIN = 1_000


class Refusal(Exception):
    """Raised anywhere in the check; :func:`main` turns it into the reply."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _refuse(code: RefusalCode, **facts: Any) -> Refusal:
    if "detail" in facts:
        facts["detail"] = plain(str(facts["detail"]), 200)
    return Refusal(Problem(code, **facts))


def _mupdf_message(exc: BaseException) -> str:
    """MuPDF's error text without its ``code=N:`` prefix."""
    return re.sub(r"^code=\d+:\s*", "", str(exc)) or type(exc).__name__


_OUT_OF_MEMORY = re.compile(r"malloc|MemoryError|out of memory|cannot allocate", re.I)


def _failed(exc: BaseException, code: RefusalCode = "corrupt", **facts: Any) -> Refusal:
    """The refusal for an exception out of MuPDF: ``code`` with MuPDF's words, or ``memory``
    when an allocation failed under the cap (MuPDF reports those as its own errors)."""
    if isinstance(exc, OSError):
        raise exc  # not the file's fault: the confinement's (a bug here), so a crash
    message = _mupdf_message(exc)
    if isinstance(exc, MemoryError) or _OUT_OF_MEMORY.search(message):
        return Refusal(Problem("memory"))
    return _refuse(code, detail=message, **facts)


# ------------------------------------------------------------------------- PDF object helpers


def _get(obj: PdfObj, key: str) -> PdfObj:
    return mupdf.pdf_dict_gets(obj, key)


def _res(obj: PdfObj) -> PdfObj:
    return mupdf.pdf_resolve_indirect(obj)


def _name(obj: PdfObj) -> str:
    obj = _res(obj)
    return str(mupdf.pdf_to_name(obj)) if mupdf.pdf_is_name(obj) else ""


def _text(obj: PdfObj) -> str:
    obj = _res(obj)
    return str(mupdf.pdf_to_text_string(obj)) if mupdf.pdf_is_string(obj) else ""


def _int(obj: PdfObj) -> int:
    obj = _res(obj)
    return int(mupdf.pdf_to_int(obj)) if mupdf.pdf_is_number(obj) else 0


def _num(obj: PdfObj) -> int:
    return int(mupdf.pdf_to_num(obj)) if mupdf.pdf_is_indirect(obj) else 0


def _is_dict(obj: PdfObj) -> bool:
    return bool(mupdf.pdf_is_dict(obj))


def _is_array(obj: PdfObj) -> bool:
    return bool(mupdf.pdf_is_array(obj))


def _is_null(obj: PdfObj) -> bool:
    return bool(mupdf.pdf_is_null(obj))


def _keys(obj: PdfObj) -> list[str]:
    return [
        str(mupdf.pdf_to_name(mupdf.pdf_dict_get_key(obj, i)))
        for i in range(mupdf.pdf_dict_len(obj))
    ]


def _items(array: PdfObj) -> list[PdfObj]:
    return [mupdf.pdf_array_get(array, i) for i in range(mupdf.pdf_array_len(array))]


def _names(obj: PdfObj) -> list[str]:
    """A name or an array of names (a ``/Filter``), as strings."""
    obj = _res(obj)
    if _is_array(obj):
        return [_name(item) for item in _items(obj)]
    return [_name(obj)] if mupdf.pdf_is_name(obj) else []


def _catalog(pdf: PdfObj) -> PdfObj:
    return _res(_get(mupdf.pdf_trailer(pdf), "Root"))


def _entries(pdf: PdfObj) -> dict[int, str]:
    """Each object number's cross-reference entry type: ``n`` for an object at an offset in
    the file, ``o`` for one inside an object stream (free entries are left out). Reading the
    entries parses no object."""
    internal = pdf.m_internal
    entry = mupdf.ll_pdf_get_xref_entry_no_null
    types = {num: entry(internal, num).type for num in range(1, int(mupdf.pdf_xref_len(pdf)))}
    return {num: str(kind) for num, kind in types.items() if kind in ("n", "o")}


# --------------------------------------------------------------------------- decompression

_FILTER_ALIASES = {
    "Fl": "FlateDecode",
    "LZW": "LZWDecode",
    "RL": "RunLengthDecode",
    "AHx": "ASCIIHexDecode",
    "A85": "ASCII85Decode",
    "DCT": "DCTDecode",
    "CCF": "CCITTFaxDecode",
}
#: Filters whose output is pixels: the stream's size is then bounded by the image's own size.
_IMAGE_CODECS = frozenset({"DCTDecode", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode"})


class _Damaged(Exception):
    """A stream that does not decode."""


class _TooBig(Exception):
    """A stream that decodes to more than its bound."""


def _flate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate in steps of :data:`_CHUNK`; data after the end of the zlib stream is ignored,
    as MuPDF does, and a missing end is accepted (MuPDF draws what is there)."""
    inflater = zlib.decompressobj()
    raw_tried = False
    for chunk in chunks:
        pending = chunk
        while pending:
            try:
                out = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                if raw_tried or "header" not in str(exc):
                    raise _Damaged(f"compressed data is damaged: {exc}") from None
                # Some producers write bare deflate data without the zlib header; MuPDF reads
                # it, so it is measured the same way.
                raw_tried = True
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            raw_tried = True
            if out:
                yield out
            if inflater.eof:
                return
            pending = inflater.unconsumed_tail
    while not inflater.eof:  # output still inside the inflater once all input was fed
        try:
            out = inflater.decompress(b"", _CHUNK)
        except zlib.error as exc:
            raise _Damaged(f"compressed data is damaged: {exc}") from None
        if not out:
            return
        yield out


def _run_length(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """RunLength: a length byte, then that many + 1 literal bytes (0-127) or one byte repeated
    257 - length times (129-255); 128 ends the data."""
    out = bytearray()
    carry = b""
    for chunk in chunks:
        data, i = carry + chunk, 0
        while i < len(data):
            length = data[i]
            if length == 128:
                if out:
                    yield bytes(out)
                return
            need = 2 + length if length < 128 else 2
            if i + need > len(data):
                break  # the run goes on in the next chunk
            if length < 128:
                out += data[i + 1 : i + need]
            else:
                out += data[i + 1 : i + 2] * (257 - length)
            i += need
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
        carry = data[i:]
    if out:
        yield bytes(out)


def _lzw(chunks: Iterable[bytes], early_change: int) -> Iterator[bytes]:
    """LZW as PDF uses it: codes of 9 to 12 bits, most significant bit first, 256 clears the
    table, 257 ends the data; a full table stays as it is until the next clear."""
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, nbits, prev = 9, 0, 0, b""
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            bits = (bits << 8) | byte
            nbits += 8
            while nbits >= width:
                nbits -= width
                code = (bits >> nbits) & ((1 << width) - 1)
                bits &= (1 << nbits) - 1
                if code == 256:
                    del table[258:]
                    width, prev = 9, b""
                    continue
                if code == 257:
                    if out:
                        yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and prev:
                    entry = prev + prev[:1]
                else:
                    raise _Damaged("compressed (LZW) data is damaged")
                out += entry
                if prev and len(table) < 4096:
                    table.append(prev + entry[:1])
                prev = entry
                if len(table) + early_change >= (1 << width) and width < 12:
                    width += 1
                if len(out) >= _CHUNK:
                    yield bytes(out)
                    out.clear()
    if out:
        yield bytes(out)


def _ascii_hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """ASCIIHex at once: it only halves what it is given, which earlier stages bounded."""
    data = re.sub(rb"\s", b"", b"".join(chunks)).split(b">", 1)[0]
    if len(data) % 2:
        data += b"0"
    try:
        yield bytes.fromhex(data.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        raise _Damaged("hexadecimal data is damaged") from None


def _ascii85(chunks: Iterable[bytes], bound: int) -> Iterator[bytes]:
    """ASCII85 at once, as ASCIIHex, once its size is known to fit: five characters make four
    bytes, but "z" alone makes four zero bytes."""
    data = b"".join(chunks).split(b"~>", 1)[0]
    data = data[2:] if data.startswith(b"<~") else data
    if len(data) + 3 * data.count(b"z") > bound:
        raise _TooBig
    try:
        yield base64.a85decode(data, ignorechars=b" \t\n\r\x0b\x0c\x00")
    except ValueError:
        raise _Damaged("ASCII85 data is damaged") from None


def _bounded(chunks: Iterable[bytes], bound: int) -> Iterator[bytes]:
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > bound:
            raise _TooBig
        yield chunk


def _decoded_size(raw: bytes, filters: list[str], early_change: int, bound: int) -> int:
    """How many bytes ``raw`` decodes to through ``filters``, up to the first image codec (whose
    output is pixels, bounded by the image's size); never holds more than a chunk of output.
    Raises :class:`_TooBig` past ``bound`` (at every stage) and :class:`_Damaged`."""
    chunks: Iterable[bytes] = [raw]
    for name in filters:
        name = _FILTER_ALIASES.get(name, name)
        if name == "FlateDecode":
            chunks = _bounded(_flate(chunks), bound)
        elif name == "LZWDecode":
            chunks = _bounded(_lzw(chunks, early_change), bound)
        elif name == "RunLengthDecode":
            chunks = _bounded(_run_length(chunks), bound)
        elif name == "ASCIIHexDecode":
            chunks = _ascii_hex(chunks)
        elif name == "ASCII85Decode":
            chunks = _ascii85(chunks, bound)
        elif name == "Crypt":
            continue  # identity once the file is decrypted
        else:
            break  # an image codec, or a filter MuPDF cannot decode either: measured so far
    return sum(len(chunk) for chunk in _bounded(chunks, bound))


def _jpeg_size(raw: bytes) -> tuple[int, int]:
    """Width and height in a JPEG's own frame header: the decoder allocates by these, whatever
    the PDF says (0, 0 if not found)."""
    i = 2
    while i + 9 < len(raw) and i < 1 * MiB:
        if raw[i] != 0xFF:
            return 0, 0
        marker = raw[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(raw[i + 7 : i + 9]), int.from_bytes(raw[i + 5 : i + 7])
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        i += 2 + int.from_bytes(raw[i + 2 : i + 4])
    return 0, 0


def _jpx_size(raw: bytes) -> tuple[int, int]:
    """Width and height in a JPEG 2000 codestream's SIZ marker (0, 0 if not found)."""
    at = raw.find(b"\xff\x4f\xff\x51", 0, 1 * MiB)
    if at < 0 or at + 24 > len(raw):
        return 0, 0
    x, y, x0, y0 = (int.from_bytes(raw[at + k : at + k + 4]) for k in (8, 12, 16, 20))
    return max(0, x - x0), max(0, y - y0)


_COMPONENTS = {"DeviceGray": 1, "CalGray": 1, "DeviceRGB": 3, "CalRGB": 3, "Lab": 3}


def _image_bound(
    num: int, stream: PdfObj, filters: list[str], raw: bytes, limits: PdfLimits
) -> int:
    """Refuse an image larger than the pixel limit, by its dictionary or its codec's own header
    (renderers allocate by either); return the most its stream may inflate to."""
    width, height = _int(_get(stream, "Width")), _int(_get(stream, "Height"))
    if width <= 0 or height <= 0:
        raise _refuse("corrupt", obj=num, detail="an image has no size")
    if filters and filters[0] in ("DCTDecode", "JPXDecode"):
        own = _jpeg_size(raw) if filters[0] == "DCTDecode" else _jpx_size(raw)
        if own[0] * own[1] > width * height:
            width, height = own
    if width * height > limits.max_image_pixels:
        raise _refuse("image_too_large", obj=num, value=width, second=height)
    bits = _int(_get(stream, "BitsPerComponent")) or 8
    components = _COMPONENTS.get(_name(_get(stream, "ColorSpace")), 4)
    if mupdf.pdf_to_bool(_res(_get(stream, "ImageMask"))):
        bits, components = 1, 1
    row = (width * components * min(bits, 16) + 7) // 8 + 1  # + 1: a PNG predictor's tag byte
    return row * height + 64 * KiB


def _early_change(stream: PdfObj) -> int:
    parms = _res(_get(stream, "DecodeParms"))
    if _is_array(parms):
        parms = _res(mupdf.pdf_array_get(parms, 0))
    value = _get(parms, "EarlyChange") if _is_dict(parms) else None
    return 1 if value is None or _is_null(value) else _int(value)


def _check_streams(
    doc: pymupdf.Document, pdf: PdfObj, entries: dict[int, str], limits: PdfLimits
) -> None:
    """Measure every stream's decompressed size, and every image's pixels (module docstring,
    step 3)."""
    streams = []
    for num in (num for num, kind in entries.items() if kind == "n"):
        obj = mupdf.pdf_load_object(pdf, num)
        if mupdf.pdf_is_stream(mupdf.pdf_new_indirect(pdf, num, 0)):
            # Object streams first: nothing inside one is parsed before it was measured.
            streams.append((_name(_get(obj, "Type")) != "ObjStm", num, obj))
    streams.sort(key=lambda s: (s[0], s[1]))
    total = 0
    for _, num, obj in streams:
        filters = [_FILTER_ALIASES.get(f, f) for f in _names(_get(obj, "Filter"))]
        image = _name(_get(obj, "Subtype")) == "Image"
        if not filters and not image:
            continue  # stored as is: its size is its share of the file
        try:
            raw = doc.xref_stream_raw(num) if filters else b""
        except MemoryError:
            raise
        except Exception as exc:
            raise _failed(exc, obj=num) from None
        bound = _image_bound(num, obj, filters, raw, limits) if image else limits.max_stream_bytes
        if not filters:
            continue
        room = limits.max_inflated_bytes - total
        try:
            total += _decoded_size(raw, filters, _early_change(obj), min(bound, room))
        except _TooBig:
            if room < bound:
                raise _refuse("bomb", value=limits.max_inflated_bytes) from None
            raise _refuse("bomb", obj=num, value=bound) from None
        except _Damaged as exc:
            raise _refuse("corrupt", obj=num, detail=str(exc)) from None


# ------------------------------------------------------------------------- structure walks


def _page_count(doc: pymupdf.Document) -> int:
    """MuPDF's page count (the tree's own /Count); it refuses an impossible one."""
    try:
        return int(doc.page_count)
    except MemoryError:
        raise
    except Exception as exc:
        raise _failed(exc, "page_tree") from None


def _check_page_tree(doc: pymupdf.Document, pdf: PdfObj, limits: PdfLimits) -> int:
    """Walk the page tree with a record of the nodes seen: a node reached twice is a loop (or
    a shared node, which multiplies the pages); returns how many pages it holds."""
    count = _page_count(doc)
    stack = [(_get(_catalog(pdf), "Pages"), 0)]
    seen: set[int] = set()
    leaves = 0
    while stack:
        node, depth = stack.pop()
        num = _num(node)
        item = _res(node)
        if not _is_dict(item):
            raise _refuse("page_tree", obj=num, detail="an entry is not a page")
        kids = _res(_get(item, "Kids"))
        kind = _name(_get(item, "Type"))
        if kind == "Pages" or (kind != "Page" and _is_array(kids)):
            if num and num in seen:
                raise _refuse("page_tree", obj=num, detail="a part of the list contains itself")
            seen.add(num)
            if depth > _MAX_DEPTH or len(seen) > limits.max_objects:
                raise _refuse("page_tree", detail=f"nested more than {_MAX_DEPTH} levels deep")
            if _is_array(kids):
                stack.extend((kid, depth + 1) for kid in reversed(_items(kids)))
        else:
            leaves += 1
            if leaves > limits.max_pages:
                raise _refuse("too_many_pages", value=max(leaves, count))
    if leaves == 0:
        raise _refuse("no_pages")
    if leaves != doc.page_count:
        raise _refuse("page_tree", detail=f"it says {doc.page_count} pages but holds {leaves}")
    return leaves


def _check_outline(pdf: PdfObj, limits: PdfLimits) -> None:
    """Walk the outline with a record of the entries seen: an entry reached twice loops."""
    root = _res(_get(_catalog(pdf), "Outlines"))
    if not _is_dict(root):
        return
    stack = [(_get(root, "First"), 1)]
    seen: set[int] = set()
    count = 0
    while stack:
        item, level = stack.pop()
        while not _is_null(item):
            num = _num(item)
            if num:
                if num in seen:
                    raise _refuse("outline", obj=num, detail="an entry leads back to itself")
                seen.add(num)
            entry = _res(item)
            if not _is_dict(entry):
                break
            count += 1
            if count > limits.max_outline_items:
                raise _refuse("outline", detail=f"more than {limits.max_outline_items:,} entries")
            if level > _MAX_DEPTH:
                raise _refuse("outline", detail=f"nested more than {_MAX_DEPTH} levels deep")
            child = _get(entry, "First")
            if not _is_null(child):
                stack.append((child, level + 1))
            item = _get(entry, "Next")


def _check_catalog(pdf: PdfObj) -> None:
    catalog = _catalog(pdf)
    if mupdf.pdf_to_bool(_res(_get(catalog, "NeedsRendering"))):
        raise _refuse("xfa")
    if _is_dict(_res(_get(catalog, "Collection"))):
        raise _refuse("portfolio")


# ------------------------------------------------------------------------- active content

#: Actions kept: they only move within the document.
_SAFE_NAMED = frozenset({"NextPage", "PrevPage", "FirstPage", "LastPage"})
_ACTION_KINDS: dict[str, RemovalKind] = {
    "JavaScript": "javascript",
    "URI": "web_link",
    "GoToR": "remote_link",
    "GoToE": "remote_link",
    "GoToDp": "remote_link",
    "Launch": "launch",
    "SubmitForm": "form_action",
    "ResetForm": "form_action",
    "ImportData": "form_action",
    "Sound": "media",
    "Movie": "media",
    "Rendition": "media",
    "RichMediaExecute": "media",
    "GoTo3DView": "media",
    "Hide": "other_action",
    "Named": "other_action",
    "SetOCGState": "other_action",
    "Thread": "other_action",
    "Trans": "other_action",
    "GoTo": "other_action",
}
#: Annotations removed whole: they play media, hold files or run their own scripts.
_DROPPED_ANNOTS: dict[str, RemovalKind] = {
    "FileAttachment": "embedded_file",
    "Sound": "media",
    "Movie": "media",
    "Screen": "media",
    "RichMedia": "media",
    "3D": "media",
}
#: What makes an object worth a look: any name of a key or action type that can run, open or
#: hold something, an action given by reference (its type is then elsewhere), an annotation
#: type that is removed whole. An object whose text (MuPDF's serialisation, with every direct
#: child inside it) matches none of these holds no active content: a link whose action is a
#: direct go-to, say, or an action type no viewer knows, which viewers ignore.
_RISKY = re.compile(
    r"/(?:JS|JavaScript|AA|PA|Next|EF|AF|EmbeddedFiles?|XFA|URI|Launch|SubmitForm|ResetForm"
    r"|ImportData|GoToR|GoToE|GoToDp|Sound|Movie|Rendition|Hide|Thread|Trans|SetOCGState"
    r"|GoTo3DView|RichMedia\w*|Named|AlternatePresentations|Renditions|FileAttachment|Screen"
    r"|3D)(?![^\s/\[\]<>(){}%])"
    r"|/(?:A|OpenAction)\s*\d+\s+\d+\s+R"
)
_ANNOTS = re.compile(r"/Annots(?![^\s/\[\]<>(){}%])")

Ident = tuple[Any, ...]


class _Cleaner:
    """Finds active content, and with ``apply`` removes it (module docstring of
    :mod:`server.pdfcheck`: what goes and what stays).

    Each finding is noted under an identity of the thing removed — its object number, or the
    object and key path holding it — so one script reached from two places counts once.
    """

    def __init__(
        self, doc: pymupdf.Document, pdf: PdfObj, entries: dict[int, str], *, apply: bool
    ) -> None:
        self.doc, self.pdf, self.entries, self.apply = doc, pdf, entries, apply
        self.notes: dict[Ident, tuple[RemovalKind, str]] = {}
        self.risky: set[int] = set()  # objects whose text names something risky (run)
        self.dropped: set[int] = set()  # annotations taken off their pages
        self.quiet = False  # visiting a dropped annotation: already noted

    def run(self) -> tuple[Removal, ...]:
        """Look at every object once by its text; take unwanted annotations off their pages
        first, then visit in full the risky objects (those annotations silently: they are
        noted already, and emptied in case something else still refers to them)."""
        holders = []
        for num in self.entries:
            try:
                source = self.doc.xref_object(num, compressed=True)
            except MemoryError:
                raise
            except Exception as exc:
                raise _failed(exc, obj=num) from None
            if _RISKY.search(source):
                self.risky.add(num)
            if _ANNOTS.search(source):
                holders.append(num)
        for num in holders:
            page = mupdf.pdf_load_object(self.pdf, num)
            if _is_dict(page):
                self._annotations(page, (num,))
        for num in sorted(self.risky):
            self.quiet = num in self.dropped
            self._visit(mupdf.pdf_load_object(self.pdf, num), num)
        self.quiet = False
        if self.apply:
            # Normally unreferenced now and dropped with the garbage; emptied in case a
            # structure tree or another annotation still points at them.
            for num in self.dropped:
                self.doc.update_object(num, "<<>>")
        return self.removals()

    def removals(self) -> tuple[Removal, ...]:
        kinds: dict[RemovalKind, list[str]] = {}
        for kind, detail in self.notes.values():
            kinds.setdefault(kind, []).append(detail)
        return tuple(
            Removal(
                kind, len(details), tuple(dict.fromkeys(d for d in details if d))[:MAX_EXAMPLES]
            )
            for kind, details in kinds.items()
        )

    def _note(self, kind: RemovalKind, ident: Ident, detail: str = "") -> None:
        if not self.quiet:
            self.notes.setdefault(ident, (kind, plain(detail, 200)))

    def _delete(self, obj: PdfObj, key: str) -> None:
        if self.apply:
            mupdf.pdf_dict_dels(obj, key)

    def _visit(self, top: PdfObj, num: int) -> None:
        stack: list[tuple[PdfObj, tuple[str, ...]]] = [(top, ())]
        while stack:
            obj, path = stack.pop()
            if len(path) > _MAX_DEPTH:
                raise _refuse("corrupt", obj=num, detail="objects nested too deep")
            if _is_dict(obj):
                self._dict(obj, num, path)
                children = [
                    (mupdf.pdf_dict_get_val(obj, i), (*path, key))
                    for i, key in enumerate(_keys(obj))
                ]
            elif _is_array(obj):
                children = [(item, (*path, str(i))) for i, item in enumerate(_items(obj))]
            else:
                continue
            stack.extend(
                (child, where)
                for child, where in children
                if not mupdf.pdf_is_indirect(child) and (_is_dict(child) or _is_array(child))
            )

    # -- one dictionary

    def _dict(self, d: PdfObj, num: int, path: tuple[str, ...]) -> None:
        keys = set(_keys(d))
        here: Ident = (num, *path)
        kind = _name(_get(d, "Type"))
        if kind == "EmbeddedFile" and not path:
            self._note("embedded_file", ("file", num))
            if self.apply:
                self.doc.update_stream(num, b"")
        for key in ("A", "PA", "OpenAction"):
            if key in keys:
                self._action_key(d, key, here)
        if "AA" in keys:
            triggers = _res(_get(d, "AA"))
            if _is_dict(triggers):
                for i, trigger in enumerate(_keys(triggers)):
                    value = mupdf.pdf_dict_get_val(triggers, i)
                    for ident, action in self._chain(value, (*here, "AA", trigger)):
                        found = _ACTION_KINDS.get(_name(_get(action, "S")), "other_action")
                        if found == "other_action":
                            found = "automatic_action"
                        self._note(found, ident, _action_detail(action))
            self._delete(d, "AA")
        s = _name(_get(d, "S"))
        if s in _ACTION_KINDS and kind in ("", "Action"):
            self._action_itself(d, here, keys)
        if "JavaScript" in keys:  # the document's scripts (a name tree in /Names)
            for i, leaf in enumerate(self._name_tree(_get(d, "JavaScript"))):
                ident = (_num(leaf),) if _num(leaf) else (*here, "JavaScript", str(i))
                self._note("javascript", ident)
            self._delete(d, "JavaScript")
        if "EmbeddedFiles" in keys:
            for i, leaf in enumerate(self._name_tree(_get(d, "EmbeddedFiles"))):
                self._note_file(leaf, (*here, "EmbeddedFiles", str(i)))
            self._delete(d, "EmbeddedFiles")
        for key in ("AlternatePresentations", "Renditions"):
            if key in keys:
                self._note("media", (*here, key))
                self._delete(d, key)
        if "EF" in keys:
            self._note_file(d, here)
            self._delete(d, "EF")
            self._delete(d, "RF")
        if "AF" in keys:
            files = _res(_get(d, "AF"))
            for i, spec in enumerate(_items(files) if _is_array(files) else [files]):
                self._note_file(spec, (*here, "AF", str(i)))
            self._delete(d, "AF")
        if "XFA" in keys:
            self._note("xfa", (*here, "XFA"))
            self._delete(d, "XFA")

    def _action_itself(self, d: PdfObj, here: Ident, keys: set[str]) -> None:
        """An action found on its own (its referrer may be elsewhere): a disallowed one is
        emptied down to its type, so it does nothing whoever calls it; an allowed one loses its
        chained actions."""
        if _allowed(d):
            if "Next" in keys:
                for ident, action in self._chain(_get(d, "Next"), (*here, "Next")):
                    self._note(_kind(action), ident, _action_detail(action))
                self._delete(d, "Next")
            return
        self._note(_kind(d), here, _action_detail(d))
        for key in keys - {"Type", "S"}:
            self._delete(d, key)

    def _action_key(self, d: PdfObj, key: str, here: Ident) -> None:
        value = _get(d, key)
        action = _res(value)
        if _is_array(action) and key == "OpenAction":
            return  # a destination: open at a page
        if _is_dict(action) and _allowed(action):
            chained = _get(action, "Next")
            if not _is_null(chained):
                base = (_num(value),) if _num(value) else (*here, key)
                for ident, found in self._chain(chained, (*base, "Next")):
                    self._note(_kind(found), ident, _action_detail(found))
                self._delete(action, "Next")
            return
        for ident, found in self._chain(value, (*here, key)):
            self._note(_kind(found), ident, _action_detail(found))
        self._delete(d, key)

    def _chain(self, value: PdfObj, where: Ident) -> Iterator[tuple[Ident, PdfObj]]:
        """An action and the actions chained after it by ``/Next`` (a dictionary or an array),
        each with its identity; stops at a repeat."""
        stack = [(value, where)]
        seen: set[Ident] = set()
        while stack and len(seen) < _MAX_CHAIN:
            item, at = stack.pop()
            obj = _res(item)
            ident: Ident = (_num(item),) if _num(item) else at
            if ident in seen:
                continue
            seen.add(ident)
            if _is_array(obj):
                stack.extend((x, (*at, str(i))) for i, x in enumerate(_items(obj)))
                continue
            if not _is_dict(obj):
                continue
            yield ident, obj
            chained = _get(obj, "Next")
            if not _is_null(chained):
                base = (_num(item),) if _num(item) else at
                stack.append((chained, (*base, "Next")))

    def _name_tree(self, root: PdfObj) -> Iterator[PdfObj]:
        """The values of a name tree (``/Names`` pairs under ``/Kids``), each node once."""
        stack = [root]
        seen: set[int] = set()
        while stack and len(seen) < 100_000:
            node = stack.pop()
            if _num(node) in seen:
                continue
            seen.add(_num(node))
            d = _res(node)
            if not _is_dict(d):
                continue
            names = _res(_get(d, "Names"))
            if _is_array(names):
                yield from _items(names)[1::2]
            kids = _res(_get(d, "Kids"))
            if _is_array(kids):
                stack.extend(_items(kids))

    def _note_file(self, spec: PdfObj, where: Ident) -> None:
        """Note the embedded file a file specification carries (if it carries one)."""
        d = _res(spec)
        if not _is_dict(d):
            return
        embedded = _res(_get(d, "EF"))
        if not _is_dict(embedded):
            return
        stream = next(
            (_get(embedded, k) for k in ("UF", "F") if not _is_null(_get(embedded, k))), None
        )
        ident: Ident = ("file", _num(stream)) if stream is not None and _num(stream) else where
        self._note("embedded_file", ident, _text(_get(d, "UF")) or _text(_get(d, "F")))

    def _annotations(self, page: PdfObj, here: Ident) -> None:
        """Remove from a page the annotations that play media or hold files, links that lead
        out of the document (their text stays on the page), and the pop-up notes of those."""
        annots = _res(_get(page, "Annots"))
        if not _is_array(annots):
            return
        dropped: list[int] = []
        for i in range(mupdf.pdf_array_len(annots)):
            item = mupdf.pdf_array_get(annots, i)
            if mupdf.pdf_is_indirect(item) and _num(item) not in self.risky:
                continue  # nothing in it can run or leave (run)
            annot = _res(item)
            if not _is_dict(annot):
                continue
            at: Ident = (_num(item),) if _num(item) else (*here, "Annots", str(i))
            subtype = _name(_get(annot, "Subtype"))
            if subtype in _DROPPED_ANNOTS:
                if subtype == "FileAttachment":
                    self._note_file(_get(annot, "FS"), (*at, "FS"))
                else:
                    self._note("media", at)
            elif subtype == "Link" and not _link_stays(annot):
                for ident, found in self._chain(_get(annot, "A"), (*at, "A")):
                    self._note(_kind(found), ident, _action_detail(found))
            else:
                continue
            dropped.append(i)
            if _num(item):
                self.dropped.add(_num(item))
        if not dropped:
            return
        for i in range(mupdf.pdf_array_len(annots)):
            annot = _res(mupdf.pdf_array_get(annots, i))
            popup = _is_dict(annot) and _name(_get(annot, "Subtype")) == "Popup"
            if popup and _num(_get(annot, "Parent")) in self.dropped:
                dropped.append(i)
        if self.apply:
            for i in sorted(set(dropped), reverse=True):
                mupdf.pdf_array_delete(annots, i)


def _allowed(action: PdfObj) -> bool:
    s = _name(_get(action, "S"))
    return s == "GoTo" or (s == "Named" and _name(_get(action, "N")) in _SAFE_NAMED)


def _link_stays(annot: PdfObj) -> bool:
    """A link stays unless its action leads out; one with a destination too keeps it (its
    action is deleted where the annotation itself is visited)."""
    action = _res(_get(annot, "A"))
    if _is_null(action) or (_is_dict(action) and _allowed(action)):
        return True
    return not _is_null(_get(annot, "Dest"))


def _kind(action: PdfObj) -> RemovalKind:
    return _ACTION_KINDS.get(_name(_get(action, "S")), "other_action")


def _action_detail(action: PdfObj) -> str:
    """What a secretary recognises an action by: the web address, the file, the form's
    target."""
    s = _name(_get(action, "S"))
    if s == "URI":
        return _text(_get(action, "URI"))
    if s in ("GoToR", "GoToE", "Launch", "SubmitForm", "ImportData"):
        target = _res(_get(action, "F"))
        if _is_dict(target):
            return _text(_get(target, "UF")) or _text(_get(target, "F"))
        return _text(target)
    return ""


# ------------------------------------------------------------------------------- the pages

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_REF = re.compile(r"\d+ \d+ R")
_INLINE_DICT = re.compile(rb"(?:^|\s)BI\s(.{0,4096}?)\sID\s", re.S)
_INLINE_WIDTH = re.compile(rb"/(?:W|Width)\s+(\d+)")
_INLINE_HEIGHT = re.compile(rb"/(?:H|Height)\s+(\d+)")


def _check_inline_images(contents: bytes, page: int, limits: PdfLimits) -> None:
    """Images written inside a content stream are decoded whole when the page is drawn."""
    at = contents.find(b"BI")  # a plain search first: most pages have no inline image
    while at >= 0:
        found = _INLINE_DICT.match(contents, max(at - 1, 0))
        if found:
            width = _INLINE_WIDTH.search(found.group(1))
            height = _INLINE_HEIGHT.search(found.group(1))
            if width and height:
                w, h = int(width.group(1)), int(height.group(1))
                if w * h > limits.max_image_pixels:
                    raise _refuse("image_too_large", page=page, value=w, second=h)
        at = contents.find(b"BI", at + 2)


class _Pages:
    """Each page's size, text and fingerprint (module docstring of :mod:`server.pdfcheck`)."""

    def __init__(self, doc: pymupdf.Document, limits: PdfLimits) -> None:
        self.doc, self.limits = doc, limits
        self._digests: dict[int, bytes] = {}

    def _digest(self, num: int) -> bytes:
        """A stream's or object's digest, without object numbers (they change on every save)."""
        if num not in self._digests:
            h = hashlib.sha256(_REF.sub("R", self.doc.xref_object(num, compressed=True)).encode())
            if self.doc.xref_is_stream(num):
                h.update(self.doc.xref_stream_raw(num))
            self._digests[num] = h.digest()
        return self._digests[num]

    def read(self) -> list[PageInfo]:
        return [self._page(i) for i in range(self.doc.page_count)]

    def _page(self, index: int) -> PageInfo:
        number = index + 1
        try:
            page = self.doc.load_page(index)
            rect = page.rect
            unit = _float(self.doc.xref_get_key(page.xref, "UserUnit")) or 1.0
            width, height = float(rect.width) * unit, float(rect.height) * unit
            low, high = self.limits.min_page_side_mm * _MM, self.limits.max_page_side_mm * _MM
            if not (low <= min(width, height) and max(width, height) <= high):
                raise _refuse("page_size", page=number, value=width, second=height)
            contents = page.read_contents()
            _check_inline_images(contents, number, self.limits)
            text = page.get_text("text", flags=0)
            used = [img[0] for img in page.get_images(full=True)]
            images = len(used)
            used += [x[0] for x in page.get_xobjects()]
            annots = [x for x, kind, _ in page.annot_xrefs() if kind != mupdf.PDF_ANNOT_LINK]
            rotation = int(page.rotation) % 360
            h = hashlib.sha256(f"{width:.2f} {height:.2f} {rotation}\n".encode())
            h.update(text.encode("utf-8", "surrogatepass") + b"\0")
            h.update(contents + b"\0")
            for num in [*used, 0, *annots]:
                h.update(self._digest(num) if num else b"\0")
        except Refusal:
            raise
        except MemoryError:
            raise
        except Exception as exc:
            raise _failed(exc, page=number) from None
        fingerprint = h.hexdigest()
        words = _WORD.findall(text.lower())
        if words:
            masked = " ".join(_DIGITS.sub("#", w) for w in words)
            text_key = hashlib.sha256(masked.encode("utf-8", "surrogatepass")).hexdigest()
        else:
            text_key = fingerprint
        sketch = tuple(
            heapq.nsmallest(
                SKETCH_SIZE, {zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words}
            )
        )
        return PageInfo(
            width=round(width, 2),
            height=round(height, 2),
            rotation=rotation,
            has_text=bool(text.strip()),
            has_images=images > 0,
            fingerprint=fingerprint,
            text_key=text_key,
            sketch=sketch,
        )


def _float(value: tuple[str, str]) -> float:
    kind, text = value
    try:
        return float(text) if kind in ("int", "float") else 0.0
    except ValueError:
        return 0.0


def _content(pages: list[PageInfo]) -> ContentKind:
    text = sum(p.has_text for p in pages)
    images_only = sum(p.has_images and not p.has_text for p in pages)
    if text and images_only:
        return "mixed"
    if text:
        return "text"
    return "scanned" if images_only else "empty"


def _outline(doc: pymupdf.Document) -> tuple[OutlineEntry, ...]:
    entries = []
    for level, title, page, *_ in doc.get_toc(simple=True):
        entries.append(
            OutlineEntry(
                title=plain(str(title), 500),
                level=min(max(int(level), 1), 1_000),
                page=int(page) if 1 <= int(page) <= doc.page_count else 0,
            )
        )
    return tuple(entries)


# ------------------------------------------------------------------------------ the check


def _open(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except MemoryError:
        raise
    except Exception as exc:
        if "number of pages" in str(exc).lower():
            raise _refuse("page_tree", detail="its page count is impossible") from None
        raise _failed(exc) from None
    if doc.needs_pass:
        raise _refuse("password")
    return doc


def _is_encrypted(doc: pymupdf.Document) -> bool:
    return bool((doc.metadata or {}).get("encryption"))


def examine(data: bytes, name: str, limits: PdfLimits) -> tuple[PdfSummary, bytes]:
    """The whole check of one upload (module docstring: the steps and their order); returns
    the summary and the cleaned file, or raises :class:`Refusal`."""
    problem = precheck(data, limits)
    if problem is not None:
        raise Refusal(problem)
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.TOOLS.mupdf_warnings(reset=True)

    doc = _open(data)
    pdf = pymupdf._as_pdf_document(doc)
    repaired = bool(doc.is_repaired)
    decrypted = _is_encrypted(doc)
    objects = int(mupdf.pdf_xref_len(pdf))
    if objects > limits.max_objects:
        raise _refuse("too_many_objects", value=objects)
    entries = _entries(pdf)
    _check_streams(doc, pdf, entries, limits)
    pages = _check_page_tree(doc, pdf, limits)
    _check_outline(pdf, limits)
    _check_catalog(pdf)
    removed = _Cleaner(doc, pdf, entries, apply=True).run()
    try:
        cleaned = doc.tobytes(
            garbage=1, use_objstms=1, no_new_id=1, encryption=mupdf.PDF_ENCRYPT_NONE
        )
    except MemoryError:
        raise
    except Exception as exc:
        raise _failed(exc) from None
    doc.close()
    if len(cleaned) > limits.max_bytes:
        raise _refuse("too_large", value=len(cleaned))

    # Step 6: the file to store, checked as if it had been uploaded.
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        stored = pymupdf.open(stream=cleaned, filetype="pdf")
    except Exception as exc:
        raise _failed(exc, "clean_failed") from None
    stored_pdf = pymupdf._as_pdf_document(stored)
    if stored.is_repaired or stored.needs_pass or _is_encrypted(stored):
        raise _refuse("clean_failed", detail="the cleaned file does not reopen cleanly")
    if _check_page_tree(stored, stored_pdf, limits) != pages:
        raise _refuse("clean_failed", detail="the cleaned file lost pages")
    _check_outline(stored_pdf, limits)
    left = _Cleaner(stored, stored_pdf, _entries(stored_pdf), apply=False).run()
    if left:
        raise _refuse("clean_failed", detail="left: " + ", ".join(r.kind for r in left))
    infos = _Pages(stored, limits).read()
    outline = _outline(stored)
    if repaired:
        warnings = pymupdf.TOOLS.mupdf_warnings(reset=True).strip()
        if warnings:
            first = warnings.splitlines()[0]
            raise _refuse("corrupt", detail=f"still damaged once repaired: {first}")
    summary = PdfSummary(
        name=plain(name, 500),
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
        original_size=len(data),
        original_sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(infos),
        outline=outline,
        content=_content(infos),
        repaired=repaired,
        decrypted=decrypted,
        removed=removed,
    )
    return summary, cleaned


# ------------------------------------------------------------------------------ the child


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), so a server that is
    killed leaves no check running."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


#: Codecs imported before the confinement (PyMuPDF decodes PDF strings with some of these).
_CODECS = ("raw_unicode_escape", "unicode_escape", "utf_16", "utf_16_be", "utf_16_le", "latin_1")


def confine(limits: PdfLimits) -> None:
    """Limits this process cannot undo (unless it runs as root): memory, CPU time, no core
    dump, no file written, and no file or socket opened from now on."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    # RLIMIT_NOFILE bounds descriptor numbers: the lowest free one as the limit leaves no
    # number a new file could get. So every module the check needs is imported first: the
    # codecs PyMuPDF looks up when it converts PDF strings are the only ones it imports late.
    for codec in _CODECS:
        importlib.import_module(f"encodings.{codec}")
    # Found with fstat, which opens nothing (listing /proc/self/fd would take a number itself).
    lowest_free = next(fd for fd in range(1 << 16) if not _is_open(fd))
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, lowest_free))


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    data = stream.read(n)
    if len(data) != n:
        raise EOFError("request cut short")
    return data


def _peak_address_space(status: int) -> int:
    """The most address space this process ever had, from a descriptor on its
    ``/proc/self/status`` opened before the confinement (none can be opened after)."""
    found = re.search(rb"VmPeak:\s*(\d+) kB", os.pread(status, 8192, 0))
    return int(found.group(1)) * 1024 if found else 0


def _answer(request: Request, stdin: BinaryIO, status: int) -> tuple[Reply, bytes]:
    if request.size > request.limits.max_bytes:
        return Reply(problem=Problem("too_large", value=request.size)), b""
    try:
        data = _read_exactly(stdin, request.size)
        summary, body = examine(data, request.name, request.limits)
    except Refusal as refusal:
        return Reply(problem=refusal.problem), b""
    except MemoryError:
        return Reply(problem=Problem("memory")), b""
    except Exception:
        # Out of memory, MuPDF and its binding sometimes fail in other ways (an error object
        # that cannot be built, say): a failure close to the cap is the cap's. Anything else
        # is a bug, and a crash with its traceback in the log.
        if _peak_address_space(status) > 0.9 * request.limits.memory_bytes:
            return Reply(problem=Problem("memory")), b""
        raise
    return Reply(summary=summary), body


def main() -> int:
    """The child: one request on standard input, one reply on standard output."""
    if len(sys.argv) > 2:
        _die_with_parent(int(sys.argv[2]))
    # Anything a library prints goes to standard error; the reply gets a descriptor of its own.
    reply_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    stdin = sys.stdin.buffer
    if _read_exactly(stdin, 6) != b"HPDF1\n":
        print("not a check request", file=sys.stderr)
        return 2
    length = int.from_bytes(_read_exactly(stdin, 4))
    request = msgspec.msgpack.decode(_read_exactly(stdin, min(length, 1 * MiB)), type=Request)
    status = os.open("/proc/self/status", os.O_RDONLY)
    confine(request.limits)
    reply, body = _answer(request, stdin, status)
    reply_out.write(encode_reply(reply))
    reply_out.write(body)
    reply_out.close()  # the parent sees the end of the reply now, not after the teardown
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
