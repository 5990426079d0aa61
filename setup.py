"""The wheel build: everything is declared in ``pyproject.toml`` except this one build step.

The top-level ``resources/`` folder (fonts, style sheet, translations, sample roster and
meeting) stays the one place those files are edited, yet an installed program must find them
without a source tree. So building the wheel copies the shipped files into the ``app`` package
as ``app/_resources/`` (where :mod:`app.resources` looks first) and compiles the translations
into ``.qm`` catalogues there with :func:`ui.catalogs.compile_catalogs`.

Why a build step and not ``package-dir``/``package-data`` alone: the ``.qm`` catalogues are
never committed, so something has to compile them during the build anyway, and doing the copy in
the same step keeps the build tree free of stale ``.qm`` files left in ``resources/`` by
``make translations``. Only the build tree (``build/lib``) is written, never the source tree.

An editable install (``make``, ``pip install -e``) skips the step: it runs from the source tree,
where the locator finds ``resources/`` itself. Building needs PySide6's ``lrelease``, hence
``PySide6-Essentials`` among the build requirements.

The same step copies the runtime lock, ``requirements/runtime.txt``, beside the resources: a
build carries the exact versions it was built and tested with, which ``--version --verbose``
lists (:mod:`app.version`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from app.resources import PACKAGED_DIR  # noqa: E402  (needs ROOT on the path)
from app.version import LOCK_FILE  # noqa: E402
from ui.catalogs import compile_catalogs  # noqa: E402

#: What of ``resources/`` ships; the ``.qm`` catalogues are compiled, not copied.
SHIPPED = ("fonts/*.ttf", "styles/*.qss", "translations/*.ts", "sample/*.csv", "sample/*.json")


class BuildPyWithResources(build_py):
    """``build_py`` that also puts the resources and compiled catalogues into the build tree."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        source = ROOT / "resources"
        target = Path(self.build_lib) / "app" / PACKAGED_DIR
        shutil.rmtree(target, ignore_errors=True)  # nothing left over from an earlier build
        for pattern in SHIPPED:
            for path in sorted(source.glob(pattern)):
                dest = target / path.relative_to(source)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
        (target / LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / LOCK_FILE, target / LOCK_FILE)
        compile_catalogs(source / "translations", target / "translations")


setup(cmdclass={"build_py": BuildPyWithResources})
