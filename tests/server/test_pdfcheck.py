"""The check of an uploaded PDF (server/pdfcheck.py, server/pdfinspect.py), through the real
confined child process: every hostile or broken file of tests/pdfcorpus.py, every real manual
of Debian's lilypond-doc-pdf, revisions compared page by page, and the child's own limits."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import get_args

import msgspec
import psutil
import pymupdf
import pytest

from server import pdfcheck, pdfinspect
from server.pdfcheck import (
    CheckedPdf,
    MiB,
    PdfLimits,
    PdfRefused,
    Problem,
    RefusalCode,
    changed_pages,
    check_pdf,
    check_pdf_async,
    decode_summary,
    describe,
    encode_summary,
    page_changes,
)
from tests import pdfcorpus
from tests.pdfcorpus import CASES, Case
from tests.realdocs import FOLDER, real_pdf

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------------- helpers


def streams(data: bytes) -> list[bytes]:
    """Every stream of a PDF, decoded by PyMuPDF (an independent reader of the result)."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    return [doc.xref_stream(x) for x in range(1, doc.xref_length()) if doc.xref_is_stream(x)]


def assert_inert(data: bytes) -> None:
    """What a stored file must never hold, checked with PyMuPDF's own high-level view rather
    than the checker's code: scripts, automatic actions, links out, attachments, XFA."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    assert not doc.needs_pass and not doc.is_repaired
    assert doc.embfile_count() == 0
    for x in range(1, doc.xref_length()):
        source = doc.xref_object(x, compressed=True)
        assert not re.search(
            r"/(JS|JavaScript|AA|Launch|URI|SubmitForm|ImportData|GoToR|GoToE|EmbeddedFiles?|EF|XFA|"
            r"Rendition|RichMedia|FileAttachment|Screen)\b",
            source,
        ), (x, source)
    for page in doc:
        for link in page.get_links():
            assert link["kind"] in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED), link


def check(case: Case) -> CheckedPdf:
    return check_pdf(case.build(), case.name, case.limits)


def no_children_left() -> None:
    """Every checking process this test started has ended and was reaped (other children of
    the test run — a PostgreSQL server started for other tests — are not its business)."""
    deadline = time.monotonic() + 5
    while checker_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checker_children() == []


# ----------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case(case: Case) -> None:
    data = case.build()
    if case.refused:
        with pytest.raises(PdfRefused) as refused:
            check_pdf(data, case.name, case.limits)
        assert refused.value.reason == case.refused == refused.value.problem.code
        message = refused.value.message
        assert message.startswith(case.name) or f" {case.name} " in message
        assert message.endswith(".") and "\n" not in message
        return
    checked = check_pdf(data, case.name, case.limits)
    assert {r.kind: r.count for r in checked.removed} == dict(case.removed)
    assert (checked.repaired, checked.decrypted) == (case.repaired, case.decrypted)
    assert_inert(checked.data)
    # The stored file checked again: nothing left to remove, the same pages.
    again = check_pdf(checked.data, case.name, case.limits)
    assert again.removed == () and not again.repaired and not again.decrypted
    assert again.pages == checked.pages and again.outline == checked.outline


def test_every_refusal_code_is_in_the_corpus_or_tested_below() -> None:
    below = {"timeout", "memory", "crashed", "clean_failed", "too_many_objects"}
    assert {c.refused for c in CASES} | below | {None} >= set(get_args(RefusalCode)) | {None}


def test_links_out_are_gone_but_their_text_internal_links_and_outline_stay() -> None:
    checked = check(next(c for c in CASES if c.name == "links.pdf"))
    web = next(r for r in checked.removed if r.kind == "web_link")
    assert set(web.examples) == {
        "https://example.org/agenda",
        "mailto:leak@example.org",
        "file:///etc/passwd",
        "https://example.org",
    }
    doc = pymupdf.open(stream=checked.data, filetype="pdf")
    text = doc[0].get_text()
    assert "https://example.org/agenda" in text and "file:///etc/passwd" in text
    assert [(link["kind"], link["page"]) for link in doc[0].get_links()] == [
        (pymupdf.LINK_GOTO, 1),
        (pymupdf.LINK_GOTO, 1),
    ]
    assert [(e.title, e.level, e.page) for e in checked.outline] == [
        ("Annex", 1, 2),
        ("Our website", 1, 0),
    ]


def test_scripts_are_gone_and_the_document_stays() -> None:
    checked = check(next(c for c in CASES if c.name == "scripts.pdf"))
    doc = pymupdf.open(stream=checked.data, filetype="pdf")
    assert doc.xref_get_key(doc.pdf_catalog(), "OpenAction")[0] == "null"
    assert doc.xref_get_key(doc.pdf_catalog(), "Names/JavaScript")[0] == "null"
    assert "Budget 2026" in doc[0].get_text()
    assert not any(b"launchURL" in s or b"alert" in s for s in streams(checked.data))


def test_attachments_are_gone_from_the_bytes() -> None:
    data = pdfcorpus.with_attachments()
    assert any(pdfcorpus.ATTACHMENT in s for s in streams(data))
    checked = check_pdf(data, "attachments.pdf")
    files = next(r for r in checked.removed if r.kind == "embedded_file")
    assert set(files.examples) == {"budget.xlsx", "annex.exe"}
    assert not any(pdfcorpus.ATTACHMENT in s for s in streams(checked.data))
    assert pymupdf.open(stream=checked.data, filetype="pdf")[0].first_annot is None


def test_form_fields_keep_their_values_and_lose_their_actions() -> None:
    checked = check(next(c for c in CASES if c.name == "form.pdf"))
    doc = pymupdf.open(stream=checked.data, filetype="pdf")
    assert {w.field_name for w in doc[0].widgets()} == {"send", "name"}
    assert "Nguyen Van A" in doc[0].get_text()
    form = next(r for r in checked.removed if r.kind == "form_action")
    assert form.examples == ("https://example.org/collect",)


def test_earlier_revisions_are_not_stored() -> None:
    data = pdfcorpus.with_old_revision()
    assert pdfcorpus.SECRET.encode() in data  # still in the upload, shown by no viewer
    checked = check_pdf(data, "old-revision.pdf")
    assert pdfcorpus.SECRET.encode() not in checked.data
    assert not any(pdfcorpus.SECRET.encode() in s for s in streams(checked.data))
    assert "Public version" in pymupdf.open(stream=checked.data, filetype="pdf")[0].get_text()


def test_a_repaired_file_is_the_same_document() -> None:
    original = check_pdf(real_pdf("usage.pdf").read_bytes(), "usage.pdf")
    repaired = check_pdf(pdfcorpus.flip_in_xref_table(), "usage.pdf")
    assert repaired.repaired and not original.repaired
    assert repaired.pages == original.pages and repaired.outline == original.outline


def test_an_owner_password_is_removed_and_said() -> None:
    checked = check_pdf(pdfcorpus.with_owner_password(), "restricted.pdf")
    assert checked.decrypted
    doc = pymupdf.open(stream=checked.data, filetype="pdf")
    assert not (doc.metadata or {}).get("encryption")
    assert "Budget 2026" in doc[0].get_text()


FILTER_CASES = ("lzw.pdf", "run-length.pdf", "ascii85-flate.pdf", "ascii-hex.pdf")


@pytest.mark.parametrize("name", FILTER_CASES)
def test_the_checker_decodes_filters_as_mupdf_does(name: str) -> None:
    """The checker measures streams with its own decoders (so a bomb never reaches MuPDF's):
    they must agree with MuPDF byte for byte on honest data."""
    data = next(c for c in CASES if c.name == name).build()
    doc = pymupdf.open(stream=data, filetype="pdf")
    filters = re.findall(r"/(\w+)", doc.xref_get_key(4, "Filter")[1])
    size = pdfinspect._decoded_size(doc.xref_stream_raw(4), filters, 1, 1 << 30)
    assert size == len(doc.xref_stream(4)) == len(pdfcorpus.CONTENT)
    checked = check_pdf(data, name)
    assert "Chapter 1: revenue" in pymupdf.open(stream=checked.data, filetype="pdf")[0].get_text()


def test_limits_can_be_lowered_for_objects() -> None:
    with pytest.raises(PdfRefused) as refused:
        check_pdf(pdfcorpus.one_page(), "small.pdf", PdfLimits(max_objects=3))
    assert refused.value.reason == "too_many_objects"


# ------------------------------------------------------------------------- the real manuals

MANUALS = sorted(p.name for p in FOLDER.glob("*.pdf")) or ["notation.pdf"]


@pytest.mark.parametrize("name", MANUALS)
def test_real_manual_passes(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = real_pdf(name).read_bytes()
    started = time.perf_counter()
    checked = check_pdf(data, name)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n{name}: {len(data) / MiB:.1f} MB, {checked.page_count} pages in {elapsed:.2f} s")
    original = pymupdf.open(stream=data, filetype="pdf")
    assert checked.page_count == original.page_count
    assert len(checked.outline) == len(original.get_toc())
    assert checked.content == "text" and checked.searchable
    assert {r.kind for r in checked.removed} <= {"remote_link", "web_link"}
    assert not checked.repaired and not checked.decrypted
    assert checked.size <= len(data)
    stored = pymupdf.open(stream=checked.data, filetype="pdf")
    assert [(e.title, e.level, e.page) for e in checked.outline] == [
        (re.sub(r"\s+", " ", t).strip(), lvl, p if p > 0 else 0) for lvl, t, p in stored.get_toc()
    ]
    assert stored[checked.page_count // 2].get_pixmap(dpi=20).width > 0
    if name == "notation.pdf":
        assert checked.page_count == 930 and len(checked.outline) == 619
        assert elapsed < 20, f"checking notation.pdf took {elapsed:.1f} s"


# ----------------------------------------------------------------------------- revisions


def revise(base: CheckedPdf, edit: object) -> CheckedPdf:
    doc = pymupdf.open(stream=base.data, filetype="pdf")
    edit(doc)  # type: ignore[operator]
    return check_pdf(doc.tobytes(garbage=1), base.name)


@pytest.fixture(scope="module")
def usage() -> CheckedPdf:
    return check_pdf(real_pdf("usage.pdf").read_bytes(), "usage.pdf")


def test_the_same_document_saved_again_changed_nothing(usage: CheckedPdf) -> None:
    again = revise(usage, lambda doc: None)
    assert changed_pages(usage, again) == []
    assert page_changes(usage, again).pairs == tuple((i, i) for i in range(1, 74))


def test_a_removed_page_shifts_nothing(usage: CheckedPdf) -> None:
    changes = page_changes(usage, revise(usage, lambda doc: doc.delete_page(9)))
    assert (changes.changed, changes.inserted, changes.removed) == ((), (), (10,))
    assert (11, 10) in changes.pairs and (9, 9) in changes.pairs


def test_an_inserted_page_is_the_only_change(usage: CheckedPdf) -> None:
    def insert(doc: pymupdf.Document) -> None:
        doc.insert_page(4, text="Annex added by the secretariat")

    new = revise(usage, insert)
    assert changed_pages(usage, new) == [5]
    assert page_changes(usage, new).inserted == (5,)


def test_an_edited_page_is_found(usage: CheckedPdf) -> None:
    def edit(doc: pymupdf.Document) -> None:
        doc[19].insert_text((72, 60), "Amendment 3 adopted", fontsize=9)

    new = revise(usage, edit)
    assert changed_pages(usage, new) == [20]
    assert page_changes(usage, new).changed == (20,)


def footer_doc(pages: list[str]) -> CheckedPdf:
    total = len(pages)
    data = pdfcorpus.many_pages(
        total, lines=lambda i: [f"Chapter {pages[i - 1]}", f"Page {i} of {total}"]
    )
    return check_pdf(data, "report.pdf")


def test_pages_renumbered_by_an_insertion_pair_with_their_old_selves() -> None:
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    old = footer_doc(words)
    new = footer_doc([*words[:2], "Inserted", *words[2:]])
    changes = page_changes(old, new)
    assert changes.inserted == (3,) and changes.removed == ()
    assert changes.pairs == ((1, 1), (2, 2), (3, 4), (4, 5), (5, 6), (6, 7))
    assert changes.changed == (1, 2, 4, 5, 6, 7)  # every footer says "of 7" now
    assert changed_pages(old, new) == [1, 2, 3, 4, 5, 6, 7]


def test_an_edited_page_next_to_a_new_one_pairs_by_its_words() -> None:
    def doc(lines: list[list[str]]) -> CheckedPdf:
        return check_pdf(pdfcorpus.many_pages(len(lines), lines=lambda i: lines[i - 1]), "x.pdf")

    body = [
        "the",
        "committee",
        "shall",
        "meet",
        "every",
        "week",
        "in",
        "the",
        "great",
        "hall",
        "of",
        "the",
        "palace",
    ]
    old = doc([["Opening words"], body, ["Closing words here"]])
    new = doc(
        [
            ["Opening words"],
            ["Totally unrelated page about weather"],
            [*body, "today"],
            ["Closing words here"],
        ]
    )
    changes = page_changes(old, new)
    assert changes.pairs == ((1, 1), (2, 3), (3, 4))
    assert (changes.changed, changes.inserted, changes.removed) == ((3,), (2,), ())


def test_a_summary_survives_the_database(usage: CheckedPdf) -> None:
    summary = decode_summary(encode_summary(usage))
    assert summary == usage.summary()
    assert changed_pages(summary, usage) == []
    with pytest.raises(msgspec.ValidationError):
        decode_summary(encode_summary(usage).replace(usage.sha256.encode(), b"X" * 64))


# ------------------------------------------------------------------ the child and its limits


def test_a_check_that_runs_too_long_is_stopped() -> None:
    data = real_pdf("notation.pdf").read_bytes()
    started = time.monotonic()
    with pytest.raises(PdfRefused) as refused:
        check_pdf(data, "notation.pdf", PdfLimits(timeout_seconds=1.0))
    assert refused.value.reason == "timeout"
    assert time.monotonic() - started < 3
    assert "more than 1 second to check" in refused.value.message
    no_children_left()


def test_a_check_that_uses_too_much_cpu_is_stopped() -> None:
    with pytest.raises(PdfRefused) as refused:
        check_pdf(real_pdf("notation.pdf").read_bytes(), "notation.pdf", PdfLimits(cpu_seconds=1))
    assert refused.value.reason == "timeout"
    no_children_left()


def test_a_check_that_needs_too_much_memory_is_stopped() -> None:
    # Python and PyMuPDF map ~100 MB; the 930-page manual needs ~250 MB all told.
    with pytest.raises(PdfRefused) as refused:
        check_pdf(
            real_pdf("notation.pdf").read_bytes(), "notation.pdf", PdfLimits(memory_bytes=180 * MiB)
        )
    assert refused.value.reason == "memory"
    assert "180 MB of memory" in refused.value.message
    no_children_left()


@pytest.mark.slow
def test_a_file_near_the_size_limit_passes_with_the_default_limits() -> None:
    """A 179 MB scan (one page, one uncompressed 7,900 x 7,900 colour image of noise): the
    default memory cap, CPU time and reply cap fit the default byte limit."""
    side = 7_900
    image = pdfcorpus.stream(
        os.urandom(side * side * 3),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB"
        b" /BitsPerComponent 8" % (side, side),
    )
    data = pdfcorpus.image_page(image)
    assert 170 * MiB < len(data) < PdfLimits().max_bytes
    checked = check_pdf(data, "scan.pdf")
    assert checked.content == "scanned" and not checked.searchable
    assert checked.pages[0].has_images and not checked.pages[0].has_text


def checker_children() -> list[psutil.Process]:
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if any("server.pdfinspect" in part for part in child.cmdline()):
                out.append(child)
        except psutil.ZombieProcess:  # ended but not reaped: left over
            out.append(child)
        except psutil.NoSuchProcess:  # ended while we looked: not left over
            pass
    return out


def test_a_checker_that_crashes_is_a_refusal_not_a_server_crash() -> None:
    data = real_pdf("notation.pdf").read_bytes()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            check_pdf(data, "notation.pdf")
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 10
    while not checker_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)  # well into the check
    for child in checker_children():
        child.send_signal(11)  # SIGSEGV, as a decoder bug would
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], PdfRefused)
    assert outcome[0].reason == "crashed"
    assert "stopped unexpectedly (the checker was stopped by SIGSEGV)" in outcome[0].message
    no_children_left()


def test_the_running_checker_is_confined_and_a_cancelled_one_leaves_no_process() -> None:
    data = real_pdf("notation.pdf").read_bytes()
    limits = PdfLimits(memory_bytes=1536 * MiB, cpu_seconds=50)

    async def cancel_midway() -> None:
        task = asyncio.ensure_future(check_pdf_async(data, "notation.pdf", limits))
        await asyncio.sleep(1.5)
        (child,) = checker_children()
        assert child.environ() == {}  # no database URL, no password, nothing
        assert child.rlimit(psutil.RLIMIT_AS) == (limits.memory_bytes, limits.memory_bytes)
        assert child.rlimit(psutil.RLIMIT_CPU) == (50, 52)
        assert child.rlimit(psutil.RLIMIT_CORE) == (0, 0)
        assert child.rlimit(psutil.RLIMIT_FSIZE) == (0, 0)
        soft, hard = child.rlimit(psutil.RLIMIT_NOFILE)
        assert soft == hard == len(child.open_files()) + 4  # 0-2, the reply: no number free
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_midway())
    no_children_left()


def test_the_confined_checker_cannot_open_or_write_files(tmp_path: Path) -> None:
    probe = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from server.pdfcheck import PdfLimits
from server.pdfinspect import confine
confine(PdfLimits())
for attempt in (lambda: open("/etc/hostname", "rb"), lambda: open({str(tmp_path / "x")!r}, "wb")):
    try:
        attempt()
        print("opened")
    except OSError as exc:
        print(exc.errno)
"""
    out = subprocess.run(
        [sys.executable, "-I", "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["24", "24"]  # EMFILE: no descriptor number is left to open
    assert not (tmp_path / "x").exists()


def test_a_reply_that_does_not_match_the_file_is_refused(usage: CheckedPdf) -> None:
    data = real_pdf("usage.pdf").read_bytes()
    summary = usage.summary()
    forged = pdfcheck._checked(
        pdfcheck.Reply(summary=summary), usage.data[:-1] + b"X", "u.pdf", data, PdfLimits()
    )
    assert isinstance(forged, Problem) and forged.code == "crashed"
    wrong_upload = pdfcheck._checked(
        pdfcheck.Reply(summary=summary), usage.data, "u.pdf", b"%PDF-", PdfLimits()
    )
    assert isinstance(wrong_upload, Problem) and wrong_upload.code == "crashed"
    good = pdfcheck._checked(
        pdfcheck.Reply(summary=summary), usage.data, "u.pdf", data, PdfLimits()
    )
    assert isinstance(good, CheckedPdf)


def test_the_serving_side_does_not_load_pymupdf() -> None:
    probe = "import sys, server.pdfcheck; print('pymupdf' in sys.modules or 'fitz' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- the sentences


@pytest.mark.parametrize("code", get_args(RefusalCode))
def test_every_refusal_is_one_sentence_naming_the_file(code: RefusalCode) -> None:
    message = describe(
        "Ngân sách\x1b[31m 2026.pdf", Problem(code, detail="x", value=3, second=4), PdfLimits()
    )
    assert "Ngân sách" in message and "2026.pdf" in message
    assert "\x1b" not in message and "\n" not in message
    assert message.endswith(".") and message[0].isupper()
    assert ":" in message  # the reason, then what to do


def test_limits_say_why_and_refuse_nonsense() -> None:
    for f in dataclasses.fields(PdfLimits):
        assert len(f.metadata["doc"]) > 40, f.name
    with pytest.raises(ValueError, match="max_pages"):
        PdfLimits(max_pages=0)
    with pytest.raises(ValueError, match="min_page_side_mm"):
        PdfLimits(min_page_side_mm=10, max_page_side_mm=5)


def test_a_zlib_bomb_of_the_corpus_is_what_it_says() -> None:
    bomb = pdfcorpus.zero_bomb(64 * MiB)
    assert len(bomb) < 100_000
    inflater = zlib.decompressobj()
    total = 0
    pending = bomb
    while pending:
        total += len(inflater.decompress(pending, 16 * MiB))
        pending = inflater.unconsumed_tail
    assert total == 64 * MiB and inflater.eof  # whole and valid, checksum included
