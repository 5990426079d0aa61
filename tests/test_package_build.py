"""The packaged builds of ``make package``, installed as IT staff would, run a meeting.

Runs only when asked, as it needs the builds (``make package`` takes minutes): ``make
package-test`` builds them into ``dist/`` and runs this with ``HEMICYCLE_PACKAGE_DIST`` set to
it; ``HEMICYCLE_PACKAGE_BUILD=1`` instead builds them here from a copy of the sources (as
``tests/test_packaging.py`` does for the wheelhouse). Either way the artefacts are unpacked
outside the source tree — the Debian packages with ``dpkg-deb -x`` (never installed into this
machine: the package's user and data directory are kept on removal, on purpose), the tarballs
with ``tar`` — and every program runs from there, in an environment with no trace of the tree
and no display:

* the packages hold what they should (``dpkg-deb -I``/``-c``): the frozen programs, the Qt
  platform plugins, the compiled translations, fonts and style sheet, the lock the wheel carries
  and a BUILD-INFO, the systemd unit and the maintainer scripts, and none of the layout add-on
  PyMuPDF would pull in, nor Qt in the server;
* the maintainer scripts create the user and ``/var/lib/hemicycle`` (run against stand-ins for
  ``useradd`` and friends), the unit has its hardening and passes ``systemd-analyze``;
* ``--version`` of each program, and ``--version --verbose`` lists the carried lock: every
  package at its locked version, anything missing one BUILD-INFO says was left out;
* a meeting: the frozen server inits a room, imports the sample roster and meeting, publishes a
  PDF (checked by its frozen child process), prints enrollment cards, and serves on loopback;
  the frozen delegate app (offscreen) enrolls with a code, shows its window in Vietnamese with
  the bundled font, reaches the room, downloads the document and draws its first page (in a
  render process, the frozen program again), then starts again unlocking with the PIN; the
  frozen console enrolls with the secretary code and reaches the room; the server stops
  cleanly on SIGTERM.

The times it measures (``--version``, ``run`` until listening, app start until its window is
shown) are printed: ``make package-test`` shows them (``-s``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from app.protocol import PROTOCOL_VERSION
from app.version import version
from tests.test_packaging import ROOT, clean_env, copy_sources, run

DIST = os.environ.get("HEMICYCLE_PACKAGE_DIST", "")
BUILD = os.environ.get("HEMICYCLE_PACKAGE_BUILD", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DIST or BUILD),
        reason="needs the packaged builds: make package-test (or HEMICYCLE_PACKAGE_BUILD=1)",
    ),
    pytest.mark.timeout(2400),  # building them takes minutes on a busy machine
]

VERSION = version()
PIN = "2468"
APPS = ("hemicycle", "hemicycle-console")
#: What PyMuPDF imports when it can, and Hemicycle never uses: left out of every build.
ADD_ONS = ("onnxruntime/", "numpy/", "networkx/", "pymupdf4llm/", "pymupdf/layout/")


@dataclass(frozen=True)
class Packages:
    dist: Path
    root: Path  # both Debian packages, unpacked with dpkg-deb -x
    opt: Path  # both tarballs, unpacked with tar
    work: Path  # an empty folder outside the tree, to run the programs from

    def deb(self, package: str) -> Path:
        return self.dist / f"{package}_{VERSION}_amd64.deb"

    def tarball(self, name: str) -> Path:
        return self.dist / f"{name}-{VERSION}-linux-x86_64.tar.gz"

    @property
    def server(self) -> Path:
        """As installed: /usr/bin/hemicycle-server, the link into /usr/lib/hemicycle-server."""
        return self.root / "usr" / "bin" / "hemicycle-server"

    @property
    def apps(self) -> Path:
        """The apps' tarball, unpacked."""
        return self.opt / f"hemicycle-{VERSION}"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    tmp = tmp_path_factory.mktemp("package")
    if DIST:
        dist = Path(DIST).resolve()
    else:
        src = tmp / "src"
        copy_sources(src, extra=("packaging", "docs/operations.md"))
        bin_dir = Path(sys.executable).parent  # this run's tools, as in test_packaging
        run(["make", "-C", str(src), "package", f"BIN={bin_dir}", "STAMP="], tmp, timeout=2400)
        dist = src / "dist"
    found = Packages(dist, tmp / "root", tmp / "opt", tmp / "work")
    for path in (found.root, found.opt, found.work):
        path.mkdir()
    for package in ("hemicycle", "hemicycle-server"):
        run(["dpkg-deb", "-x", str(found.deb(package)), str(found.root)], tmp)
        run(["tar", "-xzf", str(found.tarball(package)), "-C", str(found.opt)], tmp)
    return found


def deb_contents(deb: Path) -> dict[str, tuple[str, str, str]]:
    """``dpkg-deb -c``: path -> (mode, owner, link target)."""
    out = run(["dpkg-deb", "-c", str(deb)], deb.parent)
    entries = {}
    for line in out.splitlines():
        mode, owner, _size, _date, _time, rest = line.split(None, 5)
        path, _, target = rest.partition(" -> ")
        entries[path.removeprefix(".").rstrip("/") or "/"] = (mode, owner, target)
    return entries


def build_info(folder: Path) -> dict[str, list[str]]:
    """BUILD-INFO's sections: the header lines, and each list (name version) under its title."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in (folder / "BUILD-INFO").read_text(encoding="utf-8").splitlines():
        if line.endswith(":") and not line.startswith(" "):
            current = line.split(" (")[0].rstrip(":")
            sections[current] = []
        elif line.strip():
            sections[current].append(line.strip())
    return sections


def test_the_artefacts_are_there_named_by_the_version(packages: Packages) -> None:
    sizes = {}
    for path in (
        packages.tarball("hemicycle"),
        packages.tarball("hemicycle-server"),
        packages.deb("hemicycle"),
        packages.deb("hemicycle-server"),
    ):
        assert path.is_file(), path
        sizes[path.name] = path.stat().st_size
    print("\npackage artefacts: " + ", ".join(f"{n} {s / 1e6:.0f} MB" for n, s in sizes.items()))


def test_the_server_package_holds_the_frozen_server_and_its_unit(packages: Packages) -> None:
    deb = packages.deb("hemicycle-server")
    fields = run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Architecture"], deb.parent)
    assert fields.splitlines() == [
        "Package: hemicycle-server",
        f"Version: {VERSION}",
        "Architecture: amd64",
    ]
    assert re.match(
        r"libc6 \(>= 2\.\d+\), passwd$",
        run(["dpkg-deb", "-f", str(deb), "Depends"], deb.parent).strip(),
    )
    entries = deb_contents(deb)
    assert entries["/usr/bin/hemicycle-server"][2] == "../lib/hemicycle-server/hemicycle-server"
    internal = "/usr/lib/hemicycle-server/_internal"
    for path in (
        "/usr/lib/hemicycle-server/hemicycle-server",
        "/usr/lib/hemicycle-server/BUILD-INFO",
        "/usr/lib/systemd/system/hemicycle-server@.service",
        "/usr/share/doc/hemicycle-server/BUILD-INFO",
        "/usr/share/doc/hemicycle-server/operations.md",
        f"{internal}/app/_resources/requirements/runtime.txt",
        f"{internal}/app/_resources/fonts/NotoSans-Regular.ttf",
        f"{internal}/app/_resources/sample/roster.csv",
        f"{internal}/server/migrations/env.py",
        f"{internal}/server/migrations/versions/0001_initial_schema.py",
        f"{internal}/hemicycle-{VERSION}.dist-info/METADATA",
    ):
        assert path in entries, path
    assert entries["/usr/lib/hemicycle-server/hemicycle-server"][0] == "-rwxr-xr-x"
    assert {owner for _mode, owner, _target in entries.values()} == {"root/root"}
    assert not [p for p in entries if p.startswith("/etc")]  # the room's config is in its folder
    assert not [p for p in entries if "PySide6" in p or "shiboken6" in p]
    assert not [p for p in entries for add_on in ADD_ONS if f"_internal/{add_on}" in f"{p}/"]

    control = packages.work / "server-control"
    run(["dpkg-deb", "-e", str(deb), str(control)], packages.work)
    assert sorted(p.name for p in control.iterdir()) == [
        "control",
        "md5sums",
        "postinst",
        "postrm",
        "prerm",
    ]  # no conffiles: the package puts nothing in /etc


def test_the_apps_package_holds_both_apps_and_what_qt_needs(packages: Packages) -> None:
    deb = packages.deb("hemicycle")
    depends = run(["dpkg-deb", "-f", str(deb), "Depends"], deb.parent)
    assert {"libgl1", "libegl1", "libxcb1"} <= {d.split()[0] for d in depends.split(", ")}
    entries = deb_contents(deb)
    internal = "/usr/lib/hemicycle/_internal"
    for app in APPS:
        assert entries[f"/usr/bin/{app}"][2] == f"../lib/hemicycle/{app}"
        assert entries[f"/usr/lib/hemicycle/{app}"][0] == "-rwxr-xr-x"
        assert f"/usr/share/applications/{app}.desktop" in entries
    for path in (
        "/usr/lib/hemicycle/BUILD-INFO",
        f"{internal}/app/_resources/translations/hemicycle_vi.qm",  # compiled by the build
        f"{internal}/app/_resources/translations/hemicycle_en.qm",
        f"{internal}/app/_resources/fonts/NotoSans-Regular.ttf",
        f"{internal}/app/_resources/fonts/NotoSans-Bold.ttf",
        f"{internal}/app/_resources/styles/hemicycle.qss",
        f"{internal}/app/_resources/requirements/runtime.txt",
        f"{internal}/hemicycle-{VERSION}.dist-info/METADATA",
    ):
        assert path in entries, path
    assert [p for p in entries if p.startswith(f"{internal}/pymupdf/libmupdf.so")]
    # Every platform plugin of the installed PySide6 that a Linux machine may use.
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
    for name in ("libqoffscreen.so", "libqxcb.so", "libqwayland.so"):
        if (plugins / name).exists():
            assert f"{internal}/PySide6/Qt/plugins/platforms/{name}" in entries, name
    assert {owner for _mode, owner, _target in entries.values()} == {"root/root"}
    for unwanted in (*ADD_ONS, "server/", "sqlalchemy/", "alembic/", "psycopg/"):
        assert not [p for p in entries if f"{p}/".startswith(f"{internal}/{unwanted}")], unwanted
    assert f"{internal}/PySide6/Qt/plugins/platformthemes/libqgtk3.so" not in entries


def stand_ins(folder: Path, log: Path, user_exists: bool) -> dict[str, str]:
    """Commands the maintainer scripts call, recording their arguments instead of acting."""
    folder.mkdir()
    for name in ("groupadd", "useradd", "install", "systemctl", "rm"):
        (folder / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
    (folder / "getent").write_text(f"#!/bin/sh\nexit {0 if user_exists else 2}\n")
    for path in folder.iterdir():
        path.chmod(0o755)
    return {"PATH": f"{folder}:{os.environ['PATH']}"}


def test_the_maintainer_scripts_make_the_user_and_its_folder(
    packages: Packages, tmp_path: Path
) -> None:
    control = tmp_path / "control"
    deb = packages.deb("hemicycle-server")
    run(["dpkg-deb", "-e", str(deb), str(control)], tmp_path)
    for script in ("postinst", "prerm", "postrm"):
        assert (control / script).read_text().startswith("#!/bin/bash\n")
        run(["bash", "-n", str(control / script)], tmp_path)

    log = tmp_path / "calls"
    env = stand_ins(tmp_path / "new", log, user_exists=False)
    run([str(control / "postinst"), "configure"], tmp_path, env=env)
    calls = log.read_text().splitlines()
    assert "groupadd --system hemicycle" in calls
    [useradd] = [c for c in calls if c.startswith("useradd ")]
    assert "--system" in useradd and "--home-dir /var/lib/hemicycle" in useradd
    assert useradd.endswith(" hemicycle") and "/usr/sbin/nologin" in useradd
    if not Path("/var/lib/hemicycle").exists():
        assert "install -d -m 0700 -o hemicycle -g hemicycle /var/lib/hemicycle" in calls

    log.unlink()
    env = stand_ins(tmp_path / "again", log, user_exists=True)
    run([str(control / "postinst"), "configure", "0.0.9"], tmp_path, env=env)
    calls = log.read_text().splitlines() if log.exists() else []
    assert not [c for c in calls if c.startswith(("groupadd", "useradd"))]
    log.unlink(missing_ok=True)
    run([str(control / "prerm"), "remove"], tmp_path, env=env)
    done = subprocess.run(
        [str(control / "postrm"), "purge"], env=clean_env(**env), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    # the rooms' data and the user stay; only systemd's links to the unit go
    assert [c for c in calls if c.startswith("rm ")] == [
        "rm -f /etc/systemd/system/multi-user.target.wants/hemicycle-server@*.service",
        "rm -rf /etc/systemd/system/hemicycle-server@.service.d",
    ]
    assert not [c for c in calls if "/var/lib/hemicycle" in c or "userdel" in c]


def test_the_unit_runs_each_room_as_hemicycle_hardened(packages: Packages, tmp_path: Path) -> None:
    unit = packages.root / "usr" / "lib" / "systemd" / "system" / "hemicycle-server@.service"
    service: dict[str, str] = {}
    section = ""
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line
        elif "=" in line and not line.startswith("#") and section == "[Service]":
            key, _, value = line.partition("=")
            service[key] = value
    assert service["ExecStart"] == "/usr/bin/hemicycle-server run /var/lib/hemicycle/%i"
    for key, value in {
        "User": "hemicycle",
        "Group": "hemicycle",
        "Restart": "on-failure",
        "KillSignal": "SIGTERM",
        "StateDirectory": "hemicycle/%i",
        "StateDirectoryMode": "0700",
        "UMask": "0077",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
        "StandardError": "journal",
    }.items():
        assert service[key] == value, key

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    # systemd-analyze checks that ExecStart exists: point it at the unpacked program.
    instance = tmp_path / "hemicycle-server@test.service"
    text = unit.read_text(encoding="utf-8")
    instance.write_text(text.replace("/usr/bin/hemicycle-server", str(packages.server)))
    done = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "hemicycle-server" not in done.stderr, done.stderr
    done = subprocess.run(
        [analyze, "security", "--offline=true", str(instance)], capture_output=True, text=True
    )
    if done.returncode == 0:  # systemd 250 and later
        exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout)
        assert exposure is not None and float(exposure[1]) <= 2.0, done.stdout[-2000:]


def programs(packages: Packages) -> list[tuple[str, Path]]:
    internal = packages.root / "usr" / "bin"
    return [
        ("hemicycle-server", packages.server),
        ("hemicycle-server", packages.opt / f"hemicycle-server-{VERSION}" / "hemicycle-server"),
        *((app, packages.apps / app) for app in APPS),
        *((app, internal / app) for app in APPS),
    ]


def test_every_program_says_its_version_and_lists_what_it_carries(packages: Packages) -> None:
    wanted_lock = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    for program, path in programs(packages):
        out = run([str(path), "--version"], packages.work)
        assert out == f"{program} {VERSION} (protocol {PROTOCOL_VERSION})\n", path
        lines = run([str(path), "--version", "--verbose"], packages.work).splitlines()
        [where] = [line for line in lines if line.startswith("locked in ")]
        carried = Path(where.removeprefix("locked in ").removesuffix(":"))
        folder = path.resolve().parent
        assert carried.is_relative_to(folder) and carried.read_text() == wanted_lock
        info = build_info(folder)
        assert f"hemicycle {VERSION}" in info["Contains"]
        left_out = {entry.split()[0] for entry in info["Left out"]}
        # Every package is the locked version; what is missing was left out on purpose.
        assert [line for line in lines if ", but installed" in line] == [], path
        missing = {line.split()[0] for line in lines if line.endswith(", but not installed")}
        assert missing <= left_out, (path, missing - left_out)
        assert "pymupdf" in {entry.split()[0] for entry in info["Contains"]}
        assert {"onnxruntime", "numpy", "pymupdf4llm"} <= left_out
        header = "\n".join(info[""])
        assert f"Hemicycle {VERSION}: " in header and "Python: 3." in header
        assert "PyInstaller" in header and re.search(r"Built: \d{4}-\d\d-\d\dT", header)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_test(
    app: Path, home: Path, work: Path, x11: bool = False, **request: str
) -> tuple[float, dict[str, Any]]:
    """``app --self-test`` offscreen, or with ``x11`` on a virtual X screen (Qt's xcb
    platform): (when it was started, its steps by name)."""
    started = time.time()
    env = {"HEMICYCLE_HOME": str(home)}
    argv = [str(app), "--self-test"]
    if x11:
        argv = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *argv]
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    out = run(argv, work, timeout=180, env=env, stdin=json.dumps(request) + "\n")
    steps = {}
    for line in out.splitlines():
        step = json.loads(line)
        steps[step["step"]] = step
    return started, steps


def test_a_meeting_with_the_packaged_server_delegate_app_and_console(
    packages: Packages,
) -> None:
    work, server = packages.work / "meeting", str(packages.server)
    work.mkdir()
    room, home = work / "room", work / "home"
    times: dict[str, float] = {}

    started = time.monotonic()
    run([server, "--version"], work)
    times["server --version"] = time.monotonic() - started
    out = run(
        [
            server,
            "init",
            str(room),
            "--name",
            "Đại hội XIV",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
        ],
        work,
    )
    [secretary_code] = re.findall(r"Secretary enrollment code \(one use\): (\S+)", out)
    resources = packages.server.resolve().parent / "_internal" / "app" / "_resources"
    assert "40 new" in run(
        [server, "roster", "import", str(room), str(resources / "sample" / "roster.csv")], work
    )
    out = run(
        [server, "meeting", "import", str(room), str(resources / "sample" / "meeting.json")], work
    )
    assert "created with" in out
    pdf = work / "nghi-quyet.pdf"
    with pymupdf.open() as doc:
        for n in range(3):
            doc.new_page().insert_text((72, 72), f"Resolution, page {n + 1}")
        doc.save(pdf)
    # The PDF is checked by a child process: the frozen server started again as one.
    out = run(
        [server, "doc", "add", str(room), str(pdf), "--item", "1", "--title", "Nghị quyết"], work
    )
    assert "published (3 pages)" in out
    out = run([server, "enroll", str(room), "--all", "--sheet", str(work / "cards.pdf")], work)
    assert "40 enrollment cards on 5 pages" in out
    with pymupdf.open(work / "cards.pdf") as cards:
        embedded = {f[3].split("+")[-1] for f in cards.get_page_fonts(0) if f[1] == "ttf"}
    assert {"Noto Sans Regular", "Noto Sans Bold"} <= embedded
    [delegate_code] = re.findall(
        r"^0001 .*: (\S+)$", run([server, "enroll", str(room), "0001"], work), re.M
    )

    started = time.monotonic()
    proc = subprocess.Popen(
        [server, "run", str(room), "--no-mdns"],
        cwd=work,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        times["server run -> listening"] = time.monotonic() - started
        assert line.startswith("Hemicycle room server listening on 127.0.0.1:"), line

        delegate = packages.apps / "hemicycle"
        t0, steps = self_test(delegate, home, work, code=delegate_code, pin=PIN)
        assert list(steps) == ["started", "enrolled", "shown", "online", "page drawn", "done"]
        shown = steps["shown"]
        assert shown["platform"] == "offscreen"
        assert shown["font"] == "Noto Sans" and shown["style_sheet"] is True
        assert shown["language"] == "vi"
        assert "Đại hội XIV" in shown["title"]
        assert steps["online"]["documents"] == 1 and steps["online"]["items"] > 0
        assert steps["page drawn"] == steps["page drawn"] | {"document": "Nghị quyết", "pages": 3}
        times["delegate app: start -> window (enrolling)"] = shown["at"] - t0
        times["delegate app: start -> first page drawn"] = steps["page drawn"]["at"] - t0

        # Started again: the PIN opens the keys, the document is here already.
        t0, steps = self_test(delegate, home, work, pin=PIN)
        assert list(steps) == ["started", "unlocked", "shown", "online", "page drawn", "done"]
        times["delegate app: start -> window (unlocking)"] = steps["shown"]["at"] - t0
        if shutil.which("xvfb-run") and shutil.which("xauth"):  # X11, as on a desktop
            _t0, steps = self_test(delegate, home, work, x11=True, pin=PIN)
            assert steps["shown"]["platform"] == "xcb" and "done" in steps

        console = packages.apps / "hemicycle-console"
        t0, steps = self_test(console, home, work, code=secretary_code, pin=PIN)
        assert list(steps) == ["started", "enrolled", "shown", "online", "done"]
        times["console: start -> window (enrolling)"] = steps["shown"]["at"] - t0

        devices = run([server, "device", "list", str(room)], work)
        assert re.search(r"\bdelegate\s+0001\s+active\b", devices)
        assert re.search(r"\bsecretary\b.*\bactive\b", devices)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    log = (room / "logs" / "server.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
    assert log.rstrip().endswith("hemicycle.server: stopped")
    print("\npackage smoke: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))


def test_the_packaged_server_keeps_a_room_in_postgresql(packages: Packages, pg_url: str) -> None:
    """psycopg's binary driver and the migrations, frozen: a room in PostgreSQL serves."""
    work, server = packages.work / "pg", str(packages.server)
    work.mkdir()
    room = work / "room"
    port = str(free_port())
    init = [server, "init", str(room), "--name", "PG", "--host", "127.0.0.1", "--port", port]
    run([*init, "--database", pg_url], work)
    assert not (room / "room.db").exists()
    sample = packages.server.resolve().parent / "_internal" / "app" / "_resources" / "sample"
    assert "40 new" in run(
        [server, "roster", "import", str(room), str(sample / "roster.csv")], work
    )
    proc = subprocess.Popen(
        [server, "run", str(room), "--no-mdns"],
        cwd=work,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Hemicycle room server listening on")
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
