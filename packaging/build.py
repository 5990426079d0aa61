"""``make package``: the Linux builds of Hemicycle, from this tree, into ``dist/``.

Run by ``make package`` with the Python of ``.venv`` (which has PyInstaller, from the dev lock):

1. builds Hemicycle's wheel (as ``make wheel`` does: translations compiled, resources and the
   lock inside) and unpacks it into ``build/package/site``;
2. freezes, with PyInstaller, the delegate app and the console into one folder
   (``packaging/pyinstaller/hemicycle.spec``) and the room server into another
   (``hemicycle-server.spec``), from that unpacked wheel and the locked packages of ``.venv``;
3. checks every build: each distribution in it is at a version the lock pins, and every
   library it needs from the machine is one the Debian package depends on; and writes its
   ``BUILD-INFO`` (Python, PyInstaller, build time and machine, source commit, the lock's
   hash, every distribution inside with its version, what of the lock is left out, and the
   system libraries it needs);
4. makes the artefacts in ``dist/``: a tarball of each folder, ``hemicycle_<v>_amd64.deb`` (the
   two apps) and ``hemicycle-server_<v>_amd64.deb`` (the server, its systemd unit and its user),
   with ``dpkg-deb`` only (no debhelper).

The version is ``version`` in ``pyproject.toml``. ``packaging/README.md`` says what each
artefact holds; ``--reuse`` skips steps 1 and 2 when ``build/package/frozen`` is already there
(for working on the packaging itself).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
LOCK = ROOT / "requirements" / "runtime.txt"
#: Where the lock is inside a build: where the wheel puts it, and app/version.py reads it.
LOCK_IN_BUILD = Path("_internal/app/_resources/requirements/runtime.txt")
#: Who answers for the packages (dpkg requires the field): the team that ships the room.
MAINTAINER = "Hemicycle <hemicycle@localhost>"
#: The C library and its parts, on every Debian machine (Priority: required).
BASE_LIBRARIES = re.compile(r"^(ld-linux.*|lib(c|m|dl|pthread|rt|util|resolv)\.so\..*)$")


@dataclass(frozen=True)
class Bundle:
    """One PyInstaller folder and what is made of it."""

    name: str  # the folder (and the spec's name, the tarball's)
    spec: str
    programs: tuple[str, ...]
    package: str  # the Debian package
    summary: str
    description: str
    #: What the programs need from the machine, beyond the C library (Debian packages).
    depends: tuple[str, ...]
    #: What a part of them needs (a Qt platform plugin), and can do without.
    recommends: tuple[str, ...] = ()
    #: Files not in the folder: (source in packaging/, path in the package, mode).
    extra: tuple[tuple[str, str, int], ...] = ()
    maintainer_scripts: tuple[str, ...] = ()


QT_SYSTEM = (
    # OpenGL and EGL come from the machine's drivers (never bundled), with libxcb (the X
    # connection), the DRM and Wayland client libraries that belong to them.
    "libgl1",
    "libegl1",
    "libxcb1",
    "libdrm2",
    "libwayland-client0",
    # data the bundled fontconfig and xkbcommon read from the machine
    "fontconfig-config",
    "xkb-data",
)
#: Only Qt's Wayland platform plugin needs these; without them Qt uses X11 (XWayland).
QT_WAYLAND = ("libwayland-cursor0", "libwayland-egl1")

BUNDLES = (
    Bundle(
        name="hemicycle",
        spec="hemicycle.spec",
        programs=("hemicycle", "hemicycle-console"),
        package="hemicycle",
        summary="Hemicycle delegate app and secretary console",
        description=(
            "The delegate's app (agenda, documents, check-in and votes, online or offline) and\n"
            "the secretariat's console of a Hemicycle paperless meeting room. Self-contained:\n"
            "Python, Qt and PyMuPDF are inside /usr/lib/hemicycle."
        ),
        depends=QT_SYSTEM,
        recommends=QT_WAYLAND,
        extra=(
            ("linux/hemicycle.desktop", "usr/share/applications/hemicycle.desktop", 0o644),
            (
                "linux/hemicycle-console.desktop",
                "usr/share/applications/hemicycle-console.desktop",
                0o644,
            ),
        ),
    ),
    Bundle(
        name="hemicycle-server",
        spec="hemicycle-server.spec",
        programs=("hemicycle-server",),
        package="hemicycle-server",
        summary="Hemicycle room server",
        description=(
            "The room server of a Hemicycle paperless meeting room: TLS WebSockets on the\n"
            "hall's LAN, SQLite or PostgreSQL, LAN discovery, enrollment cards. Self-contained\n"
            "(Python is inside /usr/lib/hemicycle-server); one systemd instance per room,\n"
            "hemicycle-server@ROOM, serving /var/lib/hemicycle/ROOM as the hemicycle user."
        ),
        depends=("passwd",),
        extra=(
            (
                "systemd/hemicycle-server@.service",
                "usr/lib/systemd/system/hemicycle-server@.service",
                0o644,
            ),
            ("../docs/operations.md", "usr/share/doc/hemicycle-server/operations.md", 0o644),
        ),
        maintainer_scripts=("postinst", "prerm", "postrm"),
    ),
)


def say(text: str) -> None:
    print(f"package: {text}", flush=True)


def project_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(project["project"]["version"])


def run(
    argv: Sequence[str | Path],
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    """Run a command with its output in ``log``, shown (the end of it) only if it fails."""
    args = [str(a) for a in argv]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            args, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env, check=False
        )
    if done.returncode != 0:
        sys.stdout.write(log.read_text(encoding="utf-8")[-20_000:])
        raise SystemExit(f"package: {args[0]} failed (exit {done.returncode}); log: {log}")


# ------------------------------------------------------------------------------ 1. the wheel


def build_wheel(build: Path) -> Path:
    """Hemicycle's wheel, unpacked into ``build/site``; returns that folder."""
    # setuptools builds in the tree's build/lib and never empties it (see `make wheel`).
    for stale in (ROOT / "build" / "lib", *ROOT.glob("build/bdist.*")):
        shutil.rmtree(stale, ignore_errors=True)
    wheels = build / "wheel"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            wheels,
            ROOT,
        ],
        log=build / "wheel.log",
        cwd=ROOT,
    )
    [wheel] = wheels.glob("hemicycle-*.whl")
    site = build / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


# ----------------------------------------------------------------------------- 2. freezing


def freeze(bundle: Bundle, build: Path, site: Path) -> float:
    """Run PyInstaller on the bundle's spec; returns the seconds it took."""
    started = time.monotonic()
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            build / "frozen",
            "--workpath",
            build / "work",
            HERE / "pyinstaller" / bundle.spec,
        ],
        log=build / f"{bundle.name}.log",
        cwd=build,
        env={**os.environ, "HEMICYCLE_SITE": str(site)},
    )
    return time.monotonic() - started


# ------------------------------------------------------------------- 3. checks and BUILD-INFO


def locked() -> dict[str, list[str]]:
    """The runtime lock's pins that apply to this Python and platform: name -> versions."""
    pins: dict[str, list[str]] = {}
    pin = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        found = pin.match(line)
        if found and (found[3] is None or Marker(found[3]).evaluate()):
            pins.setdefault(canonicalize_name(found[1]), []).append(found[2])
    return pins


def contents(folder: Path) -> dict[str, str]:
    """The distributions in a build, from the ``.dist-info`` folders PyInstaller copied."""
    found: dict[str, str] = {}
    for info in sorted((folder / "_internal").glob("*.dist-info")):
        fields = dict(
            line.split(": ", 1)
            for line in (info / "METADATA").read_text(encoding="utf-8").splitlines()
            if ": " in line and not line.startswith(" ")
        )
        found[canonicalize_name(fields["Name"])] = fields["Version"]
    return found


def elf_files(folder: Path) -> list[Path]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    out.append(path)
    return out


#: The system libraries the apps may need that a build machine may lack (PyInstaller then
#: could not bundle them either, and dpkg cannot say whose they are): never bundled anyway.
NOT_HERE = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libdrm.so.2": "libdrm2",
    "libxcb.so.1": "libxcb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}


def system_libraries(folder: Path) -> dict[str, Path | None]:
    """Every shared library a binary of the build loads from the machine: name -> path, or
    None where this machine does not have it (PyInstaller could not bundle it either)."""
    internal = folder / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    needed: dict[str, Path | None] = {}
    for path in elf_files(folder):
        out = subprocess.run(
            ["ldd", str(path)], capture_output=True, text=True, env=env, check=False
        ).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1] == "=>":
                if parts[2] == "not":
                    if parts[0] not in NOT_HERE:
                        raise SystemExit(f"package: {path} needs {parts[0]}, found nowhere")
                    needed[parts[0]] = None
                    continue
                where = Path(parts[2]).resolve()
                if not where.is_relative_to(folder.resolve()):
                    needed[parts[0]] = where
    return dict(sorted(needed.items()))


def glibc_needed(folder: Path) -> str:
    """The newest GLIBC symbol version any binary of the build asks for (e.g. ``2.35``)."""
    newest = (2, 0)
    for path in elf_files(folder):
        out = subprocess.run(
            ["readelf", "-V", "--wide", str(path)], capture_output=True, text=True, check=False
        ).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def debian_packages(paths: list[Path]) -> dict[Path, str]:
    """Which installed Debian package each file belongs to (``dpkg -S``)."""
    owners = {}
    for path in paths:
        done = subprocess.run(
            ["dpkg", "-S", str(path)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:  # merged /usr: dpkg knows /lib/… where the file is /usr/lib/…
            alias = Path(str(path).removeprefix("/usr")) if str(path).startswith("/usr/") else path
            done = subprocess.run(
                ["dpkg", "-S", str(alias)], capture_output=True, text=True, check=False
            )
        if done.returncode == 0:
            owners[path] = done.stdout.split(":")[0].strip()
    return owners


def provided_by(packages: tuple[str, ...]) -> set[str]:
    """The packages, and those they depend on directly (as installed here: ``libgl1`` brings
    ``libglx0``), by name without architecture."""
    found = set(packages)
    for package in packages:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Depends}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        for alternative in re.split(r"[,|]", done.stdout):
            if alternative.strip():
                found.add(alternative.split()[0].split(":")[0])
    return found


def source_revision() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty=+local changes"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not (ROOT / ".git").exists():
        return "not a git checkout"
    return f"git {done.stdout.strip()}"


def machine() -> str:
    try:
        release = platform.freedesktop_os_release()["PRETTY_NAME"]
    except OSError:
        release = platform.system()
    libc, libc_version = platform.libc_ver()
    return f"{release}, {platform.machine()}, {libc} {libc_version}"


def check_dependencies(bundle: Bundle, libraries: dict[str, Path | None]) -> dict[str, str]:
    """Fail unless the Debian package depends on (a package that brings) every package the
    build's system libraries come from; returns library path (or name) -> package."""
    others = [p for n, p in libraries.items() if p is not None and not BASE_LIBRARIES.match(n)]
    owners = {str(p): name for p, name in debian_packages(others).items()}
    owners |= {name: NOT_HERE[name] for name, p in libraries.items() if p is None}
    if len(owners) == len(libraries) - len([n for n in libraries if BASE_LIBRARIES.match(n)]):
        missing = sorted(
            set(owners.values()) - provided_by(bundle.depends) - set(bundle.recommends)
        )
        if missing:
            raise SystemExit(
                f"package: {bundle.name} needs libraries from {missing}, which its Debian "
                "package does not depend on: add them to Bundle.depends in packaging/build.py"
            )
    else:
        say(f"{bundle.name}: dpkg does not know every system library; dependencies not checked")
    return owners


def check_and_describe(bundle: Bundle, folder: Path, version: str) -> str:
    """Check the build against the lock and the package's dependencies; write BUILD-INFO.

    Returns the oldest glibc the build runs on (on Linux; elsewhere only BUILD-INFO is
    written, from what is portable: versions, the lock, Python).
    """
    pins = locked()
    inside = contents(folder)
    wrong = [
        f"{name} {have} (locked: {' or '.join(pins[name])})"
        for name, have in inside.items()
        if name in pins and have not in pins[name]
    ]
    if wrong:
        raise SystemExit(f"package: {bundle.name} holds versions the lock does not pin: {wrong}")
    left_out = {name: versions for name, versions in pins.items() if name not in inside}
    linux = sys.platform == "linux"
    libraries = system_libraries(folder) if linux else {}
    glibc = glibc_needed(folder) if linux else ""
    owners = check_dependencies(bundle, libraries) if linux else {}
    lock_hash = hashlib.sha256((folder / LOCK_IN_BUILD).read_bytes()).hexdigest()
    if (folder / LOCK_IN_BUILD).read_bytes() != LOCK.read_bytes():
        raise SystemExit(f"package: {bundle.name} carries another lock than {LOCK}")
    import PyInstaller

    built = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    lines = [
        f"Hemicycle {version}: {', '.join(bundle.programs)} (PyInstaller one-folder build)",
        f"Built: {built.replace('+00:00', 'Z')} on {machine()}",
        f"Python: {platform.python_version()} ({platform.python_implementation()}), "
        f"PyInstaller {PyInstaller.__version__}",
        f"Source: {source_revision()}",
        f"Lock: {LOCK_IN_BUILD} (the lock the wheel carries), sha256 {lock_hash}",
        f"Runs on: {platform.system()} {platform.machine()}"
        + (f" with glibc {glibc} or newer" if linux else ""),
        "",
        "Contains:",
        *(f"  {name} {have}" for name, have in inside.items()),
        "",
        "Left out (locked, but never imported by these programs):",
        *(f"  {name} {' or '.join(versions)}" for name, versions in left_out.items()),
        "",
    ]
    if linux:
        lines += [
            "Needs from the system (library, and the Debian package it came from here):",
            *(
                f"  {name} ({owners.get(str(path) if path else name, '?')})"
                for name, path in libraries.items()
                if not BASE_LIBRARIES.match(name)
            ),
            f"  the C library, glibc {glibc} or newer (libc6)",
            "",
        ]
    (folder / "BUILD-INFO").write_text("\n".join(lines), encoding="utf-8")
    return glibc


# ------------------------------------------------------------------------------ 4. artefacts


def _as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def tarball(folder: Path, dist: Path, version: str) -> Path:
    """``<name>-<version>-linux-x86_64.tar.gz`` with the folder as ``<name>-<version>/``."""
    out = dist / f"{folder.name}-{version}-linux-x86_64.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=f"{folder.name}-{version}", filter=_as_root)
        install = HERE / "linux" / "INSTALL.txt"
        tar.add(install, arcname=f"{folder.name}-{version}/INSTALL.txt", filter=_as_root)
    return out


def installed_size(tree: Path) -> int:
    """In KiB, as dpkg counts it."""
    total = 0
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            total += (path.stat().st_size + 1023) // 1024
        else:
            total += 1
    return total


def debian_package(
    bundle: Bundle, folder: Path, build: Path, dist: Path, version: str, glibc: str
) -> Path:
    """``<package>_<version>_amd64.deb``: the folder in /usr/lib/<package>, its programs in
    /usr/bin, the extra files, the maintainer scripts."""
    tree = build / "deb" / bundle.package
    shutil.rmtree(tree, ignore_errors=True)
    lib = tree / "usr" / "lib" / bundle.package
    lib.parent.mkdir(parents=True)
    shutil.copytree(folder, lib, symlinks=True)
    (tree / "usr" / "bin").mkdir(parents=True)
    for program in bundle.programs:
        (tree / "usr" / "bin" / program).symlink_to(f"../lib/{bundle.package}/{program}")
    for source, target, mode in bundle.extra:
        path = tree / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile((HERE / source).resolve(), path)
        path.chmod(mode)
    doc = tree / "usr" / "share" / "doc" / bundle.package
    doc.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / "BUILD-INFO", doc / "BUILD-INFO")
    shutil.copyfile(HERE / "debian" / "copyright", doc / "copyright")
    for path in tree.rglob("*"):  # whatever umask the build ran under
        if path.is_dir():
            path.chmod(0o755)
        elif path.is_file() and not path.is_symlink():
            path.chmod(0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644)

    control = tree / "DEBIAN"
    control.mkdir()
    description = "\n".join(
        f" {line}" if line else " ." for line in bundle.description.splitlines()
    )
    fields = {
        "Package": bundle.package,
        "Version": version,
        "Architecture": "amd64",
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_size(tree)),
        "Depends": ", ".join([f"libc6 (>= {glibc})", *bundle.depends]),
        "Recommends": ", ".join(bundle.recommends),
        "Section": "misc",
        "Priority": "optional",
        "Description": f"{bundle.summary}\n{description}",
    }
    (control / "control").write_text(
        "".join(f"{key}: {value}\n" for key, value in fields.items() if value), encoding="utf-8"
    )
    sums = []
    for path in sorted(tree.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.parts:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            sums.append(f"{digest}  {path.relative_to(tree)}\n")
    (control / "md5sums").write_text("".join(sums), encoding="utf-8")
    (control / "md5sums").chmod(0o644)
    (control / "control").chmod(0o644)
    for script in bundle.maintainer_scripts:
        shutil.copyfile(HERE / "debian" / bundle.package / script, control / script)
        (control / script).chmod(0o755)
    out = dist / f"{bundle.package}_{version}_amd64.deb"
    run(
        ["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", tree, out],
        log=build / f"{bundle.package}.deb.log",
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "package")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--reuse", action="store_true", help="keep build/package/frozen if it is there"
    )
    parser.add_argument(
        "--frozen-only",
        action="store_true",
        help="only the frozen folders in build/package/frozen, with their BUILD-INFO, no "
        "tarball or package: what the Windows installer is made from (packaging/README.md)",
    )
    parser.add_argument(
        "--only", choices=[b.name for b in BUNDLES], action="append", help="this build only"
    )
    args = parser.parse_args(argv)
    build, dist = args.build_dir.resolve(), args.dist.resolve()
    bundles = [b for b in BUNDLES if not args.only or b.name in args.only]
    version = project_version()
    needed = ("ldd", "readelf", "objcopy") if sys.platform == "linux" else ()
    for tool in (*needed, *(() if args.frozen_only else ("dpkg-deb",))):
        if shutil.which(tool) is None:
            raise SystemExit(f"package: {tool} is missing (apt install dpkg binutils libc-bin)")
    started = time.monotonic()
    timings: dict[str, float] = {}
    if not (args.reuse and (build / "frozen").is_dir()):
        shutil.rmtree(build, ignore_errors=True)
        build.mkdir(parents=True)
        say(f"building the wheel of Hemicycle {version}")
        site = build_wheel(build)
        for bundle in bundles:
            say(f"freezing {bundle.name} (log: {build / bundle.name}.log)")
            timings[bundle.name] = freeze(bundle, build, site)
    dist.mkdir(parents=True, exist_ok=True)
    made = []
    for bundle in bundles:
        folder = build / "frozen" / bundle.name
        say(f"checking {bundle.name} and writing its BUILD-INFO")
        step = time.monotonic()
        glibc = check_and_describe(bundle, folder, version)
        timings[f"{bundle.name} checks"] = time.monotonic() - step
        if args.frozen_only:
            continue
        for old in (
            *dist.glob(f"{bundle.name}-*-linux-x86_64.tar.gz"),
            *dist.glob(f"{bundle.package}_*_amd64.deb"),
        ):
            old.unlink()
        step = time.monotonic()
        made.append(tarball(folder, dist, version))
        made.append(debian_package(bundle, folder, build, dist, version, glibc))
        timings[f"{bundle.name} artefacts"] = time.monotonic() - step
    timings["total"] = time.monotonic() - started
    for path in made:
        say(
            f"{path.relative_to(dist.parent) if path.is_relative_to(dist.parent) else path}: "
            f"{path.stat().st_size / 1e6:.1f} MB"
        )
    say("took " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
