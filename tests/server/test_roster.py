"""Roster CSV parsing: the sample file, every error kind with its line, and the leniencies
that spreadsheets in Vietnamese offices need (semicolons, BOM, NFD names, CRLF)."""

from __future__ import annotations

import pickle
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from app.resources import sample_dir
from server.roster_csv import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_LINES,
    MAX_RECORD_CHARS,
    MAX_ROWS,
    RosterError,
    RosterRow,
    parse_roster,
)

SAMPLE = sample_dir() / "roster.csv"
HEADER = "number,full_name,delegation,groups,voting_right,seat\n"


def errors_of(data: bytes) -> list[tuple[int, str]]:
    """Parse data that must fail and return its (line, reason) list."""
    with pytest.raises(RosterError) as info:
        parse_roster(data)
    return info.value.errors


def lines_of(data: bytes) -> list[int]:
    return [line for line, _ in errors_of(data)]


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> bytes:
    """Round-trip through a real file, as an upload would arrive."""
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    return path.read_bytes()


# --------------------------------------------------------------------------- happy paths


def test_sample_roster_parses() -> None:
    rows = parse_roster(SAMPLE.read_bytes())
    assert len(rows) == 40
    assert [r.number for r in rows] == [f"{i:04d}" for i in range(1, 41)]
    assert [r.line for r in rows] == list(range(2, 42))
    first = rows[0]
    assert first == RosterRow(
        line=2,
        number="0001",
        full_name="Nguyễn Thị Hồng Nhung",
        delegation="Đoàn Hà Nội",
        groups=("ban-chap-hanh", "uy-ban-kiem-tra"),
        voting_right=True,
        seat="A-01",
    )
    assert all(unicodedata.is_normalized("NFC", r.full_name) for r in rows)
    assert any(r.delegation == "Đoàn TP. Hồ Chí Minh" for r in rows)
    assert 0 < sum(not r.voting_right for r in rows) < 10
    assert len({r.seat for r in rows}) == 40


def test_nfd_input_comes_back_nfc_with_whitespace_collapsed(tmp_path: Path) -> None:
    name = "Nguyễn Thị Hồng Nhung"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    delegation = unicodedata.normalize("NFD", "Đoàn Đà Nẵng")
    data = write(tmp_path, HEADER + f"0001,  {nfd.replace(' ', '   ')}\t, {delegation} ,,,\n")
    (row,) = parse_roster(data)
    assert row.full_name == name
    assert row.delegation == "Đoàn Đà Nẵng"
    assert unicodedata.is_normalized("NFC", row.full_name)


def test_semicolon_delimiter_with_quoted_groups(tmp_path: Path) -> None:
    text = (
        "number;full_name;delegation;groups;voting_right;seat\n"
        '0001;Trần Văn Đức;Đoàn Hà Nội;"ban-chap-hanh; uy-ban-kiem-tra;ban-chap-hanh";có;A-01\n'
        '0002;"Lê, Quốc Hưng";Đoàn Đà Nẵng;;không;\n'
    )
    first, second = parse_roster(write(tmp_path, text))
    assert first.groups == ("ban-chap-hanh", "uy-ban-kiem-tra")
    assert first.voting_right is True
    assert second.full_name == "Lê, Quốc Hưng"
    assert second.voting_right is False
    assert second.groups == ()


def test_bom_and_crlf_as_excel_writes_them(tmp_path: Path) -> None:
    text = HEADER.replace("\n", "\r\n") + "0001,Lê Quốc Hưng,Đoàn Hà Nội,,yes,A-01\r\n"
    data = b"\xef\xbb\xbf" + write(tmp_path, text)
    (row,) = parse_roster(data)
    assert row.number == "0001"
    assert row.seat == "A-01"


def test_columns_in_any_order_any_case_optional_ones_absent() -> None:
    data = "Full Name,NUMBER\nPhạm Minh Tuấn,0007\n".encode()
    (row,) = parse_roster(data)
    assert (row.number, row.full_name) == ("0007", "Phạm Minh Tuấn")
    assert row.delegation == "" and row.groups == () and row.seat == ""
    assert row.voting_right is True  # no voting_right column: everyone votes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("true", True),
        ("1", True),
        ("x", True),
        ("X", True),
        ("có", True),
        (unicodedata.normalize("NFD", "CÓ"), True),
        ("no", False),
        ("False", False),
        ("0", False),
        ("", False),
        ("không", False),
        (unicodedata.normalize("NFD", "Không"), False),
    ],
)
def test_voting_right_values(value: str, expected: bool) -> None:
    data = f"number,full_name,voting_right\n0001,Lý Thị Hương,{value}\n".encode()
    assert parse_roster(data)[0].voting_right is expected


def test_blank_lines_are_skipped_and_lines_still_counted() -> None:
    data = (HEADER + "\n0001,Bùi Thanh Sơn,,,,\n   \n,,,,,\n0002,Hồ Văn Thắng,,,,\n").encode()
    rows = parse_roster(data)
    assert [(r.line, r.number) for r in rows] == [(3, "0001"), (6, "0002")]


def test_unnamed_empty_columns_are_ignored() -> None:
    data = "number;full_name;;\n0001;Mai Văn Nghĩa;;\n".encode()
    assert parse_roster(data)[0].full_name == "Mai Văn Nghĩa"
    assert lines_of("number;full_name;;\n0001;Mai Văn Nghĩa;;oops\n".encode()) == [2]


# --------------------------------------------------------------------------- errors, one kind each


def test_bad_encoding_reports_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    good = HEADER + "0001,Nguyen Van An,,,,\n0002,Tran Thi Binh,,,,\n"
    path = tmp_path / "roster.csv"
    # Line 4 as Excel's legacy "CSV (Comma delimited)" writes it on a Vietnamese Windows.
    path.write_bytes(good.encode() + "0003,Đoàn Văn Cà,,,,\n".encode("cp1258"))
    [(line, reason)] = errors_of(path.read_bytes())
    assert line == 4
    assert "UTF-8" in reason
    assert "CSV UTF-8" in reason


def test_utf16_is_refused_with_advice() -> None:
    [(line, reason)] = errors_of(HEADER.encode("utf-16"))
    assert line == 1
    assert "UTF-16" in reason and "CSV UTF-8" in reason


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n"])
def test_empty_file(data: bytes) -> None:
    [(line, reason)] = errors_of(data)
    assert line == 1
    assert "empty" in reason


def test_header_without_rows() -> None:
    [(line, reason)] = errors_of(HEADER.encode())
    assert line == 2
    assert "no delegates" in reason


def test_missing_required_column_names_it() -> None:
    [(line, reason)] = errors_of(b"number,delegation\n0001,Doan Ha Noi\n")
    assert line == 1
    assert "'full_name'" in reason


def test_unknown_column_names_it() -> None:
    errors = errors_of(b"number,full_name,email\n0001,An,an@example.org\n")
    assert errors == [(1, errors[0][1])]
    assert "'email'" in errors[0][1]


def test_header_not_delimited() -> None:
    [(line, reason)] = errors_of(b"number\tfull_name\n0001\tAn\n")
    assert line == 1
    assert "tab" in reason


def test_duplicate_number_names_both_lines() -> None:
    data = HEADER + "0001,Trần Văn Đức,,,,\n0002,Lê Quốc Hưng,,,,\n0001,Võ Thị Kim Oanh,,,,\n"
    [(line, reason)] = errors_of(data.encode())
    assert line == 4
    assert "line 2" in reason
    assert "0001" in reason


def test_invalid_voting_right() -> None:
    data = HEADER + "0001,Trần Văn Đức,,,yes,\n0002,Lê Quốc Hưng,,,maybe,\n"
    [(line, reason)] = errors_of(data.encode())
    assert line == 3
    assert "'maybe'" in reason and "yes/no" in reason


def test_wrong_number_of_fields() -> None:
    data = HEADER + "0001,Trần Văn Đức,,,,\n0002,Lê, Quốc Hưng,,,,\n0003,Ngắn\n"
    errors = errors_of(data.encode())
    assert [line for line, _ in errors] == [3, 4]
    assert "expected 6 fields" in errors[0][1] and "found 7" in errors[0][1]
    assert "found 2" in errors[1][1]


def test_empty_number_and_name() -> None:
    data = HEADER + ",Trần Văn Đức,,,,\n0002,   ,,,,\n"
    errors = errors_of(data.encode())
    assert [line for line, _ in errors] == [2, 3]
    assert "number is empty" in errors[0][1]
    assert "name is empty" in errors[1][1]


@pytest.mark.parametrize(
    ("column", "value", "limit"),
    [
        ("number", "9" * 33, 32),
        ("full_name", "A" * 201, 200),
        ("delegation", "Đ" * 201, 200),
        ("seat", "S" * 33, 32),
        ("groups", "g" * 65, 64),
    ],
)
def test_field_too_long(column: str, value: str, limit: int) -> None:
    fields = {"number": "0001", "full_name": "An", "delegation": "", "groups": "", "seat": ""}
    fields[column] = value
    row = ",".join(fields[c] for c in ("number", "full_name", "delegation", "groups", "seat"))
    data = f"number,full_name,delegation,groups,seat\n{row}\n".encode()
    [(line, reason)] = errors_of(data)
    assert line == 2
    assert str(limit) in reason


def test_longest_allowed_values_pass() -> None:
    row = ",".join(["9" * 32, "A" * 200, "Đ" * 200, "g" * 64, "S" * 32])
    data = f"number,full_name,delegation,groups,seat\n{row}\n".encode()
    assert len(parse_roster(data)[0].full_name) == 200


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\u200b", "\ufeff", "\u202e"])
def test_control_characters(bad: str) -> None:
    data = f"{HEADER}0001,Trần{bad}Văn Đức,,,,\n".encode()
    [(line, reason)] = errors_of(data)
    assert line == 2
    assert f"U+{ord(bad):04X}" in reason


def test_unclosed_quote_points_at_its_line() -> None:
    data = HEADER + '0001,"Trần Văn Đức,,,,\n0002,Lê Quốc Hưng,,,,\n0003,Hồ Văn Thắng,,,,\n'
    [(line, reason)] = errors_of(data.encode())
    assert line == 2
    assert "closing quote" in reason


def test_line_break_inside_quoted_name_is_refused_at_its_first_line() -> None:
    data = HEADER + '0001,"Trần Văn\nĐức",,,,\n0002,Lê Quốc Hưng,,,,\n'
    [(line, reason)] = errors_of(data.encode())
    assert line == 2
    assert "line break" in reason


def test_too_many_rows() -> None:
    body = "".join(f"{i:05d},Delegate {i}\n" for i in range(1, MAX_ROWS + 2))
    [(line, reason)] = errors_of(("number,full_name\n" + body).encode())
    assert line == MAX_ROWS + 2
    assert f"{MAX_ROWS:,}" in reason


def test_exactly_max_rows_pass() -> None:
    body = "".join(f"{i:05d},Delegate {i}\n" for i in range(1, MAX_ROWS + 1))
    assert len(parse_roster(("number,full_name\n" + body).encode())) == MAX_ROWS


def test_too_big() -> None:
    data = HEADER.encode() + b"#" * MAX_BYTES
    [(line, reason)] = errors_of(data)
    assert line == 1
    assert "5 MiB" in reason


def test_all_errors_are_reported_at_once() -> None:
    text = (
        "Number;Full_Name;Voting_Right;email\n"  # 1: unknown column
        "0001;Trần Văn Đức;yes;\n"  # 2: fine
        "0002;;có;\n"  # 3: empty name
        "\n"  # 4: blank
        "0001;Lê Quốc Hưng;yes;\n"  # 5: duplicate of line 2
        "0004;Hồ Văn Thắng;perhaps;\n"  # 6: bad voting right
        "0005;Võ Thị Kim Oanh;yes\n"  # 7: wrong field count
        "0006;Đinh\u200bXuân Trường;no;\n"  # 8: invisible character
    )
    with pytest.raises(RosterError) as info:
        parse_roster(text.encode())
    error = info.value
    assert [line for line, _ in error.errors] == [1, 3, 5, 6, 7, 8]
    assert "line 2" in error.errors[2][1]
    rendered = str(error).splitlines()
    assert len(rendered) == 6
    assert rendered[0].startswith("line 1: ")
    assert rendered[-1].startswith("line 8: ")
    assert isinstance(error, ValueError)


def test_error_survives_pickling() -> None:
    with pytest.raises(RosterError) as info:
        parse_roster(b"")
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.errors == info.value.errors
    assert str(copy) == str(info.value)


# --------------------------------------------------------------------------- hostile sizes

SIZE = MAX_BYTES - 64  # every file below is just within the size limit
SHORT = b"number,full_name\n"

#: Files that once took from 25 MiB to 1.5 GiB of memory (traced) and up to a minute:
#: name -> (content, line of the error, words of the reason).
HOSTILE: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "header of 5 million commas": (
        lambda: b"number,full_name" + b"," * (SIZE - 30) + b"\n0001,An\n",
        1,
        f"longer than {MAX_RECORD_CHARS:,} characters",
    ),
    "header of 2.6 million unknown columns": (
        lambda: b"number,full_name" + b",x" * (SIZE // 2 - 20) + b"\n0001,An\n",
        1,
        f"longer than {MAX_RECORD_CHARS:,} characters",
    ),
    "row of 5 million commas": (
        lambda: SHORT + b"0001,An" + b"," * (SIZE - 40) + b"\n",
        2,
        f"longer than {MAX_RECORD_CHARS:,} characters",
    ),
    "one enormous field": (
        lambda: SHORT + b"0001," + b"x" * (SIZE - 40) + b"\n",
        2,
        f"longer than {MAX_RECORD_CHARS:,} characters",
    ),
    "one enormous quoted field": (
        lambda: SHORT + b'0001,"' + b"x" * (SIZE - 40) + b'"\n',
        2,
        f"longer than {MAX_RECORD_CHARS:,} characters",
    ),
    "a quoted field of 5,000 lines": (
        lambda: SHORT + b'0001,"' + (b"x" * 1000 + b"\n") * (SIZE // 1001 - 1) + b'"\n',
        2,
        "missing closing quote",
    ),
    "5 million empty lines": (
        lambda: SHORT + b"\n" * (SIZE - 40),
        MAX_LINES + 1,
        f"the most a roster may have is {MAX_LINES:,}",
    ),
    "2.6 million rows with a field missing": (
        lambda: SHORT + b"1\n" * (SIZE // 2 - 40),
        MAX_LINES + 1,
        f"the most a roster may have is {MAX_LINES:,}",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_quickly_in_little_memory(name: str) -> None:
    make, line, reason = HOSTILE[name]
    data = make()
    assert len(data) <= MAX_BYTES
    tracemalloc.start()
    started = time.perf_counter()
    try:
        errors = errors_of(data)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert errors == [(line, errors[0][1])]
    assert reason in errors[0][1]
    # The decoded text itself is 5 MiB; everything else must stay small.
    assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.1f} MiB"
    assert elapsed < 5


def test_a_line_of_the_longest_length_passes_one_more_character_is_refused() -> None:
    padding = MAX_RECORD_CHARS - len("0001,An\n")
    fits = SHORT + b"0001,An" + b" " * padding + b"\n"  # spaces collapse: the name is "An"
    assert parse_roster(fits)[0].full_name == "An"
    [(line, reason)] = errors_of(SHORT + b"0001,An" + b" " * (padding + 1) + b"\n")
    assert line == 2
    assert f"{MAX_RECORD_CHARS:,}" in reason


def test_the_most_lines_pass_one_more_is_refused() -> None:
    body = b"0001,An\n" + b"\n" * (MAX_LINES - 2)
    assert len(parse_roster(SHORT + body)) == 1
    [(line, reason)] = errors_of(SHORT + body + b"\n")
    assert line == MAX_LINES + 1
    assert f"{MAX_LINES + 1:,} lines" in reason


def test_the_most_columns_pass_one_more_is_refused() -> None:
    for extra in (MAX_COLUMNS - 2, MAX_COLUMNS - 1):
        data = b"number,full_name" + b"," * extra + b"\n0001,An" + b"," * extra + b"\n"
        if extra + 2 <= MAX_COLUMNS:
            assert parse_roster(data)[0].number == "0001"
        else:
            [(line, reason)] = errors_of(data)
            assert line == 1
            assert f"{MAX_COLUMNS + 1:,} columns" in reason


def test_an_unclosed_quote_stops_the_reading_at_its_line() -> None:
    rows = "".join(f"{i:04d},Delegate {i},,,,\n" for i in range(2, 2000))
    [(line, reason)] = errors_of((HEADER + '0001,"Trần Văn Đức,,,,\n' + rows).encode())
    assert line == 2
    assert "closing quote" in reason


def test_a_stray_long_line_is_reported_and_later_rows_still_checked() -> None:
    data = HEADER + "0001,An,,,,\n" + "x" * (MAX_RECORD_CHARS + 1) + "\n0001,Bình,,,,\n"
    errors = errors_of(data.encode())
    assert [line for line, _ in errors] == [3, 4]
    assert "line 2" in errors[1][1]  # the duplicate number on line 4 was still found


def test_errors_stop_being_collected_after_the_most_that_are_listed() -> None:
    data = SHORT + b"0001\n" * (MAX_ERRORS * 3)
    errors = errors_of(data)
    assert len(errors) == MAX_ERRORS + 1
    assert [line for line, _ in errors[:-1]] == list(range(2, MAX_ERRORS + 2))
    assert errors[-1] == (
        MAX_ERRORS + 1,
        f"stopped after {MAX_ERRORS} problems; fix these and import again",
    )


def test_weights_are_whole_numbers_of_votes_and_default_to_one() -> None:
    data = (
        "number,full_name,weight\n"
        "0001,Nguyễn Văn An,250\n"
        "0002,Trần Thị Bình,\n"
        "0003,Lê Văn Cường,1 000\n"
    ).encode()
    assert [r.weight for r in parse_roster(data)] == [250, 1, 1000]
    assert [r.weight for r in parse_roster(b"number,full_name\n0001,An\n")] == [1]
    bad = "number,full_name,weight\n0001,An,0\n0002,Bình,1.5\n0003,Cường,2000000\n0004,Dũng,١٢\n"
    found = errors_of(bad.encode())
    assert [line for line, _ in found] == [2, 3, 4, 5]
    assert all("whole number from 1 to 1,000,000" in reason for _, reason in found)
