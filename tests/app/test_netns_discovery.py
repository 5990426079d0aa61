"""Discovery across a real (virtual) LAN: advertiser in namespace A, browser in namespace B.

Loopback hides mistakes a hall LAN would show (sending on the wrong interface, announcing the
wrong address), so this runs each side in its own network namespace joined by a veth pair.
Needs root and working ``ip netns``; skipped with the reason otherwise.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.netns import LineReader, NetnsPair, netns_pair, netns_unavailable_reason, stop_process

pytestmark = pytest.mark.slow

ROOM_NAME = "Đại hội thử nghiệm"
DEADLINE = 15.0


def _room(obj: dict[str, Any], room_id: str) -> dict[str, Any] | None:
    """Our room in a browser's ``rooms`` event, if present."""
    for room in obj.get("rooms", []):
        if room["room_id"] == room_id:
            return dict(room)
    return None


def test_room_in_namespace_a_is_discovered_from_namespace_b(net: NetnsPair, tmp_path: Path) -> None:
    room_id = secrets.token_bytes(32).hex()
    logs = {side: (tmp_path / f"{side}.stderr").open("wb") for side in ("browser", "advertiser")}
    try:
        browser = net.popen(
            net.ns_b,
            [sys.executable, "-m", "app.discovery", "browse", "--interface", net.addr_b],
            stdout=subprocess.PIPE,
            stderr=logs["browser"],
        )
        assert browser.stdout is not None
        seen = LineReader(browser.stdout)
        seen.expect(lambda o: o.get("event") == "ready", DEADLINE)

        t0 = time.monotonic()
        advertiser = net.popen(
            net.ns_a,
            [
                sys.executable,
                "-m",
                "app.discovery",
                "advertise",
                "--name",
                ROOM_NAME,
                "--room-id",
                room_id,
                "--port",
                "8443",
                "--address",
                net.addr_a,
            ],
            stdout=subprocess.PIPE,
            stderr=logs["advertiser"],
        )
        assert advertiser.stdout is not None
        LineReader(advertiser.stdout).expect(lambda o: o.get("event") == "ready", DEADLINE)
        event = seen.expect(lambda o: _room(o, room_id) is not None, DEADLINE)
        found = time.monotonic() - t0
        room = _room(event, room_id)
        assert room is not None
        assert room["name"] == ROOM_NAME
        assert room["addresses"] == [net.addr_a]
        assert room["port"] == 8443
        assert room["protocol"] == 1

        t0 = time.monotonic()
        assert stop_process(advertiser, grace=DEADLINE) == 0  # SIGTERM: goodbye, then exit
        seen.expect(lambda o: o.get("event") == "rooms" and _room(o, room_id) is None, DEADLINE)
        gone = time.monotonic() - t0
        assert stop_process(browser, grace=DEADLINE) == 0
        print(f"netns: discovered in {found:.2f}s, gone {gone:.2f}s after SIGTERM")
    except BaseException:
        for side, fh in logs.items():
            fh.flush()
            sys.stderr.write(f"--- {side} stderr ---\n{(tmp_path / f'{side}.stderr').read_text()}")
        raise
    finally:
        for fh in logs.values():
            fh.close()


_TCP_SERVER = """
import socket, sys
srv = socket.create_server((sys.argv[1], 0))
print(srv.getsockname()[1], flush=True)
srv.settimeout(20)
conn, _ = srv.accept()
conn.sendall(b"hello from A")
conn.close()
"""

_TCP_CLIENT = """
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as conn:
    print(conn.recv(100).decode())
"""


def test_netns_pair_links_a_and_b_only_and_cleans_up() -> None:
    reason = netns_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with netns_pair() as pair:
        # B reaches a TCP server in A over the veth (what the real client/server test needs).
        server = pair.popen(
            pair.ns_a,
            [sys.executable, "-c", _TCP_SERVER, pair.addr_a],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        port = server.stdout.readline().strip()
        client = pair.run(pair.ns_b, [sys.executable, "-c", _TCP_CLIENT, pair.addr_a, port])
        assert client.stdout.strip() == "hello from A", client.stderr
        assert server.wait(DEADLINE) == 0
        # The addresses exist only inside the namespaces.
        host_addrs = subprocess.run(
            ["ip", "-o", "addr"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
        assert pair.addr_a not in host_addrs and pair.addr_b not in host_addrs
        assert pair.dev_a not in host_addrs and pair.dev_b not in host_addrs
        sleeper = pair.popen(pair.ns_a, ["sleep", "60"])
    assert sleeper.poll() is not None  # killed by the teardown
    listed = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, timeout=10, check=True
    ).stdout
    assert pair.ns_a not in listed and pair.ns_b not in listed
