"""``doctor`` on broken and sound setups: each check's OK, WARN or FAIL and what it tells to do."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from server.cli import main
from server.datadir import DataDir
from server.db import EventRow
from server.doctor import _local_addresses
from tests.conftest import ServerThread, make_room
from tests.netns import REPO_ROOT, NetnsPair, child_env

#: A documentation address (RFC 5737) that no machine running the tests has.
ELSEWHERE = "198.51.100.7"


def set_config(d: DataDir, **sections: dict[str, str]) -> None:
    """Put ``key = value`` lines (values as TOML) into sections of the room's config.toml."""
    text = d.config.read_text(encoding="utf-8")
    for section, values in sections.items():
        for key, value in values.items():
            lines = text.splitlines()
            start = lines.index(f"[{section}]")
            at = next(
                (i for i in range(start, len(lines)) if lines[i].startswith(f"{key} = ")), None
            )
            if at is None:
                lines.insert(start + 1, f"{key} = {value}")
            else:
                lines[at] = f"{key} = {value}"
            text = "\n".join(lines) + "\n"
    d.config.write_text(text, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def another_program(port: int = 0) -> Iterator[int]:
    """A program on the port that is not a room: a plain HTTP server, answering anything with
    a 400 and hanging up."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    sock.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["doctor", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def lines_of(out: list[str], level: str, topic: str) -> list[str]:
    prefix = f"{level:<4}  {topic:<12} "
    return [line.removeprefix(prefix) for line in out if line.startswith(prefix)]


def unprivileged() -> list[str]:
    """A command prefix under which file permissions apply: root reads every file, so as root
    the doctor runs without the capabilities that let it (CAP_DAC_OVERRIDE, _READ_SEARCH)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("as root, an unreadable file needs setpriv (util-linux) to test")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_the_doctor_on_a_broken_setup(tmp_path: Path) -> None:
    """Port taken by another program, mDNS on an interface this machine lacks, a key the
    server's user cannot read: each a FAIL with its fix, and exit status 2."""
    assert ELSEWHERE not in _local_addresses()
    d = make_room(tmp_path / "room")
    with another_program() as port:
        set_config(d, server={"port": str(port)}, discovery={"interfaces": f'["{ELSEWHERE}"]'})
        d.key.chmod(0)
        done = subprocess.run(
            [*unprivileged(), sys.executable, "-m", "server.cli", "doctor", str(d.root)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO_ROOT,
            env=child_env(),
            check=False,
        )
    out = done.stdout.splitlines()
    assert done.returncode == 2, done.stderr
    assert lines_of(out, "FAIL", "key") == [
        f"cannot read {d.key} (Permission denied): chmod 600 {d.key}."
    ]
    [taken] = lines_of(out, "FAIL", "port")
    assert taken.startswith(f"what listens on 127.0.0.1:{port} is not a Hemicycle room (TLS")
    assert taken.endswith(
        f"ss -ltnp 'sport = :{port}' shows which program it is; stop it, or set [server] port "
        "to a free port."
    )
    [mdns] = lines_of(out, "FAIL", "mDNS")
    assert mdns.startswith(
        f"{ELSEWHERE} ([discovery] interfaces) is not an address of this machine, whose "
        "addresses are 127.0.0.1"
    )
    assert mdns.endswith("set [discovery] interfaces to the hall-LAN address.")
    assert lines_of(out, "FAIL", "database") == [
        f"the room cannot be opened: Permission denied ({d.key}); see the lines above."
    ]
    assert done.stderr.startswith("error: 4 problems to fix (FAIL) and ")


def test_a_port_bound_by_another_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_room(tmp_path / "room")
    with socket.socket() as holder:  # bound, not listening: refused, and not bindable
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        code, out, _err = doctor(capsys, str(d.root), "--port", str(port))
    assert code == 2
    assert lines_of(out, "FAIL", "port") == [
        f"127.0.0.1:{port} is taken by another program: ss -ltnp 'sport = :{port}' shows which; "
        "stop it, or set [server] port to a free port."
    ]
    port = free_port()
    _code, out, _err = doctor(capsys, str(d.root), "--port", str(port))
    assert lines_of(out, "OK", "port") == [
        f"the server is not running, and 'run' can listen on 127.0.0.1:{port}: it is free."
    ]


def test_the_doctor_on_a_good_setup(
    server: ServerThread, capsys: pytest.CaptureFixture[str]
) -> None:
    root = server.datadir.root
    code, out, err = doctor(capsys, str(root), "--port", str(server.port))
    assert code == 0, out
    assert not [line for line in out if line.startswith("FAIL")]
    assert lines_of(out, "OK", "config") == [f"{server.datadir.config} has no mistakes."]
    [cert] = lines_of(out, "OK", "certificate")
    assert cert.startswith("room-cert.pem and room-key.pem are a pair, valid until 20")
    assert lines_of(out, "OK", "permissions") == [
        f"{root} and everything in it belong to {_me()} alone (folder 0700, keys 0600)."
    ]
    [running] = lines_of(out, "OK", "port")
    assert running.startswith(f"the room server is running on 127.0.0.1:{server.port} (up ")
    [database] = lines_of(out, "OK", "database")
    assert database.startswith("the room opens as 'run' opens it")
    assert lines_of(out, "OK", "reach")[0].startswith(
        f"the room answers on 127.0.0.1:{server.port}, an address the enrollment codes carry"
    )
    # a room on 127.0.0.1 is one only this machine reaches: said, not failed
    assert lines_of(out, "WARN", "mDNS") == [
        "the room is announced on 127.0.0.1 (loopback) only: tablets on the LAN will not list "
        "it; set [server] host to the hall-LAN address."
    ]
    [disk] = lines_of(out, "OK", "disk")
    assert " free on the data directory's disk; the room uses " in disk
    assert len(lines_of(out, "OK", "clock") + lines_of(out, "WARN", "clock")) == 1
    assert out[-1].startswith("Nothing to fix; ") and err == ""


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def test_the_room_must_answer_on_the_addresses_in_the_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """127.0.0.2 stands for another address of this machine (all of 127/8 is loopback)."""
    d = make_room(tmp_path / "room")
    set_config(d, enrollment={"addresses": '["127.0.0.2"]'})
    st = ServerThread(d)
    st.start()  # on 127.0.0.1 only
    try:
        code, out, _err = doctor(capsys, str(d.root), "--port", str(st.port))
    finally:
        st.close()
    assert code == 2
    [fail] = lines_of(out, "FAIL", "reach")
    assert fail.startswith(
        f"the room does not answer on 127.0.0.2:{st.port}, an address the enrollment codes "
        f"carry (nothing listens on 127.0.0.2:{st.port}): set [server] host to 0.0.0.0 or "
        "127.0.0.2, and restart the server."
    )
    # stopped, the same mistake is found from the settings
    code, out, _err = doctor(capsys, str(d.root), "--port", str(free_port()))
    assert lines_of(out, "FAIL", "reach") == [
        "the enrollment codes carry 127.0.0.2 but the server listens on 127.0.0.1 only: set "
        "[server] host to 0.0.0.0 or 127.0.0.2."
    ]
    set_config(d, server={"host": '"127.0.0.2"'})
    st = ServerThread(d)
    st.start(host="127.0.0.2")
    try:
        code, out, _err = doctor(capsys, str(d.root), "--port", str(st.port))
    finally:
        st.close()
    assert code == 0, out
    assert lines_of(out, "OK", "reach")[0].startswith(
        f"the room answers on 127.0.0.2:{st.port}, an address the enrollment codes carry"
    )


def test_permissions_and_a_certificate_from_another_room(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_room(tmp_path / "room")
    other = make_room(tmp_path / "other")
    d.root.chmod(0o755)
    d.key.chmod(0o644)
    shutil.copy(other.cert, d.cert)
    code, out, _err = doctor(capsys, str(d.root), "--port", str(free_port()))
    assert code == 2
    assert lines_of(out, "FAIL", "certificate") == [
        "room-cert.pem and room-key.pem are not a pair (one was replaced): put back both from "
        "the same backup of this room."
    ]
    assert lines_of(out, "WARN", "permissions") == [
        f"{d.root} is open to other users (mode 0755): chmod 700 {d.root}."
    ]
    assert lines_of(out, "FAIL", "permissions") == [
        f"{d.key} is a secret other users can read (mode 0644): chmod 600 {d.key}."
    ]


def test_a_clock_behind_the_rooms_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = make_room(tmp_path / "room")
    _config, store = d.open()
    with store.engine.begin() as conn:
        conn.execute(update(EventRow).where(EventRow.seq == 2).values(at=time.time() + 3600))
    store.dispose()
    code, out, _err = doctor(capsys, str(d.root), "--port", str(free_port()))
    assert code == 2
    [fail] = lines_of(out, "FAIL", "clock")
    assert "min ahead of this machine's clock: the clock went back; set it right" in fail


def test_a_broken_config_skips_what_needs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_room(tmp_path / "room")
    set_config(d, server={"port": "70000"})
    line = d.config.read_text().splitlines().index("port = 70000") + 1
    code, out, _err = doctor(capsys, str(d.root))
    assert code == 2
    assert lines_of(out, "FAIL", "config") == [
        f"{d.config}:{line}: [server] port: 70000 is too large; expected a whole number from 1 to "
        "65535 (the checks that need the settings are skipped)"
    ]
    assert {line.split()[1] for line in out} == {"config", "certificate", "permissions"}


@pytest.mark.slow
def test_doctor_and_status_on_a_two_host_lan(net: NetnsPair, tmp_path: Path) -> None:
    """The server on host A's LAN address: the doctor there finds it answering there and
    announced on a real interface; status run on host B reaches it across the LAN."""
    d = make_room(tmp_path / "room")
    set_config(d, server={"host": f'"{net.addr_a}"'})
    root = str(d.root)
    server = net.popen(
        net.ns_a,
        [sys.executable, "-m", "server.cli", "run", root],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    assert "listening on" in server.stdout.readline()
    checked = net.run(net.ns_a, [sys.executable, "-m", "server.cli", "doctor", root])
    out = checked.stdout.splitlines()
    assert not [line for line in out if line.startswith("FAIL")], checked.stdout
    assert lines_of(out, "OK", "reach")[0].startswith(
        f"the room answers on {net.addr_a}:8443, an address the enrollment codes carry"
    )
    assert lines_of(out, "OK", "mDNS") == [
        f"announced on {net.dev_a} ({net.addr_a}), which is up and joins the mDNS group "
        "(Wi-Fi that filters multicast is not seen from here)."
    ]
    status = net.run(net.ns_b, [sys.executable, "-m", "server.cli", "status", root])
    assert status.returncode == 0, status.stderr
    assert f"Server:       running on {net.addr_a}:8443" in status.stdout


def test_a_missing_certificate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = make_room(tmp_path / "room")
    d.cert.unlink()
    port = free_port()
    code, out, _err = doctor(capsys, str(d.root), "--port", str(port))
    assert code == 2
    assert lines_of(out, "FAIL", "certificate") == [
        f"{d.cert} is missing: restore it from the room's backup (docs/operations.md §10); "
        "'init' would make a new room that no enrolled device trusts."
    ]
    assert lines_of(out, "OK", "port") == [
        f"the server is not running, and 'run' can listen on 127.0.0.1:{port}: it is free."
    ]
    assert lines_of(out, "FAIL", "database")[0].startswith(f"{d.root} is not a room data directory")
