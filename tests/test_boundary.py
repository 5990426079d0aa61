"""app/ and server/ stay Qt-free: importing all of them must not load PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, pkgutil, sys
import app, server
for pkg in (app, server):
    for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        if ".migrations.versions." in mod.name or mod.name.endswith("migrations.env"):
            continue
        importlib.import_module(mod.name)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))
print(",".join(leaked))
"""


def test_importing_app_and_server_leaves_qt_out() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "", f"Qt or ui modules leaked into app/server: {out.stdout}"


def test_no_source_in_app_or_server_mentions_pyside() -> None:
    for path in [*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("server").rglob("*.py")]:
        assert "PySide6" not in path.read_text(encoding="utf-8"), path


def test_the_serving_process_does_not_load_the_pdf_library() -> None:
    """PyMuPDF and the QR encoder cost ~100 MB of RSS; only printing codes needs them. The
    PostgreSQL driver loads only for a room on PostgreSQL."""
    probe = "import sys, server.cli, server.transport; print(sorted(m for m in ('pymupdf', 'fitz', 'segno', 'psycopg') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "[]"
