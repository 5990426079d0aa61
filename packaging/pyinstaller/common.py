"""What the three PyInstaller specs share: where Hemicycle comes from, what to leave out, and
the package metadata that goes into every build.

**Hemicycle itself comes from its wheel, not the source tree.** ``packaging/build.py`` unpacks
the wheel ``make package`` built into ``build/package/site`` (``$HEMICYCLE_SITE``), and the specs
put that folder first on the analysis path. So a frozen build holds exactly what the wheel holds:
the modules, ``app/_resources/`` (fonts, style sheet, the compiled ``.qm`` catalogues, the
samples, the lock the wheel was built from; where :mod:`app.resources` and :mod:`app.version`
look) and ``hemicycle-<version>.dist-info`` (so ``--version`` reads the version and not
``unknown``). The third-party packages come from the environment running PyInstaller, the
project's ``.venv``: the locked versions.

**Left out**: what the programs never import. ``import pymupdf`` imports its layout add-on
(``pymupdf.layout`` → ``pymupdf4llm``, onnxruntime, numpy, networkx …) when it is installed,
and only catches the ImportError when it is not; Hemicycle never uses it and hides it from
PyMuPDF where it renders or checks PDFs (``app/render_worker.py``, ``server/pdfcheck.py``). The
server leaves out Qt, the apps leave out the server, its database drivers and migrations.

**Qt's GTK 3 platform theme** is left out of the apps too (:func:`drop_binaries`): Hemicycle
draws itself with the Fusion style and its own palette and never asks GTK, and the plugin would
load the machine's GTK against the cairo, pango and GLib copied from the build machine.

**Metadata**: for ``--version --verbose`` (and the About box) to list what a build contains,
every distribution of which a module or library ended up in the build gets its
``.dist-info`` copied (:func:`add_metadata`, after the analysis, when that is known).
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITE = Path(os.environ.get("HEMICYCLE_SITE", ROOT / "build" / "package" / "site")).resolve()

#: Never imported by any Hemicycle program (see the module docstring), or only by tools.
EXCLUDES = [
    "pymupdf.layout",
    "pymupdf4llm",
    "pymupdf_layout",
    "onnxruntime",
    "numpy",
    "networkx",
    "sympy",
    "yaml",
    "tabulate",
    "tkinter",
    "pytest",
    "setuptools",
    "pip",
    "PyInstaller",
    "IPython",
    # Optional drivers SQLAlchemy's hook names; Hemicycle uses sqlite3 and psycopg (3).
    "pysqlite2",
    "MySQLdb",
    "psycopg2",
    # The development-only parts of Hemicycle.
    "ui.demo",
    "ui.catalogs",
]
#: The apps talk to a room; they are not one.
CLIENT_EXCLUDES = [*EXCLUDES, "server", "sqlalchemy", "alembic", "psycopg", "psycopg_binary"]
#: The room server has no screen.
SERVER_EXCLUDES = [*EXCLUDES, "PySide6", "shiboken6", "ui", "zxingcpp"]

#: Imported in ways the analysis cannot see.
SERVER_HIDDEN = [
    "server.pdfinspect",  # by the PDF-checking child, from a string (server/pdfcheck.py)
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",  # a PostgreSQL room: [database] url
    "psycopg",
    "psycopg_binary",
    "psycopg_binary.pq",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
]
CLIENT_HIDDEN = [
    "app.render_worker",  # the reader's render process: this executable again
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
]


def hemicycle_datas(*, server: bool) -> list[tuple[str, str]]:
    """The wheel's package data and metadata, and for the server its migration scripts (which
    Alembic reads as files, so they are data, not modules)."""
    [dist_info] = SITE.glob("hemicycle-*.dist-info")
    datas = [
        (str(SITE / "app" / "_resources"), "app/_resources"),
        (str(dist_info), dist_info.name),
    ]
    if server:
        migrations = SITE / "server" / "migrations"
        for path in sorted(migrations.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".ini", ".mako"):
                target = path.parent.relative_to(SITE)
                datas.append((str(path), str(target)))
    return datas


def analysis_options(script: str, *, server: bool) -> dict[str, Any]:
    """Keyword arguments for ``Analysis`` of one launcher in this folder."""
    return {
        "scripts": [str(HERE / script)],
        "pathex": [str(SITE), str(HERE)],
        "datas": hemicycle_datas(server=server),
        "hiddenimports": SERVER_HIDDEN if server else CLIENT_HIDDEN,
        "excludes": SERVER_EXCLUDES if server else CLIENT_EXCLUDES,
        "noarchive": False,
        "optimize": 0,  # asserts and docstrings stay: argparse help and checks use them
    }


def _top_level(name: str) -> str:
    """The top-level import name of a module or of a collected file's path."""
    first = name.replace("\\", "/").split("/")[0].split(".")[0]
    return first


def add_metadata(analysis: Any) -> list[str]:
    """Copy into the build the ``.dist-info`` of every installed distribution that has a
    top-level module or package in it (Hemicycle's own comes from the wheel); returns their
    names. Call after ``Analysis``, before ``COLLECT``."""
    from PyInstaller.building.datastruct import Tree

    tops = {_top_level(entry[0]) for toc in (analysis.pure, analysis.binaries) for entry in toc}
    owners = metadata.packages_distributions()
    names = sorted({dist for top in tops for dist in owners.get(top, ())} - {"hemicycle"})
    for name in names:
        dist = metadata.distribution(name)
        path = getattr(dist, "_path", None)  # PathDistribution: its .dist-info folder
        if path is None or not Path(path).is_dir():
            continue
        folder = Path(path)
        analysis.datas += Tree(str(folder), prefix=folder.name, typecode="DATA")
    return names


#: Collected by PyInstaller's Qt hook, never used (see the module docstring).
CLIENT_DROPPED = ["PySide6/Qt/plugins/platformthemes/libqgtk3.so"]
#: Loaded with dlopen by Qt (QtDBus), so no link says it is needed: never pruned.
_DLOPENED = ("libdbus-1.so",)


def drop_binaries(analysis: Any, dropped: list[str]) -> list[str]:
    """Remove the ``dropped`` binaries (by their path in the build) and every library only
    they needed; returns what was removed. A library something else links to stays."""
    from PyInstaller.depend.bindepend import get_imports

    entries = {entry[0].replace("\\", "/"): entry for entry in analysis.binaries}
    by_name: dict[str, list[str]] = {}
    for dest in entries:
        by_name.setdefault(dest.rsplit("/", 1)[-1], []).append(dest)

    def links(dest: str) -> set[str]:
        found = set()
        for name, _path in get_imports(entries[dest][1]):
            found.update(by_name.get(name.rsplit("/", 1)[-1], []))
        return found

    def closure(start: set[str]) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            for dep in links(todo.pop()) - seen:
                seen.add(dep)
                todo.append(dep)
        return seen

    roots = {d for d in dropped if d in entries}
    candidates = closure(roots)
    kept = closure(set(entries) - candidates)
    removed = {d for d in candidates - kept if not d.rsplit("/", 1)[-1].startswith(_DLOPENED)}
    analysis.binaries[:] = [e for e in analysis.binaries if e[0].replace("\\", "/") not in removed]
    return sorted(removed)
