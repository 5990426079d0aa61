"""Parse the delegate roster CSV that secretaries prepare in a spreadsheet.

This module only reads and checks the file; it touches no database, so an import can be
validated completely (and every mistake shown at once) before anything is stored.

Roster file format
==================

* **Encoding**: UTF-8, with or without a byte-order mark. In Excel choose *Save As* ->
  *CSV UTF-8 (Comma delimited) (*.csv)*; in LibreOffice tick *Edit filter settings* and pick
  *Unicode (UTF-8)*. Other encodings (Windows-1258, UTF-16 "Unicode Text") are refused with
  the line of the first byte that is not UTF-8, because guessing would garble names.
* **Delimiter**: comma or semicolon, detected from the header line (Excel writes ``;`` in
  locales where the comma is the decimal separator, including Vietnamese). Fields that
  contain the delimiter, a quote or a ``;`` group list in a ``;`` file are quoted with ``"``
  and inner quotes doubled, as in RFC 4180; spreadsheets do this by themselves.
* **Header**: the first line names the columns, in any order and case:

  ============  ========  ===========================================================
  column        required  content
  ============  ========  ===========================================================
  number        yes       delegate number, unique, 1-32 characters, e.g. ``0001``
  full_name     yes       full name with diacritics, 1-200 characters
  delegation    no        e.g. ``Đoàn Hà Nội``, up to 200 characters
  groups        no        access groups separated by ``;`` (or ``,``), each <= 64 chars
  voting_right  no        yes/no, true/false, 1/0, x/empty, có/không; absent column: yes
  seat          no        e.g. ``A-01``, up to 32 characters
  weight        no        votes the delegate carries in a weighted poll, 1-1,000,000;
                          empty or absent column: 1
  ============  ========  ===========================================================

  Spaces or dashes in a column name count as underscores (``Full Name`` is ``full_name``).
  Columns with an empty header cell (spreadsheets sometimes add them) are ignored as long
  as they hold no values.
* **Rows**: one delegate per line, with exactly as many fields as the header. Blank lines
  (and lines whose fields are all empty) are skipped. Text is normalised to Unicode NFC
  (macOS often produces decomposed NFD Vietnamese) and runs of spaces, tabs and non-breaking
  spaces collapse to one space. Control and invisible formatting characters are refused.
* **Limits**: at most 20,000 delegates and 5 MiB; at most 50,000 lines (blank ones included),
  100 columns (empty ones included) and 16,384 characters in one row.

Tip for Excel users: format the ``number`` column as *Text* before typing, otherwise Excel
turns ``0001`` into ``1``.

All problems in a file (up to the first 100) are collected and raised together as one
:class:`RosterError`, so a secretary fixes the spreadsheet once rather than once per mistake.

Memory stays a small multiple of the file's size whatever the file holds. The limits on lines,
row length and columns are checked before the structures they would size are built: the
``csv`` module makes a list of every field of a record it reads, so a header of 2.6 million
unknown column names used to take 1.7 GB with an error message for each. So the text is cut
into lines here (each a slice, never a copy of the whole text), ``csv`` is fed one line at a
time, and a row longer than the limit is refused before ``csv`` sees it.
"""

from __future__ import annotations

import contextlib
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ERRORS",
    "MAX_LINES",
    "MAX_RECORD_CHARS",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "RosterError",
    "RosterRow",
    "parse_roster",
]

#: Largest roster file accepted: far above any real hall, small enough to parse in memory.
MAX_BYTES = 5 * 1024 * 1024
#: Most delegates in one roster; the reference congress has ~1,600.
MAX_ROWS = 20_000
#: Most lines in the file, blank ones included: room for every delegate and many blank rows.
MAX_LINES = 50_000
#: Longest row, in characters, quoted line breaks included; the longest allowed number, name,
#: delegation and seat fill under 500. Below the csv module's field limit (128 Ki), so csv
#: never refuses a field.
MAX_RECORD_CHARS = 16_384
#: Most columns, unnamed empty ones included (spreadsheets export a few of those).
MAX_COLUMNS = 100
#: Problems listed before the parser stops: enough to fix a file in one pass, and a bound on
#: memory for a file where every row is wrong.
MAX_ERRORS = 100

#: Every column the header may name, in the order documented above.
COLUMNS = ("number", "full_name", "delegation", "groups", "voting_right", "seat", "weight")
#: The largest weight a delegate may carry (a shareholder's votes, a delegation's members).
MAX_WEIGHT = 1_000_000
REQUIRED_COLUMNS = ("number", "full_name")

_MAX_LEN = {"number": 32, "full_name": 200, "delegation": 200, "seat": 32}
_MAX_GROUP_LEN = 64

_TRUE = frozenset({"yes", "y", "true", "1", "x", "có", "co"})
_FALSE = frozenset({"no", "n", "false", "0", "", "không", "khong"})
_VOTING_HINT = "use yes/no, true/false, 1/0, x/empty or có/không"

_UTF8_BOM = b"\xef\xbb\xbf"
_SAVE_AS_UTF8 = (
    "save the file again as 'CSV UTF-8' (Excel: Save As > CSV UTF-8 (Comma delimited); "
    "LibreOffice: character set Unicode (UTF-8))"
)


@dataclass(frozen=True)
class RosterRow:
    """One delegate as read from the roster, already cleaned and checked."""

    line: int  # 1-based line number in the file (header is line 1), for later messages
    number: str  # unique (case-insensitively), 1..32 characters, e.g. "0001"
    full_name: str  # NFC, single spaces, diacritics kept, 1..200 characters
    delegation: str  # e.g. "Đoàn Hà Nội"; may be empty
    groups: tuple[str, ...]  # trimmed, deduplicated, first-seen order; may be empty
    voting_right: bool  # True when the column is absent
    seat: str  # e.g. "A-01"; may be empty
    weight: int = 1  # votes in a weighted poll


class RosterError(ValueError):
    """Everything wrong with a roster file, so the secretary can fix it in one pass.

    ``errors`` holds ``(line number, reason)`` pairs sorted by line; each reason is plain
    English that says what to change. ``str()`` lists them one per line as ``line N: reason``.
    """

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        # Passing the list itself to ValueError keeps the exception picklable.
        self.errors = sorted(errors, key=lambda e: e[0])
        super().__init__(self.errors)

    def __str__(self) -> str:
        return "\n".join(f"line {line}: {reason}" for line, reason in self.errors)


def parse_roster(data: bytes) -> list[RosterRow]:
    """Parse and check a roster CSV file; raise :class:`RosterError` listing every problem.

    Returns the delegates in file order. Nothing is returned unless the whole file is valid,
    so a caller never imports half a roster.
    """
    if len(data) > MAX_BYTES:
        raise RosterError(
            [
                (
                    1,
                    f"the file is {len(data) / 1024 / 1024:.1f} MiB; the limit is "
                    f"{MAX_BYTES // 1024 // 1024} MiB - remove unused columns or split the "
                    "roster into several files",
                )
            ]
        )
    text = _decode(data)
    return _Parser(text).run()


def _decode(data: bytes) -> str:
    """Decode strict UTF-8, pointing at the line of the first bad byte if it is not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterError(
            [(1, f"the file is UTF-16 (Excel 'Unicode Text'), not UTF-8; {_SAVE_AS_UTF8}")]
        )
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line = _count_line_breaks(before) + 1
        last_break = max(before.rfind("\n"), before.rfind("\r"))
        column = len(before) - last_break
        raise RosterError(
            [
                (
                    line,
                    f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X} at character "
                    f"{column} is not valid UTF-8; the file was probably saved as "
                    f"Windows-1258 or another legacy encoding); {_SAVE_AS_UTF8}",
                )
            ]
        ) from None


def _count_line_breaks(text: str) -> int:
    """Count line ends the way the CSV reader does (\\n, \\r\\n and a lone \\r)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
"""One line with its line end (the last one may have none), as ``open(newline="")`` reads."""


class _TooLong(Exception):
    """A row over :data:`MAX_RECORD_CHARS`, caught before the csv reader got to it."""

    def __init__(self, line: int, multiline: bool) -> None:
        super().__init__(line)
        self.line = line
        self.multiline = multiline


class _TooManyErrors(Exception):
    """:data:`MAX_ERRORS` problems found: stop reading, report those."""


class _Lines:
    """The text's lines for ``csv.reader``, numbered, and bounded per record.

    The reader asks for one line at a time and gets a slice of the text, so neither the whole
    text nor a list of its lines is ever copied. :meth:`new_record` starts a record's count;
    a line that would take the record past :data:`MAX_RECORD_CHARS` raises :class:`_TooLong`
    out of the reader instead of being handed over, and is measured without being sliced. The
    reader starts afresh on its next call, at the following line.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._matches = _LINE.finditer(text)
        self.line = 0  # the number of the last line handed out (or refused)
        self._record_start = 1
        self._record_chars = 0

    def new_record(self) -> int:
        """Begin counting a new record; return the line it starts on."""
        self._record_start = self.line + 1
        self._record_chars = 0
        return self._record_start

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        match = next(self._matches)
        self.line += 1
        start, end = match.span()
        self._record_chars += end - start
        if self._record_chars > MAX_RECORD_CHARS:
            raise _TooLong(self._record_start, multiline=self.line > self._record_start)
        return self._text[start:end]


def _too_long(error: _TooLong) -> tuple[int, str]:
    """The (line, reason) for a row over the length limit."""
    if error.multiline:
        return (
            error.line,
            f"this row runs over several lines and past {MAX_RECORD_CHARS:,} characters: "
            "check for a missing closing quote",
        )
    return (
        error.line,
        f"this line is longer than {MAX_RECORD_CHARS:,} characters, far more than a delegate "
        "needs; remove stray text or delimiters",
    )


def _bad_character(value: str) -> str | None:
    """Describe the first control or invisible character in a field, if any.

    Tabs are tolerated (they collapse to a space); line breaks usually mean a quote was
    left open; other control and format characters (zero-width spaces, direction marks,
    stray byte-order marks) are invisible in a spreadsheet yet would make two names that
    look identical differ, so they are refused rather than silently kept.
    """
    for index, ch in enumerate(value, start=1):
        if ch == "\t":
            continue
        if ch in "\r\n":
            return "a line break"
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return f"an invisible control character U+{ord(ch):04X} at character {index}"
    return None


def _clean(value: str) -> str:
    """NFC-normalise and collapse whitespace, so equal-looking text compares equal."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _column_key(name: str) -> str:
    """Header cell to column key: case-insensitive, spaces and dashes read as underscores."""
    # A second byte-order mark (files concatenated or re-saved) hides in the first cell.
    return "_".join(_clean(name.replace("\ufeff", "")).casefold().replace("-", " ").split())


def _detect_delimiter(header: str) -> str | None:
    """Pick ',' or ';' by counting them in the header line (names never contain either)."""
    commas, semicolons = header.count(","), header.count(";")
    if commas == 0 and semicolons == 0:
        return None
    return ";" if semicolons > commas else ","


class _Parser:
    """One pass over the decoded text, collecting errors instead of stopping at the first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[tuple[int, str]] = []
        self.rows: list[RosterRow] = []
        # Column key per field position: "" for an unnamed column (must stay empty), None for
        # an unknown or repeated one (already reported on the header line, values ignored).
        self.columns: list[str | None] = []
        self.seen_numbers: dict[str, tuple[int, str]] = {}

    def error(self, line: int, reason: str) -> None:
        self.errors.append((line, reason))
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(
                (line, f"stopped after {MAX_ERRORS} problems; fix these and import again")
            )
            raise _TooManyErrors()

    def run(self) -> list[RosterRow]:
        lines = _count_line_breaks(self.text) + (not self.text.endswith(("\n", "\r")))
        if lines > MAX_LINES:
            raise RosterError(
                [
                    (
                        MAX_LINES + 1,
                        f"the file has {lines:,} lines; the most a roster may have is "
                        f"{MAX_LINES:,}, blank lines included - delete the empty rows",
                    )
                ]
            )
        with contextlib.suppress(_TooManyErrors):  # the errors so far are the report
            self._parse()
        if self.errors:
            raise RosterError(self.errors)
        return self.rows

    def _parse(self) -> None:
        try:
            header_line, header_text = self._first_line()
        except _TooLong as exc:
            raise RosterError([_too_long(exc)]) from None
        if header_text is None:
            raise RosterError(
                [
                    (
                        1,
                        "the file is empty; the first line must be a header such as "
                        + ",".join(COLUMNS),
                    )
                ]
            )
        delimiter = _detect_delimiter(header_text)
        if delimiter is None:
            hint = (
                " (it looks tab-separated)" if "\t" in header_text else ""
            ) + f"; {_SAVE_AS_UTF8}"
            raise RosterError(
                [
                    (
                        header_line,
                        "the header must list the columns separated by commas or semicolons, "
                        f"e.g. {','.join(COLUMNS)}{hint}",
                    )
                ]
            )
        lines = _Lines(self.text)
        records = self._records(lines, csv.reader(lines, delimiter=delimiter))
        header = next(records, None)
        if header is not None:
            if len(header[2]) > MAX_COLUMNS:
                raise RosterError(
                    [
                        (
                            header[0],
                            f"the header has {len(header[2]):,} columns; the most a roster may "
                            f"have is {MAX_COLUMNS}, empty ones included - delete the extra ones",
                        )
                    ]
                )
            self._read_header(header[0], header[2])
        count = 0
        for line, end, fields in records:
            count += 1
            if count > MAX_ROWS:
                self.error(
                    line,
                    f"the roster has more than {MAX_ROWS:,} delegates, the most one file may "
                    "hold; split it into several files",
                )
                break
            self._read_row(line, end, fields)
        if count == 0 and not self.errors:
            self.error(header_line + 1, "no delegates: add one row per delegate under the header")

    def _first_line(self) -> tuple[int, str | None]:
        """The header line: the first line that is not blank, with its line number."""
        lines = _Lines(self.text)
        while True:
            lines.new_record()
            line = next(lines, None)
            if line is None:
                return 1, None
            if line.strip():
                return lines.line, line

    def _records(
        self, lines: _Lines, reader: Iterator[list[str]]
    ) -> Iterator[tuple[int, int, list[str]]]:
        """Yield (first line, last line, fields) for each non-blank record.

        A line over the length limit is reported and reading resumes on the next line, so
        later rows are still checked. A row that runs over several lines past the limit is
        an unclosed quote: everything after it would be read inside out, so reading stops
        there. The csv reader itself cannot fail: it only ever gets single lines (so no stray
        line break inside one), never more of a record than its field limit.
        """
        while True:
            start = lines.new_record()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except _TooLong as exc:
                self.error(*_too_long(exc))
                if exc.multiline:
                    return
                continue
            if any(f.strip() for f in fields):
                yield start, lines.line, fields

    def _read_header(self, line: int, fields: list[str]) -> None:
        first_seen: dict[str, int] = {}
        for position, cell in enumerate(fields, start=1):
            key = _column_key(cell)
            if not key:
                self.columns.append("")
                continue
            if key not in COLUMNS:
                self.error(
                    line,
                    f"unknown column '{_clean(cell)}' (column {position}); rename it to one of "
                    f"{', '.join(COLUMNS)}, or delete it",
                )
                self.columns.append(None)
                continue
            if key in first_seen:
                self.error(
                    line,
                    f"column '{key}' appears twice (columns {first_seen[key]} and {position}); "
                    "keep only one",
                )
                self.columns.append(None)
                continue
            first_seen[key] = position
            self.columns.append(key)
        for required in REQUIRED_COLUMNS:
            if required not in first_seen:
                self.error(
                    line,
                    f"the header has no '{required}' column; add it "
                    f"(the header must contain {' and '.join(REQUIRED_COLUMNS)})",
                )

    def _read_row(self, line: int, end: int, fields: list[str]) -> None:
        if len(fields) != len(self.columns):
            spread = (
                f" (the record runs from line {line} to {end}: check for a missing closing quote)"
                if end > line
                else ""
            )
            self.error(
                line,
                f"expected {len(self.columns)} fields as in the header, found {len(fields)}"
                f"{spread}; a name containing the delimiter must be quoted, and every row "
                "needs the same number of delimiters",
            )
            return
        values: dict[str, str] = {}
        ok = True
        for position, (key, raw) in enumerate(zip(self.columns, fields, strict=True), start=1):
            if key is None:
                continue
            label = key or f"column {position}"
            bad = _bad_character(raw)
            if bad is not None:
                extra = (
                    f" (the record runs to line {end}; check for a missing closing quote)"
                    if end > line
                    else ""
                )
                self.error(line, f"'{label}' contains {bad}{extra}; remove it")
                ok = False
                continue
            value = _clean(raw)
            if not key:
                if value:
                    self.error(
                        line,
                        f"column {position} has a value but no name in the header; "
                        "name the column or clear it",
                    )
                continue
            limit = _MAX_LEN.get(key)
            if limit is not None and len(value) > limit:
                self.error(
                    line,
                    f"'{key}' is {len(value)} characters long; the limit is {limit}, shorten it",
                )
                ok = False
            values[key] = value

        number = values.get("number", "")
        full_name = values.get("full_name", "")
        if "number" in values and not number:
            self.error(line, "the delegate number is empty; give every delegate a unique number")
            ok = False
        if "full_name" in values and not full_name:
            self.error(line, "the full name is empty; type the delegate's full name")
            ok = False
        if number:
            key = number.casefold()
            earlier = self.seen_numbers.get(key)
            if earlier is not None:
                self.error(
                    line,
                    f"number '{number}' is already used on line {earlier[0]} "
                    f"('{earlier[1]}'); give each delegate a different number",
                )
                ok = False
            else:
                self.seen_numbers[key] = (line, full_name)

        groups = self._groups(line, values.get("groups", ""))
        if groups is None:
            ok = False
        voting = self._voting_right(line, values)
        if voting is None:
            ok = False
        weight = self._weight(line, values.get("weight", ""))
        if weight is None:
            ok = False
        if ok and groups is not None and voting is not None and weight and number and full_name:
            self.rows.append(
                RosterRow(
                    line=line,
                    number=number,
                    full_name=full_name,
                    delegation=values.get("delegation", ""),
                    groups=groups,
                    voting_right=voting,
                    seat=values.get("seat", ""),
                    weight=weight,
                )
            )

    def _weight(self, line: int, raw: str) -> int | None:
        """A weight: a whole number of votes, 1 when empty."""
        if not raw:
            return 1
        digits = raw.replace(" ", "")
        if not digits.isascii() or not digits.isdigit() or not 1 <= int(digits) <= MAX_WEIGHT:
            self.error(
                line,
                f"weight '{raw[:20]}' is not a whole number from 1 to {MAX_WEIGHT:,}; leave it "
                "empty for 1",
            )
            return None
        return int(digits)

    def _groups(self, line: int, value: str) -> tuple[str, ...] | None:
        """Split, trim and deduplicate groups (keeping first-seen order)."""
        out: list[str] = []
        for piece in value.replace(",", ";").split(";"):
            group = piece.strip()
            if not group or group in out:
                continue
            if len(group) > _MAX_GROUP_LEN:
                self.error(
                    line,
                    f"group '{group[:20]}...' is {len(group)} characters long; the limit is "
                    f"{_MAX_GROUP_LEN}, use a shorter group name",
                )
                return None
            out.append(group)
        return tuple(out)

    def _voting_right(self, line: int, values: dict[str, str]) -> bool | None:
        """Read the voting right; without the column every delegate may vote."""
        if "voting_right" not in self.columns:
            return True
        raw = values.get("voting_right")
        if raw is None:  # already reported (bad character)
            return None
        word = raw.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.error(line, f"voting_right '{raw}' is not understood; {_VOTING_HINT}")
        return None
