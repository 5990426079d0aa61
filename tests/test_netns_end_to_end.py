"""A room server and a delegate on two hosts of a (virtual) LAN: discovery by mDNS, pinned TLS,
enrollment, live agenda. Each host is a network namespace joined to the other by a veth pair."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.codes import EnrollmentCode
from app.resources import sample_dir
from server.cli import main as server_cli
from tests.conftest import make_room
from tests.netns import LineReader, NetnsPair, stop_process
from tests.roomtool import RoomTool

pytestmark = pytest.mark.slow

DEADLINE = 20.0

DELEGATE = r"""
import asyncio, json, sys
from pathlib import Path
from app.client import RoomClient, Status
from app.codes import EnrollmentCode
from app.discovery import RoomBrowser
from app.enroll import enroll

interface, room_id_hex, code_text, home = sys.argv[1:5]

def say(**obj):
    print(json.dumps(obj, ensure_ascii=False), flush=True)

async def main():
    browser = RoomBrowser([interface])
    await browser.start()
    room = None
    for _ in range(200):
        room = next((r for r in browser.rooms() if r.room_id.hex() == room_id_hex), None)
        if room:
            break
        await asyncio.sleep(0.1)
    await browser.stop()
    if room is None:
        say(event="not-found")
        return
    say(event="discovered", name=room.name, addresses=list(room.addresses), port=room.port)
    # the typed code carries no usable address here: the discovered one is what connects
    unlocked = await enroll(Path(home), EnrollmentCode.parse(code_text), "2468",
                            extra_addresses=room.addresses)
    say(event="enrolled", device_id=unlocked.identity.device_id)

    def on_state(model, areas):
        meeting = model.active_meeting
        item = model.current_item(meeting.id) if meeting else None
        say(event="state", current=item.title if item else None)

    client = RoomClient(unlocked, on_state=on_state,
                        on_status=lambda s, t: say(event="status", status=str(s)))
    await client.run()

asyncio.run(main())
"""


def test_delegate_on_another_host_discovers_enrolls_and_follows(
    net: NetnsPair, tmp_path: Path
) -> None:
    d = make_room(tmp_path / "room")
    root = str(d.root)
    sample = sample_dir()
    assert server_cli(["roster", "import", root, str(sample / "roster.csv")]) == 0
    assert server_cli(["meeting", "import", root, str(sample / "meeting.json")]) == 0
    room = RoomTool.open(d)
    secret = room.issue_code("delegate", "0001")
    # a code printed with a stale address (no host has it on this LAN): discovery must supply the
    # room's real address
    stale = net.addr_a.rsplit(".", 1)[0] + ".99"
    code = EnrollmentCode((stale,), 8443, d.room_id(), secret)
    server = net.popen(
        net.ns_a,
        [sys.executable, "-m", "server.cli", "run", root, "--host", net.addr_a, "--port", "8443"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    assert "listening on" in line, line
    delegate = net.popen(
        net.ns_b,
        [
            sys.executable,
            "-c",
            DELEGATE,
            net.addr_b,
            d.room_id().hex(),
            code.text(),
            str(tmp_path / "tablet"),
        ],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / "delegate.stderr").open("wb"),
    )
    assert delegate.stdout is not None
    out = LineReader(delegate.stdout)
    found = out.expect(lambda o: o.get("event") in ("discovered", "not-found"), DEADLINE)
    assert found["event"] == "discovered", (tmp_path / "delegate.stderr").read_text()
    assert found["addresses"] == [net.addr_a] and found["port"] == 8443
    assert found["name"] == "Đại hội thử nghiệm"
    out.expect(lambda o: o.get("event") == "enrolled", DEADLINE)
    out.expect(lambda o: o.get("event") == "status" and o["status"] == "online", DEADLINE)
    _seq, state = room.snapshot()
    meeting_id = state.meetings[0].id
    item = next(
        i for i in state.agenda if i.title == "Báo cáo chính trị của Ban Chấp hành khóa XIII"
    )
    assert server_cli(["agenda", "current", root, str(meeting_id), str(item.id)]) == 0
    out.expect(lambda o: o.get("event") == "state" and o["current"] == item.title, DEADLINE)
    assert stop_process(delegate) in (0, -15)
    assert stop_process(server) == 0
