"""Throw-away Linux network namespaces: a two-host LAN for tests, invisible to the real network.

``netns_pair()`` creates namespaces A and B joined by a veth pair, addresses 10.77.<x>.1/24 (A)
and 10.77.<x>.2/24 (B) that exist only inside them, loopback and veths up with multicast on.
Everything started through :meth:`NetnsPair.popen` is killed and both namespaces are deleted on
exit, even when the test fails.  The veth is created inside A with its peer moved straight into
B, so no test interface ever appears in the host namespace.

Typical use (a slow test, root only)::

    reason = netns_unavailable_reason()
    if reason:
        pytest.skip(reason)
    with netns_pair() as net:
        server = net.popen(net.ns_a, [sys.executable, "-m", "server", ...], stdout=PIPE)
        client = net.popen(net.ns_b, [sys.executable, ...], stdout=PIPE)
        lines = LineReader(client)
        lines.expect(lambda obj: obj.get("event") == "ready", timeout=10)
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent

_CMD_TIMEOUT = 15.0
"""No ``ip`` command legitimately takes longer; a hang must fail the test, not stall CI."""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``ip`` with a bounded time; failures carry ip's own message."""
    proc = subprocess.run(
        ["ip", *args], capture_output=True, text=True, timeout=_CMD_TIMEOUT, check=False
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def netns_unavailable_reason() -> str | None:
    """Why namespaces cannot be used here, or None if they can (probed, not guessed)."""
    if not sys.platform.startswith("linux"):
        return "network namespaces need Linux"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is not installed"
    if os.geteuid() != 0:
        return "creating network namespaces needs root"
    probe = f"hmc-probe-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        added = _ip("netns", "add", probe, check=False)
        if added.returncode != 0:
            return f"`ip netns add` is not permitted here: {added.stderr.strip()}"
        ran = _ip("netns", "exec", probe, "ip", "link", "show", "lo", check=False)
        if ran.returncode != 0:
            return f"`ip netns exec` does not work here: {ran.stderr.strip()}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"probing `ip netns` failed: {exc}"
    finally:
        _ip("netns", "del", probe, check=False)
    return None


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python: the repo importable, output unbuffered."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class NetnsPair:
    """Two namespaces on one veth link, and the processes started in them."""

    ns_a: str
    ns_b: str
    addr_a: str
    addr_b: str
    dev_a: str
    dev_b: str
    prefixlen: int = 24
    _procs: list[subprocess.Popen[Any]] = field(default_factory=list, repr=False)

    def exec_argv(self, ns: str, argv: Sequence[str]) -> list[str]:
        """The command line that runs ``argv`` inside ``ns`` (``ip netns exec`` execs it)."""
        if ns not in (self.ns_a, self.ns_b):
            raise ValueError(f"{ns!r} is not one of this pair's namespaces")
        return ["ip", "netns", "exec", ns, *argv]

    def popen(self, ns: str, argv: Sequence[str], **kwargs: Any) -> subprocess.Popen[Any]:
        """Start ``argv`` inside ``ns``; it is killed when the pair is torn down.

        ``cwd`` defaults to the repository and ``env`` to :func:`child_env` so
        ``python -m app...`` works from any namespace.
        """
        kwargs.setdefault("cwd", REPO_ROOT)
        kwargs.setdefault("env", child_env())
        proc = subprocess.Popen(self.exec_argv(ns, argv), **kwargs)
        self._procs.append(proc)
        return proc

    def run(
        self, ns: str, argv: Sequence[str], timeout: float = 30.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside ``ns`` to completion, bounded, output captured as text."""
        return subprocess.run(
            self.exec_argv(ns, argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=REPO_ROOT,
            env=child_env(),
        )


def stop_process(proc: subprocess.Popen[Any], grace: float = 5.0) -> int:
    """SIGTERM, then SIGKILL after ``grace`` seconds; returns the exit status."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait(grace)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    return proc.returncode


def _kill_leftovers(ns: str) -> None:
    """Kill anything still running inside our namespace (e.g. grandchildren of a test process).

    Only processes inside a namespace this module created are touched.
    """
    listed = _ip("netns", "pids", ns, check=False)
    for token in listed.stdout.split():
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(token), signal.SIGKILL)


@contextlib.contextmanager
def netns_pair(subnet: int | None = None) -> Iterator[NetnsPair]:
    """Create namespaces A and B on one veth link; always tear them down.

    ``subnet`` picks <x> in 10.77.<x>.0/24 (default derived from the pid, only for readable
    logs: the addresses exist inside these namespaces alone, so parallel runs cannot clash).
    Names carry the pid and a random token so concurrent runs never share a namespace.
    """
    x = subnet if subnet is not None else 1 + os.getpid() % 250
    if not 0 <= x <= 255:
        raise ValueError("subnet must be 0..255")
    token = f"{os.getpid()}-{secrets.token_hex(3)}"
    net = NetnsPair(
        ns_a=f"hmc-{token}-a",
        ns_b=f"hmc-{token}-b",
        addr_a=f"10.77.{x}.1",
        addr_b=f"10.77.{x}.2",
        dev_a="hmc-a",
        dev_b="hmc-b",
    )
    created: list[str] = []
    try:
        for ns in (net.ns_a, net.ns_b):
            _ip("netns", "add", ns)
            created.append(ns)
        _ip("-n", net.ns_a, "link", "add", net.dev_a, "type", "veth", "peer", "name", net.dev_b)
        _ip("-n", net.ns_a, "link", "set", net.dev_b, "netns", net.ns_b)
        for ns, dev, addr in ((net.ns_a, net.dev_a, net.addr_a), (net.ns_b, net.dev_b, net.addr_b)):
            _ip("-n", ns, "addr", "add", f"{addr}/{net.prefixlen}", "dev", dev)
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "link", "set", dev, "multicast", "on", "up")
        yield net
    finally:
        problems: list[str] = []
        for proc in net._procs:
            try:
                stop_process(proc)
            except Exception as exc:
                problems.append(f"stopping pid {proc.pid}: {exc}")
        for ns in reversed(created):
            try:
                _kill_leftovers(ns)
                _ip("netns", "del", ns)
            except Exception as exc:
                problems.append(f"deleting namespace {ns}: {exc}")
        if problems:
            raise RuntimeError("network namespace cleanup failed: " + "; ".join(problems))


class LineReader:
    """Follows a child's stdout of JSON lines on a thread, so waits can have deadlines.

    Lines that are not JSON objects are kept in :attr:`raw` (for failure messages) only.
    """

    def __init__(self, stream: IO[bytes] | IO[str]) -> None:
        """Start reading at once so the pipe never fills up and blocks the child."""
        self.raw: list[str] = []
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[bytes] | IO[str]) -> None:
        """Parse each line; a None on the queue marks end of output."""
        try:
            for line in stream:
                text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
                self.raw.append(text.rstrip("\n"))
                try:
                    obj = json.loads(text)
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    self._queue.put(obj)
        except (OSError, ValueError):
            pass
        finally:
            self._queue.put(None)

    def expect(self, predicate: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        """Return the next object matching ``predicate``; skip others; fail after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching line within {timeout} s; output: {self.raw!r}")
            try:
                obj = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if obj is None:
                self._queue.put(None)  # stay at end of output for later calls
                raise EOFError(f"output ended without a matching line; output: {self.raw!r}")
            if predicate(obj):
                return obj
