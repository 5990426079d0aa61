"""Compiling the Qt translation catalogues, ``.ts`` -> ``.qm``: the one place it is done.

``.qm`` files are build products, never committed: the ``.ts`` next to them is what translators
edit and what review sees. Three builds need them, and all three call :func:`compile_catalogs`:

* ``make translations`` (``python -m ui.catalogs``), for a source checkout (``make demo``);
* the wheel build (``setup.py``), into the package data the installed apps read;
* the Qt tests, into a temporary folder, so they never depend on a stale tree.

This module imports no Qt: the wheel build runs it before the package is installed. It runs
``pyside6-lrelease``, the wrapper PySide6 installs beside its interpreter.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from app.resources import translations_dir

__all__ = ["compile_catalogs", "lrelease"]


def lrelease() -> str:
    """The ``pyside6-lrelease`` of this interpreter's environment, else the one on ``PATH``.

    A build environment that pip isolates puts its scripts on ``PATH`` only, hence the second.
    """
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return str(beside)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise FileNotFoundError(
            "pyside6-lrelease is needed to compile the translations; install PySide6-Essentials"
        )
    return found


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Compile every ``source/*.ts`` into ``target/<same name>.qm``; return the files written.

    A catalogue that does not compile stops the build: shipping the app without a language
    it claims to have is worse than no build.
    """
    tool = lrelease()
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ts in sorted(source.glob("*.ts")):
        qm = target / f"{ts.stem}.qm"
        done = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True
        )
        if done.returncode != 0 or not qm.is_file():
            output = (done.stderr or done.stdout).strip()
            raise RuntimeError(f"{ts.name} does not compile: {output or 'lrelease failed'}")
        written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="compile the .ts translations to .qm")
    parser.add_argument(
        "target", nargs="?", type=Path, help="folder for the .qm files (default: beside the .ts)"
    )
    args = parser.parse_args(argv)
    source = translations_dir()
    compile_catalogs(source, args.target or source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
