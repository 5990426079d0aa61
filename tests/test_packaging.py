"""The wheelhouse installs on a machine without network, and the installed programs work
without the source tree: resources ship inside the wheel as package data.

``make wheelhouse`` runs on a copy of the sources (so nothing stale from ``build/`` or a
compiled ``.qm`` in ``resources/`` can sneak in) with this test run's tools: it downloads every
locked wheel (from pip's cache, mostly: ``make`` installed the same files) and builds
Hemicycle's. A fresh virtual environment outside the tree installs from that folder alone, the
way the IT staff's one command does it, with pip's configuration and indexes off and any attempt
to reach a network sent to a closed port. That installation is then used from a folder outside
the tree as IT staff would: ``--version`` of each program, ``init``, ``roster import`` of the
sample roster the wheel carries, and ``enroll --all --sheet`` printing cards with the embedded
Noto fonts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from app.protocol import PROTOCOL_VERSION
from app.version import version

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: What a build needs from the source tree; everything else (tests, docs, caches) stays out.
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "Makefile",
    "requirements",
    "app",
    "server",
    "ui",
)
#: pip with nothing but its command line (no configuration file; the PIP_ variables are
#: dropped too), and a proxy on a closed port for anything that would reach out.
CLOSED = "http://127.0.0.1:9"
OFFLINE = {
    "PIP_CONFIG_FILE": os.devnull,
    **{name: CLOSED for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
    **{name: "" for name in ("NO_PROXY", "no_proxy")},
}


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


def clean_env(offline: bool = False, **extra: str) -> dict[str, str]:
    """This environment with no trace of the source tree, nor a display, plus ``extra``; with
    ``offline``, pip sees no setting but its command line and cannot reach a network."""
    hidden = ("PYTHONPATH", "PYTHONHOME", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    if offline:
        env = {k: v for k, v in env.items() if not k.startswith("PIP_") and k not in OFFLINE}
        env |= OFFLINE
    return env | extra


def run(
    argv: list[str],
    cwd: Path,
    timeout: float = 120,
    offline: bool = False,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> str:
    """Run a command in :func:`clean_env` (plus ``env``), feeding it ``stdin``; it must
    succeed. Return stdout."""
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=clean_env(offline, **(env or {})),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
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


def copy_sources(target: Path, extra: tuple[str, ...] = ()) -> None:
    """What a build needs of the tree, and the ``extra`` files or folders (``packaging``)."""
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm")
    for name in (*SOURCES, "resources", *extra):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@dataclass(frozen=True)
class Installed:
    """A virtual environment installed from the wheelhouse alone."""

    wheelhouse: Path
    venv: Path
    work: Path  # an empty folder outside the source tree, to run the programs from


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("packaging")
    src, wheelhouse, venv, work = (tmp / n for n in ("src", "wheelhouse", "venv", "work"))
    copy_sources(src)
    # This run's own tools (make's STAMP would create and fill another .venv in the copy).
    bin_dir = Path(sys.executable).parent
    run(
        [
            "make",
            "-C",
            str(src),
            "wheelhouse",
            f"BIN={bin_dir}",
            "STAMP=",
            f"WHEELHOUSE={wheelhouse}",
        ],
        cwd=tmp,
        timeout=600,
    )
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    pip = str(venv / "bin" / "pip")
    # What packaging/README.md and docs/operations.md tell IT staff to type.
    run(
        [
            pip,
            "install",
            "-q",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "--require-hashes",
            "-r",
            str(wheelhouse / "requirements.txt"),
        ],
        cwd=tmp,
        timeout=600,
        offline=True,
    )
    work.mkdir()
    return Installed(wheelhouse, venv, work)


def test_the_wheelhouse_is_the_lock_and_the_wheel(installed: Installed) -> None:
    wanted = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    listed = (installed.wheelhouse / "requirements.txt").read_text(encoding="utf-8")
    assert listed.startswith(wanted)
    assert f"hemicycle=={version()} --hash=sha256:" in listed.removeprefix(wanted)
    # For the room server's platform only: Linux on x86_64, or pure Python.
    for wheel in installed.wheelhouse.glob("*.whl"):
        platforms = wheel.stem.split("-")[-1].split(".")
        assert all(p == "any" or p.startswith("manylinux") for p in platforms), wheel.name
        assert all(p == "any" or p.endswith("_x86_64") for p in platforms), wheel.name


@pytest.mark.parametrize("program", ["hemicycle-server", "hemicycle", "hemicycle-console"])
def test_installed_programs_say_their_version(installed: Installed, program: str) -> None:
    out = run([str(installed.venv / "bin" / program), "--version"], cwd=installed.work)
    assert out == f"{program} {version()} (protocol {PROTOCOL_VERSION})\n"


def test_installed_build_lists_the_lock_it_carries(installed: Installed) -> None:
    server = str(installed.venv / "bin" / "hemicycle-server")
    lines = run([server, "--version", "--verbose"], cwd=installed.work).splitlines()
    [where] = [line for line in lines if line.startswith("locked in ")]
    carried = Path(where.removeprefix("locked in ").removesuffix(":"))
    assert carried.is_relative_to(installed.venv)
    assert carried.parts[-4:] == ("app", "_resources", "requirements", "runtime.txt")
    assert carried.read_text() == (ROOT / "requirements" / "runtime.txt").read_text()
    # Installed from the wheelhouse: exactly the locked versions, nothing missing.
    assert [line for line in lines if ", but " in line] == []


def test_installed_wheel_prints_cards_and_finds_its_resources(installed: Installed) -> None:
    [wheel] = installed.wheelhouse.glob("hemicycle-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "app/_resources/fonts/NotoSans-Regular.ttf",
        "app/_resources/fonts/NotoSans-Bold.ttf",
        "app/_resources/styles/hemicycle.qss",
        "app/_resources/translations/hemicycle_vi.qm",  # compiled by the build
        "app/_resources/sample/roster.csv",
        "app/_resources/sample/meeting.json",
        "app/_resources/requirements/runtime.txt",  # the lock it was built with
    ):
        assert shipped in names

    venv, work = installed.venv, installed.work
    python = venv / "bin" / "python"
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
