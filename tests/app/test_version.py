"""``--version`` of the three programs, from the one version in ``pyproject.toml``.

Each program runs in a subprocess with no display and no Qt platform: were it to build a
QApplication, Qt would abort for want of a screen, and the script also checks that PySide6 was
never imported. The installed programs answer the same in tests/test_packaging.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from app import version
from app.protocol import PROTOCOL_VERSION

ROOT = Path(__file__).resolve().parents[2]

#: Command name -> the module whose ``main`` its console script runs (pyproject.toml).
PROGRAMS = {
    "hemicycle-server": "server.cli",
    "hemicycle": "ui.delegate.main",
    "hemicycle-console": "ui.console.main",
}

#: What each console script does, and then whether Qt got loaded.
SCRIPT = """
import sys
from {module} import main
status = main()
print("Qt loaded" if "PySide6" in sys.modules else "Qt not loaded")
sys.exit(status)
"""


def declared_version() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(pyproject["project"]["version"])


def run_program(program: str, *args: str) -> list[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    }
    script = SCRIPT.format(module=PROGRAMS[program])
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_the_scripts_are_these_modules() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = pyproject["project"]["scripts"]
    assert {name: target.split(":")[0] for name, target in scripts.items()} == PROGRAMS


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_version_prints_version_and_protocol_without_qt(program: str) -> None:
    lines = run_program(program, "--version")
    assert lines == [
        f"{program} {declared_version()} (protocol {PROTOCOL_VERSION})",
        "Qt not loaded",
    ]


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_verbose_version_lists_the_lock_against_what_is_installed(program: str) -> None:
    lines = run_program(program, "--version", "--verbose")
    assert lines[0] == f"{program} {declared_version()} (protocol {PROTOCOL_VERSION})"
    assert lines[1].startswith(f"Python {sys.version.split()[0]} (CPython) on ")
    assert lines[2] == f"locked in {ROOT / 'requirements' / 'runtime.txt'}:"
    # make installs exactly the lock, so the tests run on it: nothing differs.
    listed = lines[3:-1]
    assert [line for line in listed if ", but " in line] == []
    assert "  pyside6-essentials " + metadata.version("PySide6-Essentials") in listed
    assert lines[-1] == "Qt not loaded"


def test_version_comes_from_pyproject_without_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    """A source tree never installed has no metadata: pyproject.toml says."""

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert version.version() == declared_version()


def test_details_flag_what_is_not_the_locked_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lock = tmp_path / "runtime.txt"
    lock.write_text(
        "# via\n"
        "alembic==1.20.1 \\\n"
        "    --hash=sha256:aa\n"
        "numpy==2.4.6 ; python_full_version < '3.12' \\\n"
        "    --hash=sha256:bb\n"
        "numpy==2.5.5 ; python_full_version >= '3.12' \\\n"
        "    --hash=sha256:cc\n"
        "pywin32-ctypes==0.2.3 ; sys_platform == 'win32' \\\n"
        "    --hash=sha256:dd\n"
        "segno==1.6.6 \\\n"
        "    --hash=sha256:ee\n"
        "zeroconf==0.154.0\n",
        encoding="utf-8",
    )
    there = {"alembic": "1.21.0", "numpy": "2.5.5", "zeroconf": "0.154.0"}
    monkeypatch.setattr(version, "lock_file", lambda: lock)
    monkeypatch.setattr(version, "installed", there.get)
    assert version.details()[1:] == [
        f"locked in {lock}:",
        "  alembic 1.20.1, but installed 1.21.0",
        "  numpy 2.5.5",
        # pywin32-ctypes is for Windows only: not installed here, as it should be
        "  segno 1.6.6, but not installed",
        "  zeroconf 0.154.0",
    ]
