"""What a hostile or careless operator types gets a one-line error and changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from server.cli import main
from server.datadir import DataDir
from server.db import DeviceRow, EnrollmentCodeRow
from tests.roomtool import RoomTool

ROOT = Path(__file__).resolve().parents[2]


def codes_issued(d: DataDir) -> int:
    with RoomTool.open(d).store.read() as db:
        return int(db.scalar(select(func.count()).select_from(EnrollmentCodeRow)) or 0)


@pytest.mark.parametrize("name", ["", "x" * 201, "Phòng\x1b[2J họp", "hai\ndòng"])
def test_init_refuses_a_name_the_room_could_not_serve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["init", str(tmp_path / "room"), "--name", name]) == 2
    assert "--name" in capsys.readouterr().err
    assert not (tmp_path / "room").exists()


def test_enroll_resolves_host_names_before_issuing(
    roster_room: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(roster_room.root)
    before = codes_issued(roster_room)
    assert main(["enroll", root, "0003", "--address", "no-such-host.invalid"]) == 2
    assert "cannot resolve" in capsys.readouterr().err
    assert codes_issued(roster_room) == before  # nothing issued, the old card still works
    assert main(["enroll", root, "0003", "--address", "localhost"]) == 0
    from app.codes import EnrollmentCode

    code = EnrollmentCode.parse(capsys.readouterr().out.splitlines()[-1].rsplit(": ", 1)[1])
    assert "127.0.0.1" in code.addresses


def test_a_sheet_that_cannot_be_made_voids_no_card(
    roster_room: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(roster_room.root)
    before = codes_issued(roster_room)
    assert main(["enroll", root, "--all", "--sheet", str(tmp_path / "nowhere" / "cards.pdf")]) == 2
    assert main(["enroll", root, "--all", "--sheet", str(tmp_path)]) == 2  # a folder
    # so many addresses that the code no longer fits on a card: found while making the sheet
    many = [arg for n in range(2, 60) for arg in ("--address", f"127.0.0.{n}")]
    assert main(["enroll", root, "--all", "--sheet", str(tmp_path / "cards.pdf"), *many]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "print" in err
    assert codes_issued(roster_room) == before
    assert not (tmp_path / "cards.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file


@pytest.mark.parametrize("device", ["9223372036854775808", "0", "-1", "abc"])
def test_ids_out_of_range_are_refused_by_name(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main(["device", "revoke", str(room_dir.root), device])
    assert exit_code.value.code == 2
    err = capsys.readouterr().err
    assert "device" in err and "Traceback" not in err


def test_a_meeting_file_nested_too_deep_is_explained(
    room_dir: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def nested(levels: int) -> str:
        item = '{"title": "lá"}'
        for _ in range(levels - 1):
            item = '{"title": "cành", "items": [' + item + "]}"
        return '{"title": "Phiên", "items": [' + item + "]}"

    deep = tmp_path / "deep.json"
    deep.write_text(nested(1000), encoding="utf-8")
    assert main(["meeting", "import", str(room_dir.root), str(deep)]) == 2
    assert "too deep" in capsys.readouterr().err
    nine = tmp_path / "nine.json"
    nine.write_text(nested(9), encoding="utf-8")
    assert main(["meeting", "import", str(room_dir.root), str(nine)]) == 2
    assert "at most 8" in capsys.readouterr().err
    eight = tmp_path / "eight.json"
    eight.write_text(nested(8), encoding="utf-8")
    assert main(["meeting", "import", str(room_dir.root), str(eight)]) == 0


def test_room_id_checks_the_config_too(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    room_dir.config.write_text('[server]\nport = "eighty"\n')
    assert main(["room-id", str(room_dir.root)]) == 2
    assert "config.toml" in capsys.readouterr().err


def test_values_are_explained_not_shown_as_regexes(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(room_dir.root)
    assert main(["meeting", "create", root, "--title", "Phiên", "--date", "2026-13-45"]) == 2
    assert "date YYYY-MM-DD" in capsys.readouterr().err
    assert main(["agenda", "add", root, "1", "--title", "Mục", "--start", "25:00"]) == 2
    err = capsys.readouterr().err
    assert "HH:MM between 00:00 and 23:59" in err and "regex" not in err and "^" not in err


def test_counts_are_worded_for_one_and_many(
    room_dir: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.csv"
    one.write_text("number,full_name\n0001,Lê Văn Ánh\n", encoding="utf-8")
    assert main(["roster", "import", str(room_dir.root), str(one)]) == 0
    assert "Imported 1 delegate from" in capsys.readouterr().out
    assert main(["audit", "verify", str(room_dir.root)]) == 0
    assert "entries" in capsys.readouterr().out


def test_names_in_listings_cannot_forge_terminal_lines(
    roster_room: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    """A device name stored by an older version with escapes and a line break is shown
    escaped: one row per device, no terminal control."""
    room = RoomTool.open(roster_room)
    device_id = room.enroll_device("display")
    with room.store.engine.begin() as conn:
        conn.execute(
            update(DeviceRow)
            .where(DeviceRow.id == device_id)
            .values(name="tab\x1b[31m\n9\tadmin\tactive")
        )
    assert main(["device", "list", str(roster_room.root)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out
    assert len(out.splitlines()) == len(room.devices())


def test_the_cli_never_shows_a_traceback_for_a_broken_database(tmp_path: Path) -> None:
    d = tmp_path / "room"
    assert main(["init", str(d), "--name", "R", "--host", "127.0.0.1"]) == 0
    for part in d.glob("room.db*"):
        part.unlink()
    (d / "room.db").write_bytes(b"this is not a database" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "server.cli", "meeting", "list", str(d)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "database" in proc.stderr
