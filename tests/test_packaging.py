"""The built wheel works without the source tree: resources ship inside it as package data.

One wheel is built from a copy of the sources (so nothing stale from ``build/`` or a compiled
``.qm`` in ``resources/`` can sneak in), installed into a fresh virtual environment outside the
tree, and used from a folder outside the tree the way IT staff would: ``init``, ``roster
import`` of the sample roster the wheel carries, and ``enroll --all --sheet`` printing cards
with the embedded Noto fonts. Dependencies come from this test run's own environment through a
``.pth`` file, so nothing is downloaded again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pymupdf
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: What a build needs from the source tree; everything else (tests, docs, caches) stays out.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "app", "server", "ui")

PROBE = """
import json, sys
from PySide6.QtCore import QTranslator
import app.resources as r

context, source = sys.argv[1:3]
catalog = r.translations_dir() / "hemicycle_vi.qm"
translator = QTranslator()
print(json.dumps({
    "module": r.__file__,
    "resources": str(r.resource_dir()),
    "style_sheet": (r.styles_dir() / "hemicycle.qss").is_file(),
    "loaded": translator.load(str(catalog)),
    "translated": translator.translate(context, source),
    "missing_fonts": r.missing_fonts(),
    "sample": str(r.sample_dir() / "roster.csv"),
}))
"""


def run(argv: list[str], cwd: Path, timeout: float = 120) -> str:
    """Run a command with no trace of the source tree in its environment; return stdout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def a_translated_message() -> tuple[str, str, str]:
    """(context, source, translation) of one finished message in the committed .ts."""
    tree = ET.parse(ROOT / "resources" / "translations" / "hemicycle_vi.ts")
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.text and not translation.get("type"):
                return name, message.findtext("source", ""), translation.text
    raise AssertionError("hemicycle_vi.ts has no finished translation")


def copy_sources(target: Path) -> None:
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm")
    for name in (*SOURCES, "resources"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def test_installed_wheel_prints_cards_and_finds_its_resources(tmp_path: Path) -> None:
    src, dist, venv, work = (tmp_path / n for n in ("src", "dist", "venv", "work"))
    copy_sources(src)
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
            str(dist),
            str(src),
        ],
        cwd=tmp_path,
    )
    [wheel] = dist.glob("hemicycle-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "app/_resources/fonts/NotoSans-Regular.ttf",
        "app/_resources/fonts/NotoSans-Bold.ttf",
        "app/_resources/styles/hemicycle.qss",
        "app/_resources/translations/hemicycle_vi.qm",  # compiled by the build
        "app/_resources/sample/roster.csv",
        "app/_resources/sample/meeting.json",
    ):
        assert shipped in names

    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=tmp_path,
        ).strip()
    )
    # The dependencies of this test run; its editable hemicycle is not seen, since .pth files
    # are read only in site directories and this one is merely added to the path.
    (purelib / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=tmp_path,
    )

    work.mkdir()
    context, source, translation = a_translated_message()
    found = json.loads(run([str(python), "-c", PROBE, context, source], cwd=work))
    assert Path(found["module"]).is_relative_to(venv)
    assert Path(found["resources"]).is_relative_to(venv)
    assert found["style_sheet"] is True
    assert found["loaded"] is True
    assert found["translated"] == translation
    assert found["missing_fonts"] == []

    server = str(venv / "bin" / "hemicycle-server")
    run([server, "init", "room", "--name", "Đại hội XIV", "--host", "127.0.0.1"], cwd=work)
    out = run([server, "roster", "import", "room", found["sample"]], cwd=work)
    assert "40 new" in out
    out = run([server, "enroll", "room", "--all", "--sheet", "cards.pdf"], cwd=work)
    assert "40 enrollment cards on 5 pages" in out

    with pymupdf.open(work / "cards.pdf") as pdf:
        assert pdf.page_count == 5
        # (xref, ext, type, "SUBSET+Name", ...): a font program of type ttf is embedded.
        embedded = {f[3].split("+")[-1] for f in pdf.get_page_fonts(0) if f[1] == "ttf"}
        assert {"Noto Sans Regular", "Noto Sans Bold"} <= embedded
        text = pdf[0].get_text()
    assert "Nguyễn Thị Hồng Nhung" in text
    assert "Đại hội XIV" in text
