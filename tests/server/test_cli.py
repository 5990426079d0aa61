"""What IT staff type, and what they are told when something is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, update

from app.codes import EnrollmentCode, parse_room_id
from app.resources import sample_dir
from server.cli import main
from server.datadir import DataDir
from server.db import EventRow
from server.domains import meetings
from tests.roomtool import RoomTool

SAMPLE = sample_dir()


def test_init_creates_a_complete_room(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "room"
    assert (
        main(
            [
                "init",
                str(root),
                "--name",
                "Hội nghị Trung ương",
                "--host",
                "127.0.0.1",
                "--port",
                "9443",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    d = DataDir(root)
    d.check()
    room_id_line = next(line for line in out.splitlines() if line.startswith("Room ID: "))
    assert parse_room_id(room_id_line.removeprefix("Room ID: ")) == d.room_id()
    code_line = next(line for line in out.splitlines() if "enrollment code" in line)
    code = EnrollmentCode.parse(code_line.rsplit(": ", 1)[1])
    assert code.port == 9443 and code.addresses == ("127.0.0.1",) and code.pins(d.room_id())
    assert d.key.stat().st_mode & 0o777 == 0o600
    assert "# Hemicycle room server configuration" in d.config.read_text()
    assert main(["init", str(root), "--name", "again"]) == 2
    assert "not empty" in capsys.readouterr().err


def test_commands_on_a_folder_that_is_not_a_room(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["roster", "list", str(tmp_path)]) == 2
    assert "not a room data directory" in capsys.readouterr().err


def test_broken_config_is_reported_with_the_file_name(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    room_dir.config.write_text('[server]\nport = "eighty"\n')
    assert main(["meeting", "list", str(room_dir.root)]) == 2
    err = capsys.readouterr().err
    assert "config.toml" in err and "port" in err
    room_dir.config.write_text("[server\n")
    assert main(["meeting", "list", str(room_dir.root)]) == 2
    assert "not valid TOML" in capsys.readouterr().err
    room_dir.config.write_text('[server]\nhost = "hall.local"\n')
    assert main(["meeting", "list", str(room_dir.root)]) == 2
    assert "not an IP address" in capsys.readouterr().err


def test_roster_import_is_all_or_nothing(
    room_dir: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "number,full_name,delegation\n0001,Nguyễn Văn An,Đoàn Hà Nội\n0001,Trần Thị Bình,Đoàn Huế\n",
        encoding="utf-8",
    )
    assert main(["roster", "import", str(room_dir.root), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "not imported" in err
    room = RoomTool.open(room_dir)
    assert room.delegates() == []
    assert main(["roster", "import", str(room_dir.root), str(SAMPLE / "roster.csv")]) == 0
    first = len(room.delegates())
    assert first >= 30
    # re-import updates by number
    lines = (SAMPLE / "roster.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0], lines[1]
    renamed = tmp_path / "update.csv"
    number = row.split(",")[0]
    renamed.write_text(
        header + "\n" + row.replace(row.split(",")[1], "Phạm Thị Đổi Tên", 1) + "\n",
        encoding="utf-8",
    )
    assert main(["roster", "import", str(room_dir.root), str(renamed)]) == 0
    assert "0 new, 1 updated" in capsys.readouterr().out
    names = {d.number: d.full_name for d in room.delegates()}
    assert len(names) == first and names[number] == "Phạm Thị Đổi Tên"


def test_enrollment_sheet_and_single_codes(
    roster_room: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(roster_room.root)
    sheet = tmp_path / "cards.pdf"
    assert main(["enroll", root, "--all", "--sheet", str(sheet)]) == 0
    assert sheet.read_bytes().startswith(b"%PDF")
    qr = tmp_path / "one.png"
    assert main(["enroll", root, "0001", "--qr", str(qr)]) == 0
    out = capsys.readouterr().out
    assert qr.read_bytes().startswith(b"\x89PNG")
    code = EnrollmentCode.parse(out.splitlines()[-2].rsplit(": ", 1)[1])
    assert code.pins(roster_room.room_id())
    assert main(["enroll", root, "9999"]) == 2
    assert "no delegate numbered '9999'" in capsys.readouterr().err


def test_meeting_import_validates_the_file(
    room_dir: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(room_dir.root)
    bad = tmp_path / "m.json"
    bad.write_text('{"title": "x", "items": [{"title": "y", "planned_start": "25:00"}]}')
    assert main(["meeting", "import", root, str(bad)]) == 2
    assert "planned_start" in capsys.readouterr().err
    assert main(["meeting", "import", root, str(SAMPLE / "meeting.json")]) == 0
    assert main(["agenda", "list", root, "1"]) == 0
    out = capsys.readouterr().out
    assert "Báo cáo chính trị" in out and "3.2" in out


def test_audit_verify_detects_edits_and_deletions(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(room_dir.root)
    assert main(["meeting", "import", root, str(SAMPLE / "meeting.json")]) == 0
    assert main(["audit", "verify", root]) == 0
    room = RoomTool.open(room_dir)
    row = next(r for r in room.events_after(0) if "Khai mạc Đại hội".encode() in r.body)
    assert row.seq > 1

    def set_body(body: bytes) -> None:
        with room.store.engine.begin() as conn:
            conn.execute(update(EventRow).where(EventRow.seq == row.seq).values(body=body))

    set_body(row.body.replace(b"Khai", b"Kha1"))  # someone edits one entry in the database
    assert main(["audit", "verify", root]) == 2
    assert f"broken at entry {row.seq}" in capsys.readouterr().err
    set_body(row.body)
    assert main(["audit", "verify", root]) == 0
    with room.store.engine.begin() as conn:
        conn.execute(delete(EventRow).where(EventRow.seq == 3))
    assert main(["audit", "verify", root]) == 2


def test_init_with_bad_arguments_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "room"
    assert main(["init", str(root), "--name", "x", "--port", "70000"]) == 2
    assert "out of range" in capsys.readouterr().err
    assert main(["init", str(root), "--name", "x", "--host", "hall.local"]) == 2
    assert "not an IP address" in capsys.readouterr().err
    assert not root.exists()
    assert main(["init", str(root), "--name", "x"]) == 0


def test_enroll_checks_the_sheet_folder_before_voiding_codes(
    roster_room: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(roster_room.root)
    room = RoomTool.open(roster_room)
    before = len(room.devices())
    with RoomTool.open(roster_room).store.engine.connect() as conn:
        issued = conn.exec_driver_sql("SELECT count(*) FROM enrollment_codes").scalar()
    assert main(["enroll", root, "--all", "--sheet", str(tmp_path / "missing" / "x.pdf")]) == 2
    assert "not a writable folder" in capsys.readouterr().err
    with RoomTool.open(roster_room).store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM enrollment_codes").scalar() == issued
    assert len(room.devices()) == before
    assert main(["enroll", root, "--role", "secretary", "--sheet", str(tmp_path / "s.pdf")]) == 2


def test_audit_verify_prints_the_head_and_records_codes(
    roster_room: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(roster_room.root)
    assert main(["enroll", root, "0001"]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", root]) == 0
    out = capsys.readouterr().out
    assert "Head: entry" in out
    room = RoomTool.open(roster_room)
    kinds = [r.kind for r in room.events_after(0, 100)]
    assert kinds.count("code.issued") == 2  # the secretary's at init, then delegate 0001
    import json

    for row in room.events_after(0, 100):
        if row.kind == "code.issued":  # who and what role, never the secret or its hash
            assert set(json.loads(row.body)) == {"kind", "role", "delegate_number"}


def test_output_cut_short_by_a_pipe_is_not_an_error(roster_room: DataDir) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        f"{sys.executable} -m server.cli roster list {roster_room.root} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_meeting_import_is_one_transaction(room_dir: DataDir) -> None:
    room = RoomTool.open(room_dir)
    before = room.last_seq()
    assert main(["meeting", "import", str(room_dir.root), str(SAMPLE / "meeting.json")]) == 0
    rows = room.events_after(before, 100)
    # the meeting and its whole agenda arrive as two events of one commit: all or nothing
    assert [r.kind for r in rows] == ["meeting.changed", "agenda.changed"]
    _seq, state = room.snapshot()
    assert len(state.agenda) == 15


def test_a_meeting_is_given_an_offline_grace_then_closed_and_wiped(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(room_dir.root)
    assert main(["meeting", "create", root, "--title", "Phiên bế mạc"]) == 0
    assert main(["meeting", "grace", root, "1", "48"]) == 0
    assert "more than 48 hours" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["meeting", "grace", root, "1", "hai ngày"])
    assert "expected a number of hours or 'none'" in capsys.readouterr().err
    assert main(["meeting", "close", root, "1", "--wipe"]) == 0
    assert main(["meeting", "list", root]) == 0
    out = capsys.readouterr().out
    assert "deletes its documents" in out
    assert "1\tclosed, wiped\t-\tPhiên bế mạc (offline 48 h)" in out
    assert main(["meeting", "close", root, "1"]) == 2  # a wiped meeting stays as it is
    assert "closed and wiped; it stays so" in capsys.readouterr().err
    _config, store = room_dir.open()
    with store.read() as db:
        wiped = meetings.get(db, 1)
        assert wiped.wiped and wiped.status == "closed" and wiped.offline_grace_hours == 48
    store.dispose()


def test_a_wipe_may_leave_delegates_their_notes(
    room_dir: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(room_dir.root)
    assert main(["meeting", "create", root, "--title", "Phiên bế mạc"]) == 0
    with pytest.raises(SystemExit, match="goes with --wipe"):
        main(["meeting", "close", root, "1", "--keep-notes"])
    assert main(["meeting", "close", root, "1", "--wipe", "--keep-notes"]) == 0
    assert "delegates keep their own notes" in capsys.readouterr().out
    _config, store = room_dir.open()
    with store.read() as db:
        wiped = meetings.get(db, 1)
        assert wiped.wiped and wiped.notes_kept
    store.dispose()


def test_a_storage_key_from_elsewhere_is_found_as_the_room_opens(
    roster_room: DataDir, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.roomkeys import StorageKey
    from tests.pdfs import make_pdf

    room = RoomTool.open(roster_room)
    item = room.new_item(room.new_meeting())
    room.publish(make_pdf(1), item_id=item)
    room.store.dispose()
    kept = roster_room.storage_key.read_bytes()
    roster_room.storage_key.unlink()
    StorageKey.create(roster_room.storage_key)  # another room's, or a fresh one
    assert main(["doc", "list", str(roster_room.root)]) == 2
    err = capsys.readouterr().err
    assert "storage.key is not the key this room's documents were sealed with" in err
    roster_room.storage_key.write_bytes(kept)
    assert main(["doc", "list", str(roster_room.root)]) == 0


def test_doc_add_says_what_it_took_out_of_the_file_and_refuses_an_empty_one(
    roster_room: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests import pdfcorpus

    room = RoomTool.open(roster_room)
    item = room.new_item(room.new_meeting())
    room.store.dispose()
    root = str(roster_room.root)
    scripts = tmp_path / "scripts.pdf"
    scripts.write_bytes(pdfcorpus.js_everywhere())
    assert main(["doc", "add", root, str(scripts), "--item", str(item)]) == 0
    out = capsys.readouterr().out
    assert "Taken out of the file (the stored document is the cleaned one): 4 scripts" in out
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main(["doc", "add", root, str(empty), "--item", str(item)]) == 2
    assert "empty.pdf is empty: it holds no document" in capsys.readouterr().err
