"""``make demo``: a throw-away room with the sample roster and meeting, its server, the console
and one delegate app already enrolled — the real programs, on this machine's loopback only.

Without a display the server keeps running and its address, room ID and a few enrollment codes
are printed, so the product can still be tried from another terminal or another device.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app import protocol as p
from app.codes import EnrollmentCode, format_room_id, new_secret
from app.enroll import enroll
from app.resources import sample_dir
from server.cli import main as server_cli
from server.datadir import DataDir
from server.domains import agenda, devices
from server.store import CLI, Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sample_dir()
PIN = "1234"
HOST = "127.0.0.1"  # the demo never announces or listens beyond this machine


def say(text: str = "") -> None:
    print(text, flush=True)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def prepare(base: Path) -> DataDir:
    """Create the room and fill it the way IT staff would, through the CLI."""
    root = base / "room"
    port = str(free_port())
    for argv in (
        ["init", str(root), "--name", "Đại hội đại biểu (demo)", "--host", HOST, "--port", port],
        ["roster", "import", str(root), str(SAMPLE / "roster.csv")],
        ["meeting", "import", str(root), str(SAMPLE / "meeting.json")],
    ):
        if server_cli(argv) != 0:
            raise SystemExit(f"demo setup failed at: hemicycle-server {' '.join(argv)}")
    d = DataDir(root)
    _config, store = d.open()
    with store.read() as db:
        items = agenda.items_of(db, [1])
    first = min((i for i in items if i.parent_id is None), key=lambda i: i.position)
    start = p.AgendaSetCurrent(id=0, meeting_id=1, item_id=first.id)
    store.run(lambda work: agenda.set_current(work, start), CLI)
    store.dispose()
    publish_documents(base, root, items)
    return d


#: Real manuals Debian's lilypond-doc-pdf installs, published when present (930 pages and more).
MANUALS = Path("/usr/share/doc/lilypond/html/Documentation")


def publish_documents(base: Path, root: Path, items: list[p.AgendaItem]) -> None:
    """Documents for the agenda, through ``hemicycle-server doc add``: a draft resolution in
    Vietnamese for the political report, and for the rules of procedure the LilyPond manuals
    if this machine has them (a real 930-page PDF to page through)."""
    by_title = {i.title: i.id for i in items}
    report = by_title["Báo cáo chính trị của Ban Chấp hành khóa XIII"]
    rules = by_title["Quy chế làm việc"]
    draft = base / "Dự thảo Nghị quyết.pdf"
    draft.write_bytes(draft_resolution())
    docs = [(draft, report, "Dự thảo Nghị quyết Đại hội")]
    for name, title in (("notation.pdf", "Phụ lục: Sổ tay ký âm (LilyPond)"),):
        if (MANUALS / name).is_file():
            docs.append((MANUALS / name, rules, title))
    for path, item, title in docs:
        argv = ["doc", "add", str(root), str(path), "--item", str(item), "--title", title]
        if server_cli(argv) != 0:
            raise SystemExit(f"demo setup failed at: hemicycle-server {' '.join(argv)}")


def draft_resolution(pages: int = 12) -> bytes:
    """A sample draft resolution, in Vietnamese, set in the app's own Noto Sans."""
    from app.resources import fonts_dir

    pymupdf: Any = importlib.import_module("pymupdf")  # it has no type hints

    doc = pymupdf.open()
    regular, bold = fonts_dir() / "NotoSans-Regular.ttf", fonts_dir() / "NotoSans-Bold.ttf"
    for n in range(1, pages + 1):
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="r", fontfile=str(regular))
        page.insert_font(fontname="b", fontfile=str(bold))
        if n == 1:
            page.insert_text((72, 100), "DỰ THẢO NGHỊ QUYẾT", fontname="b", fontsize=20)
            page.insert_text((72, 130), "Đại hội đại biểu lần thứ XIV", fontname="r", fontsize=13)
        y = 180 if n == 1 else 90
        page.insert_text((72, y), f"Điều {n}.", fontname="b", fontsize=13)
        paragraph = (
            "Đại hội thống nhất đánh giá kết quả thực hiện nhiệm vụ nhiệm kỳ qua, "
            "thông qua phương hướng phát triển kinh tế - xã hội, quốc phòng, an ninh "
            "và công tác xây dựng tổ chức trong nhiệm kỳ tới."
        )
        box = pymupdf.Rect(72, y + 16, 523, 780)
        page.insert_textbox(box, (paragraph + " ") * 6, fontname="r", fontsize=12, lineheight=1.5)
        page.insert_text((280, 810), f"Trang {n}/{pages}", fontname="r", fontsize=10)
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def start_server(d: DataDir) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "run", str(d.root)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit("the room server did not start; see " + str(d.logs / "server.log"))
    return proc, int(line.rsplit(":", 1)[1])


def code(
    store: Store, d: DataDir, port: int, role: p.Role, number: str | None = None
) -> EnrollmentCode:
    """A one-time code issued as the command line issues them, valid for the demo's day."""
    secret = new_secret()
    store.run(lambda work: devices.issue(work, role, [(number, secret)], 1.0), CLI)
    return EnrollmentCode((HOST,), port, d.room_id(), secret)


async def enroll_devices(room: Store, d: DataDir, port: int, homes: Path) -> None:
    # Demo profiles use the PIN-sealed file, never the desktop keychain: nothing outlives the demo.
    await enroll(
        homes / "console",
        code(room, d, port, "secretary"),
        PIN,
        "Demo console",
        prefer_keyring=False,
    )
    await enroll(
        homes / "delegate",
        code(room, d, port, "delegate", "0001"),
        PIN,
        "Demo tablet",
        prefer_keyring=False,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make demo", description=__doc__)
    ap.add_argument("--keep", action="store_true", help="keep the demo folder afterwards")
    ap.add_argument(
        "--seconds", type=float, help="stop by itself after this long (for automated checks)"
    )
    args = ap.parse_args(argv)
    # SIGTERM (a closed terminal, `timeout`) ends the demo like Ctrl+C: server and apps stop too.
    # Either signal usually reaches the server too (same process group), which then stops
    # cleanly: that is the demo being stopped, not the server failing.
    signal.signal(signal.SIGTERM, lambda *_: _stop(SystemExit(0)))
    signal.signal(signal.SIGINT, lambda *_: _stop(KeyboardInterrupt()))
    base = Path(tempfile.mkdtemp(prefix="hemicycle-demo-"))
    server: subprocess.Popen[str] | None = None
    apps: list[subprocess.Popen[bytes]] = []
    try:
        say("Setting up a demo room with the sample roster and meeting…")
        d = prepare(base)
        server, port = start_server(d)
        _config, room = d.open()
        homes = base / "devices"
        asyncio.run(enroll_devices(room, d, port, homes))
        spare = [(n, code(room, d, port, "delegate", n).text()) for n in ("0002", "0003", "0004")]
        say()
        say(f"Room server:  wss://{HOST}:{port}/ws   (data in {d.root})")
        say(f"Room ID:      {format_room_id(d.room_id())}")
        say(f"PIN of the demo console and the demo tablet: {PIN}")
        say("More delegate windows: run the command, then type the code in the window.")
        for number, text in spare:
            say(f"  HEMICYCLE_HOME={homes} {_script('hemicycle')} --profile d{number}")
            say(f"      code for delegate {number}: {text}")
        say(f"Change the agenda from a terminal too: hemicycle-server agenda list {d.root} 1")
        say()
        env = dict(os.environ, HEMICYCLE_HOME=str(homes))
        env.pop("QT_QPA_PLATFORM", None)
        if has_display():
            say("Opening the secretary console and a delegate window. Close both to end the demo.")
            for script in ("hemicycle-console", "hemicycle"):
                apps.append(subprocess.Popen([_script(script)], env=env, cwd=ROOT))
        else:
            say("No display found (DISPLAY is not set), so no window opens.")
            say("The room server keeps running; press Ctrl+C to stop it.")
        _wait(server, apps, args.seconds)
        return 0
    finally:
        for proc in apps:
            if proc.poll() is None:
                proc.terminate()
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(15)
        if args.keep:
            say(f"Demo folder kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def _script(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    return found or name


#: Set once the user has asked the demo to stop (Ctrl+C, SIGTERM).
_stopping = False


def _stop(exc: BaseException) -> None:
    global _stopping
    _stopping = True
    raise exc


def server_stopped_unexpectedly(returncode: int | None, stopping: bool) -> bool:
    """Whether the room server's exit is a failure to report: it ended with a non-zero status
    while the demo was running. A clean stop (status 0, e.g. it got the same Ctrl+C or SIGTERM
    as the demo) or any exit while the demo is being stopped is not."""
    return returncode is not None and returncode != 0 and not stopping


def _wait(
    server: subprocess.Popen[str], apps: list[subprocess.Popen[bytes]], seconds: float | None
) -> None:
    deadline = time.monotonic() + seconds if seconds is not None else None
    try:
        while server.poll() is None:
            if apps and all(a.poll() is not None for a in apps):
                return
            if deadline is not None and time.monotonic() > deadline:
                return
            time.sleep(0.2)
        if server_stopped_unexpectedly(server.returncode, _stopping):
            say(f"The room server stopped unexpectedly (exit status {server.returncode}).")
        else:
            say("The room server has stopped; the demo ends.")
    except KeyboardInterrupt:
        say("\nStopping the demo…")


if __name__ == "__main__":
    sys.exit(main())
